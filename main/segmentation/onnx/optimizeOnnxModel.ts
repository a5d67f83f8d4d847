import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeOnnxModel, encodedOnnxLength, encodeOnnxModel, type OnnxModel } from './onnxModelCodec.js';
import { rewriteConvTransposes, type RewriteReport, type SubPixelMode } from './rewriteConvTransposes.js';
import { rewritePReluAsLeakyRelu } from './rewritePReluAsLeakyRelu.js';
import { mergeSiblingConvs } from './mergeSiblingConvs.js';
import { dropUnusedInitializers } from './dropUnusedInitializers.js';
import { rewriteDepthMajor, type DepthMajorResult, type DepthMajorShape } from './rewriteDepthMajor.js';
import { appendLeadersTail, type LeadersTailRequest, type LeadersTailResult } from './appendLeadersTail.js';

/**
 * Models larger than this are handed to onnxruntime as they are: the file, its
 * rewrite and onnxruntime's own copy are held at once while the session opens.
 */
export const MAX_REWRITE_BYTES = 512 << 20;

export interface OptimizedModel {
  /** The rewritten model's bytes, or null: run the file as it is. */
  readonly bytes: Uint8Array | null;
  readonly report: RewriteReport;
  /** PRelus with one slope replaced by LeakyRelu (rewritePReluAsLeakyRelu.ts). */
  readonly leakyRelus: number;
  /** Convs merged into a sibling that reads the same input (mergeSiblingConvs.ts). */
  readonly mergedConvs: number;
  /** The depth-major form (rewriteDepthMajor.ts): how many 3D convolutions run as 2D ones, or why not; null when not asked. */
  readonly depthMajor: DepthMajorResult | null;
  /** The leaders tail's outputs (appendLeadersTail.ts), or why there is none; null when not asked. */
  readonly leaders: LeadersTailResult | null;
  /** Why the whole model was left alone (a file that is too large, unreadable or not a ModelProto), or null. */
  readonly reason: string | null;
}

/** The result for a model left as it is, with why (null: nothing to rewrite). */
export const optimizeOnnxModelUntouched = (
  reason: string | null,
  report: RewriteReport = { rewritten: [], skipped: [] },
  depthMajor: DepthMajorResult | null = null,
  leaders: LeadersTailResult | null = null,
): OptimizedModel => ({
  bytes: null,
  report,
  leakyRelus: 0,
  mergedConvs: 0,
  depthMajor,
  leaders,
  reason,
});

/**
 * Given the one patch shape the model will run on (`shape`), first tries the
 * depth-major form, every 3D convolution as a 2D one (rewriteDepthMajor.ts),
 * which ONNX Runtime's CPU provider runs faster still; with its PRelus as
 * LeakyRelu. Otherwise, or where it does not apply,
 * reads an ONNX file and rewrites its ConvTransposes as Conv + depth-to-space
 * (rewriteConvTransposes.ts), which ONNX Runtime's CPU provider runs faster
 * than its ConvTranspose, runs one-slope PRelus as LeakyRelu and, in a model
 * with either, merges Convs that read the same input (mergeSiblingConvs.ts).
 * The model is treated as hostile: its size is checked
 * before reading, any failure to decode or rewrite leaves it as it is (with the
 * reason), and so does a model this reader cannot re-encode byte for byte
 * (fields newer than its onnx.proto would be lost). Never throws for the
 * model's content; onnxruntime then judges the file itself.
 * Given `tail`, the model also gets the leaders tail after its output (appendLeadersTail.ts), rewritten or not.
 */
