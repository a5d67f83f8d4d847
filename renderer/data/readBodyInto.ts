import { VoxelDataError } from './voxelArray.js';

/**
 * A response's body read into one ArrayBuffer of exactly `expectedBytes` (the byte count its voxel
 * header promises), chunk by chunk through its reader. response.arrayBuffer() gathers the chunks and
 * then copies them into the result, so the body is held twice at its end: for a 1.2 GB volume that
 * was the page's peak. Content-Length, when the response declares one, must equal `expectedBytes`
 * before anything is allocated; the body must then fill the buffer exactly.
 * @throws VoxelDataError when the declared length differs from `expectedBytes`, or the body is
 * longer or shorter than it (the read is cancelled on the first byte too many).
 */
export async function readBodyInto(response: Response, expectedBytes: number): Promise<ArrayBuffer> {
  const where = response.url || 'the data';
  const declared = declaredLength(response);
  if (declared !== null && declared !== expectedBytes) {
    // Nothing read, nothing allocated; the body is let go so the connection does not wait on it.
    await response.body?.cancel().catch(() => undefined);
    throw new VoxelDataError(`${where} declares ${declared} bytes; its header expects ${expectedBytes}`);
  }
  const buffer = new ArrayBuffer(expectedBytes);
  const bytes = new Uint8Array(buffer);
  let offset = 0;
  const reader = response.body?.getReader();
  if (reader) {
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        const part = chunk.value;
        if (part.byteLength > expectedBytes - offset) {
          await reader.cancel();
          throw new VoxelDataError(`${where} sent more than the ${expectedBytes} bytes its header expects`);
        }
        bytes.set(part, offset);
        offset += part.byteLength;
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (offset !== expectedBytes) throw new VoxelDataError(`${where} ended after ${offset} of the ${expectedBytes} bytes its header expects`);
  return buffer;
}

/**
 * The body's length as the response declares it; null when it declares none, or when the body is
 * content-encoded (Content-Length then counts the compressed bytes, and fetch hands over the decoded ones).
 * @throws VoxelDataError when Content-Length is not a whole number.
 */
function declaredLength(response: Response): number | null {
  const encoding = response.headers.get('Content-Encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return null;
  const length = response.headers.get('Content-Length');
  if (length === null) return null;
  if (!/^\s*\d+\s*$/.test(length)) throw new VoxelDataError(`${response.url || 'the data'} declares a Content-Length of '${length}'`);
  return Number(length);
}
