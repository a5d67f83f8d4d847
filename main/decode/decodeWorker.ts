/**
 * A decode pool's worker thread (see createDecodePool): decodes each frame it is sent with
 * decodeFrame, the same code the loader runs in-process, and sends the values' buffer back.
 */
import { parentPort } from 'node:worker_threads';
import { decodeFrame } from '../dicom/decodeFrame.js';
import { AxialError } from '../errors/AxialError.js';
import type { DecodeReply, DecodeRequest, StoredArrayType } from './decodeMessages.js';

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
  port.on('message', (request: DecodeRequest) => {
    void answer(request).then(({ reply, transfer }) => port.postMessage(reply, transfer));
  });
}
