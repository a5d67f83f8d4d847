import { spawnSync } from 'node:child_process';
import { inferenceEnv } from '../../main/segmentation/process/inferenceEnv.js';

/**
 * Runs this bench again in the environment Axial's inference process gets (inferenceEnv: glibc's malloc on huge
 * pages, on Linux), unless it already has it, and exits with that run's status. Every runtime the bench starts,
 * ONNX Runtime and PyTorch alike, then runs with the same allocator setting as the product's inference process.
 * Returns the setting for the report ('' where there is none).
 */
export function runWithInferenceEnv(): string {
  const env = inferenceEnv();
  if (env === process.env) return process.env['GLIBC_TUNABLES'] ?? '';
  const run = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
