import type { DataSet, Element, Fragment } from 'dicom-parser';
import { dicomParser } from './dicomParser.js';
import { AxialError } from '../errors/AxialError.js';
import type { PixelFormat } from './PixelFormat.js';

/**
 * The bytes of one frame of Pixel Data (7FE0,0010), as stored: a slice of the native pixel data,
 * or the codestream of an encapsulated frame (PS3.5 A.4).
 *
 * Encapsulated frames are found through the Basic Offset Table when it has entries. Without one,
 * a single-frame image is all its fragments joined; a multi-frame image is one fragment per frame
 * when the counts agree, else fragments are grouped at each one that opens with a codestream's
 * start (JPEG's SOI and another marker, FFD8FF, or JPEG 2000's SOC and SIZ, FF4FFF51).
 *
 * @returns a view into the data set's bytes where the frame lies in one place; never modify it.
 * @throws RangeError when frameIndex is not below NumberOfFrames.
 * @throws AxialError DICOM_MISSING_TAG when there is no Pixel Data.
 * @throws AxialError DICOM_UNSUPPORTED_PIXEL_FORMAT for native frames whose BitsAllocated is not
 *   a whole number of bytes (bit-packed 1-bit data).
 * @throws AxialError DICOM_TRUNCATED when the pixel data ends before the frame does.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the fragments cannot be mapped to frames.
 */
export function readFrameBytes(dataSet: DataSet, format: PixelFormat, frameIndex: number, file: string): Uint8Array {
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= format.numberOfFrames) {
    throw new RangeError(`frame ${frameIndex} does not exist: ${file} has ${format.numberOfFrames} frame(s)`);
  }
  const pixelData = dataSet.elements['x7fe00010'];
  if (pixelData === undefined) throw new AxialError('DICOM_MISSING_TAG', 'Pixel Data (7FE0,0010) is missing', { file });
  return pixelData.encapsulatedPixelData
    ? readEncapsulatedFrame(dataSet, pixelData, format, frameIndex, file)
    : readNativeFrame(dataSet, pixelData, format, frameIndex, file);
}

function readNativeFrame(dataSet: DataSet, pixelData: Element, format: PixelFormat, frameIndex: number, file: string): Uint8Array {
  const { rows, columns, samplesPerPixel, bitsAllocated, numberOfFrames } = format;
  if (bitsAllocated % 8 !== 0) {
    throw new AxialError('DICOM_UNSUPPORTED_PIXEL_FORMAT', `BitsAllocated ${bitsAllocated} (bit-packed pixel data) is not supported`, { file });
  }
  const frameBytes = rows * columns * samplesPerPixel * (bitsAllocated / 8);
  const available = Math.max(0, Math.min(pixelData.length, dataSet.byteArray.length - pixelData.dataOffset));
  const start = frameIndex * frameBytes;
  if (start + frameBytes > available) {
    throw new AxialError(
      'DICOM_TRUNCATED',
      `Pixel Data holds ${available} bytes, but frame ${frameIndex + 1} of ${numberOfFrames} (${columns}x${rows}, ` +
        `${samplesPerPixel} sample(s) of ${bitsAllocated} bits, ${frameBytes} bytes a frame) ends at byte ${start + frameBytes}`,
      { file },
    );
  }
  return dataSet.byteArray.subarray(pixelData.dataOffset + start, pixelData.dataOffset + start + frameBytes);
}

function readEncapsulatedFrame(dataSet: DataSet, pixelData: Element, format: PixelFormat, frameIndex: number, file: string): Uint8Array {
  const fragments = pixelData.fragments ?? [];
  const corrupt = (message: string): AxialError => new AxialError('DICOM_CORRUPT_PIXEL_DATA', message, { file });
  if (fragments.length === 0) throw corrupt('the encapsulated Pixel Data has no fragments');
  for (const [index, fragment] of fragments.entries()) {
    if (fragment.position + fragment.length > dataSet.byteArray.length) {
      throw new AxialError('DICOM_TRUNCATED', `Pixel Data fragment ${index + 1} of ${fragments.length} runs past the end of the file`, { file });
    }
  }
  const offsetTable = pixelData.basicOffsetTable ?? [];
  const frameCount = format.numberOfFrames;
  try {
    if (offsetTable.length > 0) {
      if (offsetTable.length < frameCount) {
        throw corrupt(`the Basic Offset Table lists ${offsetTable.length} frame(s) but NumberOfFrames is ${frameCount}`);
      }
      return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, frameIndex);
    }
    if (frameCount === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, fragments.length);
    if (fragments.length === frameCount) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, frameIndex, 1);
    const frames = groupFragmentsByStartMarker(dataSet.byteArray, fragments);
    const frame = frames[frameIndex];
    if (frames.length !== frameCount || frame === undefined) {
      throw corrupt(
        `without a Basic Offset Table, ${fragments.length} fragments cannot be split into ${frameCount} frames ` +
          `(${frames.length} of them open with a codestream start marker)`,
      );
    }
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, frame.first, frame.count);
  } catch (thrown) {
    if (thrown instanceof AxialError) throw thrown;
    throw corrupt(`frame ${frameIndex + 1} cannot be read from the encapsulated Pixel Data: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
  }
}

/** Where each frame's fragments begin in the fragment list, and how many it has. */
interface FragmentRun {
  first: number;
  count: number;
}

function groupFragmentsByStartMarker(bytes: Uint8Array, fragments: Fragment[]): FragmentRun[] {
  const runs: FragmentRun[] = [];
  fragments.forEach((fragment, index) => {
    const start = bytes.subarray(fragment.position, fragment.position + 4);
    const opensCodestream = start[0] === 0xff && start[2] === 0xff && (start[1] === 0xd8 || (start[1] === 0x4f && start[3] === 0x51));
    const current = runs[runs.length - 1];
    if (opensCodestream || current === undefined) runs.push({ first: index, count: 1 });
    else current.count++;
  });
  return runs;
}
