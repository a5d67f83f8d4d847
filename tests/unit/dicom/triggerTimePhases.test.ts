import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { scanInput } from '../../../main/input/scanInput.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { hasSharedData, noSharedDataReason } from '../../sharedData.js';
import { runAbdomenVariant, writeDecompressedAbdomen } from './abdomenVariants.js';

/**
 * Cardiac-like MR series made from the real abdomen CT's 20 slices (the audit's mk4db.py): 3 phases ×
 * 20 slices, one file each under a random name, every file AcquisitionNumber 1 and RepetitionTime 800,
 * InstanceNumber restarting at 1 for each phase, stored value + 100 × phase. Folders:
 * - trigger: TriggerTime 100 × phase;
 * - jitter: TriggerTime 100 × phase + 0.5 × slice (each slice triggered a little later, as scanners write it);
 * - untold: no TriggerTime: nothing but the files' order tells the phases apart.
 */
const makeFolders = `
names = random.Random(1)
for folder, trigger in (('trigger', lambda t, k: 100.0 * t), ('jitter', lambda t, k: 100.0 * t + 0.5 * k), ('untold', None)):
    os.makedirs(os.path.join(out, folder))
    for t in range(3):
        for k, source in enumerate(slices):
            ds = copy.deepcopy(source)
            ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.96.%d.%d' % (t, k)
            ds.Modality, ds.RepetitionTime, ds.AcquisitionNumber, ds.InstanceNumber = 'MR', '800', 1, k + 1
            if trigger:
                ds.TriggerTime = '%g' % trigger(t, k)
            ds.PixelData = (source.pixel_array + 100 * t).astype('<u2').tobytes()
            save(ds, os.path.join(out, folder, '%08x.dcm' % names.getrandbits(32)))
print('{}')
`;

describe.skipIf(!hasSharedData)(`phases told apart only by TriggerTime (${noSharedDataReason})`, () => {
  const root = mkdtempSync(join(tmpdir(), 'axial-trigger-time-'));
  let series: Volume;

  beforeAll(async () => {
    writeDecompressedAbdomen(join(root, 'series'));
    runAbdomenVariant(join(root, 'series'), join(root, 'files'), makeFolders);
    series = (await (await scanInput(join(root, 'series'), { threads: 1 })).series[0]!.load()).volume;
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(['trigger', 'jitter'])('%s: each time point holds one phase’s 20 slices, in TriggerTime order, and no warning', async (folder) => {
    const scan = await scanDicom(join(root, 'files', folder));
    expect(scan.series.map((s) => [s.timeSeries?.index, s.slices.length])).toEqual([
      [0, 20],
      [1, 20],
      [2, 20],
    ]);
    // Which phase each slice came from (a slice's trigger time is 100 × its phase, plus under 10 ms of jitter).
    expect(scan.series.map((s) => s.slices.map((slice) => Math.floor(slice.geometry.triggerTime! / 100)))).toEqual(
      [0, 1, 2].map((t) => Array<number>(20).fill(t)),
    );
    expect(scan.series.flatMap((s) => s.warnings).filter((w) => w.includes('file order'))).toEqual([]);

    const [entry] = (await scanInput(join(root, 'files', folder), { threads: 1 })).series;
    expect([entry!.timePoints, entry!.repetitionTime]).toEqual([3, 0.8]);
    for (const t of [0, 1, 2]) {
      const { volume } = await entry!.load(t);
      let different = 0;
      for (let i = 0; i < volume.voxels.length; i++) if (volume.voxels[i] !== series.voxels[i]! + 100 * t) different++;
      expect([t, different]).toEqual([t, 0]);
    }
  });

  it('warns in plain words where nothing but the files’ order tells the phases apart', async () => {
    const scan = await scanDicom(join(root, 'files', 'untold'));
    expect(scan.series.map((s) => s.slices.length)).toEqual([20, 20, 20]);
    for (const s of scan.series) {
      expect(s.warnings).toContainEqual(
        '40 slices were put in a time point by file order alone (at their position, no TemporalPositionIdentifier, AcquisitionNumber, ' +
          'TriggerTime or InstanceNumber tells them from another slice): the time points may mix slices of different times',
      );
    }
    // The warning survives into the scan's one 4D entry (only the "one of several volumes" notes are dropped there).
    const [entry] = (await scanInput(join(root, 'files', 'untold'), { threads: 1 })).series;
    expect(entry!.warnings.some((w) => w.includes('by file order alone'))).toBe(true);
  });
});
