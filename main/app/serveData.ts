import type { AppServices } from '../services/AppServices.js';

const chunkBytes = 4 << 20;

/**
 * Answers an `axial-data://<kind>/<id>` request with the bytes of a volume or
 * mask, streamed in views of the stored array (no copy here; Electron copies
 * once into the renderer). CORS is open because the app page (file://) is
 * another origin than the data scheme; only the app's own page is ever loaded.
 */
export function serveData(services: Pick<AppServices, 'getData'>, request: { readonly url: string; readonly method: string }): Response {
  const headers = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
  if (request.method !== 'GET') return new Response(null, { status: 405, headers });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return new Response(null, { status: 400, headers });
  }
  const kind = url.hostname;
  let id: string;
  try {
    id = decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    // A malformed percent-escape (`%E0%A4%A`) is the caller's mistake, not a crash of the handler.
    return new Response(null, { status: 400, headers });
  }
  const bytes = kind === 'volume' || kind === 'mask' ? services.getData(kind, id) : undefined;
  if (!bytes) return new Response(null, { status: 404, headers });
  let offset = 0;
  // A default stream, not a byte stream: a byte stream's enqueue would detach the volume's own buffer.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const end = Math.min(offset + chunkBytes, bytes.byteLength);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
      if (offset >= bytes.byteLength) controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.byteLength) },
  });
}
