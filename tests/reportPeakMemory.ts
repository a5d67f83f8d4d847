import { appendFileSync } from 'node:fs';

/**
 * Loaded with `node --import` (through NODE_OPTIONS, so the processes it starts load it too) into a process a test
 * measures: on exit each process appends `<pid> <peak resident KiB>` to the file AXIAL_PEAK_REPORT names, which
 * {@link runNodeMeasured} reads back. Test-only; never imported by product code.
 */
const report = process.env['AXIAL_PEAK_REPORT'];
if (report) process.on('exit', () => appendFileSync(report, `${process.pid} ${process.resourceUsage().maxRSS}\n`));
