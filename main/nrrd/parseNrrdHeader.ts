import { AxialError } from '../errors/AxialError.js';
import type { Volume, VoxelArray } from '../volume/Volume.js';
import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import { parseNrrdDataFiles, type NrrdDataFiles } from './parseNrrdDataFiles.js';
import { parseNrrdFields } from './parseNrrdFields.js';

export interface NrrdType {
  readonly bytes: number;
  readonly make: (count: number) => VoxelArray;
  /** 64-bit integers have no typed array that Volume accepts: they are read into a Float64Array. */
  readonly wide?: 'signed' | 'unsigned';
}

/** A NRRD header's fields, checked and turned into what a Volume and the data reader need. */
export interface NrrdHeader {
  readonly sizes: readonly number[];
  /** The non-spatial axis of a 4-D file (0 or 3), or null for 3-D. */
  readonly extraAxis: 0 | 3 | null;
  readonly spatialAxes: readonly [number, number, number];
  /** LPS spacing, origin and direction of the spatial axes. */
  readonly geometry: Pick<Volume, 'spacing' | 'origin' | 'direction'>;
  readonly type: NrrdType;
  readonly encoding: 'raw' | 'gzip' | 'ascii';
  readonly littleEndian: boolean;
  /** The detached data files as written, relative to the header's folder; none when the data is attached. */
  readonly dataFiles: NrrdDataFiles;
  readonly lineSkip: number;
  readonly byteSkip: number;
  readonly warnings: string[];
}

/** The header's fields with the file's error and warning sinks, passed to every parsing step. */
interface HeaderContext {
  /** Field names lower-cased without spaces, so `data file` and `datafile` agree, as in Teem. */
  readonly fields: ReadonlyMap<string, string>;
  readonly warnings: string[];
  readonly fail: (code: 'NRRD_BAD_HEADER' | 'NRRD_UNSUPPORTED', message: string) => never;
}

type Shape = Pick<NrrdHeader, 'sizes' | 'extraAxis' | 'spatialAxes'>;
type Geometry = NrrdHeader['geometry'];
type Encoding = Pick<NrrdHeader, 'type' | 'encoding' | 'littleEndian' | 'lineSkip' | 'byteSkip'>;

const RAS_TO_LPS: Vec3 = [-1, -1, 1];
const AS_WRITTEN: Vec3 = [1, 1, 1];
/** Teem's domain kinds, and the unknown ones it treats as domain (nrrdDomainAxesGet). */
const SPATIAL_KIND = /^(domain|space|time|\?\?\?|none|unknown)$/i;
/** Teem's kinds whose axis always holds several values (a colour, a vector, a tensor), whatever its size says. */
const MULTI_VALUED_KIND = /(color|vector|normal|gradient|matrix|quaternion|complex)$/i;
const ENCODINGS: Record<string, NrrdHeader['encoding']> = {
  raw: 'raw',
  gzip: 'gzip',
  gz: 'gzip',
  ascii: 'ascii',
  text: 'ascii',
  txt: 'ascii',
};

const int = (bytes: number, make: NrrdType['make'], wide?: NrrdType['wide']): NrrdType => ({ bytes, make, wide });
const TYPES: readonly (readonly [string, NrrdType])[] = [
  ['signed char|int8|int8_t', int(1, (n) => new Int8Array(n))],
  ['uchar|unsigned char|uint8|uint8_t', int(1, (n) => new Uint8Array(n))],
  ['short|short int|signed short|signed short int|int16|int16_t', int(2, (n) => new Int16Array(n))],
  ['ushort|unsigned short|unsigned short int|uint16|uint16_t', int(2, (n) => new Uint16Array(n))],
  ['int|signed int|int32|int32_t', int(4, (n) => new Int32Array(n))],
  ['uint|unsigned int|uint32|uint32_t', int(4, (n) => new Uint32Array(n))],
  ['longlong|long long|long long int|signed long long|signed long long int|int64|int64_t', int(8, (n) => new Float64Array(n), 'signed')],
  ['ulonglong|unsigned long long|unsigned long long int|uint64|uint64_t', int(8, (n) => new Float64Array(n), 'unsigned')],
  ['float', int(4, (n) => new Float32Array(n))],
  ['double', int(8, (n) => new Float64Array(n))],
];

/**
 * Parses a NRRD header's text (from the magic line up to the blank line that ends it) and works out the
 * volume's shape, its LPS geometry and how its data is stored. A 4-D header's non-spatial first or last
 * axis is found and noted in a warning; the reader keeps its first sample.
 * @param path The header's file, named in errors.
 * @throws AxialError NRRD_BAD_HEADER for a missing or malformed field (a data file field included);
 *   NRRD_UNSUPPORTED naming the encoding, type, space or dimension, or for a 2-D colour (or multi-valued) image.
 */
