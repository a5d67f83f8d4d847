import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

/**
 * The CPU as a benchmark report names it: its model string and count and, on
 * Linux, its family and model numbers and whether AVX-512 and AMX are exposed.
 * Two machines with the same model string ("Intel(R) Xeon(R) Processor") can
 * differ in these, and onnxruntime's lead over PyTorch's oneDNN moves with them.
 */
export function describeCpu(): string {
  const base = `${cpus()[0]?.model ?? '?'} × ${cpus().length} (availableParallelism ${availableParallelism()})`;
  let info: string;
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return base;
  }
  const first = info.split('\n\n')[0] ?? '';
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(first)?.[1]?.trim();
  const flags = new Set((field('flags') ?? '').split(/\s+/));
  const family = field('cpu family');
  const model = field('model');
  if (family === undefined || model === undefined) return base;
  const exposed = (flag: string, label: string): string => `${label} ${flags.has(flag) ? 'exposed' : 'not exposed'}`;
  return `${base}; family ${family}, model ${model}; ${exposed('avx512f', 'AVX-512')}, ${exposed('amx_tile', 'AMX')}`;
}
