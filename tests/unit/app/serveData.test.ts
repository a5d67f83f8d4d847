import { describe, expect, it } from 'vitest';
import { serveData } from '../../../main/app/serveData.js';

describe('serveData', () => {
  const voxels = Int16Array.from({ length: 3_000_000 }, (_, n) => (n % 4000) - 1000);
  const bytes = new Uint8Array(voxels.buffer);
  const services = { getData: (kind: 'volume' | 'mask', id: string) => (kind === 'volume' && id === 'v 1' ? bytes : undefined) };

  it('streams the stored bytes as octet-stream, leaving the volume’s own buffer intact', async () => {
    const response = serveData(services, { url: 'axial-data://volume/v%201', method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
    const received = new Int16Array(await response.arrayBuffer());
    expect(received.length).toBe(voxels.length);
    expect(received[2_999_999]).toBe(voxels[2_999_999]);
    expect(voxels.buffer.byteLength).toBe(6_000_000);
  });

  it('answers 404 for an unknown id or kind, 405 for anything but GET', () => {
    expect(serveData(services, { url: 'axial-data://volume/other', method: 'GET' }).status).toBe(404);
    expect(serveData(services, { url: 'axial-data://files/etc/passwd', method: 'GET' }).status).toBe(404);
    expect(serveData(services, { url: 'axial-data://volume/v%201', method: 'POST' }).status).toBe(405);
  });

  it('answers 400 to a malformed percent-escape instead of throwing', () => {
    expect(serveData(services, { url: 'axial-data://volume/v%E0%A4%A', method: 'GET' }).status).toBe(400);
    expect(serveData(services, { url: 'axial-data://mask/%', method: 'GET' }).status).toBe(400);
  });
});
