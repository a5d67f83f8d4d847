import { AxialError } from '../errors/AxialError.js';
import { geometryProblem } from '../volume/Volume.js';
import { rasAffineToGeometry, type Mat4 } from '../volume/volumeTransforms.js';
import type { CheckedNiftiHeader } from './readNiftiHeader.js';

export interface SelectedNiftiAffine {
  /** Voxel-to-RAS affine. */
  readonly affine: Mat4;
  readonly source: 'sform' | 'qform' | 'pixdim';
  /** Millimetres per unit of the file's spatial fields (1 unless xyzt_units says metres or micrometres). */
  readonly mmPerUnit: number;
  readonly warnings: string[];
}

/**
 * Chooses the transform as nibabel's `get_best_affine` does: the sform when
 * sform_code > 0, else the qform when qform_code > 0, else the pixdim
 * scaling centred on the volume. Warns when both are set and disagree.
 * Unlike nibabel, a set transform that cannot place the volume in space (a
 * zero-length, non-finite or collinear axis) is passed over for the next, with
 * a warning, rather than giving a singular affine; when every set one is so,
 * the file is refused. A zero, negative or non-finite pixdim[1..3] is taken
 * as 1 mm, as niftilib takes it (nibabel refuses a negative one), with a
 * warning. A file in metres or micrometres (xyzt_units) is converted to mm,
 * as ITK converts it (nibabel leaves it). nifti-reader-js prefers the qform
 * when its code is higher, so the sform rows are read from the raw header here.
 * @throws AxialError NIFTI_BAD_HEADER when the sform or qform is set and none that is set is usable.
 */
export function selectNiftiAffine(checked: CheckedNiftiHeader, headerBytes: Uint8Array, file: string): SelectedNiftiAffine {
  const { header } = checked;
  const warnings: string[] = [];
  const unit = spatialUnits[header.xyzt_units & 0x07];
  const unitSymbol = unit?.symbol ?? 'mm';
  // Every transform is judged and compared in mm.
  const inMm = (affine: Mat4): Mat4 => (unit === undefined ? affine : (affine.map((row, r) => (r < 3 ? row.map((v) => v * unit.mm) : row)) as Mat4));
  if (unit !== undefined) warnings.push(`its spatial unit is the ${unit.name}: converted to mm`);
  const sform = header.sform_code > 0 ? withProblem('sform', inMm(readSform(checked, headerBytes)), []) : undefined;
  const qformNotes: string[] = [];
  const qform = header.qform_code > 0 ? withProblem('qform', inMm(qformAffine(checked, unitSymbol, qformNotes)), qformNotes) : undefined;
  if (sform?.problem === null && qform?.problem === null) {
    const difference = maxCornerDistance(sform.affine, qform.affine, checked.dimensions);
    if (difference > 1e-3) {
      warnings.push(`sform and qform disagree by up to ${difference.toFixed(3)} mm; using the sform, as nibabel does`);
    }
  }
  const set = [sform, qform].filter((t) => t !== undefined);
  const usable = set.find((t) => t.problem === null);
  if (usable === undefined && set.length > 0) {
    const reasons = set.map((t) => `its ${t.source} cannot place the volume in space (${t.problem})`).join('; ');
    throw new AxialError('NIFTI_BAD_HEADER', reasons, { file });
  }
  if (usable) {
    // Only what was passed over to reach the one used is worth a word: a broken qform behind a good sform changes nothing.
    for (const t of set.slice(0, set.indexOf(usable)))
      warnings.push(`the ${t.source} cannot place the volume in space (${t.problem}); using the ${usable.source}`);
    return { affine: usable.affine, source: usable.source, mmPerUnit: unit?.mm ?? 1, warnings: [...warnings, ...usable.notes] };
  }
  warnings.push('neither sform nor qform is set; using pixdim with the origin at the centre, as nibabel does');
  return { affine: inMm(pixdimAffine(checked, unitSymbol, warnings)), source: 'pixdim', mmPerUnit: unit?.mm ?? 1, warnings };
}

/** xyzt_units' spatial codes other than mm (2) and unknown (0, read as mm): scaled to mm, as ITK and niftilib's tools scale them. */
const spatialUnits: Readonly<Record<number, { readonly mm: number; readonly name: string; readonly symbol: string } | undefined>> = {
  1: { mm: 1000, name: 'metre', symbol: 'm' },
  3: { mm: 0.001, name: 'micrometre', symbol: 'µm' },
};

