import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInput } from '../../../main/input/scanInput.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { hasSharedData, noSharedDataReason } from '../../sharedData.js';
import { runAbdomenVariant, writeDecompressedAbdomen } from './abdomenVariants.js';

/**
 * Classic (not enhanced) multi-frame files holding the real abdomen CT's 20 slices as 20 frames, with
 * one ImagePositionPatient (the lowest slice's) and SpacingBetweenSlices 2, as converters write them:
 * - ct.dcm: CT, frames in slice order (the audit's mf-classic.dcm; dcm2niix makes 512×512×20 at 2 mm of it);
 * - nm.dcm: NM, frames stored highest slice first, FrameIncrementPointer → SliceVector [20..1], position and
 *   orientation only in DetectorInformationSequence, as an NM reconstructed tomo keeps them;
 * - us.dcm: the CT file as US, a cine: 20 frames of one plane;
 * - ct-no-spacing.dcm: the CT file without SpacingBetweenSlices;
 * - ct-cine.dcm: the CT file whose FrameIncrementPointer names FrameTime (0018,1063): frames are times.
 */
const makeFiles = `
frames = np.stack([s.pixel_array for s in slices])
def multiframe(modality, stored, **extra):
    ds = copy.deepcopy(slices[0])
    ds.Modality = modality
    ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.98.%d' % (len(os.listdir(out)) + 1)
    ds.SeriesInstanceUID = ds.SOPInstanceUID + '.1'
    ds.NumberOfFrames = len(stored)
    ds.SpacingBetweenSlices = 2
    for keyword, value in extra.items():
        setattr(ds, keyword, value)
    ds.PixelData = np.ascontiguousarray(stored).astype('<u2').tobytes()
    return ds
save(multiframe('CT', frames), os.path.join(out, 'ct.dcm'))
nm = multiframe('NM', frames[::-1], SOPClassUID='1.2.840.10008.5.1.4.1.1.20', SliceVector=list(range(20, 0, -1)),
                NumberOfSlices=20, FrameIncrementPointer=0x00540080)
nm.DetectorInformationSequence = Sequence([item(ImagePositionPatient=nm.ImagePositionPatient, ImageOrientationPatient=nm.ImageOrientationPatient)])
del nm.ImagePositionPatient, nm.ImageOrientationPatient
save(nm, os.path.join(out, 'nm.dcm'))
save(multiframe('US', frames, SOPClassUID='1.2.840.10008.5.1.4.1.1.3.1'), os.path.join(out, 'us.dcm'))
no_spacing = multiframe('CT', frames)
del no_spacing.SpacingBetweenSlices
save(no_spacing, os.path.join(out, 'ct-no-spacing.dcm'))
save(multiframe('CT', frames, FrameIncrementPointer=0x00181063, FrameTime=50), os.path.join(out, 'ct-cine.dcm'))
print('{}')
`;

function countDifferent(a: Volume, b: Volume): number {
  expect(a.voxels.length).toBe(b.voxels.length);
  let different = 0;
  for (let i = 0; i < a.voxels.length; i++) if (a.voxels[i] !== b.voxels[i]) different++;
  return different;
}

describe.skipIf(!hasSharedData)(`classic multi-frame CT/NM files with one ImagePositionPatient (${noSharedDataReason})`, () => {
  const root = mkdtempSync(join(tmpdir(), 'axial-classic-multiframe-'));
  const files = join(root, 'files');
  let series: Volume;

  beforeAll(async () => {
    writeDecompressedAbdomen(join(root, 'series'));
    runAbdomenVariant(join(root, 'series'), files, makeFiles);
    const scan = await scanInput(join(root, 'series'), { threads: 1 });
    series = (await scan.series[0]!.load()).volume;
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(['ct.dcm', 'nm.dcm'])(
    '%s: stacks the 20 frames 2 mm apart along the normal, the 20-file series voxel for voxel, saying so',
    async (name) => {
      const scan = await scanInput(join(files, name), { threads: 1 });
      expect(scan.series.map((s) => [s.timePoints, s.dimensions, s.images])).toEqual([[1, [512, 512, 20], 20]]);
      expect(scan.series[0]!.warnings).toContainEqual(expect.stringMatching(/^frame positions taken from the slice spacing: .* 20 frames, .* 2 mm apart/));
      const { volume } = await scan.series[0]!.load();
      expect(volume.dimensions).toEqual([512, 512, 20]);
      expect(volume.spacing.map((v) => Number(v.toFixed(7)))).toEqual([0.9765625, 0.9765625, 2]);
      expect(volume.origin).toEqual(series.origin);
      expect(volume.direction).toEqual(series.direction);
      expect(countDifferent(volume, series)).toBe(0);
    },
    60_000,
  );

  it.each(['us.dcm', 'ct-no-spacing.dcm', 'ct-cine.dcm'])('%s: keeps the frames at one position, as 20 time points of one slice', async (name) => {
    const scan = await scanInput(join(files, name), { threads: 1 });
    expect(scan.series.map((s) => [s.timePoints, s.dimensions])).toEqual([[20, [512, 512, 1]]]);
    expect(scan.series[0]!.warnings.some((w) => w.startsWith('frame positions taken'))).toBe(false);
  });
});
