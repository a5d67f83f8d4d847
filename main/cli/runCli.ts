import { parseArgs } from 'node:util';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { processIo, terminalSafeIo, type CliIo } from './CliIo.js';
import { guardStandardStreams } from './guardStandardStreams.js';
import { parsePhilipsScaling, philipsScalingUsage } from './parsePhilipsScaling.js';
import { parseThreads, threadsUsage } from './parseThreads.js';
import { parseWholeNumber } from './parseWholeNumber.js';

const usage = `Usage:
  axial info <input> [--json] [--philips-scaling precise|display] [--threads N]
  axial convert <input> <output.nii.gz|.nii|.nrrd> [--series UID|N] [--volume N] [--time-point t]
                [--philips-scaling precise|display] [--threads N]
  axial segment --model <bundle|model.onnx> <input> <output.nii.gz> [--series N] [--device D] [--json]
  axial segment --model <bundle|model.onnx> --batch <folder|list.txt|list.csv|list.json> --out-dir <dir>
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
Each command takes only the options shown for it; any other is a usage error.
info lists every series; one that cannot be read is listed with why (in --json,
an "error": {code, message}), and info exits 0 when at least one series was read.
An output that exists is replaced, its permission bits kept, unless it is
write-protected (not writable by you, or with no write bit at all): then the
command fails with OUTPUT_WRITE_FAILED and leaves it as it is.
Exit status: 0 success; 1 a failure, printed as one line
"axial: error CODE: <file>: <problem>"; 2 a usage error; 70 a bug; 141, with
nothing printed, when the reader of the output goes away (axial info … | head).
Options: --debug prints stack traces; --help prints this.`;

/** The options each command of this parser takes, beside --debug and --help, which every command takes. */
const commandOptions: Readonly<Record<string, readonly string[]>> = {
  info: ['json', 'philips-scaling', 'threads'],
  convert: ['series', 'volume', 'time-point', 'philips-scaling', 'threads'],
  'bundle inspect': ['json'],
};

/**
 * Runs the `axial` command line and returns its exit code: 0 success,
 * 1 a coded failure (one line: code, file, problem), 2 a usage error, 70 a bug.
 * Everything it prints passes {@link terminalSafeIo}: no control character read from a file reaches the terminal.
 * On the process's own streams, a failed write to them ends the process (guardStandardStreams): 141 and no word
 * when the reader went away, 1 and the one-line error for any other failure.
 */
export async function runCli(argv: readonly string[], rawIo: CliIo = processIo): Promise<number> {
  if (rawIo === processIo) guardStandardStreams();
  const debug = argv.includes('--debug');
  const io = terminalSafeIo(rawIo);
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (isAxialError(error)) {
      // A failure is one line, as scripts read it; a usage error is for a person, and may go on with the usage.
      io.err(`axial: error ${error.code}: ${error.code === 'CLI_USAGE' ? error.message : oneLine(error.message)}`);
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
  if (values.help || command === 'help') {
    io.out(usage);
    return 0;
  }
  if (command === undefined) {
    // A usage error: the usage goes where errors go, so a script's stdout never takes it for output.
    io.err(usage);
    return 2;
  }
  const name = command === 'bundle' && rest[0] === 'inspect' ? 'bundle inspect' : command;
  if (!Object.hasOwn(commandOptions, name)) throw new AxialError('CLI_USAGE', `unknown command "${command}"\n${usage}`);
  refuseOtherOptions(name, values);
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
    const volume = parseWholeNumber('--volume', values.volume);
    const timePoint = parseWholeNumber('--time-point', values['time-point']);
    const philipsScaling = parsePhilipsScaling(values['philips-scaling']);
    const threads = parseThreads(values.threads);
    const { runConvert } = await import('./runConvert.js');
    const args = { input: input!, output: output!, series: values.series, volumeIndex: volume, philipsScaling, threads, timePoint };
    return runConvert(args, io);
  }
  const [path] = expectPositionals(rest.slice(1), 1, 'axial bundle inspect <bundle|model.onnx> [--json]');
  const { runBundleInspect } = await import('./runBundleInspect.js');
  return runBundleInspect(path!, values.json === true, io);
}

/**
 * Refuses an option that `command` does not take: one the parser knows for another command was once accepted and
 * silently ignored (`convert … --json` wrote no JSON; `info … --volume 9` read nothing differently).
 * @throws AxialError CLI_USAGE naming the option and the command.
 */
function refuseOtherOptions(command: string, values: Readonly<Record<string, unknown>>): void {
  const takes = Object.hasOwn(commandOptions, command) ? commandOptions[command]! : [];
  for (const option of Object.keys(values)) {
    if (option === 'debug' || option === 'help' || takes.includes(option)) continue;
    const its = takes.length === 0 ? 'no options' : takes.map((o) => `--${o}`).join(', ');
    throw new AxialError('CLI_USAGE', `axial ${command} does not take --${option} (its options: ${its})`);
  }
}

/**
 * A message made one line: the lines after the first (a list of the series found, say) follow it, "; " between.
 * Each line of it was made safe where it was read (seriesList); the terminal guard still passes over the whole.
 */
function oneLine(message: string): string {
  const [first = '', ...more] = message.split('\n');
  const rest = more.map((line) => line.trim()).filter((line) => line !== '');
  return rest.length === 0 ? first : `${first} ${rest.join('; ')}`;
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
