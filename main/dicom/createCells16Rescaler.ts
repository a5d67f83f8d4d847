import type { PixelFormat } from './PixelFormat.js';

/** The stored-to-real map of one slice, when it is integral (slope and intercept whole numbers). */
export interface IntegerRescale {
  readonly slope: number;
  readonly intercept: number;
}

/** Scratch slots for 16-bit native frames, and the pass that turns a slot's raw cells into values in place. */
export interface Cells16Rescaler {
  /** Bytes one slot holds: a frame's bytes rounded up to 16. */
  readonly slotBytes: number;
  /** Slot `index`'s bytes, for a file read to land in. Valid until the rescaler is dropped. */
  slot(index: number): Uint8Array;
  /**
   * Masks slot `index`'s `count` cells to BitsStored (sign-extending when signed) and applies
   * `slope` × value + `intercept` in 16-bit arithmetic, in place; returns the values as `Type`.
   */
  rescale(
    index: number,
    count: number,
    format: PixelFormat,
    rescale: IntegerRescale,
    Type: Int16ArrayConstructor | Uint16ArrayConstructor,
  ): Int16Array | Uint16Array;
}

/*
 * A hand-assembled WebAssembly module: V8 does not vectorise JavaScript loops, and the mask + rescale
 * pass over 16-bit cells is the load's one pass over every voxel (a JavaScript loop took 1.5 ns a
 * voxel on a 2-core Xeon, 120 ms for 512×512×300; these SIMD loops take about 10 ms). Both functions
 * take (pointer, end, shift, unused, slope, intercept) and, eight cells at a time, compute
 * ((((cell >>> shift) << unused) >>> or >> unused) × slope + intercept) mod 2^16: the unsigned one
 * masks to BitsStored (unused = 16 - BitsStored), the signed one sign-extends.
 * Equivalent text format:
 *   (func $unsigned16 (param $p i32) (param $end i32) (param $shift i32) (param $unused i32) (param $slope i32) (param $intercept i32)
 *     (local $s v128) (local $i v128)
 *     (local.set $s (i16x8.splat (local.get $slope))) (local.set $i (i16x8.splat (local.get $intercept)))
 *     (block (br_if 0 (i32.ge_u (local.get $p) (local.get $end)))
 *       (loop (v128.store (local.get $p) (i16x8.add (i16x8.mul (i16x8.shr_u (i16x8.shl (i16x8.shr_u (v128.load (local.get $p))
 *               (local.get $shift)) (local.get $unused)) (local.get $unused)) (local.get $s)) (local.get $i)))
 *         (br_if 0 (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))))
 * and $signed16 the same with i16x8.shr_s for the second right shift.
 */
function functionBody(rightShiftOpcode: number): number[] {
  // prettier-ignore
  const code = [
    0x01, 0x02, 0x7b, // two v128 locals
    0x20, 0x04, 0xfd, 0x10, 0x21, 0x06, // slope splat
    0x20, 0x05, 0xfd, 0x10, 0x21, 0x07, // intercept splat
    0x02, 0x40, 0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x00, // block; br_if p >= end
    0x03, 0x40, // loop
    0x20, 0x00, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x00, // p, v128.load p
    0x20, 0x02, 0xfd, 0x8d, 0x01, // shr_u shift
    0x20, 0x03, 0xfd, 0x8b, 0x01, // shl unused
    0x20, 0x03, 0xfd, rightShiftOpcode, 0x01, // shr_u or shr_s unused
    0x20, 0x06, 0xfd, 0x95, 0x01, // mul slope
    0x20, 0x07, 0xfd, 0x8e, 0x01, // add intercept
    0xfd, 0x0b, 0x04, 0x00, // v128.store
    0x20, 0x00, 0x41, 0x10, 0x6a, 0x22, 0x00, 0x20, 0x01, 0x49, 0x0d, 0x00, // p += 16; br_if p < end
    0x0b, 0x0b, 0x0b, // end loop, block, function
  ];
  return [...leb128(code.length), ...code];
}

/** An unsigned LEB128 number, as WebAssembly writes sizes. */
function leb128(value: number): number[] {
  const bytes: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return bytes;
}

function moduleBytes(): Uint8Array {
  const ascii = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const section = (id: number, content: number[]): number[] => [id, ...leb128(content.length), ...content];
  const unsigned = functionBody(0x8d);
  const signed = functionBody(0x8c);
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    ...section(1, [0x01, 0x60, 0x06, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // one type: six i32 -> nothing
    ...section(3, [0x02, 0x00, 0x00]), // two functions of that type
    ...section(5, [0x01, 0x00, 0x01]), // one memory, one page to start
    ...section(7, [0x03, ...ascii('memory'), 0x02, 0x00, ...ascii('unsigned16'), 0x00, 0x00, ...ascii('signed16'), 0x00, 0x01]),
    ...section(10, [0x02, ...unsigned, ...signed]),
  ]);
}

/** The little of the WebAssembly API used here: the project's libraries (ES2023, Node's types) do not declare it. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

type Kernel = (pointer: number, end: number, shift: number, unused: number, slope: number, intercept: number) => void;

let compiled: object | undefined;

const wasmPage = 65536;

/**
 * Scratch memory for `slots` native 16-bit frames of `frameBytes` each, and the SIMD pass over it.
 * Each load makes its own (a few frames of memory), so loads running side by side never share slots.
 * Slopes and intercepts must be integers within ±2^31 (16-bit arithmetic wraps as the 16-bit result does).
 */
export function createCells16Rescaler(slots: number, frameBytes: number): Cells16Rescaler {
  compiled ??= new WebAssembly.Module(moduleBytes());
  const slotBytes = Math.ceil(frameBytes / 16) * 16;
  const exports = new WebAssembly.Instance(compiled).exports as { memory: WasmMemory; unsigned16: Kernel; signed16: Kernel };
  // The module's memory starts at one page; it grows once, before any slot is handed out (growing detaches views).
  const own = exports.memory;
  const pages = Math.ceil((slots * slotBytes) / wasmPage);
  if (pages > 1) own.grow(pages - 1);
  const buffer = own.buffer;
  return {
    slotBytes,
    slot: (index) => new Uint8Array(buffer, index * slotBytes, slotBytes),
    rescale(index, count, format, { slope, intercept }, Type) {
      const start = index * slotBytes;
      const unused = 16 - format.bitsStored;
      const kernel = format.pixelRepresentation === 1 ? exports.signed16 : exports.unsigned16;
      kernel(start, start + count * 2, format.highBit + 1 - format.bitsStored, unused, slope, intercept);
      return new Type(buffer, start, count);
    },
  };
}
