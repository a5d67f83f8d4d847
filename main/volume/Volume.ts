import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';
import { AxialError } from '../errors/AxialError.js';

/** The typed arrays a volume's voxels are stored in (every numeric array but the clamped one). */
export type VoxelArray = Exclude<NumericArray, Uint8ClampedArray>;

export type VoxelDataType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

export interface WindowPreset {
  readonly center: number;
  readonly width: number;
  readonly name?: string;
}

export interface VolumeMetadata {
  readonly format: 'dicom' | 'nifti' | 'nrrd';
  readonly modality?: string;
  readonly patientId?: string;
  readonly patientName?: string;
  /** DICOM's PatientBirthDate (DA, "19700203"), PatientSex, StudyDate (DA) and StudyTime (TM) as stored: studyInfoOf formats them. */
  readonly patientBirthDate?: string;
  readonly patientSex?: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly studyInstanceUid?: string;
  readonly studyDescription?: string;
  readonly seriesInstanceUid?: string;
  readonly seriesDescription?: string;
  readonly seriesNumber?: number;
  /** DICOM's SliceThickness (mm) of the series' middle slice, when the files give one. */
  readonly sliceThickness?: number;
  readonly frameOfReferenceUid?: string;
  /** Unit of the voxel values after rescale: 'HU' for CT, otherwise the file's own word, if any. */
  readonly units?: string;
  readonly windowPresets: readonly WindowPreset[];
  /** DICOM MONOCHROME1: values are kept as stored-and-rescaled; the display must invert. */
  readonly invertDisplay?: boolean;
  /** Source SOP Instance UIDs in slice order (k), for DICOM SEG references. */
  readonly sopInstanceUids?: readonly string[];
  /** Number of files the volume was read from. */
  readonly fileCount: number;
  /** A NIfTI source's own transform fields, which a NIfTI written on the same grid carries unchanged (writeNifti). */
  readonly niftiTransforms?: NiftiTransforms;
}

/**
 * A NIfTI file's qform (in mm) and transform codes, as its header holds them, and the voxel-to-RAS affine (mm) its
 * volume was placed by: an output whose affine is that one is on the same grid and gets the same qform, so that a
 * tool that places it by the qform (ITK, for a sheared sform) puts it where it put the source.
 */
export interface NiftiTransforms {
  readonly affine: readonly (readonly number[])[];
  readonly qform_code: number;
  readonly sform_code: number;
  readonly quatern_b: number;
  readonly quatern_c: number;
  readonly quatern_d: number;
  readonly qoffset_x: number;
  readonly qoffset_y: number;
  readonly qoffset_z: number;
  /** pixdim[0]. */
  readonly qfac: 1 | -1;
  /** pixdim[1..3]. */
  readonly pixdim: Vec3;
}

export interface VolumeProps {
  readonly dimensions: Vec3;
  /** Distance between voxel centres along i, j, k, in mm. */
  readonly spacing: Vec3;
  /** LPS position (mm) of the centre of voxel (0, 0, 0). */
  readonly origin: Vec3;
  readonly direction: Mat3;
  /** Voxel values, i fastest, then j, then k. Never mutated once in a Volume. */
  readonly voxels: VoxelArray;
  readonly metadata: VolumeMetadata;
}

/**
 * An immutable image volume in DICOM's LPS world (mm). The direction may be
 * sheared (a gantry-tilted series keeps its true slice positions).
 */
export interface Volume extends VolumeProps {
  readonly dataType: VoxelDataType;
}

/** A volume's grid and metadata without its voxels: what is needed to put labels on it. */
export type VolumeGrid = Omit<VolumeProps, 'voxels'>;

/**
 * Checks the props and freezes them into a Volume.
 * @param file The file the volume was read from, named in the error.
 * @throws AxialError VOLUME_INVALID when the geometry or the voxel count is inconsistent.
 */
export function createVolume(props: VolumeProps, file?: string): Volume {
  const { dimensions, spacing, origin, direction, voxels } = props;
  if (!dimensions.every((n) => Number.isInteger(n) && n > 0)) {
    throw new AxialError('VOLUME_INVALID', `dimensions must be positive integers, got ${dimensions.join('×')}`, { file });
  }
  const count = dimensions[0] * dimensions[1] * dimensions[2];
  if (voxels.length !== count) {
    throw new AxialError('VOLUME_INVALID', `expected ${count} voxels for ${dimensions.join('×')}, got ${voxels.length}`, { file });
  }
  const problem = geometryProblem(props);
  if (problem !== null) throw new AxialError('VOLUME_INVALID', problem, { file });
  const freeze3 = (v: Vec3): Vec3 => Object.freeze([v[0], v[1], v[2]] as const);
  return Object.freeze({
    dimensions: freeze3(dimensions),
    spacing: freeze3(spacing),
    origin: freeze3(origin),
    direction: Object.freeze([freeze3(direction[0]), freeze3(direction[1]), freeze3(direction[2])] as const),
    voxels,
    dataType: dataTypeOf(voxels),
    metadata: Object.freeze({ ...props.metadata }),
  });
}

/**
 * The voxel sizes a volume may have (mm): 1 nm to 1 km. Outside them a spacing is damage (a stray byte, a
 * byte-swapped 1: 2.35e-38 is the float32 0x01000000), and world-to-index maps would under- or overflow.
 */
const spacingRangeMm = [1e-6, 1e6] as const;

/** Why a spacing, origin and direction cannot place a volume in the world (null: they can). */
export function geometryProblem({ spacing, origin, direction }: Pick<VolumeProps, 'spacing' | 'origin' | 'direction'>): string | null {
  if (!spacing.every((s) => Number.isFinite(s) && s > 0)) return `spacing must be positive and finite, got ${spacing.join(', ')}`;
  const [least, most] = spacingRangeMm;
  if (!spacing.every((s) => s >= least && s <= most)) return `spacing ${spacing.join(', ')} is outside ${least} to ${most} mm`;
  if (!origin.every(Number.isFinite) || !direction.every((axis) => axis.every(Number.isFinite))) return 'origin and direction must be finite';
  if (Math.abs(determinant(direction)) < 1e-6) return 'direction axes are degenerate (collinear or zero)';
  return null;
}

/** Determinant of the matrix whose columns are the three axes. */
export function determinant(m: Mat3): number {
  const [a, b, c] = m;
  return a[0] * (b[1] * c[2] - b[2] * c[1]) - b[0] * (a[1] * c[2] - a[2] * c[1]) + c[0] * (a[1] * b[2] - a[2] * b[1]);
}

/** The dataType name of a voxel array. */
export function dataTypeOf(voxels: VoxelArray): VoxelDataType {
  if (voxels instanceof Int8Array) return 'int8';
  if (voxels instanceof Uint8Array) return 'uint8';
  if (voxels instanceof Int16Array) return 'int16';
  if (voxels instanceof Uint16Array) return 'uint16';
  if (voxels instanceof Int32Array) return 'int32';
  if (voxels instanceof Uint32Array) return 'uint32';
  if (voxels instanceof Float32Array) return 'float32';
  return 'float64';
}
