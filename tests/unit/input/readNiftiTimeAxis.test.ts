import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/CliIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { readNiftiTimeAxis } from '../../../main/input/readNiftiTimeAxis.js';
import { runPythonJson } from '../../python.js';

/**
 * A 4D NIfTI's time step is pixdim[4] in xyzt_units' time unit, as nibabel reads it (get_zooms with
 * get_xyzt_units): nibabel writes 6-volume files whose steps are given in seconds, milliseconds,
 * microseconds and in no unit, and `axial info --json` must report each step in seconds, or none
 * where the unit is unknown (nothing claims seconds it was not told).
 */
const makeScript = `
import json, sys
import nibabel as nib, numpy as np
folder = sys.argv[1]
cases = {'sec': 2.0, 'msec': 800.0, 'usec': 50000.0, 'unknown': 2.5, 'hz': 3.0}
for unit, step in cases.items():
    data = (np.arange(4 * 5 * 3 * 6, dtype=np.int16) % 97).reshape(4, 5, 3, 6)
    image = nib.Nifti1Image(data, np.diag([1.5, 1.5, 3.0, 1.0]))
    image.header.set_zooms((1.5, 1.5, 3.0, step))
    image.header.set_xyzt_units('mm', unit)
    nib.save(image, f'{folder}/{unit}.nii.gz')
headers = {unit: nib.load(f'{folder}/{unit}.nii.gz').header for unit in cases}
print(json.dumps({unit: [float(h.get_zooms()[3]), h.get_xyzt_units()[1]] for unit, h in headers.items()}))
`;

function quietIo(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line) };
}

async function infoOf(path: string): Promise<{ timePoints?: number; repetitionTime?: number }> {
  const io = quietIo();
  expect(await runCli(['info', path, '--json', '--threads', '1'], io)).toBe(0);
  const parsed = JSON.parse(io.lines.join('\n')) as { series: { timePoints?: number; repetitionTime?: number }[] };
  return parsed.series[0]!;
}

describe('readNiftiTimeAxis: a 4D NIfTI time step in seconds', () => {
  let folder: string;
  let nibabel: Record<string, [number, string]>;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'axial-nifti-time-'));
    nibabel = runPythonJson(makeScript, [folder]);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('nibabel wrote the units the cases need', () => {
    expect(nibabel).toEqual({ sec: [2, 'sec'], msec: [800, 'msec'], usec: [50000, 'usec'], unknown: [2.5, 'unknown'], hz: [3, 'hz'] });
  });

  it('axial info --json gives pixdim[4] in seconds: s as is, ms / 1000, µs / 1e6', async () => {
    expect(await infoOf(join(folder, 'sec.nii.gz'))).toMatchObject({ timePoints: 6, repetitionTime: 2 });
    expect(await infoOf(join(folder, 'msec.nii.gz'))).toMatchObject({ timePoints: 6, repetitionTime: 0.8 });
    expect(await infoOf(join(folder, 'usec.nii.gz'))).toMatchObject({ timePoints: 6, repetitionTime: 0.05 });
  });

  it('claims no seconds where the time unit is unknown or not a time', async () => {
    for (const unit of ['unknown', 'hz']) {
      const series = await infoOf(join(folder, `${unit}.nii.gz`));
      expect([unit, series.timePoints, series.repetitionTime]).toEqual([unit, 6, undefined]);
    }
  });

  it('reads the header alone, and a 3D file has no time step', async () => {
    const path = join(folder, 'sec.nii.gz');
    expect(await readNiftiTimeAxis(path, statSync(path).size)).toEqual({ timePoints: 6, repetitionTime: 2, timeOffsets: [0, 2, 4, 6, 8, 10] });
    const msec = join(folder, 'msec.nii.gz');
    expect((await readNiftiTimeAxis(msec, statSync(msec).size)).timeOffsets).toEqual([0, 0.8, 1.6, 2.4, 3.2, 4]);
    const flat = runPythonJson<string>(
      `import json, sys
import nibabel as nib, numpy as np
image = nib.Nifti1Image(np.zeros((4, 5, 3), np.int16), np.eye(4))
image.header.set_xyzt_units('mm', 'sec')
nib.save(image, sys.argv[1] + '/flat.nii')
print(json.dumps(sys.argv[1] + '/flat.nii'))`,
      [folder],
    );
    expect(await readNiftiTimeAxis(flat, statSync(flat).size)).toEqual({ timePoints: 1 });
  });
});

/**
 * Volumes that are not moments in time, written by nibabel with pixdim[4] 1 s: a 20×20×10×1×3 vector file (intent
 * 'vector', the review's), the same shape with no intent, and a 20×20×10×3 file whose intent says its volumes are a
 * displacement's components; beside them a 20×20×10×3 'time series' and a 20×20×10×3×1 file, both along time.
 */
const componentsScript = `
import json, sys
import nibabel as nib, numpy as np
folder = sys.argv[1]
cases = {'vector5d': ((20, 20, 10, 1, 3), 'vector'), 'plain5d': ((20, 20, 10, 1, 3), 'none'),
         'displacement4d': ((20, 20, 10, 3), 'displacement vector'), 'series4d': ((20, 20, 10, 3), 'time series'),
         'trailing5d': ((20, 20, 10, 3, 1), 'none')}
for name, (shape, intent) in cases.items():
    image = nib.Nifti1Image(np.zeros(shape, np.float32), np.eye(4))
    image.header.set_zooms((1.0,) * len(shape))
    image.header.set_xyzt_units('mm', 'sec')
    image.header.set_intent(intent, (), '', allow_unknown=False) if intent != 'none' else None
    nib.save(image, f'{folder}/{name}.nii')
headers = {name: nib.load(f'{folder}/{name}.nii').header for name in cases}
print(json.dumps({name: [[int(d) for d in h['dim'][:6]], int(h['intent_code'])] for name, h in headers.items()}))
`;

describe('readNiftiTimeAxis: a 4th dimension that is not time has no time step', () => {
  let folder: string;
  let written: Record<string, [number[], number]>;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'axial-nifti-components-'));
    written = runPythonJson(componentsScript, [folder]);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('nibabel wrote the shapes and intents the cases need', () => {
    expect(written).toEqual({
      vector5d: [[5, 20, 20, 10, 1, 3], 1007],
      plain5d: [[5, 20, 20, 10, 1, 3], 0],
      displacement4d: [[4, 20, 20, 10, 3, 1], 1006],
      series4d: [[4, 20, 20, 10, 3, 1], 2001],
      trailing5d: [[5, 20, 20, 10, 3, 1], 0],
    });
  });

  it('gives a vector’s or a displacement’s components, or volumes along dim[5], no seconds, in axial info --json too', async () => {
    for (const name of ['vector5d', 'plain5d', 'displacement4d']) {
      const path = join(folder, `${name}.nii`);
      expect([name, await readNiftiTimeAxis(path, statSync(path).size)]).toEqual([name, { timePoints: 3 }]);
      expect([name, (await infoOf(path)).repetitionTime]).toEqual([name, undefined]);
    }
  });

  it('keeps the step of volumes along time: a time-series intent, or a trailing dim[5] of 1', async () => {
    for (const name of ['series4d', 'trailing5d']) {
      const path = join(folder, `${name}.nii`);
      expect([name, await readNiftiTimeAxis(path, statSync(path).size)]).toEqual([name, { timePoints: 3, repetitionTime: 1, timeOffsets: [0, 1, 2] }]);
      expect([name, (await infoOf(path)).repetitionTime]).toEqual([name, 1]);
    }
  });
});
