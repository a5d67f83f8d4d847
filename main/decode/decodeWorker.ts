/**
 * A decode pool's worker thread (see createDecodePool): decodes each frame it is sent with
 * decodeFrame, the same code the loader runs in-process, and sends the values' buffer back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { shareV8FlagLock } from '../dicom/codecs/withV8Flag.js';
import { decodeFrame } from '../dicom/decodeFrame.js';
import { AxialError } from '../errors/AxialError.js';
import { collectYoungGeneration } from './collectYoungGeneration.js';
import type { DecodeReply, DecodeRequest, DecodeWorkerData, StoredArrayType } from './decodeMessages.js';

/**
 * Decoded bytes after which the worker collects its young generation: a codec may leave a buffer
 * behind for every frame (see collectYoungGeneration), about 8 frames of 512x512 here.
 */
const collectEveryBytes = 4 * 2 ** 20;

async function answer(request: DecodeRequest): Promise<{ reply: DecodeReply; transfer: ArrayBuffer[] }> {
  const { id, transferSyntaxUid, bytes, length, format, file, rescale, into } = request;
  try {
    const values = await decodeFrame(transferSyntaxUid, new Uint8Array(bytes, 0, length), format, file, rescale, into);
    // Codecs hand back arrays of their own; a view into a larger buffer (none today) is cut out rather than sending the rest.
    const whole = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength && values.buffer instanceof ArrayBuffer;
    const buffer = whole ? (values.buffer as ArrayBuffer) : values.slice().buffer;
    // The encoded bytes go back too: left here, every frame's would wait for this thread's GC (tens of MiB).
    const spent = buffer === bytes ? undefined : bytes;
    return { reply: { id, ok: true, type: values.constructor.name as StoredArrayType, buffer, spent }, transfer: spent ? [buffer, spent] : [buffer] };
  } catch (error) {
    const coded = error instanceof AxialError;
    const message = error instanceof Error ? error.message : String(error);
    const prefix = coded && error.file ? `${error.file}: ` : '';
    const reply: DecodeReply = {
      id,
      ok: false,
      code: coded ? error.code : undefined,
      message: message.startsWith(prefix) ? message.slice(prefix.length) : message,
      file: coded ? error.file : undefined,
      spent: bytes,
    };
    return { reply, transfer: [bytes] };
  }
}

if (parentPort === null) {
  process.stderr.write('decodeWorker runs as a worker thread of createDecodePool, not on its own\n');
  process.exitCode = 1;
} else {
  const port = parentPort;
  shareV8FlagLock((workerData as DecodeWorkerData).v8FlagLock);
  const collectYoung = await collectYoungGeneration();
  let decodedSinceCollect = 0;
  port.on('message', (request: DecodeRequest) => {
    void answer(request).then(({ reply, transfer }) => {
      // Counted before the transfer detaches the buffer.
      decodedSinceCollect += reply.ok ? reply.buffer.byteLength : request.length;
      port.postMessage(reply, transfer);
      if (decodedSinceCollect >= collectEveryBytes) {
        collectYoung();
        decodedSinceCollect = 0;
      }
    });
  });
}
