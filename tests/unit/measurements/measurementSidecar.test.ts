import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Measurement } from '../../../core/contract.js';
import { readMeasurementSidecar, sidecarPaths, writeMeasurementSidecar, type SidecarPaths } from '../../../main/measurements/measurementSidecar.js';

const plane = { origin: [0, 0, 0], column: [1, 0, 0], row: [0, 1, 0], normal: [0, 0, 1] } as Measurement['plane'];
const lineNamed = (id: string, lengthMm: number): Measurement => ({
  id,
  name: `line ${id}`,
  kind: 'line',
  view: 'axial',
  points: [
    [0, 0, 0],
    [lengthMm, 0, 0],
  ],
  plane,
  values: { lengthMm },
});
const [a, b, c] = [lineNamed('A', 12.5), lineNamed('B', 30), lineNamed('C', 7.25)];

/**
 * The sidecar as the Settings switch "Save measurements beside the study" moves it: the list is read from
 * whichever copy was saved last, whatever the switch says now, so flipping it off and on loses nothing.
 */
describe('measurementSidecar: switching "beside the study" off and on', () => {
  let scratch: string;
  let paths: SidecarPaths;
  let study: string;
  const inputs: string[] = [];

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'axial-sidecar-'));
    study = join(scratch, 'study');
    mkdirSync(study);
    writeFileSync(join(study, 'slice1.dcm'), 'not read here');
    inputs.splice(0, inputs.length, join(study, 'slice1.dcm'));
    paths = sidecarPaths({ uid: '1.2.3', studyUid: '1.2', files: inputs }, join(scratch, 'userData'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const save = (measurements: Measurement[], besideStudy: boolean, damaged: readonly string[] = []) =>
    writeMeasurementSidecar({ paths, series: '1.2.3', measurements, inputs, besideStudy, damaged });

  it('on → A beside; off → A read, A+B saved in the data folder; on → A+B read, A+B+C saved beside: A, B and C are kept', async () => {
    expect(await save([a], true)).toEqual({ path: paths.beside, beside: true });

    const off = await readMeasurementSidecar(paths);
    expect(off.measurements).toEqual([a]);
    expect(await save([...off.measurements, b], false)).toEqual({ path: paths.own, beside: false });
    // The stale A beside the study stays (data-folder mode never deletes a file beside the study) …
    expect(JSON.parse(readFileSync(paths.beside, 'utf8')).measurements).toEqual([a]);

    // … and is not what is read when the switch goes back on: the newer A+B in the data folder is.
    const on = await readMeasurementSidecar(paths);
    expect(on).toMatchObject({ measurements: [a, b], path: paths.own, warnings: [] });
    expect(await save([...on.measurements, c], true)).toEqual({ path: paths.beside, beside: true });
    expect(existsSync(paths.own!)).toBe(false);

    expect((await readMeasurementSidecar(paths)).measurements).toEqual([a, b, c]);
    expect((await readMeasurementSidecar(paths)).measurements).toEqual([a, b, c]);
  });

  it('deleting the last measurement removes every copy, so an older list cannot come back', async () => {
    await save([a], true);
    await save([a, b], false);
    await save([], false);
    expect([existsSync(paths.beside), existsSync(paths.own!)]).toEqual([false, false]);
    expect(await readMeasurementSidecar(paths)).toEqual({ measurements: [], path: undefined, warnings: [], damaged: [] });
  });

  it('takes the newest by savedAt, not by the order of the places; a file without savedAt counts by its modification time', async () => {
    const write = (path: string, list: Measurement[], savedAt?: string): void => {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, JSON.stringify({ format: 'axial-measurements', version: 1, series: '1.2.3', savedAt, measurements: list }));
    };
    write(paths.own!, [b], '2026-01-02T10:00:00.000Z');
    write(paths.beside, [a], '2026-01-01T10:00:00.000Z');
    expect((await readMeasurementSidecar(paths)).measurements).toEqual([b]);
    // An earlier version's file (no savedAt), written now, is newer than both.
    write(paths.legacy[0]!, [c]);
    expect((await readMeasurementSidecar(paths)).measurements).toEqual([c]);
  });

  it('reports a damaged copy and moves it aside at the next save, while a valid copy elsewhere is still read', async () => {
    writeFileSync(paths.beside, '{"format":"axial-measurements","version":1,"measurements":[{"id":"');
    mkdirSync(join(paths.own!, '..'), { recursive: true });
    writeFileSync(paths.own!, JSON.stringify({ format: 'axial-measurements', version: 1, series: '1.2.3', measurements: [a] }));
    const read = await readMeasurementSidecar(paths);
    expect(read.measurements).toEqual([a]);
    expect(read.damaged).toEqual([paths.beside]);
    expect(read.warnings).toEqual([
      'the measurements file 1.2.3.axial-measurements.json could not be read (not a valid measurements file); ' +
        'it will be kept as 1.2.3.axial-measurements.json.damaged',
    ]);
    await save([a, b], true, read.damaged);
    expect(readFileSync(`${paths.beside}.damaged`, 'utf8')).toContain('"measurements":[{"id":"');
    expect(JSON.parse(readFileSync(paths.beside, 'utf8')).measurements).toEqual([a, b]);
  });
});

