import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

/** The tag the host puts before index.html's first script, so that `window.axial` exists before the app runs. */
export const shimTag = '<script src="/axial-shim.js"></script>';

/** index.html with the shim's script tag before its first script (or at the end of the head). */
export function injectShim(html: string): string {
  const at = html.search(/<script\b/i);
  if (at >= 0) return `${html.slice(0, at)}${shimTag}\n${html.slice(at)}`;
  const head = html.search(/<\/head>/i);
  return head >= 0 ? `${html.slice(0, head)}${shimTag}\n${html.slice(head)}` : `${shimTag}\n${html}`;
}

/**
 * Serves a file of the built renderer under `root` (index.html for `/`, with
 * the shim injected), never anything outside it, with the app's CSP.
 */
export async function serveRendererFile(root: string, pathname: string, response: ServerResponse, csp: string): Promise<void> {
  const base = resolve(root);
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return end(response, 400, 'bad path');
  }
  const path = resolve(join(base, relative === '/' ? 'index.html' : relative));
  if (path !== base && !path.startsWith(base + sep)) return end(response, 403, 'outside the renderer');
  const found = await stat(path).catch(() => undefined);
  if (!found?.isFile()) return end(response, 404, 'not found');
  const isIndex = path === join(base, 'index.html');
  const bytes = await readFile(path);
  const body = isIndex ? Buffer.from(injectShim(bytes.toString('utf8'))) : bytes;
  response.writeHead(200, {
    'Content-Type': contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.byteLength,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

function end(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  response.end(message);
}
