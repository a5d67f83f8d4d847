import { execFileSync } from 'node:child_process';

/** Debian's Python, which has nibabel, pydicom and numpy (a pyenv python3 on PATH may not). */
export const debianPython = '/usr/bin/python3';

/** Runs a Python snippet with Debian's Python and parses the JSON it prints last. */
export function runPythonJson<T>(script: string, args: readonly string[] = []): T {
  const out = execFileSync(debianPython, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
