/**
 * The SIMD half of windowLeaders: a block's class rows copied into WebAssembly memory, each group's maximum and the
 * voxels' best, a finiteness probe, and a bit mask of the groups within reach of each voxel's threshold.
 */
export interface LeadersKernel {
  /** The class rows a block holds. */
  readonly channels: number;
  /** The block's rows, [row][voxel] with `block` voxels a row: where a block's values are copied to. */
  readonly rows: Float32Array;
  /** Each voxel's best, after `maxima`. */
  readonly best: Float32Array;
  /** Each voxel's threshold, written by the caller before `masks`. */
  readonly thresholds: Float32Array;
  /** Bit g set where group g's best reaches the voxel's threshold, after `masks`. */
  readonly reach: Uint32Array;
  /** Rows a group: 8, or more where 8 would make more than MAX_GROUPS groups. */
  readonly groupRows: number;
  /** Fills `best` (and each group's maxima) over the first `length` voxels of `rows`. */
  maxima(length: number): void;
  /** Fills `reach` over the first `length` voxels from `thresholds` and the group maxima of the last `maxima`. */
  masks(length: number): void;
  /** 0 while every value `maxima` has read since the last reset is finite, else NaN; `reset` starts again. */
  probe(): number;
  resetProbe(): void;
}

/*
 * A WebAssembly module (402 bytes): V8 does not vectorise JavaScript loops, and this is the many-class run's one pass
 * over every value of every window (92.9 M values a 105-class 96³ window). Assembled with wabt's wat2wasm from:
 *
 * (module
 *   (memory (export "memory") 1)
 *   ;; One group of $rows rows, $stride bytes apart, over $bytes bytes of each (a multiple of 16): the group's maximum
 *   ;; into $gm, the running best into $best, and the sum of x - x over every x into the four floats at $probe
 *   ;; (0 while every x is finite, NaN from the first that is not). f32x4.pmax is b where a < b, else a, as JavaScript's
 *   ;; `if (b > m) m = b`: one maxps, where f32x4.max's NaN and signed-zero rules cost V8 several instructions (3.2× the
 *   ;; time here). It may pass over a NaN; the probe does not.
 *   (func (export "groupMax") (param $data i32) (param $rows i32) (param $bytes i32) (param $stride i32) (param $gm i32) (param $best i32) (param $probe i32)
 *     (local $o i32) (local $p i32) (local $end i32) (local $m v128) (local $x v128) (local $acc v128)
 *     (local.set $acc (v128.load (local.get $probe)))
 *     (local.set $end (i32.add (local.get $data) (i32.mul (local.get $rows) (local.get $stride))))
 *     (block $done
 *       (br_if $done (i32.ge_u (local.get $o) (local.get $bytes)))
 *       (loop $voxels
 *         (local.set $p (i32.add (local.get $data) (local.get $o)))
 *         (local.set $m (v128.load (local.get $p)))
 *         (local.set $acc (f32x4.add (local.get $acc) (f32x4.sub (local.get $m) (local.get $m))))
 *         (block $rowsDone
 *           (br_if $rowsDone (i32.ge_u (local.tee $p (i32.add (local.get $p) (local.get $stride))) (local.get $end)))
 *           (loop $rowLoop
 *             (local.set $x (v128.load (local.get $p)))
 *             (local.set $m (f32x4.pmax (local.get $m) (local.get $x)))
 *             (local.set $acc (f32x4.add (local.get $acc) (f32x4.sub (local.get $x) (local.get $x))))
 *             (br_if $rowLoop (i32.lt_u (local.tee $p (i32.add (local.get $p) (local.get $stride))) (local.get $end)))))
 *         (v128.store (i32.add (local.get $gm) (local.get $o)) (local.get $m))
 *         (v128.store (i32.add (local.get $best) (local.get $o)) (f32x4.pmax (v128.load (i32.add (local.get $best) (local.get $o))) (local.get $m)))
 *         (br_if $voxels (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 16))) (local.get $bytes)))))
 *     (v128.store (local.get $probe) (local.get $acc)))
 *   ;; Bit g of each voxel's mask set where group g's maximum (at $gm + g × $stride) is at or above the voxel's threshold.
 *   (func (export "reachMask") (param $gm i32) (param $groups i32) (param $stride i32) (param $thr i32) (param $masks i32) (param $bytes i32)
 *     (local $o i32) (local $p i32) (local $end i32) (local $bit i32) (local $t v128) (local $mask v128)
 *     (local.set $end (i32.add (local.get $gm) (i32.mul (local.get $groups) (local.get $stride))))
 *     (block $done
 *       (br_if $done (i32.ge_u (local.get $o) (local.get $bytes)))
 *       (loop $voxels
 *         (local.set $t (v128.load (i32.add (local.get $thr) (local.get $o))))
 *         (local.set $mask (v128.const i32x4 0 0 0 0))
 *         (local.set $bit (i32.const 1))
 *         (local.set $p (i32.add (local.get $gm) (local.get $o)))
 *         (loop $groupLoop
 *           (local.set $mask (v128.or (local.get $mask) (v128.and (f32x4.ge (v128.load (local.get $p)) (local.get $t)) (i32x4.splat (local.get $bit)))))
 *           (local.set $bit (i32.shl (local.get $bit) (i32.const 1)))
 *           (br_if $groupLoop (i32.lt_u (local.tee $p (i32.add (local.get $p) (local.get $stride))) (local.get $end))))
 *         (v128.store (i32.add (local.get $masks) (local.get $o)) (local.get $mask))
 *         (br_if $voxels (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 16))) (local.get $bytes)))))))
 */
