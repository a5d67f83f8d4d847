import { releaseBuffer } from '../../io/releaseBuffer.js';

/** Above glibc's largest mmap threshold (32 MiB), so the array is always pages new from the system, as a large output's are. */
const probeBytes = 48 << 20;

/**
 * Milliseconds per MiB this process pays to write memory fresh from the system, beyond writing it again: the cost of
 * each new array onnxruntime-node copies an output into. Measured on the 2-core Zen 5 VM: 2.7–3.9 (every page a fault
 * into its hypervisor); with glibc's malloc on huge pages, 0.05 to 1.9 from one array to the next. Bare metal's page
 * faults should come to a few tenths (not measured here). The probe takes about 0.15 s on the VM. In the app the
 * inference process is Electron's utilityProcess, whose array buffers come from its own allocator, not glibc's: the
 * probe still measures that allocator's fresh memory, but the threshold was set under Node alone.
 */
export function freshPageCost(): number {
  const array = new Float64Array(probeBytes / 8);
  const start = performance.now();
  array.fill(1);
  const first = performance.now();
  array.fill(2);
  const again = performance.now();
  releaseBuffer(array.buffer);
  return Math.max(0, first - start - (again - first)) / (probeBytes / 2 ** 20);
}
