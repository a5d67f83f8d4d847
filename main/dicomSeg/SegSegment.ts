import type { LabelArray } from '../../core/labels/LabelArray.js';

/** A coded concept as DICOM writes it (CodeValue, CodingSchemeDesignator, CodeMeaning). */
export interface CodedConcept {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

/** How a segment was made, for DICOM SEG's SegmentAlgorithmType. */
export type SegmentAlgorithmType = 'AUTOMATIC' | 'SEMIAUTOMATIC' | 'MANUAL';

/**
 * One segment of a segmentation: where its voxels are (label `value` in
 * label map `layer`) and what DICOM SEG says about it. Segments in one
 * layer never overlap; overlapping segments live in different layers.
 */
export interface SegSegment {
  /** Label layer index (0 for an ordinary label map). */
  readonly layer: number;
  /** Label value of this segment in its layer (1–65535). */
  readonly value: number;
  readonly label: string;
  readonly algorithmType: SegmentAlgorithmType;
  /** The model (or tool) that made it; required by DICOM for AUTOMATIC and SEMIAUTOMATIC. */
  readonly algorithmName?: string;
  readonly category: CodedConcept;
  readonly type: CodedConcept;
  /** Recommended display colour, sRGB 0–255 (written as CIELab). */
  readonly colour: readonly [number, number, number];
}

/** Label layers on one volume grid, and the segments they hold. */
export interface SegLayers {
  /** Each layer is i fastest, on the source volume's grid. */
  readonly layers: readonly LabelArray[];
  readonly segments: readonly SegSegment[];
}
