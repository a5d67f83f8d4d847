import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventTypes } from '../../../core/contract.js';
import { contentSecurityPolicy } from '../../../main/app/contentSecurityPolicy.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import type { ShimApi, ShimWindow } from '../../host/axialShim.js';
import { startTestHost, type TestHost } from '../../host/startTestHost.js';
import { identityBundle, labelPhantom } from '../segmentation/process/inferenceFixtures.js';
import { nodeEventSourceFor } from './nodeEventSource.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-host-'));
const rendererDir = join(scratch, 'renderer');
const indexHtml = '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./assets/app.js"></script></head><body></body></html>';

/** A raw request, so that the Host and Origin headers are ours to set. */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('startTestHost', () => {
  let host: TestHost;
  let axial: ShimApi;
  let events: ReturnType<typeof nodeEventSourceFor>;

  beforeAll(async () => {
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), indexHtml);
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(join(scratch, 'secret.txt'), 'secret');
    host = await startTestHost({ rendererDir });
    // Runs the shim exactly as served, in a fresh context whose `window` is Node's fetch and a small EventSource.
    events = nodeEventSourceFor(host.url);
    const window: ShimWindow = {
      fetch: (url, init) => fetch(new URL(url, host.url), init),
      EventSource: events.EventSource,
      btoa: (s) => btoa(s),
      setTimeout: (f, ms) => setTimeout(f, ms),
    };
    const script = await (await fetch(`${host.url}/axial-shim.js`)).text();
    runInNewContext(script, { window });
    axial = window.axial as ShimApi;
  });
  afterAll(async () => {
    events.closeAll();
    await host.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 only, on an ephemeral port, and refuses any other address', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(host.url).port)).toBeGreaterThan(0);
    for (const other of ['0.0.0.0', '::', 'localhost', '192.168.1.2']) {
      await expect(startTestHost({ rendererDir, host: other })).rejects.toThrow(/binds 127\.0\.0\.1 only/);
    }
  });

  it('serves the renderer with the app’s CSP and the shim injected before the first script, nothing outside it', async () => {
    const index = await fetch(`${host.url}/`);
    expect(index.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    const html = await index.text();
    expect(html).toContain('<head><meta charset="utf-8"><script src="/axial-shim.js"></script>\n<script type="module" src="./assets/app.js">');
    const asset = await fetch(`${host.url}/assets/app.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await asset.text()).toBe('console.log("app")');
    const port = new URL(host.url).port;
    expect((await raw(`${host.url}/..%2Fsecret.txt`)).status).toBe(403);
    expect((await raw(`${host.url}/missing.js`)).status).toBe(404);
    expect((await raw(`${host.url}/`, { headers: { Host: `evil.example:${port}` } })).status).toBe(403);
  });

  it('round-trips calls through /invoke and serves the voxels from /data', async () => {
    const phantom = labelPhantom();
    const path = join(scratch, 'phantom.nii.gz');
    await writeNifti(phantom, path);
    host.answerNextOpen(path);
    const scan = await axial['volume:open']({ source: 'file' });
    expect(scan.ok && scan.value).toMatchObject({ name: 'phantom.nii.gz', series: [{ index: 1, format: 'nifti' }] });
    if (!scan.ok || !scan.value) return;
    const loaded = await axial['volume:load']({ scanId: scan.value.scanId, seriesIndex: 1 });
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.value.dimensions).toEqual([20, 24, 28]);
    expect(loaded.value.dataUrl).toBe(`${host.url}/data/volume/${loaded.value.volumeId}`);
    const bytes = await (await fetch(loaded.value.dataUrl)).arrayBuffer();
    expect(new Int16Array(bytes)).toEqual(phantom.voxels);
    expect((await raw(`${host.url}/data/volume/unknown`)).status).toBe(404);
    expect(host.dialogs).toEqual([{ kind: 'file' }]);

    expect(await axial['mask:open']({ volumeId: 'nope' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ID' } });
    const unknown = await fetch(`${host.url}/invoke/volume:delete`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    const broken = await fetch(`${host.url}/invoke/volume:open`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect(await broken.json()).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
  });

  it('sends Uint8Array arguments as base64 and decodes them in the host', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 70_000 }, (_, n) => n % 251)]);
    host.answerNextSave(join(scratch, 'view.png'));
    expect(await axial['view:exportPng']({ png, suggestedName: 'view.png' })).toEqual({ ok: true, value: { saved: true, fileName: 'view.png' } });
    expect(new Uint8Array(readFileSync(join(scratch, 'view.png')))).toEqual(png);
  });

  it('refuses calls from another origin or not sent as JSON', async () => {
    const port = new URL(host.url).port;
    const headers = { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json' };
    expect(
      (await raw(`${host.url}/invoke/volume:open`, { method: 'POST', headers: { ...headers, Origin: 'http://evil.example' }, body: '{"source":"file"}' }))
        .status,
    ).toBe(403);
    expect(
      (await raw(`${host.url}/invoke/volume:open`, { method: 'POST', headers: { ...headers, 'Content-Type': 'text/plain' }, body: '{"source":"file"}' }))
        .status,
    ).toBe(403);
  });

  it('delivers segmentation events over /events and opens drops through a token', async () => {
    host.answerNextDrop(join(scratch, 'phantom.nii.gz'));
    const drop = await axial.registerDrop({ name: 'phantom.nii.gz' });
    if (!drop.ok) throw new Error(drop.error.message);
    const scan = await axial['volume:open']({ source: 'drop', dropToken: drop.value.dropToken });
    if (!scan.ok || !scan.value) throw new Error('drop did not open');
    const loaded = await axial['volume:load']({ scanId: scan.value.scanId, seriesIndex: 1 });
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(await axial.registerDrop({ name: 'x' })).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });

    const progress: EventTypes['segmentation:progress'][] = [];
    const off = axial.on('segmentation:progress', (p) => progress.push(p));
    const done = new Promise<EventTypes['segmentation:done']>((resolve) => axial.on('segmentation:done', resolve));
    host.answerNextOpen(identityBundle);
    const run = await axial['segmentation:run']({ volumeId: loaded.value.volumeId, model: 'choose', device: 'cpu' });
    if (!run.ok) throw new Error(run.error.message);
    const finished = await done;
    off();
    expect(finished.jobId).toBe(run.value.jobId);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.jobId === run.value.jobId)).toBe(true);
    if (!finished.result.ok) throw new Error(finished.result.error.message);
    const labels = new Uint8Array(await (await fetch(finished.result.value.layers[0]!.dataUrl)).arrayBuffer());
    expect(Array.from(labels)).toEqual(Array.from(labelPhantom().voxels));
  });
});
