import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isAxialError } from '../../main/errors/AxialError.js';
import { readDicomSeg } from '../../main/dicomSeg/readDicomSeg.js';
import { parseDicomSeg } from '../../main/dicomSeg/parseDicomSeg.js';
import { scanInput } from '../../main/input/scanInput.js';
import { openLabelMap } from '../../main/labels/openLabelMap.js';
import type { Volume } from '../../main/volume/Volume.js';
import { mutateFile } from '../mutateBytes.js';
import { seededRandom } from '../seededRandom.js';
import { sharedData, sharedDataRoot, checkSharedData } from '../sharedData.js';

/**
 * `npm run fuzz`: a mutation campaign over Axial's readers on the shared real files. Each case
 * damages one file (or one or two slices of a series) with a mutation drawn from its seed, reads
 * it as the app would, and reports what a hostile file must never cause: an error without a code,
 * a coded error that does not name the file, a read slower than 5 s, or a process over 2.5 GiB.
 * A case is replayed with `--seed N --cases 1 --keep DIR`, which also keeps the damaged file.
 *   node dist/tests/fuzz/fuzzReaders.js [--target files|seg|labels|series|all] [--cases N] [--seed N] [--keep DIR]
 * Exits 1 when anything was reported.
 */

const slowMs = 5000;
const largeRssMiB = 2560;

interface Target {
  readonly fixtures: readonly string[];
  /** Reads the damaged copy at `path` as the app would. */
  readonly read: (path: string, fixture: string) => Promise<unknown>;
}

async function loadEvery(path: string): Promise<void> {
  const scan = await scanInput(path);
  for (const series of scan.series) await series.load();
}

async function firstVolume(path: string): Promise<Volume> {
  const [series] = (await scanInput(path)).series;
  return (await series!.load()).volume;
}

async function targets(): Promise<Record<string, Target>> {
  const syntaxes = 'dicom/ct-transfer-syntaxes';
  const ct3 = await firstVolume(sharedData('dicom/seg/ct-3slice'));
  const smallCt = await firstVolume(sharedData('nifti/totalseg/example_ct_sm.nii.gz'));
  const onCt3 = ['dicom/seg/dcmqi/liver.dcm', 'dicom/seg/dcmqi/partial_overlaps.dcm'];
  return {
    files: {
      fixtures: [
        ...readdirSync(sharedData(syntaxes)).map((f) => `${syntaxes}/${f}`),
        'nifti/nibabel/anatomical.nii',
        'nifti/nibabel/example_nifti2.nii.gz',
        'nifti/orientations/AIL.nii.gz',
        'nifti/niivue/shear.nii.gz',
        'nifti/niivue/FLAIR.nrrd',
      ],
      read: loadEvery,
    },
    seg: {
      fixtures: [
        ...onCt3,
        'dicom/seg/highdicom/seg_image_ct_binary.dcm',
        'dicom/seg/highdicom/seg_image_ct_true_fractional.dcm',
        'dicom/seg/dcmqi/sparse-labelmap-noppv.dcm',
      ],
      read: async (path, fixture) => (onCt3.includes(fixture) ? readDicomSeg(path, ct3) : parseDicomSeg(readFileSync(path), path)),
    },
    labels: {
      fixtures: ['dicom/seg/dcmqi/liver_seg.nrrd', 'dicom/seg/dcmqi/partial_overlaps-1.nrrd', 'nifti/totalseg/example_seg.nii.gz'],
      read: async (path, fixture) => openLabelMap(path, fixture.startsWith('nifti/') ? smallCt : ct3),
    },
    // The first four slices of the J2K series, one or two of them damaged: what a scan of a folder meets.
    series: { fixtures: ['dicom/ct-abdomen-j2k'], read: loadEvery },
  };
}

interface Finding {
  readonly kind: 'uncoded error' | 'error names no file' | 'slow' | 'large';
  readonly detail: string;
}

