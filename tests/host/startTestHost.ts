/**
 * The loopback-only test host: the built renderer over HTTP on 127.0.0.1,
 * `window.axial` as a shim over HTTP, and the real createAppServices behind
 * it, with the dialogs answered by the test (Playwright plays the user).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from '../../main/app/contentSecurityPolicy.js';
import { registerDrop } from '../../main/app/wireIpc.js';
import type { AppServiceDeps, AppServices, OpenKind } from '../../main/services/AppServices.js';
import { createAppServices } from '../../main/services/createAppServices.js';
import { createDropRegistry } from '../../main/services/createDropRegistry.js';
import type { Result } from '../../core/contract.js';
import { repoRoot } from '../repoRoot.js';
import { axialShimScript } from './axialShim.js';
import { serveRendererFile } from './serveRendererFile.js';

export interface TestHostOptions {
  /** The built renderer: its test build (dist/renderer-test), whose test port the e2e tests read. */
  readonly rendererDir: string;
  /** 0 (default) for an ephemeral port. */
  readonly port?: number;
  /** Only '127.0.0.1' is accepted; anything else is refused. */
  readonly host?: string;
  /** Default models/demo-ct-phantom. */
  readonly demoModelPath?: string;
  /** Overrides for the services' other deps (e.g. startInference, recoveryDir, dataDir: default a temporary folder removed on close). */
  readonly deps?: Pick<Partial<AppServiceDeps>, 'startInference' | 'logError' | 'recoveryDir' | 'dataDir'>;
}

export interface TestHost {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The path the next open dialog answers with (undefined: the user cancels). */
  answerNextOpen(path: string | undefined): void;
  /** The path the next save dialog answers with (undefined: the user cancels). */
  answerNextSave(path: string | undefined): void;
  /** The path the next `registerDrop` stands for (a browser cannot read a dropped file's path). */
  answerNextDrop(path: string): void;
  /** The dialogs shown so far, in order, for assertions. */
  readonly dialogs: readonly ({ readonly kind: OpenKind } | { readonly kind: 'save'; readonly suggestedName: string })[];
  close(): Promise<void>;
}

const loopback = '127.0.0.1';
const maxBodyBytes = 256 << 20;

