import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxialError } from '../errors/AxialError.js';
import type { ScannedSeries } from '../input/scanInput.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { Volume } from '../volume/Volume.js';
import { buildSegDataset, segmentationSopClassUid, type NaturalDataSet } from './buildSegDataset.js';
import { dcmjsApi } from './dcmjsApi.js';
import { maxSegFileBytes, packSegFrames } from './packSegFrames.js';
import { readSegSource } from './readSegSource.js';
import type { SegLayers } from './SegSegment.js';

export interface WriteDicomSegParams {
  /** The DICOM series the volume was loaded from (its files are read again for their references). */
  readonly series: Pick<ScannedSeries, 'files'>;
  readonly volume: Volume;
  readonly seg: SegLayers;
  readonly outPath: string;
  /** Default "Segmentation". */
  readonly seriesDescription?: string;
  /** Default 1000 plus the source's SeriesNumber, so the two sort apart. */
  readonly seriesNumber?: number;
  /** ContentLabel, made a CS (upper case letters, digits, space, underscore; 16 at most). Default "SEGMENTATION". */
  readonly contentLabel?: string;
  readonly contentCreatorName?: string;
  /** Files that must never be overwritten (the source files are added to these). */
  readonly inputs: readonly string[];
}

export interface WriteDicomSegResult {
  readonly frames: number;
  readonly segments: number;
  /** Non-fatal problems: UIDs the source lacks that were derived instead, names changed to be valid DICOM values. */
  readonly warnings: readonly string[];
}

const explicitVrLittleEndian = '1.2.840.10008.1.2.1';
/** Axial's implementation class UID (a UUID-derived 2.25 UID, made once for Axial). */
const implementationClassUid = '2.25.28592738691850138388135009338612499724';

/**
 * Writes label layers drawn on a DICOM series as a DICOM Segmentation object
 * (BINARY, Explicit VR Little Endian) in the source's patient, study and frame
 * of reference: one frame per segment and slice that holds any of its voxels,
 * each naming its source image, position and segment. Written atomically.
 * @throws AxialError SEG_NEEDS_DICOM_SOURCE when the volume was not read from DICOM;
 *   SEG_INVALID when the layers or segments are inconsistent; SEG_EMPTY when no segment has a voxel;
 *   SEG_UNSUPPORTED, before the pixels are allocated, when they would pass the 2 GiB file readDicomSeg reads back
 *   (and before the write, when the file with its attributes would);
 *   SEG_SOURCE_MISMATCH, SEG_UNSUPPORTED from matching the volume to its files;
 *   OUTPUT_IS_INPUT, OUTPUT_WRITE_FAILED from the write.
 */
export async function writeDicomSeg(params: WriteDicomSegParams): Promise<WriteDicomSegResult> {
  const { volume, seg, outPath, series } = params;
  checkDicomSource(volume, series.files);
  checkSegLayers(seg, volume);
  const { frames, pixelData } = packSegFrames(seg, volume.dimensions, outPath);
  if (frames.length === 0) {
    const none = seg.segments.length === 0 ? 'there are no segments' : `none of the ${seg.segments.length} segments has a voxel`;
    throw new AxialError('SEG_EMPTY', `${none}: nothing to write`, { file: outPath });
  }
  const source = await readSegSource(series.files, volume);
  const sopInstanceUid = newUid();
  const { dataSet, warnings } = buildSegDataset({
    source,
    volume,
    segments: seg.segments,
    frames,
    sopInstanceUid,
    seriesInstanceUid: newUid(),
    dimensionOrganizationUid: newUid(),
    seriesNumber: params.seriesNumber ?? 1000 + (volume.metadata.seriesNumber ?? 0),
    seriesDescription: params.seriesDescription ?? 'Segmentation',
    contentLabel: params.contentLabel ?? 'SEGMENTATION',
    contentDescription: params.seriesDescription ?? 'Segmentation',
    contentCreatorName: params.contentCreatorName ?? '',
    softwareVersions: axialVersion(),
    now: new Date(),
  });
  const header = encodePart10(dataSet, sopInstanceUid);
  const fileBytes = header.length + 12 + pixelData.length;
  if (fileBytes > maxSegFileBytes) {
    throw new AxialError(
      'SEG_UNSUPPORTED',
      `the SEG would be ${fileBytes} bytes (${header.length} of attributes, ${pixelData.length} of PixelData for ${frames.length} frames), ` +
        `and Axial reads back a SEG file of at most ${maxSegFileBytes} bytes (2 GiB); export fewer segments, or the segments in several files`,
      { file: outPath },
    );
  }
  await writeFileAtomic(outPath, [header, pixelDataHeader(pixelData.length), pixelData], [...params.inputs, ...series.files]);
  return { frames: frames.length, segments: seg.segments.length, warnings: [...source.warnings, ...warnings] };
}

