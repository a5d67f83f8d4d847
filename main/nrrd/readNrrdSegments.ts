import { parseNrrdFields } from './parseNrrdFields.js';
import { readNrrdHeaderText } from './readNrrdHeaderText.js';
import { unescapeNrrdValue } from './unescapeNrrdValue.js';

/** One `SegmentN_*` group of a 3D Slicer segmentation header, its numbers checked, its name as written. */
export interface NrrdSegment {
  /** N in `SegmentN_`. */
  readonly index: number;
  /** `_Name`, else (as Slicer names a segment without one) its `_ID`, else ''. */
  readonly name: string;
  /** sRGB 0–1 as Slicer writes it, or null when missing or malformed. */
  readonly colour: readonly [number, number, number] | null;
  /** The voxel value of the segment in its layer: 1 when missing (Slicer's default); null when malformed. */
  readonly labelValue: number | null;
  readonly layer: number;
}

const maxSegments = 65535;

/**
 * The segments a 3D Slicer `.seg.nrrd` header describes (`SegmentN_Name`, `_ID`, `_Color`, `_LabelValue`,
 * `_Layer` key/value pairs, as Slicer's segmentation file format defines them), in N order; empty for
 * any other NRRD. Values are unescaped as Teem does (`\\` and `\n`). Values that are not numbers in range
 * become null (colour, label value) or 0 (layer).
 *
 * Slicer 4.10 and earlier wrote no `_Layer` or `_LabelValue`: each segment was the 1s of its own frame of a
 * 4-D file. As Slicer's vtkMRMLSegmentationStorageNode::ReadBinaryLabelmapRepresentation reads them, a segment
 * without `_Layer` is on the layer numbered by its own index N, and a missing `_LabelValue` is 1. A 3-D file has
 * one frame, so there a segment without `_Layer` is on layer 0 (Slicer would drop the others).
 * @throws AxialError as {@link readNrrdHeaderText} (the header is read again, at most 1 MiB).
 */
export async function readNrrdSegments(path: string): Promise<NrrdSegment[]> {
  const { text } = await readNrrdHeaderText(path);
  // The header is read as latin1 (byte n is character n); Slicer writes names in UTF-8.
  return parseNrrdSegments(Buffer.from(text, 'latin1').toString('utf8'));
}

/** {@link readNrrdSegments} on header text already read. */
export function parseNrrdSegments(text: string): NrrdSegment[] {
  const groups = new Map<number, Map<string, string>>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^Segment(\d{1,5})_([A-Za-z]+):=(.*)$/.exec(line);
    if (!match) continue;
    const index = Number(match[1]);
    if (index > maxSegments) continue;
    const group = groups.get(index) ?? new Map<string, string>();
    group.set(match[2]!, unescapeNrrdValue(match[3]!));
    groups.set(index, group);
  }
  const frames = parseNrrdFields(text).fields.get('dimension') === '4';
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, fields]) => ({
      index,
      name: fields.get('Name') ?? fields.get('ID') ?? '',
      colour: colourOf(fields.get('Color')),
      labelValue: fields.has('LabelValue') ? integerIn(fields.get('LabelValue'), 1, 65535) : 1,
      layer: fields.has('Layer') ? (integerIn(fields.get('Layer'), 0, maxSegments) ?? 0) : frames ? index : 0,
    }));
}

function colourOf(text: string | undefined): [number, number, number] | null {
  const parts = (text ?? '').trim().split(/\s+/).map(Number);
  return parts.length === 3 && parts.every((c) => c >= 0 && c <= 1) ? (parts as [number, number, number]) : null;
}

function integerIn(text: string | undefined, min: number, max: number): number | null {
  const trimmed = (text ?? '').trim();
  if (!/^\d{1,6}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}
