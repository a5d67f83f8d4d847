import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInput, type ScannedSeries } from '../../../main/input/scanInput.js';
import { readDicomSeg, type ReadDicomSegResult } from '../../../main/dicomSeg/readDicomSeg.js';
import { segmentCodesFor } from '../../../main/dicomSeg/segmentCodes.js';
import type { SegLayers, SegSegment, SegmentAlgorithmType } from '../../../main/dicomSeg/SegSegment.js';
import { totalSegmentatorLabels } from '../../../main/dicomSeg/totalSegmentatorLabels.js';
import { writeDicomSeg, type WriteDicomSegResult } from '../../../main/dicomSeg/writeDicomSeg.js';
import { countLabels } from '../../../main/labels/countLabels.js';
import { labelColour } from '../../../core/labels/labelColour.js';
import { openLabelMap } from '../../../main/labels/openLabelMap.js';
import type { LabelArray } from '../../../core/labels/LabelArray.js';
import type { Volume } from '../../../main/volume/Volume.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import { indexToWorld } from '../../../core/geometry/indexToWorld.js';
import { debianPython, runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { repoRoot } from '../../repoRoot.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-segRoundTrip-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** What tests/fixtures/makeUnseenSeries.py prints about the series it wrote (lists in slice order). */
interface UnseenSeries {
  modality: 'MR' | 'CT';
  rows: number;
  columns: number;
  slices: number;
  /** Between rows, then between columns (mm). */
  pixelSpacing: [number, number];
  sliceSpacing: number;
  orientation: number[];
  positions: Vec3[];
  PatientName: string;
  PatientID: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  FrameOfReferenceUID: string;
  files: string[];
  sopInstanceUids: string[];
}

function makeUnseenSeries(out: string, seed: number, modality: 'MR' | 'CT', patientName: string | undefined): UnseenSeries {
  const script = join(repoRoot, 'tests', 'fixtures', 'makeUnseenSeries.py');
  const args = [script, out, String(seed), '--modality', modality, ...(patientName ? ['--patient-name', patientName] : [])];
  const lines = execFileSync(debianPython, args, { encoding: 'utf8', maxBuffer: 16 << 20 })
    .trim()
    .split('\n');
  return JSON.parse(lines[lines.length - 1]!) as UnseenSeries;
}

/** An ellipsoid whose axes lie along L, P and S (so it is oblique to the series' grid). */
interface Blob {
  readonly name: string;
  readonly value: number;
  /** Centre as a fraction of the volume's extent along i, j, k (0: first voxel centre, 1: last). */
  readonly at: Vec3;
  readonly radiiMm: Vec3;
  readonly algorithmType: SegmentAlgorithmType;
  readonly algorithmName?: string;
  readonly colour?: [number, number, number];
}

interface RoundTripCase {
  readonly title: string;
  readonly seed: number;
  readonly modality: 'MR' | 'CT';
  readonly patientName?: string;
  /** Per layer: whether it is a Uint16Array, and its blobs, painted in order (a later one wins). */
  readonly layers: readonly { readonly wide: boolean; readonly blobs: readonly Blob[] }[];
  /** Labels of two segments (in different layers) that must share voxels. */
  readonly overlapping?: readonly [string, string];
}

const liver = (value: number, at: Vec3): Blob => ({
  name: 'liver',
  value,
  at,
  radiiMm: [16, 12, 9],
  algorithmType: 'AUTOMATIC',
  algorithmName: 'TotalSegmentator',
});
const spleen = (value: number, at: Vec3, radius: number): Blob => ({
  name: 'spleen',
  value,
  at,
  radiiMm: [radius, radius, radius],
  algorithmType: 'SEMIAUTOMATIC',
  algorithmName: 'Axial brush',
});
const blob = (value: number, at: Vec3): Blob => ({ name: 'blob', value, at, radiiMm: [9, 12, 8], algorithmType: 'MANUAL', colour: [20, 180, 90] });

const cases: readonly RoundTripCase[] = [
  {
    title: 'an oblique MR, one layer holding labels 1, 4 and 200 (blob on the i = 0 face)',
    seed: 1101,
    modality: 'MR',
    layers: [{ wide: false, blobs: [liver(1, [0.45, 0.5, 0.45]), spleen(4, [0.8, 0.45, 0.55], 7), blob(200, [0, 0.25, 0.5])] }],
  },
  {
    title: 'an oblique CT, spleen overlapping liver in a second layer (blob on the last row)',
    seed: 2204,
    modality: 'CT',
    layers: [
      { wide: false, blobs: [liver(1, [0.4, 0.5, 0.5]), blob(200, [0.3, 1, 0.5])] },
      { wide: false, blobs: [spleen(4, [0.55, 0.5, 0.5], 9)] },
    ],
    overlapping: ['liver', 'spleen'],
  },
  {
    title: 'an oblique MR in ISO_IR 100 (patient Müller^Jörg), a Uint16 layer holding 2, 77 and 1000 (blob on the last column)',
    seed: 3305,
    modality: 'MR',
    patientName: 'Müller^Jörg',
    layers: [{ wide: true, blobs: [liver(2, [0.4, 0.5, 0.5]), spleen(77, [0.15, 0.5, 0.35], 6), blob(1000, [1, 0.6, 0.6])] }],
  },
];

/** Paints the case's blobs on the volume's grid, testing each voxel centre's world position. */
function paintCase(c: RoundTripCase, volume: Volume): SegLayers {
  const [ni, nj, nk] = volume.dimensions;
  const layers = c.layers.map(({ wide, blobs }) => {
    const labels = wide ? new Uint16Array(ni * nj * nk) : new Uint8Array(ni * nj * nk);
    for (const b of blobs) {
      const centre = indexToWorld(volume, [b.at[0] * (ni - 1), b.at[1] * (nj - 1), b.at[2] * (nk - 1)]);
      for (let k = 0, n = 0; k < nk; k++) {
        for (let j = 0; j < nj; j++) {
          for (let i = 0; i < ni; i++, n++) {
            const p = indexToWorld(volume, [i, j, k]);
            const d = [0, 1, 2].reduce((sum, a) => sum + ((p[a]! - centre[a]!) / b.radiiMm[a]!) ** 2, 0);
            if (d <= 1) labels[n] = b.value;
          }
        }
      }
    }
    return labels;
  });
  const segments = c.layers.flatMap(({ blobs }, layer) =>
    blobs.map((b): SegSegment => ({
      layer,
      value: b.value,
      label: b.name,
      algorithmType: b.algorithmType,
      ...(b.algorithmName ? { algorithmName: b.algorithmName } : {}),
      ...segmentCodesFor(b.name),
      colour: b.colour ?? labelColour(b.value),
    })),
  );
  return { layers, segments };
}

/** The blobs in world terms, for the Python check to paint the source slices with. */
function worldBlobs(c: RoundTripCase, volume: Volume): { layer: number; value: number; centre: Vec3; radii: Vec3 }[] {
  const [ni, nj, nk] = volume.dimensions;
  return c.layers.flatMap(({ blobs }, layer) =>
    blobs.map((b) => ({ layer, value: b.value, centre: indexToWorld(volume, [b.at[0] * (ni - 1), b.at[1] * (nj - 1), b.at[2] * (nk - 1)]), radii: b.radiiMm })),
  );
}

/** Ascending voxel numbers where `layer` holds `value`. */
function voxelsWhere(layer: LabelArray, value: number): Uint32Array {
  const out: number[] = [];
  for (let n = 0; n < layer.length; n++) if (layer[n] === value) out.push(n);
  return Uint32Array.from(out);
}

/** Size of the symmetric difference of two ascending voxel lists. */
function differingVoxels(a: Uint32Array, b: Uint32Array): number {
  let differing = 0;
  let x = 0;
  let y = 0;
  while (x < a.length && y < b.length) {
    if (a[x]! === b[y]!) {
      x++;
      y++;
    } else {
      differing++;
      if (a[x]! < b[y]!) x++;
      else y++;
    }
  }
  return differing + (a.length - x) + (b.length - y);
}

/** Every segment read back describes, and covers, exactly what was written under its label. */
function expectSameSegments(written: SegLayers, read: ReadDicomSegResult): void {
  expect(read.seg.segments.map((s) => s.label).sort()).toEqual(written.segments.map((s) => s.label).sort());
  for (const w of written.segments) {
    const r = read.seg.segments.find((s) => s.label === w.label)!;
    const what = `segment "${w.label}"`;
    expect({ algorithmType: r.algorithmType, algorithmName: r.algorithmName, category: r.category, type: r.type }, what).toEqual({
      algorithmType: w.algorithmType,
      algorithmName: w.algorithmName,
      category: w.category,
      type: w.type,
    });
    r.colour.forEach((channel, c) => expect(Math.abs(channel - w.colour[c]!), `${what} colour ${r.colour} vs ${w.colour}`).toBeLessThanOrEqual(1));
    const before = voxelsWhere(written.layers[w.layer]!, w.value);
    const after = voxelsWhere(read.seg.layers[r.layer]!, r.value);
    expect({ voxels: after.length, differing: differingVoxels(before, after) }, what).toEqual({ voxels: before.length, differing: 0 });
  }
}

/** (segment, slice) pairs that hold voxels: the frames a BINARY SEG must have. */
function segmentSlicePairs(seg: SegLayers, volume: Volume): number {
  const sliceSize = volume.dimensions[0] * volume.dimensions[1];
  let pairs = 0;
  for (const s of seg.segments) pairs += new Set(Array.from(voxelsWhere(seg.layers[s.layer]!, s.value), (n) => Math.floor(n / sliceSize))).size;
  return pairs;
}

/** dciodvfy's Error lines must be none (its whole output is shown if not); returns its Warning lines. */
function expectNoDciodvfyErrors(path: string): string[] {
  const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  if (run.error) {
    console.warn(`dciodvfy could not be run (${run.error.message}): skipping the IOD check`);
    return [];
  }
  const output = `${run.stdout}\n${run.stderr}`;
  const lines = output.split('\n');
  expect(
    lines.filter((l) => l.startsWith('Error')),
    `dciodvfy ${path}:\n${output}`,
  ).toEqual([]);
  return lines.filter((l) => l.startsWith('Warning'));
}

function hashFiles(files: readonly string[]): string[] {
  return files.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'));
}

async function loadOnlySeries(path: string): Promise<{ series: ScannedSeries; volume: Volume }> {
  const scan = await scanInput(path);
  expect(scan.series).toHaveLength(1);
  const series = scan.series[0]!;
  return { series, volume: (await series.load()).volume };
}

interface PydicomCheck {
  frames: number;
  perFrameGroups: number;
  expectedPairs: number;
  missingPairs: number;
  extraPairs: number;
  repeatedPairs: number;
  pixelMismatches: number;
  ippMaxErrorMm: number;
  voxels: Record<string, number>;
  referencedSeries: string[];
  referencesAllSources: boolean;
  seg: Record<string, string>;
  source: Record<string, string>;
}

/**
 * Reads the SEG and its sources with pydicom, and paints each source slice with the blobs from
 * the slice's own ImagePositionPatient, ImageOrientationPatient and PixelSpacing (no Axial
 * geometry): every frame must be exactly its segment on the slice it references.
 */
const checkScript = `
import sys, json, pydicom, numpy as np
seg, spec = pydicom.dcmread(sys.argv[1]), json.loads(sys.argv[2])
sources = {}
for f in spec['files']:
    d = pydicom.dcmread(f, stop_before_pixels=True)
    sources[str(d.SOPInstanceUID)] = d
def floats(v): return np.array([float(x) for x in v])
def painted(d):
    ipp, iop = floats(d.ImagePositionPatient), floats(d.ImageOrientationPatient)
    r, c = np.mgrid[0:int(d.Rows), 0:int(d.Columns)]
    lps = ipp + c[..., None] * float(d.PixelSpacing[1]) * iop[:3] + r[..., None] * float(d.PixelSpacing[0]) * iop[3:]
    layers = [np.zeros((int(d.Rows), int(d.Columns)), int) for _ in range(spec['layers'])]
    for b in spec['blobs']:
        layers[b['layer']][(((lps - b['centre']) / b['radii']) ** 2).sum(-1) <= 1] = b['value']
    return {label: layers[l] == v for label, (l, v) in spec['segments'].items()}
masks = {uid: painted(d) for uid, d in sources.items()}
label_of = {int(s.SegmentNumber): str(s.SegmentLabel) for s in seg.SegmentSequence}
count = int(seg.NumberOfFrames)
pixels = seg.pixel_array.reshape(count, int(seg.Rows), int(seg.Columns)).astype(bool)
mismatches, ipp_error, found = 0, 0.0, []
for f, group in enumerate(seg.PerFrameFunctionalGroupsSequence):
    label = label_of[int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)]
    uid = str(group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
    ipp = floats(group.PlanePositionSequence[0].ImagePositionPatient)
    ipp_error = max(ipp_error, float(np.abs(ipp - floats(sources[uid].ImagePositionPatient)).max()))
    mismatches += int((pixels[f] != masks[uid][label]).sum())
    found.append((label, uid))
expected = {(label, uid) for uid, m in masks.items() for label, mask in m.items() if mask.any()}
referenced = [(str(s.SeriesInstanceUID), str(i.ReferencedSOPInstanceUID)) for s in seg.ReferencedSeriesSequence for i in s.ReferencedInstanceSequence]
keys = ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyInstanceUID', 'StudyID', 'StudyDate', 'AccessionNumber', 'FrameOfReferenceUID']
first = next(iter(sources.values()))
print(json.dumps({
    'frames': count, 'perFrameGroups': len(seg.PerFrameFunctionalGroupsSequence), 'expectedPairs': len(expected),
    'missingPairs': len(expected - set(found)), 'extraPairs': len(set(found) - expected), 'repeatedPairs': len(found) - len(set(found)),
    'pixelMismatches': mismatches, 'ippMaxErrorMm': ipp_error,
    'voxels': {label: int(sum(int(m[label].sum()) for m in masks.values())) for label in spec['segments']},
    'referencedSeries': sorted({s for s, _ in referenced}), 'referencesAllSources': sorted(u for _, u in referenced) == sorted(sources),
    'seg': {k: str(seg.get(k, 'MISSING')) for k in keys}, 'source': {k: str(first.get(k, 'MISSING')) for k in keys},
}))
`;

describe.each(cases)('a SEG exported from a series nobody here has seen: $title', (c) => {
  let generated: UnseenSeries;
  let series: ScannedSeries;
  let volume: Volume;
  let seg: SegLayers;
  let hashes: string[];
  let written: WriteDicomSegResult;
  let read: ReadDicomSegResult;
  const source = join(folder, `unseen-${c.seed}`);
  const output = join(folder, `unseen-${c.seed}.seg.dcm`);

  beforeAll(async () => {
    generated = makeUnseenSeries(source, c.seed, c.modality, c.patientName);
    hashes = hashFiles(generated.files);
    ({ series, volume } = await loadOnlySeries(source));
    seg = paintCase(c, volume);
    written = await writeDicomSeg({ series, volume, seg, outPath: output, seriesDescription: `round trip ${c.seed}`, inputs: [] });
    read = await readDicomSeg(output, volume);
  }, 60_000);

  it('loads the generated series on its own oblique, anisotropic grid', () => {
    const { columns, rows, slices, pixelSpacing, sliceSpacing, orientation } = generated;
    expect(volume.dimensions).toEqual([columns, rows, slices]);
    expect(columns).not.toBe(rows);
    [pixelSpacing[1], pixelSpacing[0], sliceSpacing].forEach((s, a) => expect(volume.spacing[a]).toBeCloseTo(s, 6));
    [0, 1].forEach((a) => volume.direction[a]!.forEach((v, c3) => expect(v).toBeCloseTo(orientation[3 * a + c3]!, 6)));
    expect(Math.max(...orientation.map(Math.abs))).toBeLessThan(0.97);
    // Each slice k of the volume is the file whose UID it records, at that file's position.
    const uids = volume.metadata.sopInstanceUids!;
    expect([...uids].sort()).toEqual([...generated.sopInstanceUids].sort());
    uids.forEach((uid, k) => {
      const truth = generated.positions[generated.sopInstanceUids.indexOf(uid)]!;
      const p = indexToWorld(volume, [0, 0, k]);
      expect(Math.hypot(p[0] - truth[0], p[1] - truth[1], p[2] - truth[2]), `slice ${k}`).toBeLessThan(1e-3);
    });
    expect(volume.metadata).toMatchObject({
      modality: c.modality,
      patientName: generated.PatientName,
      patientId: generated.PatientID,
      studyInstanceUid: generated.StudyInstanceUID,
      seriesInstanceUid: generated.SeriesInstanceUID,
      frameOfReferenceUid: generated.FrameOfReferenceUID,
    });
  });

  it('paints each segment with empty slices around it, one blob cut by the border, and the chosen label values', () => {
    const [ni, nj, nk] = volume.dimensions;
    const sliceSize = ni * nj;
    const occupied = new Set<number>();
    let onBorder = 0;
    for (const s of seg.segments) {
      const voxels = voxelsWhere(seg.layers[s.layer]!, s.value);
      expect(voxels.length, s.label).toBeGreaterThan(100);
      voxels.forEach((n) => occupied.add(Math.floor(n / sliceSize)));
      if (s.label === 'blob') {
        onBorder = Array.from(voxels).filter((n) => {
          const i = n % ni;
          const j = Math.floor(n / ni) % nj;
          return i === 0 || i === ni - 1 || j === 0 || j === nj - 1;
        }).length;
      }
    }
    expect(occupied.has(0) || occupied.has(nk - 1)).toBe(false);
    expect(occupied.size).toBeLessThan(nk);
    expect(onBorder).toBeGreaterThan(0);
    expect(seg.segments.map((s) => s.value)).toEqual(c.layers.flatMap((l) => l.blobs.map((b) => b.value)));
    if (c.overlapping) {
      const [a, b] = c.overlapping.map((label) => seg.segments.find((s) => s.label === label)!);
      const inA = new Set(voxelsWhere(seg.layers[a!.layer]!, a!.value));
      expect(Array.from(voxelsWhere(seg.layers[b!.layer]!, b!.value)).filter((n) => inA.has(n)).length).toBeGreaterThan(0);
    }
  });

  it('writes one frame per (segment, slice) with voxels, and dciodvfy finds no error in it', () => {
    expect(written).toEqual({ frames: segmentSlicePairs(seg, volume), segments: seg.segments.length, warnings: [] });
    expect(expectNoDciodvfyErrors(output)).toEqual([]);
  });

  it('reads back every segment voxel for voxel, with its label, algorithm, colour and codes', () => {
    expect(read.warnings).toEqual([]);
    expect(read.name).toBe(`unseen-${c.seed}.seg.dcm`);
    expectSameSegments(seg, read);
    const codes = Object.fromEntries(read.seg.segments.map((s) => [s.label, s.type.value]));
    expect(codes).toEqual({ liver: '10200004', spleen: '78961009', blob: '85756007' });
  });

  it('holds, for pydicom, each segment exactly on the slices it references, at their positions, in their patient, study, series and frame of reference', () => {
    const spec = {
      files: generated.files,
      layers: seg.layers.length,
      blobs: worldBlobs(c, volume),
      segments: Object.fromEntries(seg.segments.map((s) => [s.label, [s.layer, s.value]])),
    };
    const check = runPythonJson<PydicomCheck>(checkScript, [output, JSON.stringify(spec)]);
    expect(check.frames).toBe(written.frames);
    expect(check.perFrameGroups).toBe(check.frames);
    expect(check.frames).toBe(check.expectedPairs);
    expect({ missing: check.missingPairs, extra: check.extraPairs, repeated: check.repeatedPairs, pixels: check.pixelMismatches }).toEqual({
      missing: 0,
      extra: 0,
      repeated: 0,
      pixels: 0,
    });
    expect(check.ippMaxErrorMm).toBeLessThan(1e-3);
    expect(check.voxels).toEqual(Object.fromEntries(seg.segments.map((s) => [s.label, voxelsWhere(seg.layers[s.layer]!, s.value).length])));
    expect(check.referencedSeries).toEqual([generated.SeriesInstanceUID]);
    expect(check.referencesAllSources).toBe(true);
    expect(check.seg).toEqual(check.source);
    expect(check.seg).toMatchObject({
      PatientName: generated.PatientName,
      PatientID: generated.PatientID,
      StudyInstanceUID: generated.StudyInstanceUID,
      FrameOfReferenceUID: generated.FrameOfReferenceUID,
    });
  });

  it('leaves the source files as they were', () => {
    expect(readdirSync(source).sort()).toEqual(generated.files.map((f) => f.slice(source.length + 1)).sort());
    expect(hashFiles(generated.files)).toEqual(hashes);
  });
});

describe.skipIf(!hasSharedData)(`a SEG of the real CT's TotalSegmentator labels (${noSharedDataReason})`, () => {
  const ctFolder = sharedData('dicom/ct-abdomen-j2k');
  const totalsegLabels = sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz');

  it('gives back, through our own import, the label map exactly', async () => {
    const { series, volume } = await loadOnlySeries(ctFolder);
    const before = hashFiles(series.files);
    const labels = (await openLabelMap(totalsegLabels, volume)).labels;
    const segments: SegSegment[] = [];
    countLabels(labels).forEach((count, value) => {
      if (value === 0 || count === 0) return;
      const label = totalSegmentatorLabels.get(value)!;
      segments.push({
        layer: 0,
        value,
        label,
        algorithmType: 'AUTOMATIC',
        algorithmName: 'TotalSegmentator',
        ...segmentCodesFor(label),
        colour: labelColour(value),
      });
    });
    const seg: SegLayers = { layers: [labels], segments };
    const output = join(folder, 'ct-abdomen.seg.dcm');
    const written = await writeDicomSeg({ series, volume, seg, outPath: output, seriesDescription: 'TotalSegmentator', inputs: [totalsegLabels] });
    expect(written.frames).toBe(segmentSlicePairs(seg, volume));
    expectNoDciodvfyErrors(output);

    const read = await readDicomSeg(output, volume);
    expect(read.warnings).toEqual([]);
    expect(read.seg.layers).toHaveLength(1);
    expectSameSegments(seg, read);
    // Rebuild the label map: each read segment's voxels get the TotalSegmentator value of its name.
    const valueOf = new Map([...totalSegmentatorLabels].map(([value, name]) => [name, value]));
    const original = new Uint16Array(65536);
    for (const s of read.seg.segments) original[s.value] = valueOf.get(s.label)!;
    const rebuilt = read.seg.layers[0]!.map((v) => original[v]!);
    let mismatches = 0;
    labels.forEach((v, n) => v !== rebuilt[n] && mismatches++);
    expect({ segments: read.seg.segments.length, mismatches }).toEqual({ segments: 31, mismatches: 0 });
    expect(hashFiles(series.files)).toEqual(before);
  }, 120_000);
});
