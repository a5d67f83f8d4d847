import type { CliIo } from '../main/cli/CliIo.js';

/** A CliIo that keeps every line a command writes, stdout and stderr apart. */
export function captureIo(): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l) };
}