export function parseNrrdHeader(text: string, path: string): NrrdHeader {
  const parsed = parseNrrdFields(text);
  const context: HeaderContext = {
    fields: parsed.fields,
    warnings: [],
    fail: (code, message) => {
      throw new AxialError(code, message, { file: path });
    },
  };
  const shape = parseShape(context);
  const geometry = parseGeometry(context, shape);
  const encoding = parseEncoding(context);
  const dataFiles = parseNrrdDataFiles(parsed, path);
  const { fields, warnings } = context;
  const units = fields.get('spaceunits');
  if (units && !/^("mm"\s*){3}$/.test(units)) warnings.push(`space units ${units} are read as mm`);
  if (encoding.type.wide) warnings.push(`64-bit ${encoding.type.wide} integers are read as float64`);
  return { ...shape, geometry, ...encoding, dataFiles, warnings };
}

function parseShape(context: HeaderContext): Shape {
  const { fields, fail, warnings } = context;
  const dimension = Number(fields.get('dimension') ?? fail('NRRD_BAD_HEADER', "missing 'dimension' field"));
  if (dimension !== 3 && dimension !== 4) fail('NRRD_UNSUPPORTED', `dimension ${dimension}: only 3-D and 4-D are read`);
  const sizes = (fields.get('sizes') ?? fail('NRRD_BAD_HEADER', "missing 'sizes' field")).split(/\s+/).map(Number);
  if (sizes.length !== dimension || !sizes.every((n) => Number.isSafeInteger(n) && n > 0)) {
    fail('NRRD_BAD_HEADER', `sizes '${fields.get('sizes')}' are not ${dimension} positive integers`);
  }
  if (dimension === 3) refuseNonSpatialAxis(context, sizes);
  const extraAxis = dimension === 4 ? findExtraAxis(context) : null;
  if (extraAxis !== null) {
    const kind = fields.get('kinds')?.split(/\s+/)[extraAxis] ?? 'unknown';
    warnings.push(`4-D NRRD: kept the first of ${sizes[extraAxis]} samples along axis ${extraAxis} (kind ${kind})`);
  }
  return { sizes, extraAxis, spatialAxes: extraAxis === 0 ? [1, 2, 3] : [0, 1, 2] };
}

/**
 * A 3-D file with a non-spatial axis of several samples (a `none` space direction, or a kind such as RGB-color or
 * vector) is a 2-D image with several values per pixel, not a volume: reading its samples as slices would show a
 * wrong image. A single sample (`unu axinsert`'s stub axis, a scalar kind) is one value per pixel: such a file is
 * read as a one-slice volume, as ITK reads it as a 2-D scalar image.
 */
function refuseNonSpatialAxis({ fields, fail }: HeaderContext, sizes: readonly number[]): void {
  const kinds = fields.get('kinds')?.split(/\s+/) ?? [];
  const directions = splitDirections(fields.get('spacedirections') ?? '');
  const multiValued = (a: number): boolean => sizes[a]! > 1 || MULTI_VALUED_KIND.test(kinds[a] ?? '');
  const axis = [0, 1, 2].find((a) => (directions[a] === 'none' || !SPATIAL_KIND.test(kinds[a] ?? 'domain')) && multiValued(a));
  if (axis === undefined) return;
  const kind = kinds[axis];
  const what = kind && /color$/i.test(kind) ? 'a 2-D colour image' : `a 2-D image with ${sizes[axis]} values per pixel`;
  const why = kind && !SPATIAL_KIND.test(kind) ? `its axis ${axis} is ${kind}` : `its axis ${axis} has no space direction`;
  fail('NRRD_UNSUPPORTED', `${what}, not a volume (${why}): only 3-D volumes are read`);
}

/** The non-spatial axis of a 4-D file: a `none` direction, else a non-domain kind, else a NaN spacing. */
function findExtraAxis({ fields, fail, warnings }: HeaderContext): 0 | 3 {
  const directions = fields.get('spacedirections');
  const candidates = directions
    ? splitDirections(directions).flatMap((d, a) => (d === 'none' ? [a] : []))
    : (fields
        .get('kinds')
        ?.split(/\s+/)
        .flatMap((k, a) => (/^(domain|space)$/i.test(k) ? [] : [a])) ??
      fields
        .get('spacings')
        ?.split(/\s+/)
        .flatMap((s, a) => (Number.isNaN(Number(s)) ? [a] : [])) ??
      []);
  if (candidates.length === 0 && !directions) {
    warnings.push('4-D NRRD names no non-spatial axis: assuming the last');
    return 3;
  }
  const [axis] = candidates;
  if (candidates.length !== 1 || (axis !== 0 && axis !== 3)) {
    return fail('NRRD_UNSUPPORTED', '4-D NRRD whose non-spatial axis is not the single first or last axis');
  }
  return axis;
}

