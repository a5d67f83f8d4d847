import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createDeflateRaw } from 'node:zlib';
import { element, encapsulatedPixelData, imagePixelModule, part10, text } from './buildPart10.js';

/**
 * Hand-built DICOM files whose headers claim more than their bytes hold, for the hostile-input
 * specs: each is small on disk and was, before the readers checked claims against bytes, slow
 * or memory-hungry to read.
 */

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const DEFLATED = '1.2.840.10008.1.2.1.99';

function uint32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
}

function uint16be(value: number): number[] {
  return [(value >> 8) & 0xff, value & 0xff];
}

function uint32be(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/** A sequence (SQ) of explicit-length items, each given as its elements' bytes. */
export function sequence(tag: number, ...items: number[][]): number[] {
  const body = items.flatMap((item) => [0xfe, 0xff, 0x00, 0xe0, ...uint32(item.length), ...item]);
  return element(tag, 'SQ', body);
}

/** A DS value list, e.g. ds(0, 0, 1). */
function ds(...values: number[]): number[] {
  return text(values.join('\\'), 'DS');
}

const seriesModule = [...element(0x00080060, 'CS', text('CT')), ...element(0x0020000e, 'UI', text('1.2.826.0.1.3680043.10.1', 'UI'))];

/**
 * A multi-frame image that says NumberOfFrames is `frames`, placed by a shared functional group
 * (so every frame has a position without a per-frame item), with `pixelBytes` of Pixel Data.
 */
export function manyFramesClaim(frames = 10_000_000, pixelBytes = 6000, size = 16, bitsAllocated = 16): Uint8Array {
  const plane = sequence(0x00209113, element(0x00200032, 'DS', ds(0, 0, 0)));
  const orientation = sequence(0x00209116, element(0x00200037, 'DS', ds(1, 0, 0, 0, 1, 0)));
  return part10(
    EXPLICIT_LE,
    seriesModule,
    element(0x00280008, 'IS', text(String(frames), 'IS')),
    imagePixelModule(size, size, bitsAllocated),
    sequence(0x52009229, [...plane, ...orientation]),
    element(0x7fe00010, 'OB', new Uint8Array(pixelBytes)),
  );
}

/** A valid 2x2 16-bit image, the smallest file `axial info` reads without complaint. */
export function tinyImage(): Uint8Array {
  return part10(EXPLICIT_LE, seriesModule, imagePixelModule(2, 2), element(0x7fe00010, 'OW', [1, 0, 2, 0, 3, 0, 4, 0]));
}

/** One encapsulated frame in a file of the given transfer syntax, Rows x Columns as given. */
export function encapsulatedImage(transferSyntaxUid: string, rows: number, columns: number, frame: number[], bitsAllocated = 16): Uint8Array {
  return part10(transferSyntaxUid, seriesModule, imagePixelModule(rows, columns, bitsAllocated), encapsulatedPixelData([frame]));
}

/**
 * A JPEG Lossless (SOF3, 16-bit, predictor 1) stream of width x height whose single Huffman code
 * "0" means "no difference", followed by `dataBytes` zero bytes: a real bound is one bit per
 * sample, so a 65535x65535 frame needs 512 MiB where this holds a few hundred kilobytes.
 */
export function jpegLosslessFrame(width: number, height: number, dataBytes: number): number[] {
  const segment = (marker: number, body: number[]): number[] => [0xff, marker, ...uint16be(body.length + 2), ...body];
  return [
    0xff,
    0xd8, // SOI
    ...segment(0xc3, [16, ...uint16be(height), ...uint16be(width), 1, 1, 0x11, 0]), // SOF3: P, Y, X, Nf, C1 H1V1 Tq1
    ...segment(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0]), // DHT: DC table 0, one 1-bit code for SSSS 0
    ...segment(0xda, [1, 1, 0x00, 1, 0, 0]), // SOS: Ns 1, Cs 1, Td/Ta 0, predictor 1, Se 0, Ah/Al 0
    ...new Array<number>(dataBytes).fill(0),
    0xff,
    0xd9, // EOI
  ];
}

