import { writeSync } from 'node:fs';

/**
 * Loaded with `node --import` into a process a test measures: on exit it
 * prints the process's peak resident memory on stderr as one tagged line,
 * which {@link runNodeMeasured} reads back. Test-only; never imported by product code.
 */
process.on('exit', () => {
  writeSync(2, `\n@@axial-peak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