interface SetTransform {
  readonly source: 'sform' | 'qform';
  readonly affine: Mat4;
  /** Why it cannot place the volume in space, or null. */
  readonly problem: string | null;
  /** What was assumed to build it, said only if it is used. */
  readonly notes: readonly string[];
}

function withProblem(source: SetTransform['source'], affine: Mat4, notes: readonly string[]): SetTransform {
  return { source, affine, problem: geometryProblem(rasAffineToGeometry(affine)), notes };
}

/** Voxel sizes from pixdim[1..3] in the file's unit: a zero, negative or non-finite one is taken as 1 unit, as niftilib takes it, with a note. */
function voxelSizes(pixdims: readonly (number | undefined)[], unitSymbol: string, notes: string[]): number[] {
  return [1, 2, 3].map((k) => {
    const size = pixdims[k];
    if (size !== undefined && Number.isFinite(size) && size > 0) return size;
    notes.push(`pixdim[${k}] is ${size ?? 'missing'}: 1 ${unitSymbol} assumed along that axis`);
    return 1;
  });
}

function readSform(checked: CheckedNiftiHeader, bytes: Uint8Array): Mat4 {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = checked.header.littleEndian;
  const rows: number[][] = [];
  for (let r = 0; r < 3; r++) {
    const row: number[] = [];
    for (let c = 0; c < 4; c++) {
      row.push(checked.version === 1 ? view.getFloat32(280 + r * 16 + c * 4, little) : view.getFloat64(400 + r * 32 + c * 8, little));
    }
    rows.push(row);
  }
  return [rows[0]!, rows[1]!, rows[2]!, [0, 0, 0, 1]];
}

/** The qform's affine; a negative pixdim[1..3] is also taken as 1 mm (niftilib's rule), said in `notes`. */
function qformAffine(checked: CheckedNiftiHeader, unitSymbol: string, notes: string[]): Mat4 {
  const h = checked.header;
  const b = h.quatern_b;
  const c = h.quatern_c;
  const d = h.quatern_d;
  const aSquared = 1 - (b * b + c * c + d * d);
  const a = aSquared > 1e-7 ? Math.sqrt(aSquared) : 0;
  const rotation = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  const qfac = h.pixDims[0] === -1 ? -1 : 1;
  const zooms = voxelSizes(h.pixDims, unitSymbol, notes);
  zooms[2] = zooms[2]! * qfac;
  const offsets = [h.qoffset_x, h.qoffset_y, h.qoffset_z];
  const rows = rotation.map((row, r) => [row[0]! * zooms[0]!, row[1]! * zooms[1]!, row[2]! * zooms[2]!, offsets[r]!]);
  return [rows[0]!, rows[1]!, rows[2]!, [0, 0, 0, 1]];
}

/** nibabel's `shape_zoom_affine` with the x axis flipped, on |pixdim| (a zero or non-finite one taken as 1 mm, said in `notes`). */
function pixdimAffine(checked: CheckedNiftiHeader, unitSymbol: string, notes: string[]): Mat4 {
  const zooms = voxelSizes(
    checked.header.pixDims.map((v) => Math.abs(v)),
    unitSymbol,
    notes,
  );
  zooms[0] = -zooms[0]!;
  const rows = [0, 1, 2].map((r) => {
    const row = [0, 0, 0, -((checked.dimensions[r]! - 1) / 2) * zooms[r]!];
    row[r] = zooms[r]!;
    return row;
  });
  return [rows[0]!, rows[1]!, rows[2]!, [0, 0, 0, 1]];
}

/** Largest distance (mm) between where the two affines put the volume's corners. */
function maxCornerDistance(a: Mat4, b: Mat4, dims: readonly number[]): number {
  let worst = 0;
  for (let corner = 0; corner < 8; corner++) {
    const index = [0, 1, 2].map((axis) => ((corner >> axis) & 1 ? dims[axis]! - 1 : 0));
    let squared = 0;
    for (let r = 0; r < 3; r++) {
      let delta = a[r]![3]! - b[r]![3]!;
      for (let c = 0; c < 3; c++) delta += (a[r]![c]! - b[r]![c]!) * index[c]!;
      squared += delta * delta;
    }
    worst = Math.max(worst, Math.sqrt(squared));
  }
  return worst;
}
