import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Runs a command and samples, every 50 ms, the resident memory of it and every process it starts (Linux /proc),
 * summed: the run's peak of the sum is what the machine held at once, where the sum of each process's own peak
 * counts peaks that came at different times (the CLI's parent peaks when the labels arrive, after the inference
 * child's sliding window). Writes `<peak KiB> <this process's pid>` to `<out>` (a caller collecting every Node
 * process's own peak leaves this one out) and exits with the command's status.
 *
 *     node dist/tests/bench/sampleTreeRss.js <out> <command> [args…]
 */

const [out, command, ...args] = process.argv.slice(2);
if (!out || !command) {
  process.stderr.write('usage: sampleTreeRss <out> <command> [args…]\n');
  process.exit(2);
}

/** VmRSS (KiB) of `root` and all its descendants now; a process that ends between reads counts 0. */
function treeRssKiB(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const kib = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const pid = Number(name);
      rss.set(pid, kib);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // The process ended while it was read.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

const child = spawn(command, args, { stdio: 'inherit' });
let peak = 0;
const timer = setInterval(() => {
  if (child.pid !== undefined) peak = Math.max(peak, treeRssKiB(child.pid));
}, 50);
child.on('exit', (code, signal) => {
  clearInterval(timer);
  writeFileSync(out, `${peak} ${process.pid}\n`);
  process.exit(code ?? (signal ? 1 : 0));
});
