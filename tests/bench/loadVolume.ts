import { performance } from 'node:perf_hooks';

/** Since the process started (performance's time origin): Node's own start-up and this module's. */
const nodeStarted = performance.now();
// Imported here, not at the top, so that loading Axial's modules is timed apart from Node's start.
const { AxialError } = await import('../../main/errors/AxialError.js');
const { scanInput } = await import('../../main/input/scanInput.js');
const modulesLoaded = performance.now();

/** What one load prints, as one JSON line on stdout. */
export interface LoadVolumeReport {
  /** Scan plus load, measured in-process; the benchmark's own figure is the wall time outside. */
  readonly seconds: number;
  /** Where the time went, in seconds: Node's start, importing Axial's modules, scanInput, the first series' load. */
  readonly breakdown: { readonly node: number; readonly modules: number; readonly scan: number; readonly load: number };
  readonly dimensions: readonly number[];
  readonly dataType: string;
  readonly voxelBytes: number;
}

/**
 * Scans an input and loads its first series the way the app does: the unit the
 * volume-load benchmark times. `threads` sizes the decode pool (default one per core).
 * @throws AxialError whatever scanInput or the series' reader throws.
 */
export async function loadVolume(input: string, threads?: number): Promise<LoadVolumeReport> {
  const start = performance.now();
  const scan = await scanInput(input, threads === undefined ? {} : { threads });
  const scanned = performance.now();
  const first = scan.series[0];
  if (first === undefined) throw new AxialError('DICOM_NO_IMAGES', `no volume found in ${input}`);
  const { volume } = await first.load();
  const end = performance.now();
  return {
    seconds: (end - start) / 1000,
    breakdown: { node: nodeStarted / 1000, modules: (modulesLoaded - nodeStarted) / 1000, scan: (scanned - start) / 1000, load: (end - scanned) / 1000 },
    dimensions: [...volume.dimensions],
    dataType: volume.dataType,
    voxelBytes: volume.voxels.byteLength,
  };
}

const [input, threadsOption, threadsValue] = process.argv.slice(2);
const threads = threadsOption === '--threads' ? Number(threadsValue) : undefined;
if (input === undefined || !(process.argv.length === 3 || (process.argv.length === 5 && Number.isInteger(threads) && threads! >= 1))) {
  process.stderr.write('usage: node dist/tests/bench/loadVolume.js <input> [--threads N]\n');
  process.exitCode = 2;
} else {
  try {
    process.stdout.write(`${JSON.stringify(await loadVolume(input, threads))}\n`);
  } catch (error) {
    const code = error instanceof AxialError ? `${error.code}: ` : '';
    process.stderr.write(`${code}${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
