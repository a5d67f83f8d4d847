import { element, part10, text, us } from '../dicom/buildPart10.js';

export interface CtSeriesOptions {
  /** Slices of `rows` × `columns` 16-bit pixels; default 3 of 4 × 5. */
  readonly slices?: number;
  readonly rows?: number;
  readonly columns?: number;
  /** (0008,103E) as written, in Latin-1 bytes: tests put escape sequences here. */
  readonly seriesDescription?: string;
}

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const ds = (values: readonly number[]): number[] => text(values.join('\\'), 'DS');

/**
 * A small axial CT series, one Part 10 file per slice, built element by element
 * in ascending tag order (PS3.3 C.7.6.2 plane geometry, C.7.6.3 pixel module):
 * slice k lies at z = 2.5·k mm and its pixels count up from 100·k.
 */
export function buildCtSeries(options: CtSeriesOptions = {}): Uint8Array[] {
  const { slices = 3, rows = 4, columns = 5, seriesDescription = 'test series' } = options;
  return Array.from({ length: slices }, (_, k) => {
    const pixels = new Uint16Array(rows * columns).map((_, n) => 100 * k + n);
    return part10(
      EXPLICIT_LE,
      element(0x00080016, 'UI', text(CT_IMAGE_STORAGE, 'UI')),
      element(0x00080018, 'UI', text(`1.2.826.0.1.3680043.99.1.${k + 1}`, 'UI')),
      element(0x00080060, 'CS', text('CT')),
      element(0x0008103e, 'LO', text(seriesDescription, 'LO')),
      element(0x0020000d, 'UI', text('1.2.826.0.1.3680043.99.2', 'UI')),
      element(0x0020000e, 'UI', text('1.2.826.0.1.3680043.99.3', 'UI')),
      element(0x00200013, 'IS', text(String(k + 1), 'IS')),
      element(0x00200032, 'DS', ds([-10, -20, 2.5 * k])),
      element(0x00200037, 'DS', ds([1, 0, 0, 0, 1, 0])),
      element(0x00200052, 'UI', text('1.2.826.0.1.3680043.99.4', 'UI')),
      element(0x00280002, 'US', us(1)),
      element(0x00280004, 'CS', text('MONOCHROME2')),
      element(0x00280010, 'US', us(rows)),
      element(0x00280011, 'US', us(columns)),
      element(0x00280030, 'DS', ds([0.8, 0.7])),
      element(0x00280100, 'US', us(16)),
      element(0x00280101, 'US', us(16)),
      element(0x00280102, 'US', us(15)),
      element(0x00280103, 'US', us(0)),
      element(0x7fe00010, 'OW', new Uint8Array(pixels.buffer)),
    );
  });
}
