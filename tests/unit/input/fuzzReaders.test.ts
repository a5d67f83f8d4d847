import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAxialError } from '../../../main/errors/AxialError.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { byteMutations } from '../../mutateBytes.js';
import { seededRandom } from '../../seededRandom.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const fixtures = [
  'dicom/ct-transfer-syntaxes/CTImage.dcm',
  'dicom/ct-transfer-syntaxes/CTImage.dcm_RLELosslessTransferSyntax_1.2.840.10008.1.2.5.dcm',
  'dicom/ct-transfer-syntaxes/CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm',
  'dicom/ct-transfer-syntaxes/CTImage.dcm_JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80.dcm',
  'dicom/ct-transfer-syntaxes/CTImage.dcm_JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70.dcm',
  'dicom/ct-transfer-syntaxes/CTImage.dcm_DeflatedExplicitVRLittleEndianTransferSyntax_1.2.840.10008.1.2.1.99.dcm',
  'nifti/nibabel/anatomical.nii',
  'nifti/totalseg/example_seg.nii.gz',
  'nifti/niivue/FLAIR.nrrd',
];

const casesPerMutation = 7;

describe.skipIf(!hasSharedData)(`mutated real files fail only with coded errors (${noSharedDataReason})`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'axial-fuzz-'));
  it.each(fixtures)('%s', async (fixture) => {
    // A copy: a Buffer's slice() is a view (see mutateBytes).
    const original = new Uint8Array(readFileSync(sharedData(fixture)));
    const name = basename(fixture);
    let failures = 0;
    let successes = 0;
    let seed = 1;
    for (const [mutationName, mutate] of Object.entries(byteMutations)) {
      for (let n = 0; n < casesPerMutation; n++, seed++) {
        const path = join(folder, `${seed}-${name}`);
        writeFileSync(path, mutate(original, seededRandom(seed)));
        try {
          const scan = await scanInput(path);
          for (const series of scan.series) await series.load();
          successes++;
        } catch (error) {
          if (!isAxialError(error)) {
            throw new Error(`${mutationName} seed ${seed} on ${fixture}: uncoded ${String((error as Error)?.stack ?? error)}`, { cause: error });
          }
          expect(error.message).toContain(folder);
          failures++;
        }
      }
    }
    expect(failures + successes).toBe(Object.keys(byteMutations).length * casesPerMutation);
    expect(failures).toBeGreaterThan(0);
  });

  it('a folder of good files with one damaged file still loads, listing the damaged one as skipped', async () => {
    const mixed = mkdtempSync(join(tmpdir(), 'axial-fuzz-mixed-'));
    const source = sharedData('dicom/ct-abdomen-j2k');
    const files = ['CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016573', 'CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016574'];
    copyFileSync(join(source, files[0]!), join(mixed, 'a.dcm'));
    writeFileSync(join(mixed, 'b.dcm'), readFileSync(join(source, files[1]!)).subarray(0, 300));
    writeFileSync(join(mixed, 'notes.txt'), 'not an image');
    const scan = await scanInput(mixed);
    expect(scan.series).toHaveLength(1);
    expect(scan.skipped.map((s) => basename(s.file)).sort()).toEqual(['b.dcm', 'notes.txt']);
    expect(scan.skipped.find((s) => s.file.endsWith('b.dcm'))!.reason).toMatch(/DICOM_TRUNCATED|DICOM_MALFORMED/);
  });
});
