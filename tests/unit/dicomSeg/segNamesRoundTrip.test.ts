import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/runCli.js';
import { readDicomSeg } from '../../../main/dicomSeg/readDicomSeg.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { openMaskFile } from '../../../main/loader/openMaskFile.js';
import { captureIo } from '../../captureIo.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-segNames-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ctFolder = sharedData('dicom/ct-abdomen-j2k');
const totalsegLabels = sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz');

describe.skipIf(!hasSharedData)(`segment names outside ASCII, exported and read back (${noSharedDataReason})`, () => {
  it('reads "Leber – größer" and "肝臓" back as written, by readDicomSeg and by Open labels', async () => {
    const names = join(folder, 'names.json');
    writeFileSync(names, JSON.stringify({ 1: '肝臓', 5: 'Leber – größer' }));
    const output = join(folder, 'names.dcm');
    const io = captureIo();
    const code = await runCli(['export-seg', '--source', ctFolder, '--labels', totalsegLabels, output, '--label-names', names, '--algorithm', 'Mödel™'], io);
    expect(code, io.errLines.join('\n')).toBe(0);

    const scan = await scanInput(ctFolder);
    const { volume } = await scan.series[0]!.load();
    const read = await readDicomSeg(output, volume);
    expect(read.seg.segments.slice(0, 2).map((s) => [s.value, s.label, s.algorithmName])).toEqual([
      [1, '肝臓', 'Mödel™'],
      [2, 'Leber – größer', 'Mödel™'],
    ]);
    const opened = await openMaskFile(output, volume);
    expect(opened.segments.slice(0, 2).map((s) => [s.name, s.algorithmName])).toEqual([
      ['肝臓', 'Mödel™'],
      ['Leber – größer', 'Mödel™'],
    ]);
  });
});
