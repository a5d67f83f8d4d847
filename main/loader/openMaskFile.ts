import type { SegmentDef } from '../../core/contract.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { looksLikeDicom } from '../dicom/looksLikeDicom.js';
import { readDicomSeg } from '../dicomSeg/readDicomSeg.js';
import { isAxialError } from '../errors/AxialError.js';
import { openRegularFile } from '../io/openRegularFile.js';
import { countLabels } from '../labels/countLabels.js';
import { findLabelNames } from '../labels/findLabelNames.js';
import { openLabelMap } from '../labels/openLabelMap.js';
import { segmentTableOf } from '../labels/segmentTableOf.js';
import { labelColour } from '../../core/labels/labelColour.js';
import type { VolumeGrid } from '../volume/Volume.js';

/** A segmentation file put on a volume's grid, with its segment table. */
export interface OpenedMask {
  readonly name: string;
  readonly layers: LabelArray[];
  readonly segments: SegmentDef[];
  readonly warnings: string[];
}

/**
 * Opens a DICOM SEG (placed on its source series' slices) or a NIfTI/NRRD label map (resampled
 * nearest-neighbour onto the grid) as layers and segments. A label map's segments are named from its own
 * `.seg.nrrd` header, a name file beside it, its NIfTI label table, or (on a CT, with a warning saying the names
 * were guessed) TotalSegmentator's table ({@link findLabelNames}); a `.seg.nrrd` of overlapping segments opens as
 * several layers.
 * @throws AxialError INPUT_NOT_A_FILE for a FIFO, device or folder; the readers' codes (SEG_*, NIFTI_*, NRRD_*, MASK_*, INPUT_*).
 */
export async function openMaskFile(path: string, grid: VolumeGrid): Promise<OpenedMask> {
  if (await isDicomFile(path)) {
    const read = await readDicomSeg(path, grid);
    const segments = read.seg.segments.map((s) => ({
      layer: s.layer,
      value: s.value,
      name: s.label.slice(0, 64) || `Segment ${s.value}`,
      colour: [...s.colour] as [number, number, number],
      algorithmType: s.algorithmType,
      ...(s.algorithmName ? { algorithmName: s.algorithmName.slice(0, 64) } : {}),
      locked: false,
    }));
    return { name: read.name, layers: [...read.seg.layers], segments, warnings: read.warnings };
  }
  const opened = await openLabelMap(path, grid);
  const counts = opened.layers.map(countLabels);
  const present = counts.map((c) => [...c.keys()].filter((value) => value > 0 && c[value]! > 0));
  const names = await findLabelNames(path, present, grid.metadata);
  const layered = opened.layers.length > 1;
  let unnamed = 0;
  const segments = opened.layers.flatMap((layer, n) => {
    const named = names.segments.filter((s) => s.layer === n);
    return segmentTableOf(layer, { algorithmType: 'MANUAL' }, named, counts[n]).map((s): SegmentDef => {
      if (!layered || named.some((x) => x.value === s.value)) return { ...s, layer: n };
      // An unnamed label of a map of several layers (each volume of a 4D NIfTI holds label 1) is told apart by its
      // layer, and by its colour: one value's colour in every layer would paint them alike.
      const [r, g, b] = labelColour(++unnamed);
      return { ...s, layer: n, name: `Label ${s.value}, layer ${n + 1}`, colour: [r, g, b] };
    });
  });
  return { name: opened.name, layers: [...opened.layers], segments, warnings: [...opened.warnings, ...names.warnings] };
}

/**
 * Whether a file starts like DICOM, as the DICOM scan sniffs a file ({@link looksLikeDicom}): DICM at byte 128, or a
 * data set saved without the Part 10 file header (a group 0008 or 0002 tag first), which no NIfTI, NRRD or gzip
 * file starts with.
 * @throws AxialError INPUT_NOT_A_FILE for a FIFO (which a plain open would wait on forever), device or folder; a file
 *   that cannot be opened is left to the label-map readers to name.
 */
async function isDicomFile(path: string): Promise<boolean> {
  const handle = await openRegularFile(path).catch((error: unknown) => {
    if (isAxialError(error)) throw error;
    return null;
  });
  if (!handle) return false;
  try {
    const bytes = Buffer.alloc(132);
    const { bytesRead } = await handle.read(bytes, 0, 132, 0);
    return looksLikeDicom(bytes.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
