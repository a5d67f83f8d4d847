import { parentPort, workerData } from 'node:worker_threads';
import { optimizeOnnxModel } from './optimizeOnnxModel.js';
import type { SubPixelMode } from './rewriteConvTransposes.js';

/** Worker entry of optimizeOnnxModelInWorker: rewrites one model and posts the result, its bytes transferred. */
const { modelPath, mode } = workerData as { modelPath: string; mode: SubPixelMode };
const result = optimizeOnnxModel(modelPath, mode);
parentPort!.postMessage(result, result.bytes ? [result.bytes.buffer as ArrayBuffer] : []);
