import type { DataSet } from 'dicom-parser';
import { AxialError } from '../../errors/AxialError.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import { add, cross, dot, scale, unit } from '../../../core/geometry/vec3.js';
import type { DicomFrameGeometry, DicomInstance } from '../DicomInstance.js';
import { findPrivateElement } from './findPrivateElement.js';
import type { MosaicLayout } from './MosaicLayout.js';
import { readCsaHeader, type CsaHeader } from './readCsaHeader.js';

/** 0019,100A is a US: no mosaic holds more slices than that. */
const maxSlices = 65535;
/**
 * Slices one file may give: a long enhanced fMRI run holds about 1000 frames of 72 slices. Each
 * slice is an object per volume built from it, so a forged NumberOfFrames × N must not pass this.
 */
const maxSlicesPerFile = 1 << 20;

/**
 * Turns a Siemens mosaic (ImageType contains MOSAIC: each stored frame one image tiling
 * NumberOfImagesInMosaic slices) into an instance whose frames are its slices, as dcm2niix and
 * nibabel's MosaicWrapper read it:
 * - NumberOfImagesInMosaic from the CSA Image Header Info (0029,1010, "SIEMENS CSA HEADER"),
 *   else from (0019,100A) ("SIEMENS MR HEADER");
 * - tiles of (Rows/m)×(Columns/m), m = ceil(sqrt(N)), taken row-major;
 * - Siemens writes the ImagePositionPatient of the whole mosaic seen as one image: slice 0's first
 *   voxel lies (Columns - tile columns)/2 pixels along the row direction and (Rows - tile rows)/2
 *   along the column direction from it;
 * - slice t lies t × SpacingBetweenSlices (else SliceThickness) from slice 0 along the CSA
 *   header's SliceNormalVector: the row × column normal, with the CSA vector's sign (tiles may run
 *   against the normal, as in Siemens sagittal series).
 * Any other instance is returned as it is.
 * @throws AxialError DICOM_MALFORMED naming the file when the CSA header is damaged,
 *   NumberOfImagesInMosaic cannot tile the image, or the file would give over 2^20 slices.
 */
export function splitSiemensMosaic(dataSet: DataSet, instance: DicomInstance): DicomInstance {
  const imageType = (dataSet.string('x00080008') ?? '').toUpperCase().split('\\');
  if (!imageType.some((value) => value.trim() === 'MOSAIC')) return instance;
  const { file } = instance;
  const csa = readCsaImageHeader(dataSet, file);
  const warnings = [...instance.warnings];
  const count = numberOfImagesInMosaic(dataSet, csa, file, warnings);
  if (count === undefined) {
    warnings.push('ImageType says MOSAIC, but neither the CSA header nor (0019,100A) gives NumberOfImagesInMosaic: read as one image');
    return { ...instance, warnings };
  }
  if (count === 1) return { ...instance, warnings };
  const layout = mosaicLayout(instance, count);
  if (instance.frames.length * count > maxSlicesPerFile) {
    const claim = `${instance.frames.length} frames of ${count} slices`;
    throw new AxialError('DICOM_MALFORMED', `the mosaic claims ${claim}, more than the ${maxSlicesPerFile} slices one file may give`, { file });
  }
  const normalSign = csaNormalSign(csa, instance.frames[0]!, warnings);
  const gap = instance.spacingBetweenSlices ?? instance.sliceThickness ?? 1;
  const frames = instance.frames.flatMap((frame) => tileGeometries(frame, layout, instance.pixelSpacing, normalSign * gap));
  return {
    ...instance,
    pixelFormat: { ...layout.format, rows: layout.tileRows, columns: layout.tileColumns, numberOfFrames: frames.length },
    frames,
    mosaic: layout,
    warnings,
  };
}

function readCsaImageHeader(dataSet: DataSet, file: string): CsaHeader | undefined {
  const element = findPrivateElement(dataSet, 0x0029, 'SIEMENS CSA HEADER', 0x10);
  if (!element) return undefined;
  const end = element.dataOffset + element.length;
  if (element.length < 0 || end > dataSet.byteArray.length) {
    throw new AxialError('DICOM_MALFORMED', `the Siemens CSA header (0029,1010) claims ${element.length} bytes, past the end of the header`, { file });
  }
  return readCsaHeader(dataSet.byteArray.subarray(element.dataOffset, end), file);
}

