import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInput } from '../../../main/input/scanInput.js';
import { runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason } from '../../sharedData.js';
import { runAbdomenVariant, writeDecompressedAbdomen } from '../dicom/abdomenVariants.js';

const hasDcm2niix = spawnSync('dcm2niix', ['-v'], { encoding: 'utf8' }).error === undefined;

/**
 * 4D series of 3 time points × the real abdomen CT's 20 slices (the audit's mk4d.py), every slice of
 * time point t with TemporalPositionIdentifier t + 1 and InstanceNumber 20 t + k + 1:
 * - ct-10s: CT, no RepetitionTime, AcquisitionTime 14:03:00, 14:03:10, 14:03:20 (dcm2niix: pixdim[4] 10);
 * - mr-10s: MR, RepetitionTime 800 ms, the same acquisition times (dcm2niix: 10, the TR one excitation's);
 * - mr-tr: MR, RepetitionTime 800 ms, every slice the same AcquisitionTime (dcm2niix: 0.8);
 * - ct-midnight: CT, AcquisitionTime 23:59:55, 00:00:05, 00:00:15.
 */
const makeFolders = `
cases = {'ct-10s': ('CT', None, ['140300', '140310', '140320']), 'mr-10s': ('MR', '800', ['140300', '140310', '140320']),
         'mr-tr': ('MR', '800', ['140300'] * 3), 'ct-midnight': ('CT', None, ['235955', '000005', '000015'])}
for folder, (modality, tr, times) in cases.items():
    os.makedirs(os.path.join(out, folder))
    for t in range(3):
        for k, source in enumerate(slices):
            ds = copy.deepcopy(source)
            ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.95.%d.%d' % (t, k)
            ds.Modality, ds.InstanceNumber, ds.TemporalPositionIdentifier, ds.NumberOfTemporalPositions = modality, 20 * t + k + 1, t + 1, 3
            ds.AcquisitionTime = ds.ContentTime = times[t] + '.000000'
            if tr:
                ds.RepetitionTime = tr
            ds.PixelData = (source.pixel_array + 10 * t).astype('<u2').tobytes()
            save(ds, os.path.join(out, folder, 't%d_%02d.dcm' % (t, k)))
print('{}')
`;

describe.skipIf(!hasSharedData)(`seconds between a 4D DICOM series' time points (${noSharedDataReason})`, () => {
  const root = mkdtempSync(join(tmpdir(), 'axial-time-step-'));
  const files = join(root, 'files');

  beforeAll(() => {
    writeDecompressedAbdomen(join(root, 'series'));
    runAbdomenVariant(join(root, 'series'), files, makeFolders);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['ct-10s', 10],
    ['mr-10s', 10],
    ['mr-tr', 0.8],
    ['ct-midnight', 10],
  ])('%s: %d s', async (folder, seconds) => {
    const [entry] = (await scanInput(join(files, folder), { threads: 1 })).series;
    expect([entry!.timePoints, entry!.repetitionTime]).toEqual([3, seconds]);
  });

  it.skipIf(!hasDcm2niix)(
    "gives dcm2niix's pixdim[4]",
    async () => {
      for (const folder of ['ct-10s', 'mr-10s', 'mr-tr']) {
        const out = join(root, 'nifti', folder);
        mkdirSync(out, { recursive: true });
        execFileSync('dcm2niix', ['-o', out, '-f', 'x', '-z', 'n', '-b', 'n', join(files, folder)], { encoding: 'utf8' });
        const nii = join(
          out,
          readdirSync(out).find((name) => name.endsWith('.nii'))!,
        );
        const theirs = runPythonJson<number>('import sys, nibabel; print(float(nibabel.load(sys.argv[1]).header["pixdim"][4]))', [nii]);
        const [entry] = (await scanInput(join(files, folder), { threads: 1 })).series;
        expect([folder, entry!.repetitionTime]).toEqual([folder, expect.closeTo(theirs, 6)]);
      }
    },
    120_000,
  );
});
