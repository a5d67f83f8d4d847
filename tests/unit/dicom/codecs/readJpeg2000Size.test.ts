import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJpeg2000Size } from '../../../../main/dicom/codecs/readJpeg2000Size.js';
import { parseDicomBytes } from '../../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat } from '../../../../main/dicom/PixelFormat.js';
import { readFrameBytes } from '../../../../main/dicom/readFrameBytes.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';
import { jpeg2000Frame } from '../buildHostileDicom.js';

function uint32be(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

describe('readJpeg2000Size', () => {
  it('reads the image size, components and tile count from SIZ', () => {
    const codestream = Uint8Array.from(jpeg2000Frame(300, 200));
    expect(readJpeg2000Size(codestream)).toEqual({ columns: 300, rows: 200, componentCount: 1, tileCount: 1, codestreamBytes: codestream.length });
  });

  it('subtracts the image offset and counts the tiles from the tile grid offset', () => {
    const frame = jpeg2000Frame(300, 200);
    frame.splice(16, 8, ...uint32be(100), ...uint32be(50)); // XOsiz, YOsiz: a 200x150 image
    frame.splice(24, 8, ...uint32be(64), ...uint32be(64)); // XTsiz, YTsiz: tiles of 64 from (0, 0)
    expect(readJpeg2000Size(Uint8Array.from(frame))).toMatchObject({ columns: 200, rows: 150, tileCount: 5 * 4 });
  });

  it('finds the codestream inside a JP2 file (signature, file type, jp2c boxes)', () => {
    const codestream = jpeg2000Frame(40, 30);
    const box = (type: string, body: number[]): number[] => [...uint32be(8 + body.length), ...Buffer.from(type, 'latin1'), ...body];
    const jp2 = [...box('jP  ', [0x0d, 0x0a, 0x87, 0x0a]), ...box('ftyp', [...Buffer.from('jp2 '), 0, 0, 0, 0]), ...box('jp2c', codestream)];
    expect(readJpeg2000Size(Uint8Array.from(jp2))).toMatchObject({ columns: 40, rows: 30, codestreamBytes: codestream.length });
  });

  it('refuses bytes without SOC and SIZ, a cut SIZ, and an empty image', () => {
    expect(() => readJpeg2000Size(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toThrow(/SOC and SIZ/);
    expect(() => readJpeg2000Size(Uint8Array.from(jpeg2000Frame(8, 8).slice(0, 30)))).toThrow(/ends inside its SIZ/);
    const empty = jpeg2000Frame(8, 8);
    empty.splice(16, 4, ...uint32be(8)); // XOsiz = Xsiz
    expect(() => readJpeg2000Size(Uint8Array.from(empty))).toThrow(/empty image or tile/);
  });
});

describe.skipIf(!hasSharedData)(`readJpeg2000Size on real frames (${noSharedDataReason})`, () => {
  it.each(['4.90', '4.91'])('reads 512x512 from the CT slice in 1.2.840.10008.1.2.%s', (suffix) => {
    const name = suffix === '4.90' ? 'JPEG2000LosslessOnlyTransferSyntax' : 'JPEG2000TransferSyntax';
    const file = sharedData(`dicom/ct-transfer-syntaxes/CTImage.dcm_${name}_1.2.840.10008.1.2.${suffix}.dcm`);
    const dataSet = parseDicomBytes(readFileSync(file), file);
    const frame = readFrameBytes(dataSet, readPixelFormat(dataSet, file), 0, file);
    expect(readJpeg2000Size(frame)).toMatchObject({ columns: 512, rows: 512, componentCount: 1 });
  });
});