function numberOfImagesInMosaic(dataSet: DataSet, csa: CsaHeader | undefined, file: string, warnings: string[]): number | undefined {
  const fromCsa = csa?.get('NumberOfImagesInMosaic')?.[0];
  const inCsa = fromCsa === undefined || fromCsa === '' ? undefined : Number(fromCsa);
  const element = findPrivateElement(dataSet, 0x0019, 'SIEMENS MR HEADER', 0x0a);
  let inPrivate: number | undefined;
  if (element && (element.vr === 'IS' || element.vr === 'DS')) inPrivate = Number(dataSet.string(element.tag));
  else if (element && element.length >= 2 && element.dataOffset + 2 <= dataSet.byteArray.length) {
    inPrivate = dataSet.byteArray[element.dataOffset]! | (dataSet.byteArray[element.dataOffset + 1]! << 8);
  }
  if (inCsa !== undefined && inPrivate !== undefined && inCsa !== inPrivate) {
    warnings.push(`NumberOfImagesInMosaic is ${inCsa} in the CSA header but ${inPrivate} in (0019,100A): the CSA header's is used`);
  }
  const count = inCsa ?? inPrivate;
  if (count === undefined || count === 0) return undefined;
  if (!Number.isInteger(count) || count < 0 || count > maxSlices) {
    throw new AxialError('DICOM_MALFORMED', `NumberOfImagesInMosaic is "${fromCsa ?? inPrivate}"; it must be a whole number up to ${maxSlices}`, { file });
  }
  return count;
}

function mosaicLayout(instance: DicomInstance, count: number): MosaicLayout {
  const format = instance.pixelFormat;
  const across = Math.ceil(Math.sqrt(count));
  if (format.rows % across !== 0 || format.columns % across !== 0) {
    throw new AxialError(
      'DICOM_MALFORMED',
      `NumberOfImagesInMosaic ${count} needs a grid of ${across}×${across} tiles, which does not divide the ${format.columns}×${format.rows} image`,
      { file: instance.file },
    );
  }
  return { format, count, across, tileRows: format.rows / across, tileColumns: format.columns / across };
}

/**
 * +1 when the slices run along row × column, -1 when against it. The CSA vector gives only the
 * sign, as in nibabel: the cross product is the more exactly orthogonal of the two.
 */
function csaNormalSign(csa: CsaHeader | undefined, frame: DicomFrameGeometry, warnings: string[]): number {
  const values = (csa?.get('SliceNormalVector') ?? []).map(Number);
  if (values.length < 3 || !values.slice(0, 3).every(Number.isFinite) || Math.hypot(values[0]!, values[1]!, values[2]!) === 0) {
    warnings.push('the CSA header has no SliceNormalVector: mosaic slices are placed along row × column');
    return 1;
  }
  const csaNormal = unit([values[0]!, values[1]!, values[2]!]);
  const cosine = dot(csaNormal, normalOf(frame));
  if (Math.abs(cosine) < 0.9999) {
    const degrees = (Math.acos(Math.min(1, Math.abs(cosine))) * 180) / Math.PI;
    warnings.push(`the CSA SliceNormalVector is ${degrees.toFixed(2)}° off row × column: only its sign is used`);
  }
  return cosine < 0 ? -1 : 1;
}

function normalOf(frame: DicomFrameGeometry): Vec3 {
  const o = frame.orientation;
  return unit(cross([o[0], o[1], o[2]], [o[3], o[4], o[5]]));
}

function tileGeometries(frame: DicomFrameGeometry, layout: MosaicLayout, pixelSpacing: readonly [number, number], step: number): DicomFrameGeometry[] {
  const o = frame.orientation;
  const [rowSpacing, columnSpacing] = pixelSpacing;
  const alongRow = scale([o[0], o[1], o[2]], (columnSpacing * (layout.format.columns - layout.tileColumns)) / 2);
  const alongColumn = scale([o[3], o[4], o[5]], (rowSpacing * (layout.format.rows - layout.tileRows)) / 2);
  const first = add(frame.position, add(alongRow, alongColumn));
  const normal = normalOf(frame);
  return Array.from({ length: layout.count }, (_, t) => ({ ...frame, position: add(first, scale(normal, step * t)) }));
}
