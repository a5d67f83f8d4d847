import { performance } from 'node:perf_hooks';
import { AxialError } from '../../main/errors/AxialError.js';
import { scanInput } from '../../main/input/scanInput.js';

/** What one load prints, as one JSON line on stdout. */
export interface LoadVolumeReport {
  /** Scan plus load, measured in-process; the benchmark's own figure is the wall time outside. */
  readonly seconds: number;
  readonly dimensions: readonly number[];
  readonly dataType: string;
  readonly voxelBytes: number;
}

/**
 * Scans an input and loads its first series the way the app does: the unit the
 * volume-load benchmark times.
 * @throws AxialError whatever scanInput or the series' reader throws.
 */
export async function loadVolume(input: string): Promise<LoadVolumeReport> {
  const start = performance.now();
  const scan = await scanInput(input);
  const first = scan.series[0];
  if (first === undefined) throw new AxialError('DICOM_NO_IMAGES', `no volume found in ${input}`);
  const { volume } = await first.load();
  return {
    seconds: (performance.now() - start) / 1000,
    dimensions: [...volume.dimensions],
    dataType: volume.dataType,
    voxelBytes: volume.voxels.byteLength,
  };
}

const input = process.argv[2];
if (input === undefined || process.argv.length !== 3) {
  process.stderr.write('usage: node dist/tests/bench/loadVolume.js <input>\n');
  process.exitCode = 2;
} else {
  try {
    process.stdout.write(`${JSON.stringify(await loadVolume(input))}\n`);
  } catch (error) {
    const code = error instanceof AxialError ? `${error.code}: ` : '';
    process.stderr.write(`${code}${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
