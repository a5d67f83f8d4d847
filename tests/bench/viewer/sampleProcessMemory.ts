import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident memory (MiB) seen per role since the sampler started. */
export interface MemoryPeaks {
  /** This Node process: the test host with main's services (the volume as main holds it), and Playwright's client. */
  readonly host: number;
  /** The largest Chromium renderer process (the page: React, the 2D views, the voxels it fetched, the 3D view's reduced copy). */
  readonly page: number;
  /** Chromium's GPU process (SwiftShader: the 3D textures live in its memory). */
  readonly gpu: number;
}

interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly rssMiB: number;
  readonly type: string;
}

/**
 * Samples the resident memory (VmRSS in /proc) of this process and of the
 * Chromium processes it started, every `periodMs`, keeping each role's peak.
 * `stop()` returns the peaks. Linux only.
 */
export function sampleProcessMemory(periodMs = 100): { stop(): MemoryPeaks } {
  const peaks = { host: 0, page: 0, gpu: 0 };
  const sample = (): void => {
    const all = readProcesses();
    const ours = descendantsOf(process.pid, all);
    for (const p of ours) {
      if (p.pid === process.pid) peaks.host = Math.max(peaks.host, p.rssMiB);
      else if (p.type === 'renderer') peaks.page = Math.max(peaks.page, p.rssMiB);
      else if (p.type === 'gpu-process') peaks.gpu = Math.max(peaks.gpu, p.rssMiB);
    }
  };
  sample();
  const timer = setInterval(sample, periodMs);
  return {
    stop(): MemoryPeaks {
      clearInterval(timer);
      sample();
      return { ...peaks };
    },
  };
}

function readProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const type = /--type=([\w-]+)/.exec(cmdline)?.[1] ?? '';
      out.push({ pid: Number(name), ppid, rssMiB: rssKb / 1024, type });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

function descendantsOf(root: number, all: readonly ProcessInfo[]): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: ProcessInfo[] = all.filter((p) => p.pid === root);
  for (let n = 0; n < found.length; n++) found.push(...(children.get(found[n]!.pid) ?? []));
  return found;
}
