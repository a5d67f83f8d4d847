#!/usr/bin/env node
import { inFlightTemporaries } from '../io/inFlightTemporaries.js';
import { runCli } from './runCli.js';

// Stopped mid-write (Ctrl-C, scancel): the temporary files go, then the process ends by the same signal, as before.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    inFlightTemporaries.removeAll();
    process.kill(process.pid, signal);
  });
}

process.exitCode = await runCli(process.argv.slice(2));
