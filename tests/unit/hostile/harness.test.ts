import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliErrorCode, runAxialMeasured, runNodeMeasured } from '../../runNodeMeasured.js';

describe('runNodeMeasured', () => {
  it('reports a peak memory that grows with what the child allocates', async () => {
    const small = await runNodeMeasured(['-e', '0']);
    const large = await runNodeMeasured(['-e', 'const b = Buffer.alloc(300 * 2 ** 20, 1); console.log(b[5])']);
    expect(small.code).toBe(0);
    expect(large.stdout.trim()).toBe('1');
    expect(large.peakMiB - small.peakMiB).toBeGreaterThan(250);
    expect(small.peakMiB).toBeLessThan(150);
  });

  it('counts the processes the command starts (the inference child), not the command alone', async () => {
    const script = "require('node:child_process').execFileSync(process.execPath, ['-e', 'Buffer.alloc(300 * 2 ** 20, 1)'])";
    const run = await runNodeMeasured(['-e', script]);
    expect(run.code).toBe(0);
    expect(run.peakMiB).toBeGreaterThan(300);
  });

  it('reads the coded error of the CLI', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-harness-'));
    const file = join(folder, 'nothing.nii');
    writeFileSync(file, Buffer.alloc(10));
    const run = await runAxialMeasured(['info', file]);
    expect(run.code).toBe(1);
    expect(cliErrorCode(run)).toMatch(/^NIFTI_/);
  });
});
