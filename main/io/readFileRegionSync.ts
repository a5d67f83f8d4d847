import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { AxialError } from '../errors/AxialError.js';
import { kindOf } from './openRegularFile.js';

/*
 * O_NONBLOCK makes opening a FIFO return at once (see openRegularFile), so the fstat can refuse it;
 * regular files ignore the flag.
 */
const readFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * readFileRegion without the thread pool, for small reads (a header's first kilobytes) done in
 * their hundreds: open, fstat, read and close cost a syscall each here instead of three thread-pool
 * round trips and a FileHandle (scanning 300 headers: 25-35 ms of CPU async, 8-15 ms this way).
 * It blocks its thread for the read, so callers keep it to small regions and yield between batches.
 * @throws AxialError INPUT_NOT_A_FILE for a FIFO, device or folder; the open's or read's errno error otherwise.
 */
export function readFileRegionSync(path: string, position: number, length: number): Uint8Array {
  const fd = openSync(path, readFlags);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new AxialError('INPUT_NOT_A_FILE', `${kindOf(stats)}, not a regular file`, { file: path });
    const target = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const bytesRead = readSync(fd, target, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return target.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}
