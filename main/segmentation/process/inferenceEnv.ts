/** glibc's tunable (2.35 and later) that has malloc ask for transparent huge pages on the memory it maps. */
const hugePages = 'glibc.malloc.hugetlb=1';

/**
 * The inference process's environment: this one's, and on Linux glibc's malloc told to back its large blocks with
 * transparent huge pages, where the system allows them. onnxruntime-node hands back each window's output in a fresh
 * array (371 MB for 96³ voxels of 105 classes), and the pipeline's volume-sized arrays are fresh too: each is mapped
 * anew and faulted in 4 KiB at a time. On the 2-core bench VM a 105-channel 1×1×1 convolution of one window took
 * 1.0–1.2 s a call that way and 67–79 ms with huge pages. A `glibc.malloc.hugetlb` the user set is kept; other
 * tunables are kept beside it. Older glibc, other C libraries and other systems ignore the variable.
 */
export function inferenceEnv(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): NodeJS.ProcessEnv {
  if (platform !== 'linux') return env;
  const tunables = env['GLIBC_TUNABLES'] ?? '';
  if (/(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return env;
  return { ...env, GLIBC_TUNABLES: tunables === '' ? hugePages : `${tunables}:${hugePages}` };
}
