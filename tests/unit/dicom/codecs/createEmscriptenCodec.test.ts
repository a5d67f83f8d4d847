import { afterEach, describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { createEmscriptenCodec } from '../../../../main/dicom/codecs/createEmscriptenCodec.js';

/**
 * A stand-in for an Emscripten codec module. The first encoded byte picks what decode() does:
 * 0 decodes a 2x1 16-bit frame, 1 aborts like Emscripten (a RuntimeError, with process.exitCode
 * set as exit() does), 2 throws a C++ exception (a number), 3 returns one byte too few.
 */
function fakeCodec() {
  const calls = { instantiations: 0, moduleArgs: [] as Record<string, unknown>[] };
  const factory = async (moduleArg: Record<string, unknown>): Promise<Record<string, unknown>> => {
    calls.instantiations++;
    calls.moduleArgs.push(moduleArg);
    const printErr = moduleArg['printErr'] as (line: string) => void;
    class FakeDecoder {
      private encoded = new Uint8Array(0);
      getEncodedBuffer(length: number): Uint8Array {
        this.encoded = new Uint8Array(length);
        return this.encoded;
      }
      decode(): void {
        const mode = this.encoded[0];
        if (mode === 1) {
          process.exitCode = 3;
          printErr('Aborted(out of memory)');
          // Emscripten's abort() throws a WebAssembly.RuntimeError.
          throw Object.assign(new Error('Aborted(out of memory)'), { name: 'RuntimeError' });
        }
        if (mode === 2) {
          printErr('[ERROR] bad marker');
          throw 5_000_000;
        }
      }
      getFrameInfo() {
        return { width: 2, height: 1, bitsPerSample: 16, componentCount: 1, isSigned: true };
      }
      getDecodedBuffer(): Uint8Array {
        return this.encoded[0] === 3 ? new Uint8Array(3) : new Uint8Array([0x18, 0xfc, 0xe8, 0x03]);
      }
      delete(): void {}
    }
    return { FakeDecoder };
  };
  const codec = createEmscriptenCodec({ name: 'Fake', importFactory: async () => ({ default: factory }), className: 'FakeDecoder' });
  return { codec, calls };
}

async function rejection(promise: Promise<unknown>): Promise<AxialError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AxialError);
  expect((error as AxialError).code).toBe('DICOM_CORRUPT_PIXEL_DATA');
  return error as AxialError;
}

describe('createEmscriptenCodec', () => {
  const exitCodeBefore = process.exitCode;
  afterEach(() => {
    process.exitCode = exitCodeBefore;
  });

  it('instantiates the module on first use only, each time with a fresh module argument', async () => {
    const { codec, calls } = fakeCodec();
    expect(calls.instantiations).toBe(0);
    const decoded = await codec.decode(new Uint8Array([0]), 'a.dcm');
    expect(decoded).toEqual({ columns: 2, rows: 1, componentCount: 1, samples: new Int16Array([-1000, 1000]) });
    await codec.decode(new Uint8Array([0]), 'b.dcm');
    expect(calls.instantiations).toBe(1);
  });

  it('keeps the module after a C++ exception, and reports what the codec printed', async () => {
    const { codec, calls } = fakeCodec();
    const error = await rejection(codec.decode(new Uint8Array([2]), 'cpp.dcm'));
    expect(error.message).toBe('cpp.dcm: Fake could not decode the frame: the codec raised an error; [ERROR] bad marker');
    await codec.decode(new Uint8Array([0]), 'next.dcm');
    expect(calls.instantiations).toBe(1);
  });

  it('replaces the module after an abort, and leaves process.exitCode as it was', async () => {
    const { codec, calls } = fakeCodec();
    process.exitCode = undefined;
    const error = await rejection(codec.decode(new Uint8Array([1]), 'abort.dcm'));
    expect(error.message).toMatch(/Aborted\(out of memory\)/);
    expect(process.exitCode).toBeUndefined();
    await codec.decode(new Uint8Array([0]), 'next.dcm');
    expect(calls.instantiations).toBe(2);
    expect(calls.moduleArgs[0]).not.toBe(calls.moduleArgs[1]);
  });

  it('refuses a decoded buffer that does not match the frame the codec describes', async () => {
    const { codec } = fakeCodec();
    const error = await rejection(codec.decode(new Uint8Array([3]), 'short.dcm'));
    expect(error.message).toMatch(/Fake returned 3 bytes for a 2x1 frame of 1 component\(s\) at 16 bits/);
  });

  it('says when the module cannot be loaded, and tries again next time', async () => {
    let attempts = 0;
    const codec = createEmscriptenCodec({
      name: 'Missing',
      importFactory: async () => {
        attempts++;
        throw new Error('Cannot find module');
      },
      className: 'Nothing',
    });
    await expect(codec.decode(new Uint8Array(1), 'x.dcm')).rejects.toThrow('the Missing codec could not be loaded: Cannot find module');
    await expect(codec.decode(new Uint8Array(1), 'x.dcm')).rejects.toThrow(/could not be loaded/);
    expect(attempts).toBe(2);
  });
});
