import { parentPort, workerData } from 'node:worker_threads';
import { optimizeOnnxModel } from './optimizeOnnxModel.js';
import type { SubPixelMode } from './rewriteConvTransposes.js';
import type { DepthMajorShape } from './rewriteDepthMajor.js';
import type { LeadersTailRequest } from './appendLeadersTail.js';

/** Worker entry of optimizeOnnxModelInWorker: rewrites one model and posts the result, its bytes transferred. */
const { modelPath, mode, shape, tail } = workerData as {
  modelPath: string;
  mode: SubPixelMode;
  shape: DepthMajorShape | null;
  tail: LeadersTailRequest | null;
};
const result = optimizeOnnxModel(modelPath, mode, shape, tail);
parentPort!.postMessage(result, result.bytes ? [result.bytes.buffer as ArrayBuffer] : []);
