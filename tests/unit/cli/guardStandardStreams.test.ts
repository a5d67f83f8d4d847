import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { runPythonJson } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { tinyVolume } from '../../tinyVolume.js';

/**
 * The built CLI in a real process: stdout on /dev/full gives the one-line OUTPUT_WRITE_FAILED error and status 1,
 * stdout on a pipe whose reader has gone ends quietly with 141 (Node printed "Unhandled 'error' event" and a stack
 * for both).
 */
const cli = join(repoRoot, 'dist', 'main', 'cli', 'axial.js');
const folder = mkdtempSync(join(tmpdir(), 'axial-streams-'));
const input = join(folder, 'in.nii');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

beforeAll(async () => {
  await writeNifti(tinyVolume([3, 2, 2]), input);
});

/** Runs the CLI with its stdout on a pipe whose read end Python closed before the start: every write is EPIPE. */
const closedPipeScript = `
import os, subprocess, sys, json
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], *sys.argv[2:]], stdout=w, stderr=subprocess.PIPE)
print(json.dumps({"code": p.returncode, "stderr": p.stderr.decode()}))`;

describe('the CLI when stdout fails', () => {
  it.each([['--help'], ['info', input, '--json']])('axial %s to /dev/full: one line on stderr, status 1', (...args) => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(result.stderr).toBe('axial: error OUTPUT_WRITE_FAILED: standard output: cannot write: ENOSPC: no space left on device, write\n');
      expect(result.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  it.each([['--help'], ['info', input]])('axial %s into a closed pipe: nothing printed, status 141', (...args) => {
    const result = runPythonJson<{ code: number; stderr: string }>(closedPipeScript, [process.execPath, cli, ...args]);
    expect(result).toEqual({ code: 141, stderr: '' });
  });
});
