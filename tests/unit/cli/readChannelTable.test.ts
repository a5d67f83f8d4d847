import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listBatchCases } from '../../../main/cli/listBatchCases.js';
import { parseChannelInputs } from '../../../main/cli/parseChannelInputs.js';
import { readChannelTable } from '../../../main/cli/readChannelTable.js';
import { AxialError } from '../../../main/errors/AxialError.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-channel-table-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function list(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

async function refusal(read: Promise<unknown>): Promise<string> {
  const error = await read.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AxialError);
  expect((error as AxialError).code).toBe('CLI_USAGE');
  return (error as AxialError).message;
}

describe('readChannelTable', () => {
  it('refuses a case name that would write outside --out-dir or hide its files, naming the list and the line', async () => {
    for (const [name, problem] of [
      ['../../escaped', 'holds a / or \\\\'],
      ['a\\\\b', 'holds a / or \\\\'],
      ['..', 'holds ".."'],
      ['.hidden', 'starts with "."'],
      ['x'.repeat(129), 'is 129 characters long \\(at most 128\\)'],
      ['x:y', 'holds one of : < > " \\| \\? \\* \\(not allowed in Windows file names\\)'],
      ['p1.', 'ends with "." or a space \\(Windows drops them\\)'],
      ['NUL', 'is a device name on Windows'],
      ['com1.case', 'is a device name on Windows'],
    ]) {
      const file = list('cases.csv', `# a comment\ncase,t1\n"${name}",a.nii.gz\n`);
      expect(await refusal(readChannelTable(file))).toMatch(new RegExp(`^${file}: line 3: the case name .* ${problem}; it names files inside --out-dir$`));
    }
    const json = list(
      'cases.json',
      JSON.stringify([
        { case: 'ok', t1: 'a.nii' },
        { case: 'tab\there', t1: 'b.nii' },
      ]),
    );
    expect(await refusal(readChannelTable(json))).toMatch(/cases\.json: case 2: the case name "tab\\there" holds a control character/);
    // 128 characters and inner dots are a plain name.
    const fine = list('fine.csv', `case,t1\n${'y'.repeat(128)},a.nii\np1.v2,b.nii\nconsole,c.nii\n`);
    expect((await readChannelTable(fine)).map((r) => r.name?.length)).toEqual([128, 5, 7]);
  });

  it('refuses an empty cell (it would be the list’s own folder) and reads a spreadsheet’s byte order mark', async () => {
    const file = list('empty.csv', 'case,t1c,t1\np1,a.nii,b.nii\np2,c.nii,\n');
    expect(await refusal(readChannelTable(file))).toBe(`${file}: line 3: no path for column t1`);
    const quoted = list('quoted.csv', 'case,t1c,t1\np1,"",b.nii\n');
    expect(await refusal(readChannelTable(quoted))).toBe(`${quoted}: line 2: no path for column t1c`);
    const bom = list('bom.csv', '\uFEFFcase,t1c\np1,a.nii\n');
    expect(await readChannelTable(bom)).toEqual([{ where: 'line 2', name: 'p1', channels: [{ name: 't1c', input: join(scratch, 'a.nii') }] }]);
  });
});

describe('listBatchCases of a channel list', () => {
  const spec = { name: 'brats', input: { channels: 3, channelNames: ['T1c', 'T1', 'FLAIR'] } };
  const order = (channels: readonly { name: string; input: string }[]) =>
    parseChannelInputs(
      channels.map((c) => `${c.name}=${c.input}`),
      spec,
    ).map(({ name, path }) => ({ name, input: path }));

  it('puts every row in the model’s channel order and names a case after the model’s first channel', async () => {
    const file = list(
      'order.json',
      JSON.stringify([
        { flair: 'p1/flair.nii', t1: 'p1/t1.nii', t1c: 'p1/t1c.nii.gz' },
        { case: 'b', T1c: 'x.nii', '1': 'y.nii', '2': 'z.nii' },
      ]),
    );
    const cases = await listBatchCases(file, undefined, order);
    expect(cases).toEqual([
      {
        name: 'b',
        input: join(scratch, 'x.nii'),
        channels: [
          { name: 'T1c', input: join(scratch, 'x.nii') },
          { name: 'T1', input: join(scratch, 'y.nii') },
          { name: 'FLAIR', input: join(scratch, 'z.nii') },
        ],
      },
      {
        name: 't1c',
        input: join(scratch, 'p1/t1c.nii.gz'),
        channels: [
          { name: 'T1c', input: join(scratch, 'p1/t1c.nii.gz') },
          { name: 'T1', input: join(scratch, 'p1/t1.nii') },
          { name: 'FLAIR', input: join(scratch, 'p1/flair.nii') },
        ],
      },
    ]);
  });

  it('checks every row, not only the first: a later row without a channel is refused with its number', async () => {
    const file = list(
      'rows.json',
      JSON.stringify([
        { case: 'a', t1c: 'a.nii', t1: 'b.nii', flair: 'c.nii' },
        { case: 'b', t1c: 'a.nii', t1: 'b.nii' },
      ]),
    );
    expect(await refusal(listBatchCases(file, undefined, order))).toMatch(/rows\.json: case 2: brats takes 3 input images .*--input is missing for FLAIR$/);
  });
});