/** A JPEG-LS (SOF55) stream of width x height with `dataBytes` bytes of scan data. */
export function jpegLsFrame(width: number, height: number, dataBytes: number): number[] {
  const segment = (marker: number, body: number[]): number[] => [0xff, marker, ...uint16be(body.length + 2), ...body];
  return [
    0xff,
    0xd8,
    ...segment(0xf7, [16, ...uint16be(height), ...uint16be(width), 1, 1, 0x11, 0]), // SOF55
    ...segment(0xda, [1, 1, 0, 0, 0, 0]), // SOS: Ns 1, C1, Tm1 0, NEAR 0, ILV 0, Al/Ah 0
    ...new Array<number>(dataBytes).fill(0),
    0xff,
    0xd9,
  ];
}

/**
 * A JPEG 2000 codestream (SOC, SIZ, [CAP], COD, QCD, one tile-part with an empty packet, EOC) of
 * width x height, one 16-bit component, one tile, no wavelet levels: OpenJPEG decodes it to
 * zeros of whatever size SIZ gives. `htj2k` adds the CAP marker and Rsiz bit of Part 15.
 */
export function jpeg2000Frame(width: number, height: number, htj2k = false): number[] {
  const segment = (marker: number, body: number[]): number[] => [0xff, marker, ...uint16be(body.length + 2), ...body];
  const siz = segment(0x51, [
    ...uint16be(htj2k ? 0x4000 : 0), // Rsiz
    ...uint32be(width),
    ...uint32be(height), // Xsiz, Ysiz
    ...uint32be(0),
    ...uint32be(0), // XOsiz, YOsiz
    ...uint32be(width),
    ...uint32be(height), // XTsiz, YTsiz: one tile
    ...uint32be(0),
    ...uint32be(0), // XTOsiz, YTOsiz
    ...uint16be(1),
    15,
    1,
    1, // Csiz; Ssiz (16 bits, unsigned), XRsiz, YRsiz
  ]);
  const cap = htj2k ? segment(0x50, [...uint32be(0x00020000), ...uint16be(0)]) : [];
  const cod = segment(0x52, [0, 0, ...uint16be(1), 0, 0, 4, 4, htj2k ? 0x40 : 0, 1]); // LRCP, 1 layer, 0 levels, 64x64 blocks, 5-3
  const qcd = segment(0x5c, [0x40, 10 << 3]); // no quantization, 2 guard bits, one subband
  const packet = [0x00]; // an empty packet
  const sot = [0xff, 0x90, ...uint16be(10), ...uint16be(0), ...uint32be(12 + 2 + packet.length), 0, 1];
  return [0xff, 0x4f, ...siz, ...cap, ...cod, ...qcd, ...sot, 0xff, 0x93, ...packet, 0xff, 0xd9];
}

/** An RLE frame whose header lists one segment of `segmentBytes` bytes of repeat runs. */
export function rleFrame(segmentBytes: number): number[] {
  const header = [...uint32(1), ...uint32(64), ...new Array<number>(56).fill(0)];
  const runs = Array.from({ length: segmentBytes / 2 }, () => [0x81, 7]).flat(); // each: 128 copies of 7
  return [...header, ...runs];
}

/** A DICOMDIR whose image records reference each of `fileIds` (ReferencedFileID, components joined by "\"). */
export function dicomdir(fileIds: string[]): Uint8Array {
  const records = fileIds.map((id) => [...element(0x00041430, 'CS', text('IMAGE')), ...element(0x00041500, 'CS', text(id))]);
  return part10(EXPLICIT_LE, element(0x00041130, 'CS', text('HOSTILE')), sequence(0x00041220, ...records));
}

/**
 * Writes a Deflated Explicit VR Little Endian file whose 512x512 16-bit image's Pixel Data
 * claims, and inflates to, `zeroBytes` zeros: streamed through zlib, so neither the test nor the
 * file holds more than a chunk (a GiB of zeros deflates to about 1 MiB).
 */
export async function writeDeflateBomb(path: string, zeroBytes: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(part10(DEFLATED));
  const deflate = createDeflateRaw({ level: 9 });
  deflate.pipe(out);
  const header = [...seriesModule, ...imagePixelModule(512, 512), ...element(0x7fe00010, 'OW', [])];
  header.splice(header.length - 4, 4, ...uint32(zeroBytes)); // the OW length, now the bomb's size
  deflate.write(new Uint8Array(header));
  const chunk = new Uint8Array(1 << 20);
  for (let written = 0; written < zeroBytes; written += chunk.length) {
    const part = written + chunk.length <= zeroBytes ? chunk : chunk.subarray(0, zeroBytes - written);
    if (!deflate.write(part)) await once(deflate, 'drain');
  }
  deflate.end();
  await once(out, 'close');
}
