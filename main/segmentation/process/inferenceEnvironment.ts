/** glibc serves an allocation this large or smaller from its heap anyway, once one of its size has been freed. */
const dynamicThresholdMax = 32 * 2 ** 20;

/**
 * The environment to start the inference process with, given the largest network output it will make
 * (windowOutputBytes; undefined when unknown): on Linux, `env` with glibc's malloc tunables added to GLIBC_TUNABLES
 * (ld.so reads them at the process's start; musl ignores them), each unless `env` sets it itself.
 *
 * onnxruntime-node 1.30 runs each call into an output of its own and copies that into the caller's array: 371 MB a
 * window at 105 classes. glibc maps an allocation that large afresh each time and unmaps it when freed, so every run
 * met 90 000 page faults, half of its 0.3 s on the 105-class bench. Served from the heap instead (mmap_threshold just
 * above the output), and kept there once freed (trim_threshold), the same pages are used again. A thread's own arena
 * cannot grow past 64 MiB, and the session runs on a worker thread, so every thread allocates from the one heap
 * (arena_max=1). Larger allocations (a CT's float copy, 500 MiB at 512×512×500) are still mapped and given back: a
 * threshold past them kept their pages (2497 against 2261 MiB peak on that bench).
 */
export function inferenceEnvironment(env: NodeJS.ProcessEnv, outputBytes: number | undefined, platform: NodeJS.Platform = process.platform): NodeJS.ProcessEnv {
  if (platform !== 'linux' || outputBytes === undefined || outputBytes <= dynamicThresholdMax) return env;
  // Past the output and glibc's own bookkeeping, in whole MiB.
  const threshold = String((Math.ceil(outputBytes / 2 ** 20) + 1) * 2 ** 20);
  const tunables = { 'glibc.malloc.mmap_threshold': threshold, 'glibc.malloc.trim_threshold': threshold, 'glibc.malloc.arena_max': '1' };
  const given = (env.GLIBC_TUNABLES ?? '').split(':').filter((entry) => entry !== '');
  const named = new Set(given.map((entry) => entry.split('=')[0]));
  const added = Object.entries(tunables)
    .filter(([name]) => !named.has(name))
    .map(([name, value]) => `${name}=${value}`);
  return { ...env, GLIBC_TUNABLES: [...given, ...added].join(':') };
}