export function optimizeOnnxModel(
  modelPath: string,
  mode: SubPixelMode = 'unified',
  shape: DepthMajorShape | null = null,
  tail: LeadersTailRequest | null = null,
): OptimizedModel {
  let bytes: Uint8Array;
  try {
    bytes = readModel(modelPath);
  } catch (error) {
    return optimizeOnnxModelUntouched(error instanceof Error ? error.message : String(error));
  }
  try {
    // A model with neither operator is not decoded at all, nor are its sibling Convs merged: decoding (up to 512 MiB)
    // and re-encoding are paid only where a rewrite is likely. MONAI's UNets, where the merge pays, all have ConvTransposes.
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const wanted = (op: string | undefined): boolean => op === 'ConvTranspose' || op === 'PRelu' || (shape !== null && op === 'Conv');
    if (tail === null && buffer.indexOf(shape === null ? 'ConvTranspose' : 'Conv') < 0 && buffer.indexOf('PRelu') < 0) return optimizeOnnxModelUntouched(null);
    const model = decodeOnnxModel(bytes);
    if (tail === null && !(model.graph?.node ?? []).some((n) => wanted(n.op_type))) return optimizeOnnxModelUntouched(null);
    const length = encodedOnnxLength(model);
    if (length !== bytes.length)
      return optimizeOnnxModelUntouched(`re-encoding changes its size (${bytes.length} → ${length} bytes): it has fields this reader does not know`);
    const rewritten = rewrite(model, mode, shape);
    // Last, on whatever the rewrites made of the graph: its output keeps its name and shape.
    const leaders = tail === null ? null : appendLeadersTail(model, tail);
    if (!rewritten.changed && (leaders === null || 'reason' in leaders))
      return optimizeOnnxModelUntouched(null, rewritten.report, rewritten.depthMajor, leaders);
    const { report, leakyRelus, mergedConvs, depthMajor } = rewritten;
    return { bytes: encodeOnnxModel(model), report, leakyRelus, mergedConvs, depthMajor, leaders, reason: null };
  } catch (error) {
    return optimizeOnnxModelUntouched(`could not be rewritten: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The rewrites of optimizeOnnxModel, in place, and whether any changed the model. */
function rewrite(
  model: OnnxModel,
  mode: SubPixelMode,
  shape: DepthMajorShape | null,
): Pick<OptimizedModel, 'report' | 'leakyRelus' | 'mergedConvs' | 'depthMajor'> & { changed: boolean } {
  const depthMajor = shape === null ? null : tryDepthMajor(model, shape);
  if (depthMajor !== null && 'convs' in depthMajor) {
    const leakyRelus = rewritePReluAsLeakyRelu(model);
    // The slopes the LeakyRelus took.
    dropUnusedInitializers(model.graph!, new Set((model.graph!.initializer ?? []).map((t) => t.name ?? '')));
    return { report: { rewritten: [], skipped: [] }, leakyRelus, mergedConvs: 0, depthMajor, changed: true };
  }
  // Decoded for the depth-major form (or the tail) only: the others are not tried on it (see above).
  if (!(model.graph?.node ?? []).some((n) => n.op_type === 'ConvTranspose' || n.op_type === 'PRelu'))
    return { report: { rewritten: [], skipped: [] }, leakyRelus: 0, mergedConvs: 0, depthMajor, changed: false };
  // The merge first: the phases form's own Convs (one per phase, on one input) are not to be merged back.
  const mergedConvs = mergeSiblingConvs(model);
  const report = rewriteConvTransposes(model, mode);
  const leakyRelus = rewritePReluAsLeakyRelu(model);
  return { report, leakyRelus, mergedConvs, depthMajor, changed: report.rewritten.length > 0 || leakyRelus > 0 || mergedConvs > 0 };
}

/** The depth-major form, or why not: a failure of its own (a bug, not the model) leaves the other rewrites to run. */
function tryDepthMajor(model: OnnxModel, shape: DepthMajorShape): DepthMajorResult {
  try {
    return rewriteDepthMajor(model, shape);
  } catch (error) {
    return { reason: `it failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The whole file, its size checked first. */
function readModel(modelPath: string): Uint8Array {
  const fd = openSync(modelPath, 'r');
  try {
    const stat = fstatSync(fd);
    const size = stat.size;
    if (!stat.isFile()) throw new Error('not a regular file');
    if (size > MAX_REWRITE_BYTES) throw new Error(`${size} bytes, more than the rewrite reads (${MAX_REWRITE_BYTES})`);
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) throw new Error('the file shrank while it was read');
      read += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}
