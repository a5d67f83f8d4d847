import type { Volume } from '../volume/Volume.js';
import type { SegFrame } from './packSegFrames.js';
import type { SegSource } from './readSegSource.js';
import { rgbToDicomLab } from './rgbToDicomLab.js';
import type { CodedConcept, SegSegment } from './SegSegment.js';

/** Segmentation Storage. */
export const segmentationSopClassUid = '1.2.840.10008.5.1.4.1.1.66.4';

/** A data set as dcmjs's naturalized form: attribute keywords → values, sequences as arrays of such objects. */
export type NaturalDataSet = Record<string, unknown>;

export interface BuildSegDatasetParams {
  readonly source: SegSource;
  readonly volume: Volume;
  readonly segments: readonly SegSegment[];
  readonly frames: readonly SegFrame[];
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly dimensionOrganizationUid: string;
  readonly seriesNumber: number;
  readonly seriesDescription: string;
  readonly contentLabel: string;
  readonly contentDescription: string;
  readonly contentCreatorName: string;
  readonly softwareVersions: string;
  /** Content and series date and time. */
  readonly now: Date;
}

const purposeOfReference = { CodeValue: '121322', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Source image for image processing operation' };
const derivationCode = { CodeValue: '113076', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Segmentation' };

/**
 * The naturalized data set of a BINARY Segmentation object (PS3.3 A.51):
 * patient, study and frame of reference of the source; the segments; one
 * per-frame group per frame naming its segment, its source image and its
 * position; shared orientation and pixel measures. The pixel data, last in
 * the data set, is left to the writer to append.
 */
export function buildSegDataset(params: BuildSegDatasetParams): NaturalDataSet {
  const { source, volume, frames, now } = params;
  const rows = volume.dimensions[1];
  const columns = volume.dimensions[0];
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['DERIVED', 'PRIMARY'],
    SOPClassUID: segmentationSopClassUid,
    SOPInstanceUID: params.sopInstanceUid,
    ...source.study,
    SeriesDate: dicomDate(now),
    SeriesTime: dicomTime(now),
    ContentDate: dicomDate(now),
    ContentTime: dicomTime(now),
    Modality: 'SEG',
    Manufacturer: 'Axial',
    ManufacturerModelName: 'Axial',
    DeviceSerialNumber: '0',
    SoftwareVersions: params.softwareVersions,
    SeriesDescription: params.seriesDescription,
    ReferencedSeriesSequence: referencedSeries(source),
    SeriesInstanceUID: params.seriesInstanceUid,
    SeriesNumber: params.seriesNumber,
    InstanceNumber: 1,
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: params.dimensionOrganizationUid }],
    DimensionIndexSequence: dimensionIndex(params.dimensionOrganizationUid),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    NumberOfFrames: frames.length,
    Rows: rows,
    Columns: columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    SegmentSequence: params.segments.map(segmentItem),
    SegmentsOverlap: segmentsOverlap(params.segments),
    ContentLabel: params.contentLabel,
    ContentDescription: params.contentDescription,
    ContentCreatorName: params.contentCreatorName,
    SharedFunctionalGroupsSequence: [sharedGroups(source, volume)],
    PerFrameFunctionalGroupsSequence: frames.map((frame) => perFrameGroups(frame, source)),
  };
}

/** The Common Instance Reference module: every source instance, by series. */
function referencedSeries(source: SegSource): NaturalDataSet[] {
  const bySeries = new Map<string, Map<string, string>>();
  for (const slice of source.slices) {
    const instances = bySeries.get(slice.seriesInstanceUid) ?? new Map<string, string>();
    instances.set(slice.sopInstanceUid, slice.sopClassUid);
    bySeries.set(slice.seriesInstanceUid, instances);
  }
  return [...bySeries.entries()].map(([seriesUid, instances]) => ({
    SeriesInstanceUID: seriesUid,
    ReferencedInstanceSequence: [...instances.entries()].map(([uid, classUid]) => ({ ReferencedSOPClassUID: classUid, ReferencedSOPInstanceUID: uid })),
  }));
}

