import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSummary } from '../../../main/cli/writeSegmentCase.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { makeDemoPhantom, type PhantomGrid } from '../../phantoms/makeDemoPhantom.js';
import { repoRoot } from '../../repoRoot.js';

/** The demo bundle, which the cohort's phantoms are drawn for (models/demo-phantoms.md). */
export const demoBundle = join(repoRoot, 'models', 'demo-ct-phantom');

/** 3 mm voxels: 60×53×40, small to write; the bundle resamples to 1.5 mm, so each case still takes its full sliding window. */
const grid: PhantomGrid = {
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  spacing: [3, 3, 3],
};

export interface CohortCase {
  readonly name: string;
  readonly input: string;
  /** The phantom's seed; null for the corrupt case. */
  readonly seed: number | null;
}

export interface Cohort {
  /** A list file naming every case, one per line, as `--batch` takes it. */
  readonly list: string;
  readonly cases: readonly CohortCase[];
}

/** A case's truth: the labels of phantom `seed` at the voxel centres. */
export function cohortTruth(seed: number): Uint8Array {
  return makeDemoPhantom(seed, grid).truth;
}

/**
 * Writes `count` demo phantoms `case-00.nii.gz`… (seeds 900 + n) into `folder` and the list naming them; the case
 * at `corrupt` is a real phantom's .nii.gz cut to half its length, as a copy interrupted midway leaves it.
 */
export async function makeCohort(folder: string, count: number, corrupt: number): Promise<Cohort> {
  mkdirSync(folder, { recursive: true });
  const cases: CohortCase[] = [];
  for (let n = 0; n < count; n++) {
    const name = `case-${String(n).padStart(2, '0')}`;
    const input = join(folder, `${name}.nii.gz`);
    await writeNifti(makeDemoPhantom(900 + n, grid).image, input);
    if (n === corrupt) writeFileSync(input, readFileSync(input).subarray(0, Math.floor(statSync(input).size / 2)));
    cases.push({ name, input, seed: n === corrupt ? null : 900 + n });
  }
  const list = join(folder, 'cases.txt');
  writeFileSync(list, `# generated demo phantoms, one per line\n${cases.map((c) => `${c.name}.nii.gz`).join('\n')}\n`);
  return { list, cases };
}

/**
 * A folder holding an `axial` command that runs this checkout's built CLI with this Node, to put first on the
 * PATH of a job, as an installed Axial would be.
 */
export function axialOnPath(folder: string): string {
  const cli = join(repoRoot, 'dist', 'main', 'cli', 'axial.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing (build with "npx tsc -b")`);
  mkdirSync(folder, { recursive: true });
  const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
  const script = join(folder, 'axial');
  writeFileSync(script, `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(cli)} "$@"\n`);
  chmodSync(script, 0o755);
  return folder;
}

/** docs/segment-cli.md, the text the examples are taken from. */
export function docText(): string {
  return readFileSync(join(repoRoot, 'docs', 'segment-cli.md'), 'utf8');
}

/**
 * The fenced block of docs/segment-cli.md in language `lang` that contains `marker`, as the reader copies it.
 * @throws Error when there is not exactly one such block.
 */
export function docBlock(lang: string, marker: string): string {
  const text = docText();
  const blocks = [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!).filter((b) => b.includes(marker));
  if (blocks.length !== 1) throw new Error(`docs/segment-cli.md has ${blocks.length} \`\`\`${lang} blocks containing "${marker}", expected one`);
  return blocks[0]!;
}

/** What a batch did with one case, by the line it prints on stderr (`axial: [2/4] case-05 ok on cpu in 2.1 s`). */
export type CaseOutcome = 'ok' | 'failed' | 'skipped';

/** Every case's outcomes in the order the logs print them, from the stderr of one or more batch runs. */
export function caseOutcomes(logs: readonly string[]): Map<string, CaseOutcome[]> {
  const outcomes = new Map<string, CaseOutcome[]>();
  for (const log of logs) {
    for (const [, name, word] of log.matchAll(/^axial: \[\d+\/\d+\] (\S+) (ok on|failed|skipped)/gm)) {
      const outcome = word === 'ok on' ? 'ok' : (word as CaseOutcome);
      outcomes.set(name!, [...(outcomes.get(name!) ?? []), outcome]);
    }
  }
  return outcomes;
}

/** One line for the test's log from `<out>/<case>.axial.json`: its status, voxels per segment, or error code. */
export function caseSummaryLine(out: string, name: string): string {
  const summary = JSON.parse(readFileSync(join(out, `${name}.axial.json`), 'utf8')) as CaseSummary;
  const detail = summary.error
    ? summary.error.code
    : `${(summary.segments ?? []).map((s) => `${s.name} ${s.voxels} voxels`).join(', ')}, ${summary.seconds?.total.toFixed(1)} s`;
  return `${name}.axial.json: ${summary.status} ${detail}`;
}
