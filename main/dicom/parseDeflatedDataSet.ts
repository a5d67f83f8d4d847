import { constants as bufferConstants } from 'node:buffer';
import { constants, inflateRawSync, type ZlibOptions } from 'node:zlib';
import type { ByteArray, ByteArrayParser, DataSet, Element } from 'dicom-parser';
import { dicomParser } from './dicomParser.js';
import { AxialError } from '../errors/AxialError.js';

/** The file meta information as dicom-parser's readPart10Header returns it: where it ends, too. */
export type MetaInformation = DataSet & { position: number };

/** dicom-parser exports its DataSet class at run time; its type declarations describe instances only. */
const DataSetClass = (dicomParser as unknown as { DataSet: new (parser: ByteArrayParser, byteArray: ByteArray, elements: Record<string, Element>) => DataSet })
  .DataSet;

/** Inflated bytes allowed before the Pixel Data's header, or in all for a data set without one. */
const MAX_HEADER_BYTES = 128 * 1024 ** 2;
/** Inflated bytes allowed after the pixel data the header describes: padding, trailing elements. */
const MAX_TRAILING_BYTES = 4 * 1024 ** 2;
/** Compressed bytes inflated by the first look for the header. */
const FIRST_LOOK_BYTES = 16 * 1024;
/** Looks that close in on the cap stop this close (compressed bytes): the header is too large. */
const MIN_LOOK_STEP = 1024;
const PIXEL_DATA = 'x7fe00010';

/** The whole inflated data set, or its start and what that parses to up to the Pixel Data's header. */
type HeaderLook = { complete: true; inflated: Uint8Array } | { complete: false; inflated: Uint8Array; dataSet: DataSet };

/**
 * Parses a Deflated Explicit VR Little Endian data set (PS3.5 A.5) without ever inflating more
 * than the data set can need. The start of the stream is inflated first, in growing looks,
 * until it holds the Pixel Data's element header; the header's Rows, Columns, SamplesPerPixel,
 * BitsAllocated and NumberOfFrames (and the element's own length) then cap the whole inflation,
 * with a few MiB to spare for trailing elements. A header-only parse (`untilTag` Pixel Data)
 * stops after the first step.
 *
 * dicom-parser's own deflate support (its `inflater` option included) parses the inflated bytes
 * from byte 0, reading the preamble and file meta information as data set elements, so the data
 * set is parsed here from where the meta information ends, as dicom-parser's author suggests for
 * non-standard streams.
 *
 * @throws AxialError DICOM_TRUNCATED when the deflate stream ends early.
 * @throws AxialError DICOM_MALFORMED when the stream is not valid deflate data.
 * @throws AxialError INPUT_TOO_LARGE when more than 128 MiB inflate before the Pixel Data (or,
 *   without Pixel Data, in all).
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the data set inflates past what its Pixel
 *   Data's header says it holds; VOLUME_TOO_LARGE when that is more than one buffer can hold.
 */
export function parseDeflatedDataSet(bytes: Uint8Array, meta: MetaInformation, untilTag: string | undefined, file: string): DataSet {
  const compressed = bytes.subarray(meta.position);
  const look = lookForPixelData(compressed, meta, file);
  if (look.complete) return parseInflated(meta, look.inflated, untilTag);
  if (untilTag === PIXEL_DATA) return look.dataSet;
  const cap = inflatedSizeCap(look.dataSet, meta);
  if (!(cap <= bufferConstants.MAX_LENGTH)) {
    throw new AxialError('VOLUME_TOO_LARGE', `the deflated data set's ${describeClaim(look.dataSet)} is more than one buffer can hold here`, { file });
  }
  let inflated: Uint8Array;
  try {
    inflated = inflateRawSync(compressed, { maxOutputLength: cap });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw inflateError(error, file);
    throw new AxialError(
      'DICOM_CORRUPT_PIXEL_DATA',
      `the deflated data set inflates past ${cap} bytes, ` +
        `more than its ${describeClaim(look.dataSet)} and ${MAX_TRAILING_BYTES} bytes of trailing elements need`,
      { file },
    );
  }
  return parseInflated(meta, inflated, untilTag);
}

/**
 * Inflates ever longer starts of the stream, doubling, until one parses up to the Pixel Data's
 * header or the whole stream is inflated. A start that inflates past MAX_HEADER_BYTES (the
 * header may sit just before megabytes of zeros) is halved towards the last one that did not,
 * until the two are within MIN_LOOK_STEP: only then is the header taken to be too large.
 */
