import { parentPort, workerData } from 'node:worker_threads';
import { optimizeOnnxModel } from './optimizeOnnxModel.js';
import type { SubPixelMode } from './rewriteConvTransposes.js';
import type { DepthMajorShape } from './rewriteDepthMajor.js';

/** Worker entry of optimizeOnnxModelInWorker: rewrites one model and posts the result, its bytes transferred. */
const { modelPath, mode, shape } = workerData as { modelPath: string; mode: SubPixelMode; shape: DepthMajorShape | null };
const result = optimizeOnnxModel(modelPath, mode, shape);
parentPort!.postMessage(result, result.bytes ? [result.bytes.buffer as ArrayBuffer] : []);
