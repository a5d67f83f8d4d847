import { once } from 'node:events';
import { createGzip } from 'node:zlib';

/**
 * Gzips `chunks` as one stream, without joining them first: a 512×512×500 label map and its header were copied into
 * one 131 MB buffer for gzipSync, the writer's largest allocation. Runs on libuv's thread pool, off the caller's thread,
 * and reads the chunks while it runs: they must not change until it resolves.
 * @returns the compressed bytes, in pieces of at most 1 MiB.
 */
export async function gzipChunks(chunks: readonly Uint8Array[], level: number): Promise<Buffer[]> {
  const gzip = createGzip({ level, chunkSize: 1 << 20 });
  const out: Buffer[] = [];
  gzip.on('data', (piece: Buffer) => out.push(piece));
  // Rejects on the stream's 'error'.
  const ended = once(gzip, 'end');
  for (const chunk of chunks) gzip.write(chunk);
  gzip.end();
  await ended;
  return out;
}
