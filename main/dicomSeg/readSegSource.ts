import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { DicomInstance } from '../dicom/DicomInstance.js';
import { readDicomInstance } from '../dicom/readDicomInstance.js';
import { AxialError } from '../errors/AxialError.js';
import type { Volume } from '../volume/Volume.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { readStudyAttributes, type StudyAttributes } from './readStudyAttributes.js';

/** The source image a slice of the volume was read from. */
export interface SegSourceSlice {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** 1-based frame of a multi-frame instance; undefined for a single-frame one. */
  readonly frameNumber: number | undefined;
  /** ImagePositionPatient of that image (or frame), LPS mm. */
  readonly position: Vec3;
}

/** What a SEG needs to know about the DICOM series it was drawn on. */
export interface SegSource {
  /** One per k slice of the volume, in slice order. */
  readonly slices: readonly SegSourceSlice[];
  /** The first slice's file: orientation, pixel spacing, thickness. */
  readonly first: DicomInstance;
  readonly study: StudyAttributes;
  /** UIDs the source lacks and that were made up in their place. */
  readonly warnings: readonly string[];
}

const parallelReads = 16;
/** Largest difference (mm, or direction cosine) allowed between the volume's and the files' geometry. */
const tolerance = 1e-3;

/**
 * Finds, for each slice of a volume loaded from DICOM files, the instance
 * (and frame) it came from, by the SOP Instance UIDs the loader recorded and,
 * within a multi-frame instance, by position.
 * @throws AxialError SEG_SOURCE_MISMATCH when the files do not hold the volume's slices on its grid;
 *   SEG_UNSUPPORTED when a multi-frame instance has several frames at one slice's position;
 *   the DICOM reader's own codes.
 */
export async function readSegSource(files: readonly string[], volume: Volume): Promise<SegSource> {
  const uids = volume.metadata.sopInstanceUids ?? [];
  const [ni, nj, nk] = volume.dimensions;
  const where = files[0] ?? 'the source series';
  if (uids.length !== nk) {
    throw new AxialError('SEG_SOURCE_MISMATCH', `the volume has ${nk} slices but ${uids.length} source SOP Instance UIDs`, { file: where });
  }
  const byUid = await readInstances(files);
  const slices = uids.map((uid, k) => {
    const instance = byUid.get(uid);
    if (!instance) {
      throw new AxialError('SEG_SOURCE_MISMATCH', `slice ${k + 1}'s source image (SOP Instance UID ${uid}) is not among the series' ${files.length} files`, {
        file: where,
      });
    }
    checkGrid(instance, volume, ni, nj);
    return sliceOf(instance, volume, k);
  });
  const first = byUid.get(uids[0]!)!;
  return fillMissingUids({ slices, first, study: await readStudyAttributes(first.file), warnings: [] });
}

/**
 * A SEG must name its study, its frame of reference and the series of each
 * image it references (Type 1). De-identified sources sometimes have them
 * empty: each is then derived from the source's SOP Instance UIDs (a 2.25
 * UID from their SHA-256), the same on every export from the same images.
 */
function fillMissingUids(source: SegSource): SegSource {
  const warnings: string[] = [];
  const derive = (what: string): string => {
    const hash = createHash('sha256')
      .update(`axial:${what}:`)
      .update(source.slices.map((s) => s.sopInstanceUid).join('\\'));
    const uid = `2.25.${BigInt(`0x${hash.digest('hex').slice(0, 32)}`).toString()}`;
    warnings.push(`the source images have no ${what}; the SEG uses ${uid}, derived from their SOP Instance UIDs`);
    return uid;
  };
  const study = { ...source.study };
  if (!study.StudyInstanceUID) study.StudyInstanceUID = derive('StudyInstanceUID');
  if (!study.FrameOfReferenceUID) study.FrameOfReferenceUID = derive('FrameOfReferenceUID');
  const seriesUid = source.slices.some((s) => !s.seriesInstanceUid) ? derive('SeriesInstanceUID') : undefined;
  const slices = seriesUid === undefined ? source.slices : source.slices.map((s) => (s.seriesInstanceUid ? s : { ...s, seriesInstanceUid: seriesUid }));
  return { ...source, slices, study, warnings };
}

async function readInstances(files: readonly string[]): Promise<Map<string, DicomInstance>> {
  const byUid = new Map<string, DicomInstance>();
  for (let start = 0; start < files.length; start += parallelReads) {
    const batch = files.slice(start, start + parallelReads);
    const read = await Promise.all(batch.map(async (file) => readDicomInstance(file, await sizeOf(file))));
    for (const result of read) if ('frames' in result) byUid.set(result.sopInstanceUid, result);
  }
  return byUid;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    throw new AxialError('INPUT_UNREADABLE', `cannot read: ${(error as Error).message}`, { file, cause: error });
  }
}

/** The SEG's rows and columns are the source's, so the volume must be the files' own grid, i along the rows. */
function checkGrid(instance: DicomInstance, volume: Volume, ni: number, nj: number): void {
  const { rows, columns } = instance.pixelFormat;
  const o = instance.frames[0]!.orientation;
  const [di, dj] = volume.direction;
  const aligned = [0, 1, 2].every((a) => Math.abs(di[a]! - o[a]!) <= tolerance && Math.abs(dj[a]! - o[a + 3]!) <= tolerance);
  if (rows !== nj || columns !== ni || !aligned) {
    throw new AxialError(
      'SEG_SOURCE_MISMATCH',
      `the volume (${ni}×${nj}, rows along ${fmt(di)}) is not on the grid of its source image (${columns}×${rows}, rows along ${fmt([o[0], o[1], o[2]])})`,
      { file: instance.file },
    );
  }
}

function sliceOf(instance: DicomInstance, volume: Volume, k: number): SegSourceSlice {
  const common = { sopClassUid: instance.sopClassUid, sopInstanceUid: instance.sopInstanceUid, seriesInstanceUid: instance.seriesInstanceUid };
  if (instance.frames.length === 1) return { ...common, frameNumber: undefined, position: instance.frames[0]!.position };
  const frame = nearestFrame(instance, expectedPosition(volume, k), k);
  return { ...common, frameNumber: frame + 1, position: instance.frames[frame]!.position };
}

/** Where slice k's first pixel lies on the volume's grid. */
function expectedPosition(volume: Volume, k: number): Vec3 {
  const { origin: o, direction: d, spacing: s } = volume;
  return [o[0] + d[2][0] * s[2] * k, o[1] + d[2][1] * s[2] * k, o[2] + d[2][2] * s[2] * k];
}

/**
 * The frame of a multi-frame instance nearest to slice k's position. Uneven
 * slice spacing moves the grid's positions a little off the frames', never to
 * a neighbour; two frames at the same position (a time series in one
 * instance) cannot be told apart.
 */
function nearestFrame(instance: DicomInstance, expected: Vec3, k: number): number {
  const distances = instance.frames.map((f) => Math.hypot(f.position[0] - expected[0], f.position[1] - expected[1], f.position[2] - expected[2]));
  const order = distances.map((_, f) => f).sort((a, b) => distances[a]! - distances[b]!);
  const [best, second] = order;
  if (second !== undefined && distances[second]! - distances[best!]! <= tolerance) {
    throw new AxialError(
      'SEG_UNSUPPORTED',
      `frames ${best! + 1} and ${second + 1} of this multi-frame image lie at the same position, so slice ${k + 1} cannot be traced to one frame`,
      { file: instance.file },
    );
  }
  return best!;
}

function fmt(v: readonly number[]): string {
  return `(${v.map((x) => x.toFixed(3)).join(', ')})`;
}
