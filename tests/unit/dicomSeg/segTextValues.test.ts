import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/CliIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-seg-text-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ctFolder = sharedData('dicom/ct-abdomen-j2k');
const totalsegLabels = sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz');

/** pydicom's view of the first three segments' label and algorithm name, as Python values (a list if it split). */
const textScript = `
import sys, json, pydicom
seg = pydicom.dcmread(sys.argv[1])
value = lambda v: list(v) if isinstance(v, pydicom.multival.MultiValue) else str(v)
print(json.dumps([[value(s.SegmentLabel), value(s.SegmentAlgorithmName)] for s in seg.SegmentSequence[:3]]))`;

describe.skipIf(!hasSharedData)(`export-seg's names as DICOM values (${noSharedDataReason})`, () => {
  it('writes over-long, backslashed and multi-line names as valid LO values, warning for each, which dciodvfy accepts', async () => {
    const long = `${'Left kidney upper pole cortex '.repeat(2)}and more words past sixty-four`;
    expect(long).toHaveLength(90);
    const algorithm = `${'TotalSegmentator '.repeat(5)}v2\\v2`;
    const names = join(folder, 'names.json');
    // Labels 1, 5 and 6 are the first three present in the TotalSegmentator label map.
    writeFileSync(names, JSON.stringify({ 1: long, 5: 'left\\right kidney', 6: 'line\nbreak' }));
    const output = join(folder, 'names.dcm');
    const errLines: string[] = [];
    const io: CliIo = { out: () => undefined, err: (l) => errLines.push(l) };
    const args = ['export-seg', '--source', ctFolder, '--labels', totalsegLabels, output, '--label-names', names, '--algorithm', algorithm];
    expect(await runCli(args, io), errLines.join('\n')).toBe(0);

    const algorithmWritten = algorithm.slice(0, 64);
    expect(runPythonJson(textScript, [output])).toEqual([
      [long.slice(0, 64).trim(), algorithmWritten],
      ['left/right kidney', algorithmWritten],
      ['line break', algorithmWritten],
    ]);
    expect(errLines.filter((l) => / written as /.test(l))).toEqual([
      `axial: warning: segment 1's SegmentLabel ${JSON.stringify(long)} written as ${JSON.stringify(long.slice(0, 64).trim())} (LO): cut to 64 characters`,
      `axial: warning: SegmentAlgorithmName ${JSON.stringify(algorithm)} written as "${algorithmWritten}" (LO): ` +
        'backslashes replaced by "/", cut to 64 characters',
      'axial: warning: segment 2\'s SegmentLabel "left\\\\right kidney" written as "left/right kidney" (LO): backslashes replaced by "/"',
      'axial: warning: segment 3\'s SegmentLabel "line\\nbreak" written as "line break" (LO): control characters replaced by spaces',
    ]);

    const dciodvfy = spawnSync('dciodvfy', [output], { encoding: 'utf8' });
    if (dciodvfy.error) {
      console.warn('dciodvfy is not installed: skipping the IOD check');
      return;
    }
    expect(`${dciodvfy.stdout}\n${dciodvfy.stderr}`.split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);
  });
});
