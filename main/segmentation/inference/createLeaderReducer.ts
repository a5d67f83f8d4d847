import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { leaderMaximaModel } from './leaderMaximaModel.js';
import { listLeaders, windowLeaders, type WindowLeaders } from './windowLeaders.js';

/** Lists each window's leaders (windowLeaders' answer), and lets its resources go at the end of the run. */
export interface LeaderReducer {
  /**
   * Fills `lists` from one window's output [channels][voxel] (exactly `channels` × the window's voxels).
   * Returns 0, or NaN when a value is not finite.
   * @throws LeadersOverflow ('slots') when more classes than `lists.slots` are within reach at a voxel.
   */
  list(output: Float32Array, lists: WindowLeaders): Promise<number>;
  /** 'onnx' while the ONNX Runtime session serves (or has yet to open), 'js' once it could not, or when asked for. */
  path(): 'onnx' | 'js';
  close(): Promise<void>;
}

/**
 * The leaders of each window: a small ONNX Runtime session (leaderMaximaModel: ReduceMax over the classes, on the CPU,
 * every core) computes each voxel's best, then listLeaders lists the classes within reach of it in JavaScript.
 * ReduceMax of float32 values is exact, so the lists are windowLeaders' own; NaN and infinities are found by the
 * listing, whatever maxima they gave. On a 105-class 96³ window (2 cores) the maxima take ONNX Runtime about 50 ms
 * against about 100 for windowLeaders' sweep (see bench-results/many-class.md). The session opens on the first
 * window and is released by close(); where it cannot open or run (no onnxruntime binding, too little memory) the
 * maxima come from windowLeaders in JavaScript, as they do for `path` 'js'.
 */
export function createLeaderReducer(channels: number, roi: readonly [number, number, number], reach: number, path: 'onnx' | 'js' = 'onnx'): LeaderReducer {
  const size = roi[0] * roi[1] * roi[2];
  let current = path;
  let opened: Promise<ort.InferenceSession | undefined> | undefined = path === 'js' ? Promise.resolve(undefined) : undefined;
  const open = async (): Promise<ort.InferenceSession | undefined> => {
    try {
      return await ort.InferenceSession.create(leaderMaximaModel(channels, roi), {
        executionProviders: ['cpu'],
        intraOpNumThreads: os.availableParallelism(),
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        // As the network's session: a thread spinning for work takes a core from the JavaScript that follows.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
    } catch {
      current = 'js';
      return undefined;
    }
  };
  return {
    async list(output, lists) {
      opened ??= open();
      const session = await opened;
      if (!session) return windowLeaders(output, channels, size, reach, lists);
      try {
        await session.run({ x: new ort.Tensor('float32', output, [1, channels, ...roi]) }, { maxima: new ort.Tensor('float32', lists.maxima, [1, 1, ...roi]) });
      } catch {
        current = 'js';
        opened = Promise.resolve(undefined);
        await session.release().catch(() => undefined);
        return windowLeaders(output, channels, size, reach, lists);
      }
      return listLeaders(output, channels, size, reach, lists);
    },
    path: () => current,
    async close() {
      const session = await opened;
      opened = Promise.resolve(undefined);
      await session?.release();
    },
  };
}
