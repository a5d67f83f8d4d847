import type { WindowPreset } from '../volume/Volume.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { PixelFormat } from './PixelFormat.js';
import type { MosaicLayout } from './siemens/MosaicLayout.js';
import type { ModalityLut } from './readModalityLut.js';

/** Where one frame lies and how its stored values map to real ones. */
export interface DicomFrameGeometry {
  /** ImagePositionPatient (LPS mm) of the first transmitted pixel. */
  readonly position: Vec3;
  /** ImageOrientationPatient: row direction (along i), then column direction (along j). */
  readonly orientation: readonly [number, number, number, number, number, number];
  readonly slope: number;
  readonly intercept: number;
  /**
   * Philips' private scale slope SS (2005,100E) of this frame, in Philips files that store one.
   * slope/intercept are RescaleSlope/RescaleIntercept as read; applyPhilipsScaling chooses the values.
   */
  readonly philipsScaleSlope?: number;
  /**
   * PixelSpacing [between rows, between columns] in mm of this frame, where an enhanced object's
   * per-frame (or shared) PixelMeasuresSequence gives it; absent: the instance's pixelSpacing.
   */
  readonly pixelSpacing?: readonly [number, number];
  /** TemporalPositionIndex (0020,9128) of an enhanced object's frame (its FrameContentSequence), when stored. */
  readonly temporalPositionIndex?: number;
  /**
   * TriggerTime (0018,1060) in ms, or in an enhanced object the frame's NominalCardiacTriggerDelayTime
   * (0020,9153): which cardiac phase the frame is, when stored.
   */
  readonly triggerTime?: number;
  /**
   * When the frame was acquired, in seconds since midnight: an enhanced object's FrameAcquisitionDateTime
   * (0018,9074), else AcquisitionTime (0008,0032) or AcquisitionDateTime (0008,002A); absent when none is stored.
   */
  readonly acquisitionTime?: number;
}

/** The header facts of one image file, read without its pixel data. */
export interface DicomInstance {
  readonly file: string;
  readonly transferSyntaxUid: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly modality: string;
  readonly patientId: string;
  readonly patientName: string;
  /** PatientBirthDate (DA, "19700203"), PatientSex (M/F/O), StudyDate (DA) and StudyTime (TM) as stored; absent when empty. */
  readonly patientBirthDate?: string;
  readonly patientSex?: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly studyDescription: string;
  readonly seriesDescription: string;
  readonly seriesNumber: number | undefined;
  readonly instanceNumber: number | undefined;
  readonly acquisitionNumber: number | undefined;
  readonly echoNumber: number | undefined;
  /** ImageType (0008,0008) values, e.g. ['ORIGINAL', 'PRIMARY', 'AXIAL']; absent when not stored. */
  readonly imageType?: readonly string[];
  /**
   * RepetitionTime (0018,0080) in ms, when stored and positive: in the data set, or in an enhanced MR
   * object's MRTimingAndRelatedParametersSequence (0018,9112) (see secondsBetweenTimePoints).
   */
  readonly repetitionTime?: number;
  /** TemporalPositionIdentifier (0020,0100), when stored. */
  readonly temporalPosition?: number;
  readonly pixelFormat: PixelFormat;
  /** PixelSpacing: [between rows (along j), between columns (along i)] in mm. */
  readonly pixelSpacing: readonly [number, number];
  readonly sliceThickness: number | undefined;
  readonly spacingBetweenSlices: number | undefined;
  readonly frames: readonly DicomFrameGeometry[];
  readonly windowPresets: readonly WindowPreset[];
  /** RescaleType (0028,1054); for Philips MR, which values the slope gives (see applyPhilipsScaling). */
  readonly rescaleType: string;
  /** The Modality LUT Sequence's table, which gives the values in place of Rescale Slope/Intercept (PS3.3 C.11.1). */
  readonly modalityLut?: ModalityLut;
  /** Non-fatal problems with this file's header, carried into its series' warnings. */
  readonly warnings: readonly string[];
  /**
   * For a single-frame, uncompressed little-endian file with the Part 10
   * preamble: where its pixel bytes start, so they can be read without
   * parsing the file a second time.
   */
  readonly nativePixelOffset: number | undefined;
  /**
   * Set for a Siemens mosaic: frames and pixelFormat are then its slices', and this says how to cut
   * them from the stored image (splitSiemensMosaic).
   */
  readonly mosaic?: MosaicLayout;
}

/** A file that is not an image Axial reads, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}
