import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OpenKind } from '../../../main/services/AppServices.js';
import type { TestHost } from '../../host/startTestHost.js';
import { repoRoot } from '../../repoRoot.js';
import { rendererDir } from '../pages/launchViewer.js';

/** The test host in a process of its own, which a test can kill as a crash would. */
export interface HostProcess extends TestHost {
  /** Kills the host at once (SIGKILL): no handler runs, nothing is flushed or cleaned up. */
  crash(): Promise<void>;
}

/**
 * Starts `dist/tests/host/startTestHost.js` (built by npm run build) with a
 * recovery folder; dialog answers go to it on stdin.
 * @throws Error when it does not print its URL within 30 s.
 */
export async function startHostProcess(recoveryDir: string): Promise<HostProcess> {
  const script = join(repoRoot, 'dist', 'tests', 'host', 'startTestHost.js');
  const child = spawn(process.execPath, [script, '--renderer', rendererDir, '--recovery-dir', recoveryDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await firstLine(child);
  const tell = (line: string): void => void child.stdin!.write(`${line}\n`);
  return {
    url,
    answerNextOpen: (path) => (path === undefined ? undefined : tell(`open ${path}`)),
    answerNextSave: (path) => (path === undefined ? undefined : tell(`save ${path}`)),
    answerNextDrop: () => {
      throw new Error('drops are not played through a host process');
    },
    dialogs: [] as readonly { kind: OpenKind }[],
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the host process printed no URL within 30 s')), 30_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the host process exited (${code}) before printing its URL`)));
  });
}