/** Frames are indexed by segment, then by position, as dcmqi and highdicom do. */
function dimensionIndex(organizationUid: string): NaturalDataSet[] {
  return [
    {
      DimensionOrganizationUID: organizationUid,
      DimensionIndexPointer: 0x0062000b,
      FunctionalGroupPointer: 0x0062000a,
      DimensionDescriptionLabel: 'ReferencedSegmentNumber',
    },
    {
      DimensionOrganizationUID: organizationUid,
      DimensionIndexPointer: 0x00200032,
      FunctionalGroupPointer: 0x00209113,
      DimensionDescriptionLabel: 'ImagePositionPatient',
    },
  ];
}

function segmentItem(segment: SegSegment, index: number): NaturalDataSet {
  return {
    SegmentNumber: index + 1,
    SegmentLabel: segment.label,
    SegmentAlgorithmType: segment.algorithmType,
    ...(segment.algorithmType === 'MANUAL' ? {} : { SegmentAlgorithmName: segment.algorithmName }),
    SegmentedPropertyCategoryCodeSequence: [codeItem(segment.category)],
    SegmentedPropertyTypeCodeSequence: [codeItem(segment.type)],
    RecommendedDisplayCIELabValue: rgbToDicomLab(segment.colour),
  };
}

/** CodeValue holds 16 characters; longer codes (SNOMED CT's extension ids) go in LongCodeValue. */
function codeItem(code: CodedConcept): NaturalDataSet {
  const value = code.value.length > 16 ? { LongCodeValue: code.value } : { CodeValue: code.value };
  return { ...value, CodingSchemeDesignator: code.scheme, CodeMeaning: code.meaning };
}

/** Segments of one label layer never overlap; segments in different layers may. */
function segmentsOverlap(segments: readonly SegSegment[]): string {
  return new Set(segments.map((s) => s.layer)).size > 1 ? 'UNDEFINED' : 'NO';
}

function sharedGroups(source: SegSource, volume: Volume): NaturalDataSet {
  const { first } = source;
  return {
    PlaneOrientationSequence: [{ ImageOrientationPatient: first.frames[0]!.orientation.map(decimalString) }],
    PixelMeasuresSequence: [
      {
        PixelSpacing: first.pixelSpacing.map(decimalString),
        SliceThickness: decimalString(first.sliceThickness ?? volume.spacing[2]),
        SpacingBetweenSlices: decimalString(volume.spacing[2]),
      },
    ],
  };
}

function perFrameGroups(frame: SegFrame, source: SegSource): NaturalDataSet {
  const slice = source.slices[frame.k]!;
  const sourceImage = {
    ReferencedSOPClassUID: slice.sopClassUid,
    ReferencedSOPInstanceUID: slice.sopInstanceUid,
    ...(slice.frameNumber === undefined ? {} : { ReferencedFrameNumber: slice.frameNumber }),
    PurposeOfReferenceCodeSequence: [purposeOfReference],
    SpatialLocationsPreserved: 'YES',
  };
  return {
    DerivationImageSequence: [{ SourceImageSequence: [sourceImage], DerivationCodeSequence: [derivationCode] }],
    FrameContentSequence: [{ DimensionIndexValues: [frame.segmentNumber, frame.k + 1] }],
    PlanePositionSequence: [{ ImagePositionPatient: slice.position.map(decimalString) }],
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: frame.segmentNumber }],
  };
}

/**
 * A DS value (16 characters at most): the number's shortest form at 12
 * significant digits or fewer, so that 0.9999999999999929 (a mean of slice
 * gaps) is written as 1 and a file's own "-235.199997" comes back unchanged.
 */
function decimalString(x: number): string {
  for (let digits = 12; digits >= 6; digits--) {
    const text = String(Number(x.toPrecision(digits)));
    if (text.length <= 16) return text;
  }
  return x.toExponential(6);
}

function dicomDate(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}

function dicomTime(d: Date): string {
  return `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
