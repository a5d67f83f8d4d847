import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StatusText } from '../../../../renderer/components/StatusText.js';
import { plural } from '../../../../renderer/display/plural.js';
import { formatSeconds, providerDetail, splitStatus, withDetails } from '../../../../renderer/display/statusDetails.js';

describe('status text for people', () => {
  it('counts in the right number', () => {
    expect([0, 1, 2].map((n) => plural(n, 'step'))).toEqual(['0 steps', '1 step', '2 steps']);
    expect(plural(2, 'series', 'series')).toBe('2 series');
  });

  it('keeps provider and hints apart from the message, one per line, and splits them back', () => {
    const hint = 'skipped cuda: libcudart.so.12: cannot open shared object file;\n  install CUDA 12 and cuDNN 9';
    const status = withDetails('Segmented in 4.2 s', [providerDetail('cpu', 4.24), hint, ' ']);
    expect(splitStatus(status)).toEqual({
      message: 'Segmented in 4.2 s',
      details: ['Ran on the CPU in 4.2 s', 'skipped cuda: libcudart.so.12: cannot open shared object file; install CUDA 12 and cuDNN 9'],
    });
    expect(withDetails('Saved', [])).toBe('Saved');
    expect(splitStatus('Saved')).toEqual({ message: 'Saved', details: [] });
  });

  it('says seconds as a reader needs them', () => {
    expect([0.04, 4.24, 42.4, 185].map(formatSeconds)).toEqual(['0.0 s', '4.2 s', '42 s', '3 min 5 s']);
    expect(providerDetail('webgpu', 12)).toBe('Ran on the GPU (WebGPU) in 12 s');
  });

  it('shows the message and puts the rest in a closed Details disclosure', () => {
    const html = renderToStaticMarkup(StatusText({ status: withDetails('Segmented in 4.2 s', ['Ran on the CPU in 4.2 s']) }));
    expect(html).toContain('<span data-testid="status-message">Segmented in 4.2 s</span>');
    expect(html).toMatch(
      /<details class="status-details" data-testid="status-details"><summary>Details<\/summary><ul><li>Ran on the CPU in 4.2 s<\/li><\/ul><\/details>/,
    );
    expect(renderToStaticMarkup(StatusText({ status: 'Ready' }))).not.toContain('<details');
  });
});