function checkDicomSource(volume: Volume, files: readonly string[]): void {
  const file = files[0] ?? 'the source volume';
  if (volume.metadata.format !== 'dicom') {
    throw new AxialError(
      'SEG_NEEDS_DICOM_SOURCE',
      'a DICOM SEG must reference the DICOM images it was drawn on, ' +
        `and this volume was read from a ${volume.metadata.format.toUpperCase()} file; open the DICOM series instead`,
      { file },
    );
  }
  if (!volume.metadata.sopInstanceUids?.length) {
    throw new AxialError('SEG_NEEDS_DICOM_SOURCE', 'the volume does not record the SOP Instance UIDs of its slices, so a DICOM SEG cannot reference them', {
      file,
    });
  }
}

/**
 * @throws AxialError SEG_INVALID when a layer is not on the volume's grid, or a segment names a
 *   missing layer, a value outside 1–65535, the same voxels as another, or no algorithm name
 *   where DICOM requires one.
 */
function checkSegLayers(seg: SegLayers, volume: Volume): void {
  const voxels = volume.dimensions[0] * volume.dimensions[1] * volume.dimensions[2];
  seg.layers.forEach((layer, l) => {
    if (layer.length !== voxels) throw new AxialError('SEG_INVALID', `label layer ${l} has ${layer.length} voxels, the volume ${voxels}`);
  });
  const seen = new Set<string>();
  seg.segments.forEach((s, n) => {
    const name = `segment ${n + 1} ("${s.label}")`;
    if (!seg.layers[s.layer]) throw new AxialError('SEG_INVALID', `${name} is in layer ${s.layer}, but there are ${seg.layers.length} layers`);
    if (!(Number.isInteger(s.value) && s.value >= 1 && s.value <= 65535))
      throw new AxialError('SEG_INVALID', `${name} has label value ${s.value}, not 1–65535`);
    const key = `${s.layer}:${s.value}`;
    if (seen.has(key)) throw new AxialError('SEG_INVALID', `${name} has the same layer and value (${key}) as an earlier segment`);
    seen.add(key);
    if (s.algorithmType !== 'MANUAL' && !s.algorithmName) {
      throw new AxialError('SEG_INVALID', `${name} is ${s.algorithmType}, which DICOM requires to name its algorithm, and has no algorithmName`);
    }
  });
}

function encodePart10(dataSet: NaturalDataSet, sopInstanceUid: string): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjsApi().data;
  const meta = DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: segmentationSopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: explicitVrLittleEndian,
    ImplementationClassUID: implementationClassUid,
    ImplementationVersionName: `AXIAL_${axialVersion()}`.slice(0, 16),
  });
  const dict = new DicomDict(meta);
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataSet);
  return new Uint8Array(dict.write());
}

/**
 * The header of (7FE0,0010) PixelData, OB, in Explicit VR Little Endian. The
 * packed frames follow it as they are: appended after dcmjs's output rather
 * than copied through its growing buffers, which for a large SEG doubles the
 * time and the memory. packSegFrames keeps `length` under 2 GiB (maxSegFileBytes),
 * within the uint32 a native PixelData's length is.
 */
function pixelDataHeader(length: number): Uint8Array {
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  view.setUint16(0, 0x7fe0, true);
  view.setUint16(2, 0x0010, true);
  header.set([0x4f, 0x42], 4);
  view.setUint32(8, length, true);
  return header;
}

/** A UID under 2.25 from a random UUID (PS3.5 B.2). */
function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}

let version: string | undefined;

/** Axial's version from its package.json, found above this module from source, from dist/ or in a packaged app. */
function axialVersion(): string {
  if (version !== undefined) return version;
  version = 'unknown';
  for (let dir = dirname(fileURLToPath(import.meta.url)), up = 0; up < 5; dir = dirname(dir), up++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'axial' && pkg.version) return (version = pkg.version);
    } catch {
      // No package.json here: look one folder up.
    }
    if (basename(dir) === '') break;
  }
  return version;
}
