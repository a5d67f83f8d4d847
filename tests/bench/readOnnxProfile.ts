import { readFileSync, statSync } from 'node:fs';

/** Kernel time of one `session.run`, from onnxruntime's profile (`enableProfiling`). */
export interface OnnxRunProfile {
  /** Seconds of every node's kernel. */
  readonly total: number;
  /** Seconds by operator type (ConvTranspose, Conv, Transpose, …). */
  readonly byOp: Readonly<Record<string, number>>;
  /** Seconds of the nodes the ConvTranspose rewrites made (their names carry `subpixel`: `…__subpixel3`, `subpixel_phases__depth7`). */
  readonly rewritten: number;
}

interface ProfileEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly ts?: number;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string };
}

/** A profile is a few MB for a UNet; more says it is not one. */
const MAX_PROFILE_BYTES = 256 << 20;

/**
 * Sums the kernel times of the LAST `model_run` in an onnxruntime profile file
 * (earlier runs are warm-ups), by operator and for the rewrite's own nodes.
 * @throws Error when the file is too large or is not a profile with a run.
 */
export function readOnnxProfile(file: string): OnnxRunProfile {
  if (statSync(file).size > MAX_PROFILE_BYTES) throw new Error(`${file} is too large for a profile`);
  const events = JSON.parse(readFileSync(file, 'utf8')) as ProfileEvent[];
  const runs = events.filter((e) => e.name === 'model_run');
  const last = runs[runs.length - 1];
  if (last?.ts === undefined) throw new Error(`${file} has no model_run`);
  const byOp: Record<string, number> = {};
  let total = 0;
  let rewritten = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || (e.ts ?? 0) < last.ts) continue;
    const seconds = (e.dur ?? 0) / 1e6;
    const op = e.args?.op_name ?? '?';
    byOp[op] = (byOp[op] ?? 0) + seconds;
    total += seconds;
    if (e.name.includes('subpixel')) rewritten += seconds;
  }
  return { total, byOp, rewritten };
}
