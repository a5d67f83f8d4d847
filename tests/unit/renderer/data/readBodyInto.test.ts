import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VolumeHeader } from '../../../../core/contract.js';
import { loadVolume } from '../../../../renderer/data/loadData.js';
import { readBodyInto } from '../../../../renderer/data/readBodyInto.js';
import { VoxelDataError } from '../../../../renderer/data/voxelArray.js';

/** `bytes` as a stream of chunks of the given sizes (the last takes what is left), as a network body arrives. */
function chunked(bytes: Uint8Array, sizes: readonly number[]): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let offset = 0;
  let pulls = 0;
  let wasCancelled = false;
  // highWaterMark 0: nothing is pulled until the reader asks, so the counts below are the reader's own reads.
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        const size = sizes[pulls] ?? bytes.length - offset;
        pulls++;
        // A copy, as the network hands fresh chunks: the reader must not rely on sharing the source's memory.
        controller.enqueue(bytes.slice(offset, offset + size));
        offset += size;
      },
      cancel() {
        wasCancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulls, cancelled: () => wasCancelled };
}

/** A fake fetch Response: `body` in chunks, Content-Length `declared` (none when null). */
function responseOf(body: ReadableStream<Uint8Array>, declared: number | null, extra: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', ...extra };
  if (declared !== null) headers['Content-Length'] = String(declared);
  return new Response(body, { status: 200, headers });
}

/** Bytes 0, 1, …, 250, 0, 1, … (251 is prime, so no chunk boundary lines up with the pattern). */
function pattern(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, n) => n % 251);
}

describe('readBodyInto', () => {
  it('assembles a body that arrives in uneven chunks into one buffer of the expected size, byte for byte', async () => {
    const bytes = pattern(10_007);
    const body = chunked(bytes, [1, 4096, 3, 5000]);
    const buffer = await readBodyInto(responseOf(body.stream, bytes.length), bytes.length);
    expect(buffer.byteLength).toBe(10_007);
    expect(new Uint8Array(buffer)).toEqual(bytes);
    // 1 + 4096 + 3 + 5000 = 9100, then the remaining 907, then the close.
    expect(body.pulled()).toBe(5);
  });

  it('reads a body without Content-Length (the header’s count alone sizes the buffer)', async () => {
    const bytes = pattern(300);
    const buffer = await readBodyInto(responseOf(chunked(bytes, [100, 100]).stream, null), 300);
    expect(new Uint8Array(buffer)).toEqual(bytes);
  });

  it('refuses a Content-Length that differs from the voxel header’s count before reading any of the body', async () => {
    const bytes = pattern(1000);
    const body = chunked(bytes, [10]);
    const reading = readBodyInto(responseOf(body.stream, 1000), 1002);
    await expect(reading).rejects.toThrow(VoxelDataError);
    await expect(reading).rejects.toThrow('declares 1000 bytes; its header expects 1002');
    expect(body.pulled()).toBe(0);
    expect(body.cancelled()).toBe(true);
  });

  it('refuses a Content-Length that is not a whole number', async () => {
    const reading = readBodyInto(responseOf(chunked(pattern(8), []).stream, null, { 'Content-Length': '8e3' }), 8);
    await expect(reading).rejects.toThrow("declares a Content-Length of '8e3'");
  });

  it('refuses a body longer than declared, cancelling the read at the chunk that overflows', async () => {
    const bytes = pattern(4000);
    const body = chunked(bytes, [1000, 1000, 1000, 1000]);
    // Declared and expected agree (3000), but the server sends 4000.
    const reading = readBodyInto(responseOf(body.stream, 3000), 3000);
    await expect(reading).rejects.toThrow('sent more than the 3000 bytes its header expects');
    expect(body.pulled()).toBe(4);
    expect(body.cancelled()).toBe(true);
  });

  it('refuses a body shorter than declared', async () => {
    const bytes = pattern(2500);
    const reading = readBodyInto(responseOf(chunked(bytes, [1000, 1000]).stream, 3000), 3000);
    await expect(reading).rejects.toThrow('ended after 2500 of the 3000 bytes its header expects');
  });

  it('refuses a response with no body where bytes are expected, and reads an empty one as empty', async () => {
    await expect(readBodyInto(new Response(null, { status: 200 }), 16)).rejects.toThrow('ended after 0 of the 16 bytes');
    expect((await readBodyInto(new Response(null, { status: 200, headers: { 'Content-Length': '0' } }), 0)).byteLength).toBe(0);
  });
});

describe('loadVolume', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const header = (dataType: VolumeHeader['dataType']): VolumeHeader =>
    ({ dataUrl: 'axial-data://volume/v1', dimensions: [7, 5, 3], dataType, range: [-1000, 1200] }) as unknown as VolumeHeader;

  it('streams the voxels into the header’s typed array (int16 little-endian, 105 voxels in 3 chunks)', async () => {
    const values = Int16Array.from({ length: 105 }, (_, n) => -1000 + 21 * n);
    const bytes = new Uint8Array(values.buffer);
    vi.stubGlobal('fetch', async () => responseOf(chunked(bytes, [1, 100]).stream, bytes.length));
    const loaded = await loadVolume(header('int16'));
    expect(loaded.voxels).toBeInstanceOf(Int16Array);
    expect(Array.from(loaded.voxels)).toEqual(Array.from(values));
  });

  it('refuses a volume whose response declares the bytes of another type (float32 for an int16 header)', async () => {
    vi.stubGlobal('fetch', async () => responseOf(chunked(new Uint8Array(420), []).stream, 420));
    await expect(loadVolume(header('int16'))).rejects.toThrow('declares 420 bytes; its header expects 210');
  });
});