/**
 * An earlier version kept one list per series UID; now each volume (a localiser's plane, an echo, a patient an
 * anonymiser gave the same UIDs) has its own. The series-wide list stays for the volumes not saved yet.
 */
describe("measurementSidecar: an earlier version's series-wide list, read by each volume of the series", () => {
  let scratch: string;
  const inputs: string[] = [];
  const pathsOf = (volumeKey: string): SidecarPaths => sidecarPaths({ uid: '1.2.3', studyUid: '1.2', files: inputs, volumeKey }, join(scratch, 'userData'));

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'axial-sidecar-'));
    mkdirSync(join(scratch, 'study'));
    writeFileSync(join(scratch, 'study', 'slice1.dcm'), 'not read here');
    inputs.splice(0, inputs.length, join(scratch, 'study', 'slice1.dcm'));
    const seriesWide = join(scratch, 'userData', 'measurements', '1.2', '1.2.3.axial-measurements.json');
    mkdirSync(join(seriesWide, '..'), { recursive: true });
    writeFileSync(seriesWide, JSON.stringify({ format: 'axial-measurements', version: 1, series: '1.2.3', measurements: [a, b] }));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const save = (paths: SidecarPaths, measurements: Measurement[]) =>
    writeMeasurementSidecar({ paths, series: '1.2.3', measurements, inputs, besideStudy: false });

  it('a save on one volume leaves it for the others; an empty list on that volume keeps the old list from coming back there', async () => {
    const [first, second] = [pathsOf('aaaaaaaaaaaa'), pathsOf('bbbbbbbbbbbb')];
    expect((await readMeasurementSidecar(first)).measurements).toEqual([a, b]);
    await save(first, [a]);
    expect((await readMeasurementSidecar(first)).measurements).toEqual([a]);
    expect((await readMeasurementSidecar(second)).measurements).toEqual([a, b]);
    await save(first, []);
    expect((await readMeasurementSidecar(first)).measurements).toEqual([]);
    expect((await readMeasurementSidecar(second)).measurements).toEqual([a, b]);
  });

  it('reads a list the earlier version wrote within its limits (11 outlines of 10,000 points), which a save now would refuse', async () => {
    const outline = (n: number): Measurement => ({
      ...lineNamed(`F${n}`, 1),
      kind: 'freehand',
      points: Array.from({ length: 10_000 }, (_, k) => [k, n, 0.5] as [number, number, number]),
      values: {},
    });
    const big = Array.from({ length: 11 }, (_, n) => outline(n));
    writeFileSync(
      join(scratch, 'userData', 'measurements', '1.2', '1.2.3.axial-measurements.json'),
      JSON.stringify({ format: 'axial-measurements', version: 1, series: '1.2.3', measurements: big }),
    );
    const read = await readMeasurementSidecar(pathsOf('aaaaaaaaaaaa'));
    expect(read.warnings).toEqual([]);
    expect(read.measurements).toHaveLength(11);
  });
});
