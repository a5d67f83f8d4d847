/**
 * Hand-built DICOM bytes for malformed-input tests, in Explicit VR Little Endian (PS3.5 7.1.2):
 * each element is group (2 bytes), element (2), VR (2 ASCII), then either a 2-byte length, or for
 * the VRs below 2 reserved bytes and a 4-byte length, then the value.
 */
const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

function tagBytes(tag: number): number[] {
  const group = tag >>> 16;
  const element = tag & 0xffff;
  return [group & 0xff, group >> 8, element & 0xff, element >> 8];
}

function uint32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
}

/** One element; `tag` as 0xGGGGEEEE. */
export function element(tag: number, vr: string, value: ArrayLike<number>): number[] {
  const length = value.length;
  const header = LONG_LENGTH_VRS.has(vr)
    ? [...tagBytes(tag), vr.charCodeAt(0), vr.charCodeAt(1), 0, 0, ...uint32(length)]
    : [...tagBytes(tag), vr.charCodeAt(0), vr.charCodeAt(1), length & 0xff, length >> 8];
  return [...header, ...Array.from(value)];
}

/** A US value: uint16 little endian. */
export function us(value: number): number[] {
  return [value & 0xff, value >> 8];
}

/** A string value padded to even length: with NUL for UI, with a space otherwise (PS3.5 6.2). */
export function text(value: string, vr = 'CS'): number[] {
  const bytes = [...value].map((c) => c.charCodeAt(0));
  if (bytes.length % 2 === 1) bytes.push(vr === 'UI' ? 0 : 0x20);
  return bytes;
}

/**
 * Encapsulated Pixel Data (PS3.5 A.4): (7FE0,0010) OB of undefined length (FFFFFFFF), the Basic
 * Offset Table item (FFFE,E000) holding uint32 offsets, one item per fragment, then the Sequence
 * Delimitation Item (FFFE,E0DD) of length 0.
 */
export function encapsulatedPixelData(fragments: number[][], offsetTable: number[] = []): number[] {
  const item = (value: number[]): number[] => [...tagBytes(0xfffee000), ...uint32(value.length), ...value];
  return [
    ...tagBytes(0x7fe00010),
    0x4f,
    0x42,
    0,
    0,
    ...uint32(0xffffffff), // (7FE0,0010) OB, undefined length
    ...item(offsetTable.flatMap(uint32)),
    ...fragments.flatMap(item),
    ...tagBytes(0xfffee0dd),
    ...uint32(0),
  ];
}

/** A Part 10 file: 128-byte preamble, "DICM", (0002,0010) TransferSyntaxUID, then `elements`. */
export function part10(transferSyntaxUid: string, ...elements: number[][]): Uint8Array {
  const prefix = [...new Array<number>(128).fill(0), 0x44, 0x49, 0x43, 0x4d];
  return new Uint8Array([...prefix, ...element(0x00020010, 'UI', text(transferSyntaxUid, 'UI')), ...elements.flat()]);
}

/** Rows, Columns, BitsAllocated/Stored, HighBit, PixelRepresentation of a grayscale image. */
export function imagePixelModule(rows: number, columns: number, bitsAllocated = 16, pixelRepresentation = 0): number[] {
  return [
    ...element(0x00280002, 'US', us(1)),
    ...element(0x00280004, 'CS', text('MONOCHROME2')),
    ...element(0x00280010, 'US', us(rows)),
    ...element(0x00280011, 'US', us(columns)),
    ...element(0x00280100, 'US', us(bitsAllocated)),
    ...element(0x00280101, 'US', us(bitsAllocated)),
    ...element(0x00280102, 'US', us(bitsAllocated - 1)),
    ...element(0x00280103, 'US', us(pixelRepresentation)),
  ];
}