/**
 * Starts the host on 127.0.0.1.
 * @throws Error when asked to bind anything but 127.0.0.1, or when the port is taken.
 */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  if ((options.host ?? loopback) !== loopback) throw new Error(`the test host binds ${loopback} only, not ${options.host}`);
  const opens: (string | undefined)[] = [];
  const saves: (string | undefined)[] = [];
  const dropAnswers: string[] = [];
  const dialogs: ({ kind: OpenKind } | { kind: 'save'; suggestedName: string })[] = [];
  const drops = createDropRegistry();
  const clients = new Set<ServerResponse>();
  let origin = '';
  const ownDataDir = options.deps?.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'axial-host-data-')) : undefined;

  const services = createAppServices({
    chooseOpenPath: async (kind) => {
      dialogs.push({ kind });
      return opens.shift();
    },
    chooseSavePath: async (suggestedName) => {
      dialogs.push({ kind: 'save', suggestedName });
      return saves.shift();
    },
    takeDroppedPath: (token) => drops.take(token),
    emit: (event, payload) => {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const client of clients) client.write(frame);
    },
    demoModelPath: options.demoModelPath ?? join(repoRoot, 'models', 'demo-ct-phantom'),
    demoInteractiveModelPath: join(repoRoot, 'models', 'demo-deepedit'),
    dataUrl: (kind, id) => `${origin}/data/${kind}/${encodeURIComponent(id)}`,
    ...(ownDataDir ? { dataDir: ownDataDir } : {}),
    ...options.deps,
  });

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.headers.host !== new URL(origin).host) return sendText(response, 403, 'wrong Host header');
    const url = new URL(request.url ?? '/', origin);
    if (request.method === 'POST') {
      const sameOrigin = request.headers.origin === undefined || request.headers.origin === origin;
      const json = /^application\/json\b/.test(request.headers['content-type'] ?? '');
      if (!sameOrigin || !json) return sendText(response, 403, 'calls only from the app, as JSON');
      const body = await readJson(request).catch(() => undefined);
      if (url.pathname.startsWith('/invoke/')) {
        const channel = decodeURIComponent(url.pathname.slice('/invoke/'.length));
        const result = body === undefined ? invalidBody(channel) : await services.invoke(channel, body.value);
        return sendJson(response, result);
      }
      if (url.pathname === '/drop') return sendJson(response, await takeDropAnswer());
      return sendText(response, 404, 'not found');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'method not allowed');
    if (url.pathname === '/axial-shim.js') return sendText(response, 200, axialShimScript(), 'text/javascript; charset=utf-8');
    if (url.pathname === '/events') return openEventStream(response);
    const data = /^\/data\/(volume|mask)\/([^/]+)$/.exec(url.pathname);
    if (data) return sendData(response, services, data[1] as 'volume' | 'mask', decodeURIComponent(data[2]!));
    return serveRendererFile(options.rendererDir, url.pathname, response, contentSecurityPolicy);
  };

  const takeDropAnswer = async (): Promise<Result<{ readonly dropToken: string }>> => {
    const path = dropAnswers.shift();
    if (path === undefined) return { ok: false, error: { code: 'IPC_INVALID_ARGUMENTS', message: 'drop:register: the test gave no answerNextDrop path' } };
    return registerDrop(drops, resolve(path));
  };

  const openEventStream = (response: ServerResponse): void => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    clients.add(response);
    response.on('close', () => clients.delete(response));
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, `test host: ${(error as Error).message}`);
      else response.destroy();
    });
  });
  await listen(server, options.port ?? 0);
  const address = server.address() as AddressInfo;
  if (address.address !== loopback) {
    server.close();
    throw new Error(`the test host bound ${address.address}, not ${loopback}`);
  }
  origin = `http://${loopback}:${address.port}`;
  const keepAlive = setInterval(() => clients.forEach((c) => c.write(': ping\n\n')), 15_000).unref();

  return {
    url: origin,
    answerNextOpen: (path) => void opens.push(path),
    answerNextSave: (path) => void saves.push(path),
    answerNextDrop: (path) => void dropAnswers.push(path),
    dialogs,
    async close() {
      clearInterval(keepAlive);
      for (const client of clients) client.end();
      clients.clear();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await services.dispose();
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen({ port, host: loopback, exclusive: true }, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}

/** The request's JSON, with { $bytes: base64 } turned back into Uint8Array (the shim's encoding). */
async function readJson(request: IncomingMessage): Promise<{ value: unknown }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBodyBytes) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'), (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    const encoded = (v as { $bytes?: unknown }).$bytes;
    return keys.length === 1 && typeof encoded === 'string' ? new Uint8Array(Buffer.from(encoded, 'base64')) : v;
  });
  return { value };
}

function invalidBody(channel: string): Result<never> {
  return { ok: false, error: { code: 'IPC_INVALID_ARGUMENTS', message: `${channel}: the body is not JSON` } };
}

function sendData(response: ServerResponse, services: AppServices, kind: 'volume' | 'mask', id: string): void {
  const bytes = services.getData(kind, id);
  if (!bytes) return sendText(response, 404, `no ${kind} ${id}`);
  response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.byteLength, 'Cache-Control': 'no-store' });
  response.end(bytes);
}

function sendJson(response: ServerResponse, value: unknown): void {
  sendText(response, 200, JSON.stringify(value), 'application/json');
}

function sendText(response: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  const body = Buffer.from(text);
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': body.byteLength, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  response.end(body);
}

/**
 * `node dist/tests/host/startTestHost.js --renderer dist/renderer-test [--port N] [--recovery-dir D]`:
 * prints the URL, runs until interrupted. Lines on stdin play the user at the
 * dialogs: `open <path>` answers the next open dialog, `save <path>` the next save dialog.
 */
async function main(argv: readonly string[]): Promise<void> {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const rendererDir = resolve(value('--renderer') ?? join(repoRoot, 'dist', 'renderer-test'));
  const recoveryDir = value('--recovery-dir');
  const host = await startTestHost({ rendererDir, port: Number(value('--port') ?? 0), deps: recoveryDir ? { recoveryDir: resolve(recoveryDir) } : {} });
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [, verb, path] = /^(open|save) (.+)$/.exec(line.trim()) ?? [];
    if (verb === 'open') host.answerNextOpen(resolve(path!));
    else if (verb === 'save') host.answerNextSave(resolve(path!));
  });
  console.log(host.url);
  const stop = (): void => void host.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
