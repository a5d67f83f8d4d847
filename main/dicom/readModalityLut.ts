import type { DataSet } from 'dicom-parser';
import { AxialError } from '../errors/AxialError.js';

/**
 * A Modality LUT (PS3.3 C.11.1): the table that maps stored values to real ones in place of
 * RescaleSlope/RescaleIntercept. A stored value v gives table[v - firstMapped]; values below
 * firstMapped give the first entry, values past the table's end the last.
 */
export interface ModalityLut {
  /** LUT Descriptor's second value: the stored value mapped to table[0] (US or SS per PixelRepresentation). */
  readonly firstMapped: number;
  /** LUT Data (US or OW, so unsigned), one output value per entry; 8-bit entries widened. */
  readonly table: Uint16Array;
  /** ModalityLUTType (0028,3004), e.g. 'HU'; '' when absent. */
  readonly type: string;
}

/**
 * Reads the Modality LUT Sequence (0028,3000): its first item's LUT Descriptor (0028,3002) (entries,
 * 0 meaning 65536; first stored value mapped; bits per entry) and LUT Data (0028,3006). Entries of
 * 8 bits are read one a byte when the data holds one byte an entry, else from the low byte of
 * 16-bit cells (the padding PS3.3's note allows); wider ones from 16-bit cells. pydicom's
 * apply_modality_lut reads the same table.
 * @returns undefined when the file has no such sequence, or it has no item.
 * @throws AxialError DICOM_MALFORMED when the item lacks its descriptor or data, gives bits outside
 *   1-16, or holds fewer entries than its descriptor claims.
 */
export function readModalityLut(dataSet: DataSet, file: string): ModalityLut | undefined {
  const item = dataSet.elements.x00283000?.items?.[0]?.dataSet;
  if (!item) return undefined;
  const malformed = (message: string): AxialError => new AxialError('DICOM_MALFORMED', `Modality LUT Sequence (0028,3000): ${message}`, { file });
  const descriptor = item.elements.x00283002;
  if (!descriptor || descriptor.length < 6) throw malformed('its LUT Descriptor (0028,3002) does not hold three values');
  const entries = item.uint16('x00283002', 0)! || 65536;
  const first = item.uint16('x00283002', 1)!;
  const bits = item.uint16('x00283002', 2)!;
  if (bits < 1 || bits > 16) throw malformed(`LUT Descriptor gives ${bits} bits an entry; it must be 8 or 16`);
  const signed = (dataSet.uint16('x00280103') ?? 0) === 1;
  const data = item.elements.x00283006;
  const bytes = data?.length ?? 0;
  const oneBytePerEntry = bits <= 8 && bytes < 2 * entries;
  if (bytes < (oneBytePerEntry ? entries : 2 * entries)) {
    throw malformed(`LUT Data (0028,3006) holds ${bytes} bytes, too few for the ${entries} entries of ${bits} bits its descriptor claims`);
  }
  const table = new Uint16Array(entries);
  if (oneBytePerEntry) table.set(item.byteArray.subarray(data!.dataOffset, data!.dataOffset + entries));
  else for (let i = 0; i < entries; i++) table[i] = item.uint16('x00283006', i)! & (bits <= 8 ? 0xff : 0xffff);
  return {
    firstMapped: signed && first >= 0x8000 ? first - 0x10000 : first,
    table,
    type: (item.string('x00283004') ?? '').trim(),
  };
}
