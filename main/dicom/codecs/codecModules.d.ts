/**
 * Types for codec packages that ship none (or point `types` at a file they do not ship).
 *
 * The Cornerstone codecs are Emscripten factories: calling one instantiates its WebAssembly
 * module and resolves to an object holding the embind classes. Their shape is checked at run time
 * in createEmscriptenCodec.ts, so they are declared here as loosely as they really are.
 * jpeg-lossless-decoder-js 2.1.2 names `release/lossless.d.ts` as its types but does not ship it.
 */

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const createModule: (moduleArg?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  export default createModule;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const createModule: (moduleArg?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  export default createModule;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const createModule: (moduleArg?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  export default createModule;
}

declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const createModule: (moduleArg?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  export default createModule;
}

declare module 'jpeg-lossless-decoder-js' {
  /** Decoder of JPEG Lossless (ITU-T T.81 process 14), Huffman-coded, one scan. */
  export class Decoder {
    constructor();
    /**
     * Decodes the JPEG stream at `buffer[offset, offset + length)`.
     * @param numBytes - bytes per output sample: 1 gives a Uint8Array, 2 a Uint16Array.
     */
    decode(buffer: ArrayBufferLike, offset: number, length: number, numBytes?: number): Uint8Array | Uint16Array;
    xDim: number;
    yDim: number;
    numComp: number;
  }
}
