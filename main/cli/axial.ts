#!/usr/bin/env node
import { inFlightTemporaries } from '../io/inFlightTemporaries.js';
import { runCli } from './runCli.js';

// Stopped mid-write (Ctrl-C, scancel): the temporary files go, then the process ends by the same signal, as before.
const raised = (signal: NodeJS.Signals): void => void process.kill(process.pid, signal);
// Windows cannot raise a closed console's SIGHUP or Ctrl-Break's SIGBREAK again: the process ends as Node ends it there.
const ended = (code: number) => (): void => process.exit(code);
const stops: readonly [NodeJS.Signals, (signal: NodeJS.Signals) => void][] =
  process.platform === 'win32'
    ? [
        ['SIGINT', raised],
        ['SIGTERM', raised],
        ['SIGHUP', ended(129)],
        ['SIGBREAK', ended(149)],
      ]
    : [
        ['SIGINT', raised],
        ['SIGTERM', raised],
        ['SIGHUP', raised],
      ];
for (const [signal, stop] of stops) {
  process.once(signal, () => {
    try {
      inFlightTemporaries.removeAll();
    } finally {
      stop(signal);
    }
  });
}

process.exitCode = await runCli(process.argv.slice(2));
