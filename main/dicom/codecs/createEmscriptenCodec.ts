import { AxialError } from '../../errors/AxialError.js';
import type { DecodedSamples } from './DecodedSamples.js';
import { releaseBuffer } from '../../io/releaseBuffer.js';

/** The frame description that every Cornerstone codec decoder's getFrameInfo() returns. */
interface EmscriptenFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** The embind decoder classes of the Cornerstone codecs all share this shape. */
interface EmscriptenDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): EmscriptenFrameInfo;
  delete(): void;
}

type EmscriptenFactory = (moduleArg: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface LoadedModule {
  createDecoder: () => EmscriptenDecoder;
  /** The module's WebAssembly memory, which a decoder's buffers may be views of. */
  memory: () => ArrayBufferLike | undefined;
  /** What the C code printed during the current decode: the only detail its failures carry. */
  printed: string[];
}

interface RawDecode {
  frameInfo: EmscriptenFrameInfo;
  decoded: Uint8Array;
}

/** One Emscripten codec, instantiated on first use and reused after. */
export interface EmscriptenCodec {
  /**
   * Decodes one frame's codestream.
   * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the codec fails or returns a buffer whose
   *   size does not match the frame it describes.
   * @throws Error when the codec's WebAssembly module cannot be loaded (a broken installation).
   * @param into - a spare buffer for the decoded bytes, used when it is exactly their size (a pool
   *   worker's recycled frame), so no new buffer is made for them.
   */
  decode(bytes: Uint8Array, file: string, into?: ArrayBuffer): Promise<DecodedSamples>;
}

/** Which codec to wrap: a name for messages, how to import its factory, and its decoder class. */
export interface EmscriptenCodecParams {
  /** For messages, e.g. 'CharLS'. */
  name: string;
  /** e.g. `() => import('@cornerstonejs/codec-charls/decodewasmjs')`. */
  importFactory: () => Promise<{ default: EmscriptenFactory }>;
  /** The embind decoder class, e.g. 'JpegLSDecoder'. */
  className: string;
}

/**
 * Wraps an Emscripten codec so that its WebAssembly module is instantiated lazily, once, and
 * instantiated again after a failure that may have left it unusable (an abort or an exit()).
 */
export function createEmscriptenCodec({ name, importFactory, className }: EmscriptenCodecParams): EmscriptenCodec {
  let loading: Promise<LoadedModule> | undefined;

  const load = async (): Promise<LoadedModule> => {
    const printed: string[] = [];
    try {
      const factory = (await importFactory()).default;
      // The factory adopts moduleArg as its Module object, so each instantiation needs a fresh one.
      const module = await factory({ print: (line: string) => printed.push(line), printErr: (line: string) => printed.push(line) });
      const DecoderClass = module[className];
      if (typeof DecoderClass !== 'function') throw new Error(`it has no ${className} class`);
      const heap = (): ArrayBufferLike | undefined => (module['HEAPU8'] as Uint8Array | undefined)?.buffer;
      return { createDecoder: () => new (DecoderClass as new () => EmscriptenDecoder)(), memory: heap, printed };
    } catch (error) {
      throw new Error(`the ${name} codec could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };

  return {
    async decode(bytes, file, into) {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      const module = await loading;
      let raw: RawDecode;
      try {
        raw = runDecoder(module, bytes, into);
      } catch (error) {
        // embind passes C++ exceptions on as numbers and the module stays usable; anything else
        // (WebAssembly.RuntimeError from abort(), ExitStatus from exit()) may have broken it.
        if (typeof error !== 'number') loading = undefined;
        throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `${name} could not decode the frame: ${describeFailure(error, module.printed)}`, {
          file,
          cause: error,
        });
      }
      return toDecodedSamples(raw, name, module.printed, file);
    },
  };
}

function runDecoder(module: LoadedModule, bytes: Uint8Array, into: ArrayBuffer | undefined): RawDecode {
  module.printed.length = 0;
  // Emscripten's exit() sets process.exitCode before throwing; the failure is handled here and
  // must not turn the exit status of the whole process into a failure.
  const exitCodeBefore = process.exitCode;
  let decoder: EmscriptenDecoder | undefined;
  try {
    decoder = module.createDecoder();
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const frameInfo = { ...decoder.getFrameInfo() };
    // A view into the WebAssembly heap (copied before the next decode reuses or moves the heap), or, from
    // OpenJPEG, a fresh copy of the frame: that one is used as it is, or released once copied into `into`.
    const heap = decoder.getDecodedBuffer();
    const own = heap.buffer !== module.memory() && heap.buffer instanceof ArrayBuffer && heap.byteOffset === 0 && heap.byteLength === heap.buffer.byteLength;
    if (own && into?.byteLength !== heap.length) return { frameInfo, decoded: new Uint8Array(heap.buffer) };
    const decoded = into?.byteLength === heap.length ? new Uint8Array(into) : new Uint8Array(heap.length);
    decoded.set(heap);
    if (own) releaseBuffer(heap.buffer as ArrayBuffer);
    return { frameInfo, decoded };
  } finally {
    process.exitCode = exitCodeBefore;
    try {
      decoder?.delete();
    } catch {
      // A module that aborted refuses every call, delete() included; it is replaced on next use.
    }
  }
}

function toDecodedSamples({ frameInfo, decoded }: RawDecode, name: string, printed: string[], file: string): DecodedSamples {
  const { width, height, bitsPerSample, componentCount } = frameInfo;
  const bytesPerSample = bitsPerSample <= 8 ? 1 : bitsPerSample <= 16 ? 2 : 0;
  const expectedBytes = width * height * componentCount * bytesPerSample;
  if (expectedBytes === 0 || decoded.length !== expectedBytes) {
    const detail = describeFailure(undefined, printed);
    throw new AxialError(
      'DICOM_CORRUPT_PIXEL_DATA',
      `${name} returned ${decoded.length} bytes for a ${width}x${height} frame ` +
        `of ${componentCount} component(s) at ${bitsPerSample} bits${detail ? ` (${detail})` : ''}`,
      { file },
    );
  }
  const buffer = decoded.buffer;
  const samples =
    bytesPerSample === 1 ? decoded : frameInfo.isSigned ? new Int16Array(buffer, 0, decoded.length / 2) : new Uint16Array(buffer, 0, decoded.length / 2);
  return { columns: width, rows: height, componentCount, samples };
}

function describeFailure(error: unknown, printed: string[]): string {
  const reason = error === undefined ? '' : typeof error === 'number' ? 'the codec raised an error' : error instanceof Error ? error.message : String(error);
  const details = printed.filter((line) => /error|warn|abort/i.test(line)).slice(-3);
  return [reason, ...details].filter(Boolean).join('; ');
}
