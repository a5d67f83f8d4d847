import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global setup: every spec, and every process a spec starts (Node, Python, Chromium, Slurm jobs), makes its
 * temporary folders under one folder of this run (TMPDIR), removed when the run ends. Specs that made bundles, series
 * and outputs in the system's temporary folder left hundreds of folders there on every run.
 */
export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'axial-tests-'));
  process.env.TMPDIR = folder;
  return () => rmSync(folder, { recursive: true, force: true });
}