/** Writes case `seed`'s damaged copy of `fixture` under `dir`; returns the path to read and what was done. */
function writeCase(dir: string, fixture: string, seed: number): { path: string; mutation: string } {
  const next = seededRandom(seed);
  const source = sharedData(fixture);
  if (!fixture.endsWith('ct-abdomen-j2k')) {
    const { bytes, mutation } = mutateFile(new Uint8Array(readFileSync(source)), fixture, next);
    const path = join(dir, basename(fixture));
    writeFileSync(path, bytes);
    return { path, mutation };
  }
  const slices = readdirSync(source).sort().slice(0, 4);
  const folder = join(dir, 'series');
  mkdirSync(folder);
  for (const slice of slices) cpSync(join(source, slice), join(folder, slice));
  const done: string[] = [];
  for (let n = 0; n < 1 + Math.floor(next() * 2); n++) {
    const slice = slices[Math.floor(next() * slices.length)]!;
    const { bytes, mutation } = mutateFile(new Uint8Array(readFileSync(join(folder, slice))), slice, next);
    writeFileSync(join(folder, slice), bytes);
    done.push(`slice ${slices.indexOf(slice) + 1}: ${mutation}`);
  }
  return { path: folder, mutation: done.join(', ') };
}

async function runCase(target: Target, fixture: string, path: string, dir: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const started = performance.now();
  try {
    await target.read(path, fixture);
  } catch (error) {
    if (!isAxialError(error))
      findings.push({
        kind: 'uncoded error',
        detail: String((error as Error)?.stack ?? error)
          .split('\n')
          .slice(0, 4)
          .join(' | '),
      });
    else if (!error.message.includes(dir)) findings.push({ kind: 'error names no file', detail: `${error.code}: ${error.message.slice(0, 300)}` });
  }
  const ms = performance.now() - started;
  const rssMiB = process.memoryUsage().rss / 2 ** 20;
  if (ms > slowMs) findings.push({ kind: 'slow', detail: `${Math.round(ms)} ms` });
  if (rssMiB > largeRssMiB) findings.push({ kind: 'large', detail: `${Math.round(rssMiB)} MiB resident` });
  return findings;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'all' },
      cases: { type: 'string', default: '500' },
      seed: { type: 'string', default: '1' },
      keep: { type: 'string' },
    },
  });
  if (!checkSharedData(sharedDataRoot)) throw new Error(`npm run fuzz needs the shared real files at ${sharedDataRoot}`);
  const all = await targets();
  const chosen = values.target === 'all' ? Object.keys(all) : [values.target!];
  const unknown = chosen.filter((name) => !(name in all));
  if (unknown.length > 0) throw new Error(`no fuzz target ${unknown.join(', ')}: choose ${Object.keys(all).join(', ')} or all`);
  const cases = Number(values.cases);
  const first = Number(values.seed);
  let reported = 0;
  for (const name of chosen) {
    const target = all[name]!;
    const started = performance.now();
    let coded = 0;
    for (let seed = first; seed < first + cases; seed++) {
      const fixture = target.fixtures[seed % target.fixtures.length]!;
      const dir = mkdtempSync(join(tmpdir(), 'axial-fuzz-'));
      try {
        const { path, mutation } = writeCase(dir, fixture, seed);
        const findings = await runCase(target, fixture, path, dir);
        coded += findings.length === 0 ? 1 : 0;
        for (const finding of findings) {
          reported++;
          process.stdout.write(`${name} seed ${seed} (${fixture}, ${mutation}): ${finding.kind}: ${finding.detail}\n`);
          if (values.keep) cpSync(path, join(values.keep, `${name}-${seed}-${basename(path)}`), { recursive: true });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${name}: ${cases} cases from seed ${first} in ${seconds.toFixed(0)} s; ${coded} read or refused with a coded error naming the file\n`,
    );
  }
  return reported === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
