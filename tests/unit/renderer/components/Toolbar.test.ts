import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ViewerActions } from '../../../../renderer/actions/useViewerActions.js';
import { Toolbar } from '../../../../renderer/components/Toolbar.js';

const toolbar = (volumeFormat: 'dicom' | 'nifti' | null, hasMask: boolean): string =>
  renderToStaticMarkup(
    createElement(Toolbar, {
      actions: {} as ViewerActions,
      hasVolume: volumeFormat !== null,
      hasMask,
      volumeFormat,
      running: false,
      activeView: 'axial',
      busy: null,
    }),
  );

describe('Toolbar', () => {
  it('groups Open, the model and Export, with Settings last and no layout controls (they are in the view bar)', () => {
    const html = toolbar('dicom', true);
    const order = [
      'open-file',
      'open-folder',
      'open-labels',
      'model-select',
      'device-select',
      'model-target',
      'run-model',
      'export-format',
      'export-labels',
      'settings-open',
    ];
    const at = order.map((id) => html.indexOf(`data-testid="${id}"`));
    expect(at.every((n) => n >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).not.toContain('layout-');
    expect(html).toContain('>Add to open</option>');
  });

  it("puts every export in one choice, the active view's PNG among them, and Export… needs only a volume for a PNG", () => {
    const html = toolbar('dicom', false);
    expect([...html.matchAll(/<option value="([a-z-]+)"/g)].map((m) => m[1]).slice(-7)).toEqual([
      'nifti',
      'nrrd',
      'slicer-seg',
      'dicom-seg',
      'stats-csv',
      'stats-json',
      'png',
    ]);
    expect(html).toMatch(/data-testid="export-labels" disabled=""/);
  });

  it('offers no DICOM SEG for a NIfTI scan, and says why', () => {
    const html = toolbar('nifti', true);
    expect(html).toMatch(
      /<option value="dicom-seg" disabled="" title="DICOM SEG must refer to DICOM images; this scan was read from NIFTI">DICOM SEG \(needs a DICOM scan\)/,
    );
    expect(html).toContain('data-testid="seg-export-reason">DICOM SEG must refer to DICOM images; this scan was read from NIFTI<');
  });
});
