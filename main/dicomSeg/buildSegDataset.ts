import type { Volume } from '../volume/Volume.js';
import { dicomTextValue, type TextVr } from './dicomTextValue.js';
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

export interface BuildSegDatasetResult {
  readonly dataSet: NaturalDataSet;
  /** Each name that had to change to be a valid DICOM value: what it was, what was written, and why. */
  readonly warnings: string[];
}

/** A text value made valid for its VR (`fallback` when nothing is left of it), noting any change beyond trimming. */
type ValidText = (vr: TextVr, what: string, text: string, fallback?: string) => string;

const purposeOfReference = { CodeValue: '121322', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Source image for image processing operation' };
const derivationCode = { CodeValue: '113076', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Segmentation' };

/**
 * The naturalized data set of a BINARY Segmentation object (PS3.3 A.51):
 * patient, study and frame of reference of the source; the segments; one
 * per-frame group per frame naming its segment, its source image and its
 * position; shared orientation and pixel measures. The pixel data, last in
 * the data set, is left to the writer to append. Names given by people (segment labels, the algorithm,
 * the descriptions) are made valid values of their VR, with a warning for each that had to change.
 */
export function buildSegDataset(params: BuildSegDatasetParams): BuildSegDatasetResult {
  const { source, volume, frames, now } = params;
  const rows = volume.dimensions[1];
  const columns = volume.dimensions[0];
  const warnings = new Set<string>();
  const text = validText(warnings);
  const dataSet = {
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
    SoftwareVersions: text('LO', 'SoftwareVersions', params.softwareVersions),
    SeriesDescription: text('LO', 'SeriesDescription', params.seriesDescription),
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
    SegmentSequence: params.segments.map((segment, n) => segmentItem(segment, n, text)),
    SegmentsOverlap: segmentsOverlap(params.segments),
    ContentLabel: text('CS', 'ContentLabel', params.contentLabel, 'SEGMENTATION'),
    ContentDescription: text('LO', 'ContentDescription', params.contentDescription),
    ContentCreatorName: text('PN', 'ContentCreatorName', params.contentCreatorName),
    SharedFunctionalGroupsSequence: [sharedGroups(source, volume)],
    PerFrameFunctionalGroupsSequence: frames.map((frame) => perFrameGroups(frame, source)),
  };
  return { dataSet, warnings: [...warnings] };
}

/** A {@link ValidText} that adds its warnings to `warnings` (a set: one algorithm name on 30 segments warns once). */
function validText(warnings: Set<string>): ValidText {
  return (vr, what, text, fallback = '') => {
    const { value, changes } = dicomTextValue(text, vr);
    const written = value || fallback;
    if (changes.length > 0 || (written !== value && text !== '')) {
      warnings.add(`${what} ${JSON.stringify(text)} written as ${JSON.stringify(written)} (${vr}): ${changes.join(', ') || 'nothing was left of it'}`);
    }
    return written;
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

function segmentItem(segment: SegSegment, index: number, text: ValidText): NaturalDataSet {
  const number = index + 1;
  return {
    SegmentNumber: number,
    SegmentLabel: text('LO', `segment ${number}'s SegmentLabel`, segment.label, `Segment ${number}`),
    SegmentAlgorithmType: segment.algorithmType,
    ...(segment.algorithmType === 'MANUAL' ? {} : { SegmentAlgorithmName: text('LO', 'SegmentAlgorithmName', segment.algorithmName ?? '', 'unknown') }),
    SegmentedPropertyCategoryCodeSequence: [codeItem(segment.category, text)],
    SegmentedPropertyTypeCodeSequence: [codeItem(segment.type, text)],
    RecommendedDisplayCIELabValue: rgbToDicomLab(segment.colour),
  };
}

/** CodeValue holds 16 characters; longer codes (SNOMED CT's extension ids) go in LongCodeValue. */
function codeItem(code: CodedConcept, text: ValidText): NaturalDataSet {
  const value = code.value.length > 16 ? { LongCodeValue: code.value } : { CodeValue: code.value };
  return { ...value, CodingSchemeDesignator: text('SH', 'CodingSchemeDesignator', code.scheme), CodeMeaning: text('LO', 'CodeMeaning', code.meaning) };
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
