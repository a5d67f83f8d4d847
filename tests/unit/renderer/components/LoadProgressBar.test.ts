import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LoadProgressBar } from '../../../../renderer/components/LoadProgressBar.js';
import type { LoadProgress } from '../../../../renderer/state/loadProgress.js';

const load: LoadProgress = { id: 1, phase: 'loading', done: 120, total: 300, shown: true, cancelling: false };
const bar = (value: LoadProgress | null): string => renderToStaticMarkup(createElement(LoadProgressBar, { load: value, onCancel: () => undefined }));

describe('LoadProgressBar', () => {
  it('is a progressbar with the file count in words and a Cancel button', () => {
    const html = bar(load);
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="120"');
    expect(html).toContain('aria-valuemax="300"');
    expect(html).toContain('aria-valuetext="Loading images… 120 of 300 files"');
    expect(html).toContain('style="width:40%"');
    expect(html).toMatch(/<button type="button" data-testid="load-cancel" title="Stop loading \(Esc\)">Cancel<\/button>/);
  });

  it('shows nothing before its delay, has no value before main counted the files, and disables Cancel while cancelling', () => {
    expect(bar({ ...load, shown: false })).toBe('');
    expect(bar(null)).toBe('');
    const waiting = bar({ ...load, phase: 'scanning', done: 0, total: 0 });
    expect(waiting).not.toContain('aria-valuenow');
    expect(waiting).toContain('>Reading series…<');
    const cancelling = bar({ ...load, cancelling: true });
    expect(cancelling).toContain('>Cancelling…<');
    expect(cancelling).toMatch(/data-testid="load-cancel"[^>]*disabled=""/);
  });
});