function splitDirections(text: string): string[] {
  return (text.match(/\([^)]*\)|none/gi) ?? []).map((d) => d.toLowerCase());
}

function parseVector(text: string, { fail }: HeaderContext): Vec3 {
  const parts = text
    .replace(/^\(|\)$/g, '')
    .split(',')
    .map(Number);
  if (parts.length !== 3 || !parts.every(Number.isFinite)) fail('NRRD_BAD_HEADER', `'${text}' is not a 3-vector`);
  return [parts[0]!, parts[1]!, parts[2]!];
}

/** Multiplies by per-coordinate signs; `+ 0` turns the -0 of a flipped zero into 0. */
function flipped(v: Vec3, signs: Vec3): Vec3 {
  return [v[0] * signs[0] + 0, v[1] * signs[1] + 0, v[2] * signs[2] + 0];
}

/**
 * The per-coordinate signs that take the file's space to LPS, or null when it names no space. A space without
 * patient orientation (scanner-xyz, 3D-right-handed, 3D-left-handed, a bare `space dimension: 3`) is taken as it
 * is, as ITK's NrrdImageIO (the reader 3D Slicer's volumes go through) takes it: as LPS, nothing flipped.
 */
function spaceToLps({ fields, fail, warnings }: HeaderContext): Vec3 | null {
  const space = fields.get('space');
  if (space === undefined) {
    const dimension = fields.get('spacedimension');
    if (dimension === undefined) return null;
    if (dimension !== '3') fail('NRRD_UNSUPPORTED', `space dimension ${dimension}`);
    warnings.push(unorientedWarning('it gives a space dimension but no named space'));
    return AS_WRITTEN;
  }
  switch (space.toLowerCase()) {
    case 'right-anterior-superior':
    case 'ras':
      return RAS_TO_LPS;
    case 'left-anterior-superior':
    case 'las':
      return [1, -1, 1];
    case 'left-posterior-superior':
    case 'lps':
      return AS_WRITTEN;
    case 'scanner-xyz':
    case '3d-right-handed':
    case '3d-left-handed':
      warnings.push(unorientedWarning(`its space is ${space}`));
      return AS_WRITTEN;
    default:
      return fail('NRRD_UNSUPPORTED', `space '${space}'`);
  }
}

/** The warning for coordinates that say nothing of the patient's left, back or head. */
function unorientedWarning(why: string): string {
  return (
    `the file does not say which way the patient lies (${why}): its coordinates are used unchanged as ` +
    'left-posterior-superior, as ITK reads them, so left–right and front–back may be reversed'
  );
}

function parseGeometry(context: HeaderContext, shape: Shape): Geometry {
  const { fields, fail, warnings } = context;
  const signs = spaceToLps(context);
  const originText = fields.get('spaceorigin');
  const directionsText = fields.get('spacedirections');
  if (!directionsText) return axisAlignedGeometry(context, shape, signs);
  if (!signs) return fail('NRRD_BAD_HEADER', "'space directions' without 'space' or 'space dimension'");
  const all = splitDirections(directionsText);
  if (all.length !== shape.sizes.length) fail('NRRD_BAD_HEADER', `space directions has ${all.length} entries`);
  const spacing: number[] = [];
  const direction: Vec3[] = [];
  for (const a of shape.spatialAxes) {
    if (all[a] === 'none') fail('NRRD_UNSUPPORTED', `spatial axis ${a} has no space direction`);
    const v = flipped(parseVector(all[a]!, context), signs);
    const length = Math.hypot(...v);
    if (!(length > 0)) fail('NRRD_BAD_HEADER', `space direction of axis ${a} is zero`);
    spacing.push(length);
    direction.push([v[0] / length, v[1] / length, v[2] / length]);
  }
  if (!originText) warnings.push('no space origin: placed at (0, 0, 0)');
  const origin = originText ? flipped(parseVector(originText, context), signs) : ([0, 0, 0] as const);
  return { spacing: spacing as unknown as Vec3, origin, direction: direction as unknown as Mat3 };
}

