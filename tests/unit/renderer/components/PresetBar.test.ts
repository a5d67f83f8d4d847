import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PresetBar } from '../../../../renderer/components/PresetBar.js';
import { presetList } from '../../../../renderer/display/presetList.js';
import { ctTestVolume } from '../ctTestVolume.js';

const bar = (volume: ReturnType<typeof ctTestVolume>, center: number, width: number): string =>
  renderToStaticMarkup(PresetBar({ volume, voi: { center, width }, onVoi: () => undefined }));

describe('PresetBar', () => {
  it('offers a CT the CT windows, the file windows not named like them, then Full range, and presses the shown one', () => {
    const volume = ctTestVolume([4, 4, 4], [1, 1, 1], {
      windowPresets: [
        { center: 40, width: 400, name: 'Soft tissue' },
        { center: 300, width: 1500, name: 'File 2' },
      ],
    });
    expect(presetList(volume).map((p) => p.name)).toEqual(['Soft tissue', 'Lung', 'Bone', 'Brain', 'File 2', 'Full range']);
    const html = bar(volume, 40, 400);
    expect(html).toContain('>W 400 / L 40<');
    expect(html.match(/aria-pressed="true"[^>]*>([^<]+)</g)).toHaveLength(1);
    expect(html).toMatch(/data-testid="preset-soft-tissue" aria-pressed="true"/);
    // Full range of −1000…1000 is W2000/L0.
    expect(bar(volume, 0, 2000)).toMatch(/data-testid="preset-full" aria-pressed="true"/);
    // A dragged window presses nothing, and shows whole numbers.
    const dragged = bar(volume, -6.88, 447.55);
    expect(dragged).not.toContain('aria-pressed="true"');
    expect(dragged).toContain('>W 448 / L -7<');
  });

  it('offers a NIfTI with HU units (no modality) the CT windows too, and an MR the percentile ones', () => {
    expect(presetList(ctTestVolume([2, 2, 2], [1, 1, 1], { modality: '', units: 'HU' }))[0]!.name).toBe('Soft tissue');
    const mr = presetList(ctTestVolume([2, 2, 2], [1, 1, 1], { modality: 'MR', units: null }));
    expect(mr.map((p) => [p.name, p.title])).toEqual([
      ['Auto', '0.5–99.5 % of the non-zero voxels'],
      ['Wide', '0.1–99.9 % of the non-zero voxels'],
      ['Contrast', '5–95 % of the non-zero voxels'],
      ['Full range', 'W 2000 / L 0'],
    ]);
  });
});
