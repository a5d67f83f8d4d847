import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBatchOutputs } from '../../../main/cli/checkBatchOutputs.js';
import { AxialError } from '../../../main/errors/AxialError.js';

const outDir = '/data/out';
const layers = ['Tumor core', 'Whole tumor', 'Enhancing tumor'];

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe('CLI_USAGE');
    return (error as AxialError).message;
  }
  throw new Error('not refused');
}

describe('checkBatchOutputs', () => {
  it('refuses a case whose layer file is another case’s output, before anything runs', () => {
    const cases = [{ name: 'a' }, { name: 'a-whole-tumor' }];
    expect(refusal(() => checkBatchOutputs(cases, layers, 'files', outDir, 'cases.csv'))).toBe(
      'cases.csv: cases "a" and "a-whole-tumor" would both write a-whole-tumor.nii.gz (a layer file is <case>-<channel>.nii.gz): rename one of them',
    );
    // 4d writes <case>-layers.nii.gz; names differing only in case clash on macOS and Windows.
    expect(refusal(() => checkBatchOutputs([{ name: 'B-Layers' }, { name: 'b' }], layers, '4d', outDir, 'l.json'))).toMatch(
      /cases "B-Layers" and "b" would both write b-layers\.nii\.gz/,
    );
    // Without layers (none, or a model without them) those names are fine, and so are a case's own layers.
    expect(() => checkBatchOutputs(cases, layers, 'none', outDir, 'cases.csv')).not.toThrow();
    expect(() => checkBatchOutputs(cases, [], 'files', outDir, 'cases.csv')).not.toThrow();
    expect(() => checkBatchOutputs([{ name: 'a' }], ['x', 'x'], 'files', outDir, 'cases.csv')).not.toThrow();
  });

  it('refuses files whose names differ only in Unicode normalisation, one file on macOS', () => {
    // Case "café" (NFC) has the layer café-whole-tumor.nii.gz; case "café-whole-tumor" (NFD) writes it too.
    const cases = [{ name: 'caf\u00e9' }, { name: 'cafe\u0301-whole-tumor' }];
    expect(refusal(() => checkBatchOutputs(cases, layers, 'files', outDir, 'cases.csv'))).toBe(
      'cases.csv: cases "caf\u00e9" and "cafe\u0301-whole-tumor" would both write cafe\u0301-whole-tumor.nii.gz ' +
        '(a layer file is <case>-<channel>.nii.gz): rename one of them',
    );
  });

  it('refuses a case that would write outside --out-dir', () => {
    expect(refusal(() => checkBatchOutputs([{ name: '../../escaped' }], [], 'files', outDir, 'cases.csv'))).toBe(
      `cases.csv: case "../../escaped" would write ${join(outDir, '../../escaped.nii.gz')}, outside --out-dir ${outDir}`,
    );
  });
});