/** Without space directions the index axes follow the space's own axes, scaled by `spacings`. */
function axisAlignedGeometry(context: HeaderContext, shape: Shape, signs: Vec3 | null): Geometry {
  const { fields, warnings } = context;
  if (!signs) warnings.push(unorientedWarning('it names no space'));
  const s = signs ?? AS_WRITTEN;
  const spacings = perAxis(fields.get('spacings'), shape).map(Number);
  const spacing = spacings.map((x) => (x > 0 && Number.isFinite(x) ? x : NaN));
  if (!spacing.every(Number.isFinite)) {
    warnings.push(`no usable spacings ('${fields.get('spacings') ?? ''}'): 1 mm where missing`);
  }
  const originText = fields.get('spaceorigin');
  // Teem keeps `axis mins` for files without a space; with one, the origin is `space origin`.
  const fromMins = signs ? null : originFromAxisMins(fields, shape, spacing);
  return {
    spacing: spacing.map((x) => (Number.isFinite(x) ? x : 1)) as unknown as Vec3,
    origin: originText ? flipped(parseVector(originText, context), s) : (fromMins ?? [0, 0, 0]),
    direction: [
      [s[0], 0, 0],
      [0, s[1], 0],
      [0, 0, s[2]],
    ],
  };
}

/** The spatial axes' entries of a per-axis field (`spacings`, `axis mins`, `centers`), '' where missing. */
function perAxis(text: string | undefined, shape: Shape): string[] {
  const all = text?.trim().split(/\s+/) ?? [];
  return shape.spatialAxes.map((a) => all[a] ?? '');
}

/**
 * Where the first voxel's centre lies on a file with no space, from `axis mins` as Teem's nrrdOriginCalculate
 * (which ITK's NrrdImageIO calls) works it out: cell-centred unless `centers` says node, so half a voxel in from
 * the minimum; the voxel size is the spacing, else (axis max − axis min) over the voxels. Null, as in Teem, when
 * an axis has no minimum, or neither a spacing nor a maximum.
 */
function originFromAxisMins(fields: HeaderContext['fields'], shape: Shape, spacing: readonly number[]): Vec3 | null {
  const mins = perAxis(fields.get('axismins'), shape).map(parseFloat);
  const maxs = perAxis(fields.get('axismaxs'), shape).map(parseFloat);
  const centers = perAxis(fields.get('centers') ?? fields.get('centerings'), shape);
  const origin = shape.spatialAxes.map((a, n) => {
    const cell = !/^node$/i.test(centers[n]!);
    const size = shape.sizes[a]!;
    const step = Number.isFinite(spacing[n]) ? spacing[n]! : (maxs[n]! - mins[n]!) / (cell ? size : size - 1);
    return mins[n]! + (cell ? step / 2 : 0);
  });
  return origin.every(Number.isFinite) ? (origin as unknown as Vec3) : null;
}

function parseEncoding({ fields, fail }: HeaderContext): Encoding {
  const typeName = (fields.get('type') ?? fail('NRRD_BAD_HEADER', "missing 'type' field")).toLowerCase();
  const type = TYPES.find(([names]) => names.split('|').includes(typeName.replace(/\s+/g, ' ')))?.[1];
  if (!type) return fail('NRRD_UNSUPPORTED', `type '${typeName}'`);
  const encodingName = (fields.get('encoding') ?? fail('NRRD_BAD_HEADER', "missing 'encoding' field")).toLowerCase();
  const encoding = ENCODINGS[encodingName] ?? fail('NRRD_UNSUPPORTED', `encoding '${encodingName}' (raw, gzip, ascii are read)`);
  const endian = fields.get('endian')?.toLowerCase();
  if (endian === undefined && type.bytes > 1 && encoding !== 'ascii') fail('NRRD_BAD_HEADER', "missing 'endian' field");
  if (endian !== undefined && endian !== 'little' && endian !== 'big') fail('NRRD_BAD_HEADER', `endian '${endian}'`);
  const byteSkip = Number(fields.get('byteskip') ?? 0);
  const lineSkip = Number(fields.get('lineskip') ?? 0);
  if (!Number.isSafeInteger(byteSkip) || byteSkip < -1 || (byteSkip === -1 && encoding !== 'raw')) {
    fail('NRRD_BAD_HEADER', `byte skip '${fields.get('byteskip')}' (-1 is for raw data only)`);
  }
  if (!Number.isSafeInteger(lineSkip) || lineSkip < 0) fail('NRRD_BAD_HEADER', `line skip '${fields.get('lineskip')}'`);
  return { type, encoding, littleEndian: endian !== 'big', lineSkip, byteSkip };
}
