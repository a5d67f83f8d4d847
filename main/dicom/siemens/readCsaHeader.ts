import { AxialError } from '../../errors/AxialError.js';

/** The values of a CSA header's elements, by name, each value a trimmed string ("12", "0.99862953"). */
export type CsaHeader = ReadonlyMap<string, readonly string[]>;

/** "SV10" then 4 bytes nobody reads, the element count, and a check word (77). */
const headerBytes = 16;
/** name[64], vm int32, vr[4], syngodt int32, n_items int32, check int32. */
const elementBytes = 84;
/** Four int32 per item; the value's length is the second. */
const itemBytes = 16;
/**
 * Real headers hold about a hundred elements and items in the low hundreds (MosaicRefAcqTimes
 * has one per slice); these bounds only stop a forged count from driving a long loop, since each
 * count is also checked against the bytes left.
 */
const maxElements = 1000;
const maxItems = 10000;

/**
 * Reads a Siemens CSA2 header (the "SV10" layout of (0029,1010) CSA Image Header Info and
 * (0029,1020) CSA Series Header Info), as nibabel's csareader and dcm2niix read it: per element
 * a 64-byte name, VM, VR, SyngoDT, the item count and a check word; per item four int32 of which
 * the second is the value's length, then the value padded to 4 bytes. Only the first VM items
 * carry values (VM 0: all of them); the rest are empty padding. The header comes from the file,
 * so every count and length is checked against the bytes left before it is used.
 * @throws AxialError DICOM_MALFORMED naming `file` when the bytes are not a CSA2 header or a
 *   count or length runs past their end. The older CSA1 layout (no "SV10") is refused the same way.
 */
export function readCsaHeader(bytes: Uint8Array, file: string): CsaHeader {
  const malformed = (why: string): AxialError => new AxialError('DICOM_MALFORMED', `the Siemens CSA header (${bytes.length} bytes) ${why}`, { file });
  if (bytes.length < headerBytes || ascii(bytes, 0, 4) !== 'SV10') throw malformed('does not start with "SV10" (only CSA2 is read)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  if (count > maxElements || headerBytes + count * elementBytes > bytes.length) {
    throw malformed(`claims ${count} elements, more than its bytes can hold`);
  }
  const elements = new Map<string, string[]>();
  let at = headerBytes;
  for (let e = 0; e < count; e++) {
    if (at + elementBytes > bytes.length) throw malformed(`ends inside element ${e + 1} of ${count}`);
    const name = ascii(bytes, at, 64);
    const vm = view.getInt32(at + 64, true);
    const items = view.getInt32(at + 76, true);
    at += elementBytes;
    if (vm < 0 || items < 0 || items > maxItems || at + items * itemBytes > bytes.length) {
      throw malformed(`element ${e + 1} (${name}) claims VM ${vm} and ${items} items, past its end`);
    }
    const values: string[] = [];
    for (let i = 0; i < items; i++) {
      if (at + itemBytes > bytes.length) throw malformed(`ends inside item ${i + 1} of element ${e + 1} (${name})`);
      const length = view.getInt32(at + 4, true);
      at += itemBytes;
      if (length < 0 || at + length > bytes.length) {
        throw malformed(`item ${i + 1} of element ${e + 1} (${name}) claims ${length} bytes, past its end`);
      }
      if (vm === 0 || i < vm) values.push(ascii(bytes, at, length).trim());
      at += Math.ceil(length / 4) * 4;
    }
    if (!elements.has(name)) elements.set(name, values);
  }
  return elements;
}

/** Latin-1 text up to the first NUL within `length` bytes (or the end of the bytes). */
function ascii(bytes: Uint8Array, start: number, length: number): string {
  const end = Math.min(bytes.length, start + length);
  let text = '';
  for (let i = start; i < end && bytes[i] !== 0; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}
