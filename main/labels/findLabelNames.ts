import { basename, dirname, join } from 'node:path';
import { labelColour } from '../../core/labels/labelColour.js';
import { totalSegmentatorLabels } from '../dicomSeg/totalSegmentatorLabels.js';
import { isAxialError } from '../errors/AxialError.js';
import { openRegularFile } from '../io/openRegularFile.js';
import { readNrrdSegments } from '../nrrd/readNrrdSegments.js';
import type { Segment } from '../segmentation/segmentColours.js';
import { matchTotalSegmentator, type MapTarget } from './matchTotalSegmentator.js';
import { readNiftiLabelTable } from './readNiftiLabelTable.js';
import { maxLabelFileBytes, parseLabelNames } from './parseLabelNames.js';
import { sanitiseLabelName } from './sanitiseLabelName.js';

/** A named label value in one layer of a label map. */
export interface NamedSegment extends Segment {
  readonly layer: number;
}

/** Where a label map's names came from, and the named segments. */
export interface LabelNames {
  /**
   * The name file, 'seg.nrrd' (the map's own Slicer header), 'nifti' (its Caret label table extension),
   * 'totalsegmentator', or null (none: "Label N").
   */
  readonly source: string | null;
  readonly segments: NamedSegment[];
  readonly warnings: string[];
}

/**
 * The names a label map's file may sit beside, for the map `<stem>.nii.gz` (or `.nii`, `.nrrd`, `.nhdr`,
 * `.seg.nrrd`), first found wins: ours and ITK-SNAP's label descriptions (`<stem>.label.txt`,
 * `<stem>.labels.txt`, `<stem>.txt`, ITK-SNAP's default extension), then 3D Slicer's colour table
 * (`<stem>.ctbl`, `<stem>_ColorTable.ctbl`, as Slicer names a labelmap's colour node).
 */
export function labelNameFilesFor(mapPath: string): string[] {
  const stem = basename(mapPath).replace(/(\.seg\.nrrd|\.nii\.gz|\.nii|\.nrrd|\.nhdr)$/i, '');
  return ['.label.txt', '.labels.txt', '.txt', '.ctbl', '_ColorTable.ctbl'].map((suffix) => join(dirname(mapPath), stem + suffix));
}

/** The warning given whenever names come from TotalSegmentator's table rather than from the map or a file beside it. */
export const guessedNamesWarning = "names from TotalSegmentator's table, guessed from the label values";

/**
 * Names and colours for a label map's values, from the first source that gives any: the map's own 3D Slicer
 * segmentation header (`.seg.nrrd`: it wins over a name file beside it, which may predate the segments' renaming in
 * Slicer), a name file beside the map ({@link labelNameFilesFor}), the map's NIfTI label table extension
 * ({@link readNiftiLabelTable}: TotalSegmentator writes its class names there), then TotalSegmentator's "total" table
 * when the values and the volume fit it ({@link matchTotalSegmentator}), with {@link guessedNamesWarning}. Name files and
 * tables name only the values present; a `.seg.nrrd` keeps its empty segments too, as Slicer does. Colours are the
 * file's, else {@link labelColour}. A name file that cannot be used gives a warning naming it and the next
 * source is tried; this never throws. A map of several layers (a `.seg.nrrd` of overlapping segments, whose
 * layers may reuse label values) is named from its header alone, which says which layer each segment is in.
 * @param presentByLayer The label values present in each layer of the map, background excluded.
 * @param target The metadata of the volume the map is opened on (whether it is CT).
 */
export async function findLabelNames(mapPath: string, presentByLayer: readonly (readonly number[])[], target: MapTarget): Promise<LabelNames> {
  const warnings: string[] = [];
  if (presentByLayer.length > 1) {
    const segments = await slicerSegments(mapPath, presentByLayer.length, warnings);
    return { source: segments.length > 0 ? 'seg.nrrd' : null, segments, warnings };
  }
  const named = await namesOfOneLayer(mapPath, presentByLayer[0] ?? [], target, warnings);
  return { ...named, segments: named.segments.map((s) => ({ ...s, layer: 0 })), warnings };
}

