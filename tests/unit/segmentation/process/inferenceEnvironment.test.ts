import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inferenceEnvironment } from '../../../../main/segmentation/process/inferenceEnvironment.js';

const mib = 2 ** 20;

/**
 * Page faults a worker thread meets making and freeing (at once, by transfer to a closed port) a 64 MiB array eight
 * times, one turn of the event loop apart, as the inference worker does with onnxruntime's outputs, in a Node process started with `env`.
 */
function faultsPerAllocation(env: NodeJS.ProcessEnv): number[] {
  const worker = `
    const { MessageChannel, parentPort } = require('node:worker_threads');
    const channel = new MessageChannel();
    channel.port2.close();
    const sink = channel.port1;
    const faults = [];
    (async () => {
    for (let n = 0; n < 8; n++) {
      const before = process.resourceUsage().minorPageFault;
      const buffer = new ArrayBuffer(${64 * mib});
      new Uint8Array(buffer).fill(1);
      faults.push(process.resourceUsage().minorPageFault - before);
      sink.postMessage(null, [buffer]);
      // The port drops what it was sent on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
    parentPort.postMessage(faults);
    })();`;
  const main = `new (require('node:worker_threads').Worker)(${JSON.stringify(worker)}, { eval: true }).on('message', (f) => console.log(JSON.stringify(f)));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', main], { env, encoding: 'utf8' })) as number[];
}

describe('inferenceEnvironment', () => {
  it("sets glibc's heap threshold just past the largest output, and one arena, on Linux", () => {
    const env = inferenceEnvironment({ PATH: '/bin' }, 371_589_120, 'linux');
    // 371 589 120 bytes is 354.4 MiB: 355 MiB, and one more.
    expect(env.GLIBC_TUNABLES).toBe(`glibc.malloc.mmap_threshold=${356 * mib}:glibc.malloc.trim_threshold=${356 * mib}:glibc.malloc.arena_max=1`);
    expect(env.PATH).toBe('/bin');
  });

  it("keeps the caller's own tunables and adds only those it does not set", () => {
    const env = inferenceEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=4:glibc.malloc.tcache_count=0' }, 100 * mib, 'linux');
    expect(env.GLIBC_TUNABLES).toBe(
      `glibc.malloc.arena_max=4:glibc.malloc.tcache_count=0:glibc.malloc.mmap_threshold=${101 * mib}:glibc.malloc.trim_threshold=${101 * mib}`,
    );
  });

  it('leaves the environment as it is for small or unknown outputs, and off Linux', () => {
    const env = { PATH: '/bin' };
    expect(inferenceEnvironment(env, 7 * mib, 'linux')).toBe(env);
    expect(inferenceEnvironment(env, undefined, 'linux')).toBe(env);
    expect(inferenceEnvironment(env, 400 * mib, 'darwin')).toBe(env);
    expect(inferenceEnvironment(env, 400 * mib, 'win32')).toBe(env);
  });

  it.runIf(process.platform === 'linux')('lets a worker thread use the same pages again for each large array (glibc reads the tunables)', () => {
    const plain = faultsPerAllocation({ ...process.env, GLIBC_TUNABLES: '' });
    const tuned = faultsPerAllocation(inferenceEnvironment({ ...process.env, GLIBC_TUNABLES: '' }, 64 * mib));
    // 64 MiB is 16 384 pages of 4 KiB: mapped afresh each time by default, faulted in once with the tunables.
    expect(Math.min(...plain)).toBeGreaterThan(15_000);
    expect(tuned[0]).toBeGreaterThan(15_000);
    // A dropped array is freed a turn or two later; from then on its pages serve the next.
    expect(Math.max(...tuned.slice(-3))).toBeLessThan(1000);
  });
});