const MODULE_BASE64 = [
  'AGFzbQEAAAABFAJgB39/f39/f38AYAZ/f39/f38AAwMCAAEFAwEAAQchAwZtZW1vcnkCAAhncm91cE1heAAACXJlYWNoTWFzawABCsQCArUBAgN/A3sgBv0A',
  'BAAhDCAAIAEgA2xqIQkCQCAHIAJPDQADQCAAIAdqIQggCP0ABAAhCiAMIAogCv3lAf3kASEMAkAgCCADaiIIIAlPDQADQCAI/QAEACELIAogC/3rASEKIAwg',
  'CyAL/eUB/eQBIQwgCCADaiIIIAlJDQALCyAEIAdqIAr9CwQAIAUgB2ogBSAHav0ABAAgCv3rAf0LBAAgB0EQaiIHIAJJDQALCyAGIAz9CwQAC4oBAgR/Ansg',
  'ACABIAJsaiEIAkAgBiAFTw0AA0AgAyAGav0ABAAhCv0MAAAAAAAAAAAAAAAAAAAAACELQQEhCSAAIAZqIQcDQCALIAf9AAQAIAr9RiAJ/RH9Tv1QIQsgCUEB',
  'dCEJIAcgAmoiByAISQ0ACyAEIAZqIAv9CwQAIAZBEGoiBiAFSQ0ACwsL',
].join('');

/** The little of the WebAssembly API used here: the project's libraries (ES2023, Node's types) do not declare it. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  groupMax(data: number, rows: number, bytes: number, stride: number, gm: number, best: number, probe: number): void;
  reachMask(gm: number, groups: number, stride: number, thr: number, masks: number, bytes: number): void;
}

let compiled: object | undefined;

const wasmPage = 65536;

/** Most groups a voxel's mask holds (one bit each). */
const MAX_GROUPS = 32;

/**
 * A kernel for blocks of `block` voxels (a multiple of 4) of `channels` rows. Its memory is its own, and so is each
 * thread's kernel.
 */
export function createLeadersKernel(channels: number, block: number): LeadersKernel {
  compiled ??= new WebAssembly.Module(new Uint8Array(Buffer.from(MODULE_BASE64, 'base64')));
  const groupRows = Math.max(8, Math.ceil(channels / MAX_GROUPS));
  const exports = new WebAssembly.Instance(compiled).exports as KernelExports;
  const rowBytes = block * 4;
  const rowsAt = 0;
  const groupMaximaAt = rowsAt + channels * rowBytes;
  const bestAt = groupMaximaAt + MAX_GROUPS * rowBytes;
  const thresholdsAt = bestAt + rowBytes;
  const reachAt = thresholdsAt + rowBytes;
  const probeAt = reachAt + rowBytes;
  const pages = Math.ceil((probeAt + 16) / wasmPage);
  // The memory grows once, before any view is made (growing detaches views).
  if (pages > 1) exports.memory.grow(pages - 1);
  const buffer = exports.memory.buffer;
  const best = new Float32Array(buffer, bestAt, block);
  const probe = new Float32Array(buffer, probeAt, 4);
  let groups = 0;
  return {
    channels,
    rows: new Float32Array(buffer, rowsAt, channels * block),
    best,
    thresholds: new Float32Array(buffer, thresholdsAt, block),
    reach: new Uint32Array(buffer, reachAt, block),
    groupRows,
    maxima(length) {
      const bytes = Math.ceil(length / 4) * 16;
      best.fill(-Infinity);
      groups = 0;
      for (let c0 = 0; c0 < channels; c0 += groupRows, groups++) {
        const rows = Math.min(groupRows, channels - c0);
        exports.groupMax(rowsAt + c0 * rowBytes, rows, bytes, rowBytes, groupMaximaAt + groups * rowBytes, bestAt, probeAt);
      }
    },
    masks(length) {
      exports.reachMask(groupMaximaAt, groups, rowBytes, thresholdsAt, reachAt, Math.ceil(length / 4) * 16);
    },
    probe: () => probe[0]! + probe[1]! + probe[2]! + probe[3]!,
    resetProbe: () => probe.fill(0),
  };
}
