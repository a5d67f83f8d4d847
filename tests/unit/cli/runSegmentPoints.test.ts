import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { parsePoint } from '../../../main/cli/parsePoint.js';
import { runSegment } from '../../../main/cli/runSegment.js';
import type { CaseSummary } from '../../../main/cli/writeSegmentCase.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { deepEditBundle, makeDeepEditPhantoms, organDice, repoRoot, type DeepEditPhantom } from '../segmentation/interactive/deepeditPhantomCases.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-segment-points-'));
let phantoms: DeepEditPhantom[];
beforeAll(async () => {
  phantoms = await makeDeepEditPhantoms(scratch, [60300, 60301, 60302]);
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const quiet = { progress: { isTTY: false, write: () => true } };
const point = (kind: 'fg' | 'bg', p: readonly number[]): string => `${kind}:${p.map((v) => v.toFixed(2)).join(',')}`;

async function expectCode(argv: string[], code: string, message: RegExp): Promise<void> {
  await expect(runSegment(argv, captureIo(), quiet)).rejects.toMatchObject({ code, message: expect.stringMatching(message) as unknown });
}

describe('axial segment --point with the demo DeepEdit bundle', () => {
  it('one foreground click at the organ centre segments the organ (Dice on held-out phantoms)', async () => {
    const scores: number[] = [];
    for (const [n, p] of phantoms.entries()) {
      const output = join(scratch, `labels-${n}.nii.gz`);
      const io = captureIo();
      const code = await runSegment(['--model', deepEditBundle, p.path, output, '--point', point('fg', p.organCentre), '--device', 'cpu', '--json'], io, quiet);
      expect(code).toBe(0);
      const summary = JSON.parse(io.outLines.join('\n')) as CaseSummary;
      expect(summary.segments?.map((s) => s.name)).toEqual(['organ']);
      const { volume } = await readNifti(output);
      expect(volume.dimensions).toEqual(p.volume.dimensions);
      scores.push(organDice(p.truth, volume.voxels));
    }
    console.log('CLI --point at organ centre, Dice:', scores.map((d) => d.toFixed(3)).join(' '));
    // Measured with the committed model: 0.923, 0.903, 0.913.
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.85);
    expect(scores.reduce((a, b) => a + b) / scores.length).toBeGreaterThanOrEqual(0.88);
  }, 60_000);

  it('runs the automatic mode with no --point, and a --roi clicks block with one', async () => {
    const p = phantoms[0]!;
    expect(await runSegment(['--model', deepEditBundle, p.path, join(scratch, 'auto.nii.gz'), '--device', 'cpu'], captureIo(), quiet)).toBe(0);
    const argv = ['--model', deepEditBundle, p.path, join(scratch, 'roi.nii.gz'), '--point', point('fg', p.organCentre), '--roi', 'clicks', '--device', 'cpu'];
    expect(await runSegment(argv, captureIo(), quiet)).toBe(0);
    expect(organDice(p.truth, (await readNifti(join(scratch, 'roi.nii.gz'))).volume.voxels)).toBeGreaterThan(0.6);
  }, 60_000);

  it('gives coded errors for bad points and for points to a model that takes none', async () => {
    const p = phantoms[0]!;
    const out = join(scratch, 'bad.nii.gz');
    await expectCode(['--model', deepEditBundle, p.path, out, '--point', 'fg:1,2'], 'CLI_USAGE', /three numbers/);
    await expectCode(['--model', deepEditBundle, p.path, out, '--point', 'xx:1,2,3'], 'CLI_USAGE', /fg: or bg:/);
    await expectCode(['--model', deepEditBundle, p.path, out, '--point', 'fg:1,2,abc'], 'CLI_USAGE', /three numbers/);
    await expectCode(['--model', deepEditBundle, p.path, out, '--point', 'fg:900,0,0'], 'CLI_USAGE', /outside the scan/);
    await expectCode(['--model', deepEditBundle, p.path, out, '--roi', 'box'], 'CLI_USAGE', /--roi must be scan or clicks/);
    const plain = join(repoRoot, 'models', 'demo-ct-phantom');
    await expectCode(['--model', plain, p.path, out, '--point', point('fg', p.organCentre)], 'MODEL_UNSUPPORTED', /takes no clicks/);
    await expectCode(['--model', plain, p.path, out, '--roi', 'clicks'], 'CLI_USAGE', /--roi applies to a DeepEdit model/);
    await expectCode(['--model', deepEditBundle, '--batch', scratch, '--out-dir', scratch, '--point', 'fg:0,0,0'], 'CLI_USAGE', /not --batch/);
  });

  it('parses fg, bg and labelled points', () => {
    expect(parsePoint('fg:1.5,-2,3e1')).toEqual({ kind: 'fg', world: [1.5, -2, 30] });
    expect(parsePoint(' bg:0,0,0 ')).toEqual({ kind: 'bg', world: [0, 0, 0] });
    expect(parsePoint('fg=spleen:1,2,3')).toEqual({ kind: 'fg', world: [1, 2, 3], label: 'spleen' });
    expect(() => parsePoint('bg=x:1,2,3')).toThrow(/names no label/);
    expect(() => parsePoint('fg:1,2,3,4')).toThrow(/three numbers/);
  });
});
