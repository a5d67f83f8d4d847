#!/usr/bin/env node
import { inFlightTemporaries } from '../io/inFlightTemporaries.js';
import { runCli } from './runCli.js';

// Stopped mid-write (Ctrl-C, scancel): the temporary files go, then the process ends by the same signal, as before
// (Windows has no SIGHUP to raise).
for (const signal of process.platform === 'win32' ? (['SIGINT', 'SIGTERM'] as const) : (['SIGINT', 'SIGTERM', 'SIGHUP'] as const)) {
  process.once(signal, () => {
    try {
      inFlightTemporaries.removeAll();
    } finally {
      process.kill(process.pid, signal);
    }
  });
}

process.exitCode = await runCli(process.argv.slice(2));