async function namesOfOneLayer(
  mapPath: string,
  present: readonly number[],
  target: MapTarget,
  warnings: string[],
): Promise<{ source: string | null; segments: Segment[] }> {
  const wanted = new Set(present);
  const fromHeader = await slicerSegments(mapPath, 1, warnings);
  if (fromHeader.length > 0) return { source: 'seg.nrrd', segments: fromHeader };
  for (const file of labelNameFilesFor(mapPath)) {
    const bytes = await readNameFile(file, warnings);
    if (!bytes) continue;
    const parsed = parseLabelNames(bytes);
    if (!parsed.ok) {
      warnings.push(`label names in ${basename(file)} not used: it ${parsed.reason}`);
      continue;
    }
    warnings.push(...parsed.warnings.map((w) => `${basename(file)}: ${w}`));
    return { source: file, segments: parsed.segments.filter((s) => wanted.has(s.value)) };
  }
  const fromExtension = await niftiSegments(mapPath, wanted);
  if (fromExtension.length > 0) return { source: 'nifti', segments: fromExtension };
  if (matchTotalSegmentator(present, target)) {
    const segments = present.map((value) => ({ value, name: totalSegmentatorLabels.get(value)!, colour: labelColour(value) }));
    warnings.push(guessedNamesWarning);
    return { source: 'totalsegmentator', segments };
  }
  return { source: null, segments: [] };
}

/** The file's bytes; undefined when there is none, or (with a warning) when it cannot or should not be read. */
async function readNameFile(file: string, warnings: string[]): Promise<Uint8Array | undefined> {
  let handle;
  try {
    handle = await openRegularFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    // The error's own message starts with the full path; the warning names the file once, by its name.
    const why = isAxialError(error) && error.file ? error.message.slice(error.file.length + 2) : 'it cannot be read';
    warnings.push(`label names in ${basename(file)} not used: ${why}`);
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    if (size > maxLabelFileBytes) {
      warnings.push(`label names in ${basename(file)} not used: it is ${size} bytes, over the ${maxLabelFileBytes}-byte limit for a label table`);
      return undefined;
    }
    const bytes = Buffer.alloc(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return bytes.subarray(0, bytesRead);
  } catch {
    warnings.push(`label names in ${basename(file)} not used: it cannot be read`);
    return undefined;
  } finally {
    await handle.close();
  }
}

/** A `.seg.nrrd`'s own segments on the layers read (`layerCount`), names sanitised; the first of a repeated value kept. */
async function slicerSegments(mapPath: string, layerCount: number, warnings: string[]): Promise<NamedSegment[]> {
  if (!/\.(nrrd|nhdr)$/i.test(mapPath)) return [];
  const segments = await readNrrdSegments(mapPath).catch(() => []);
  const read = segments.filter((s) => s.layer < layerCount);
  if (read.length < segments.length) {
    warnings.push(`${segments.length - read.length} segment(s) on other layers of ${basename(mapPath)} not read (overlapping segments)`);
  }
  const byKey = new Map<string, NamedSegment>();
  for (const s of read) {
    // Slicer before 4.11 wrote no LabelValue: a segment was the 1s of its own layer.
    const value = s.labelValue ?? 1;
    const key = `${s.layer}:${value}`;
    if (byKey.has(key)) continue;
    const colour = s.colour ? (s.colour.map((c) => Math.round(c * 255)) as [number, number, number]) : labelColour(value);
    byKey.set(key, { layer: s.layer, value, name: sanitiseLabelName(s.name) || `Label ${value}`, colour });
  }
  return [...byKey.values()];
}

/**
 * The values present, named from a NIfTI's label table extension. Its colours are kept only when no two labels
 * share one: TotalSegmentator's cycle through ten, so spleen (1) and lung (11) would look alike.
 */
async function niftiSegments(mapPath: string, wanted: ReadonlySet<number>): Promise<Segment[]> {
  if (!/\.nii(\.gz)?$/i.test(mapPath)) return [];
  const table = (await readNiftiLabelTable(mapPath)).filter((s) => wanted.has(s.value));
  const distinct = new Set(table.map((s) => s.colour.join(','))).size === table.length;
  return distinct ? table : table.map((s) => ({ ...s, colour: labelColour(s.value) }));
}