function lookForPixelData(compressed: Uint8Array, meta: MetaInformation, file: string): HeaderLook {
  let short = 0; // compressed bytes known to inflate within the cap, without the Pixel Data
  let long = Number.POSITIVE_INFINITY; // compressed bytes known to inflate past the cap
  let take = FIRST_LOOK_BYTES;
  for (;;) {
    const complete = take >= compressed.length;
    const inflated = inflateStart(compressed, take, complete, file);
    if (inflated === undefined) {
      long = Math.min(take, compressed.length);
    } else {
      if (complete) return { complete, inflated };
      const dataSet = tryParseHeader(meta, inflated);
      if (dataSet?.elements[PIXEL_DATA] !== undefined) return { complete, inflated, dataSet };
      short = take;
    }
    if (long - short < MIN_LOOK_STEP) throw headerTooLarge(file);
    take = long === Number.POSITIVE_INFINITY ? 2 * short : short + Math.floor((long - short) / 2);
  }
}

/** The first `take` compressed bytes inflated (the whole stream when `complete`), or undefined past MAX_HEADER_BYTES. */
function inflateStart(compressed: Uint8Array, take: number, complete: boolean, file: string): Uint8Array | undefined {
  const options: ZlibOptions = { maxOutputLength: MAX_HEADER_BYTES };
  // A start of the stream is inflated as far as it goes, without the error of a cut stream.
  if (!complete) options.finishFlush = constants.Z_SYNC_FLUSH;
  try {
    return inflateRawSync(compressed.subarray(0, take), options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw inflateError(error, file);
  }
}

/** The start of a data set parsed up to the Pixel Data, or undefined where it is cut inside an element. */
function tryParseHeader(meta: MetaInformation, inflated: Uint8Array): DataSet | undefined {
  try {
    return parseInflated(meta, inflated, PIXEL_DATA);
  } catch {
    return undefined;
  }
}

/**
 * What the whole inflated data set may take: everything before the Pixel Data's value, the
 * smaller of its length and what Rows x Columns x SamplesPerPixel x BitsAllocated x
 * NumberOfFrames need, and some trailing bytes.
 */
function inflatedSizeCap(header: DataSet, meta: MetaInformation): number {
  const pixelData = header.elements[PIXEL_DATA]!;
  const claimed = pixelData.hadUndefinedLength ? Number.POSITIVE_INFINITY : pixelData.length;
  const needed = pixelBytesNeeded(header);
  return pixelData.dataOffset - meta.position + Math.min(claimed, needed) + MAX_TRAILING_BYTES;
}

/** Bytes the header's pixel attributes describe; 0 where one is missing or not a number. */
function pixelBytesNeeded(header: DataSet): number {
  const frames = Number(header.string('x00280008')?.trim() || 1);
  const values = [header.uint16('x00280010'), header.uint16('x00280011'), header.uint16('x00280002') ?? 1, header.uint16('x00280100'), frames];
  if (values.some((value) => value === undefined || !Number.isFinite(value) || value < 0)) return 0;
  return Math.ceil((values as number[]).reduce((product, value) => product * value, 1) / 8);
}

function describeClaim(header: DataSet): string {
  const columns = header.uint16('x00280011') ?? '?';
  const rows = header.uint16('x00280010') ?? '?';
  const frames = header.string('x00280008')?.trim() || '1';
  return `Pixel Data (${frames} frame(s) of ${columns}x${rows} at ${header.uint16('x00280100') ?? '?'} bits: ${pixelBytesNeeded(header)} bytes)`;
}

/** The inflated data set parsed behind the meta information, so that element offsets hold in the joined bytes. */
function parseInflated(meta: MetaInformation, inflated: Uint8Array, untilTag: string | undefined): DataSet {
  const whole = new Uint8Array(meta.position + inflated.length);
  whole.set(meta.byteArray.subarray(0, meta.position));
  whole.set(inflated, meta.position);
  const parser = dicomParser.littleEndianByteArrayParser;
  const dataSet = new DataSetClass(parser, whole, { ...meta.elements });
  dataSet.warnings = [...meta.warnings];
  const stream = new dicomParser.ByteStream(parser, whole, meta.position);
  dicomParser.parseDicomDataSetExplicit(dataSet, stream, whole.length, untilTag === undefined ? undefined : { untilTag });
  return dataSet;
}

function inflateError(error: unknown, file: string): AxialError {
  const code = (error as { code?: string }).code === 'Z_BUF_ERROR' ? 'DICOM_TRUNCATED' : 'DICOM_MALFORMED';
  return new AxialError(code, `the deflated data set cannot be inflated: ${(error as Error).message}`, { file, cause: error });
}

function headerTooLarge(file: string): AxialError {
  return new AxialError('INPUT_TOO_LARGE', `the deflated data set inflates past ${MAX_HEADER_BYTES} bytes before its Pixel Data (or without any)`, { file });
}
