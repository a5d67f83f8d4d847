import { parseArgs } from 'node:util';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { processIo, terminalSafeIo, type CliIo } from './CliIo.js';
import { parsePhilipsScaling, philipsScalingUsage } from './parsePhilipsScaling.js';
import { parseThreads, threadsUsage } from './parseThreads.js';

const usage = `Usage:
  axial info <input> [--json] [--philips-scaling precise|display] [--threads N]
  axial convert <input> <output.nii.gz|.nii|.nrrd> [--series UID|N] [--volume N] [--time-point t]
                [--philips-scaling precise|display] [--threads N]
  axial segment --model <bundle|model.onnx> <input> <output.nii.gz> [--series N] [--device D] [--json]
  axial segment --model <bundle|model.onnx> --batch <folder|list.txt> --out-dir <dir>
                [--shard i/n] [--skip-existing] [--device D] [--json]
  axial bundle inspect <bundle|model.onnx> [--json]
  axial export-seg --source <dicom> --labels <labels.nii.gz|.nrrd> <out.dcm>
                   [--series UID|N] [--label-names totalsegmentator|<names.json>]
                   [--algorithm NAME] [--json]

<input> is a DICOM file, a folder (searched recursively), a DICOMDIR,
a NIfTI (.nii, .nii.gz) or an NRRD (.nrrd, .nhdr) file.
D is auto (default), cpu, cuda, dml, coreml or webgpu.
${philipsScalingUsage}.
${threadsUsage}.
Options: --debug prints stack traces; --help prints this.`;

/**
 * Runs the `axial` command line and returns its exit code: 0 success,
 * 1 a coded failure (one line: code, file, problem), 2 a usage error, 70 a bug.
 * Everything it prints passes {@link terminalSafeIo}: no control character read from a file reaches the terminal.
 */
export async function runCli(argv: readonly string[], rawIo: CliIo = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  const io = terminalSafeIo(rawIo);
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (isAxialError(error)) {
      io.err(`axial: error ${error.code}: ${error.message}`);
      if (debug) io.err(String(error.stack));
      return error.code === 'CLI_USAGE' ? 2 : 1;
    }
    // A bug still ends in the one-line form scripts parse, with the code INTERNAL.
    io.err(`axial: error INTERNAL: ${(error as Error)?.message ?? String(error)}`);
    if (debug) io.err(String((error as Error)?.stack));
    return 70;
  }
}

/*
 * Each command's module is imported when it runs: a convert then never loads the segmentation
 * engine, zod or yaml (runCli imported every command in 307 ms; runConvert alone takes 121 ms).
 */
async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  // segment and export-seg parse their own options (--model, --labels...), so they are routed before the strict parser.
  const at = argv.findIndex((a) => !a.startsWith('-'));
  if (argv[at] === 'segment') return (await import('./runSegment.js')).runSegment([...argv.slice(0, at), ...argv.slice(at + 1)], io);
  if (argv[at] === 'export-seg') return (await import('./runExportSeg.js')).runExportSeg([...argv.slice(0, at), ...argv.slice(at + 1)], io);
  const { values, positionals } = parseCommandLine(argv);
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.out(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'info') {
    const [input] = expectPositionals(rest, 1, 'axial info <input> [--json]');
    const { runInfo } = await import('./runInfo.js');
    return runInfo(input!, values.json === true, io, {
      philipsScaling: parsePhilipsScaling(values['philips-scaling']),
      threads: parseThreads(values.threads),
    });
  }
  if (command === 'convert') {
    const [input, output] = expectPositionals(rest, 2, 'axial convert <input> <output>');
    const volume = values.volume === undefined ? undefined : Number(values.volume);
    if (volume !== undefined && !(Number.isInteger(volume) && volume >= 0)) {
      throw new AxialError('CLI_USAGE', `--volume must be a whole number from 0, got ${values.volume}`);
    }
    const timePoint = values['time-point'] === undefined ? undefined : Number(values['time-point']);
    if (timePoint !== undefined && !(values['time-point']!.trim() !== '' && Number.isInteger(timePoint) && timePoint >= 0)) {
      throw new AxialError('CLI_USAGE', `--time-point must be a whole number from 0, got ${values['time-point']}`);
    }
    const philipsScaling = parsePhilipsScaling(values['philips-scaling']);
    const threads = parseThreads(values.threads);
    const { runConvert } = await import('./runConvert.js');
    const args = { input: input!, output: output!, series: values.series, volumeIndex: volume, philipsScaling, threads, timePoint };
    return runConvert(args, io);
  }
  if (command === 'bundle' && rest[0] === 'inspect') {
    const [path] = expectPositionals(rest.slice(1), 1, 'axial bundle inspect <bundle|model.onnx> [--json]');
    const { runBundleInspect } = await import('./runBundleInspect.js');
    return runBundleInspect(path!, values.json === true, io);
  }
  throw new AxialError('CLI_USAGE', `unknown command "${command}"\n${usage}`);
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        series: { type: 'string' },
        volume: { type: 'string' },
        'time-point': { type: 'string' },
        'philips-scaling': { type: 'string' },
        threads: { type: 'string' },
      },
    });
  } catch (error) {
    throw new AxialError('CLI_USAGE', `${(error as Error).message}\n${usage}`);
  }
}

function expectPositionals(rest: string[], count: number, form: string): string[] {
  if (rest.length !== count) throw new AxialError('CLI_USAGE', `expected: ${form}`);
  return rest;
}
