import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { optimizeOnnxModelUntouched, type OptimizedModel } from './optimizeOnnxModel.js';
import type { SubPixelMode } from './rewriteConvTransposes.js';
import type { DepthMajorShape } from './rewriteDepthMajor.js';
import { onnxWorkerUrl } from './onnxWorkerUrl.js';
import type { LeadersTailRequest } from './appendLeadersTail.js';

/**
 * The decoder's JS heap. Weights decode to views of the file's bytes (outside this heap), so a real
 * model needs little; a hostile file of packed int64s decodes to one object per byte (an 80 MB one took 4 GB).
 */
const heapMb = 256;

/**
 * optimizeOnnxModel on a worker thread under a heap limit, so a model whose decoding runs away
 * (which a size check on the file cannot foresee) ends that worker only: the model is then run as
 * it is, with the reason. Never throws.
 */
export function optimizeOnnxModelInWorker(
  modelPath: string,
  mode: SubPixelMode,
  shape: DepthMajorShape | null = null,
  tail: LeadersTailRequest | null = null,
): Promise<OptimizedModel> {
  const url = onnxWorkerUrl('optimizeOnnxWorker.js');
  if (!existsSync(fileURLToPath(url))) return Promise.resolve(optimizeOnnxModelUntouched('the rewrite worker’s module is missing (build with "npx tsc -b")'));
  return new Promise((resolve) => {
    const worker = new Worker(url, {
      workerData: { modelPath, mode, shape, tail },
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (result: OptimizedModel): void => {
      if (settled) return;
      settled = true;
      resolve(result);
      void worker.terminate();
    };
    worker.once('message', (result: OptimizedModel) => settle(result));
    worker.once('error', (error) => settle(optimizeOnnxModelUntouched(`could not be rewritten: ${error.message}`)));
    worker.once('exit', (code) => settle(optimizeOnnxModelUntouched(`could not be rewritten: its worker stopped (exit code ${code})`)));
  });
}
