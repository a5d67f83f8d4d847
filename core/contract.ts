/**
 * The one contract between the renderer and main: every call's channel,
 * argument schema and result type, and every event main pushes. Main
 * validates each payload against these schemas; the preload and the test
 * host expose exactly these calls. No Electron or Node imports here, so main,
 * preload, renderer and tests can all import it.
 */
import { z } from 'zod';
import type { Mat3, Vec3 } from './geometry/types.js';

const id = z.string().min(1).max(100);

const byte = z.number().int().min(0).max(255);

/** A segment's data: where its voxels are (label `value` in label layer `layer`), its name, colour and provenance. */
export const segmentSchema = z
  .object({
    layer: z.number().int().min(0).max(63),
    value: z.number().int().min(1).max(65535),
    name: z.string().min(1).max(64),
    colour: z.tuple([byte, byte, byte]),
    /** AUTOMATIC: a model's untouched result; SEMIAUTOMATIC: a model's result edited by hand; MANUAL: drawn by hand. */
    algorithmType: z.enum(['AUTOMATIC', 'SEMIAUTOMATIC', 'MANUAL']),
    algorithmName: z.string().max(64).optional(),
    /** Painting never changes a locked segment's voxels. */
    locked: z.boolean(),
  })
  .strict();
export type SegmentDef = z.infer<typeof segmentSchema>;

/**
 * One change to one label layer, run-length encoded: `runs` holds
 * little-endian uint32 triples (first voxel, voxel count, new value), voxels
 * numbered i fastest. A layer one past the last adds a layer.
 */
export const labelEditSchema = z
  .object({
    layer: z.number().int().min(0).max(63),
    runs: z.instanceof(Uint8Array).refine((b) => b.byteLength % 12 === 0, 'runs must be whole (start, count, value) uint32 triples'),
  })
  .strict();
export type LabelEdit = z.infer<typeof labelEditSchema>;

/** `slicer-seg`: a 3D Slicer segmentation (`.seg.nrrd`: segment names, colours, terminology, overlapping layers kept). */
export const exportFormatSchema = z.enum(['nifti', 'nrrd', 'slicer-seg', 'dicom-seg', 'stats-csv', 'stats-json']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const inferenceDeviceSchema = z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu']);

const worldVec = z.tuple([z.number(), z.number(), z.number()]);

/**
 * The plane a measurement was drawn on, in LPS world (mm): `origin` is a point
 * on it, `column` and `row` the world displacement of one screen pixel right
 * and down, `normal` that of one slice step (its length is the slice spacing).
 */
export const measurementPlaneSchema = z.object({ origin: worldVec, column: worldVec, row: worldVec, normal: worldVec }).strict();

/** A region's statistics over the scan's real values (after rescale); null for an empty region. SD is the population SD (ddof 0). */
export const roiStatsSchema = z
  .object({ voxels: z.number().int().min(0), mean: z.number().nullable(), sd: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable() })
  .strict();

/** A click for an interactive model: a foreground or background point, LPS mm. */
const clickPointSchema = z.object({ kind: z.enum(['fg', 'bg']), world: z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]) }).strict();
export type ClickPointDef = z.infer<typeof clickPointSchema>;

/** How many world points each kind takes: line a, b; angle a, vertex, c; ellipse centre, two semi-axis ends; freehand the polygon's vertices. */
const measurementPointCounts = { line: [2, 2], angle: [3, 3], ellipse: [3, 3], freehand: [3, 10000] } as const;

type WorldPoint = [number, number, number];
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
// Indexed, not Array.every, which skips the holes a structured clone keeps ([1, , 3] would pass and be written as null).
const isWorldPoint = (p: unknown): p is WorldPoint =>
  Array.isArray(p) && p.length === 3 && isFiniteNumber(p[0]) && isFiniteNumber(p[1]) && isFiniteNumber(p[2]);
const isPointList = (v: unknown): v is WorldPoint[] => {
  if (!Array.isArray(v) || v.length < 2 || v.length > 10000) return false;
  for (let n = 0; n < v.length; n++) if (!isWorldPoint(v[n])) return false;
  return true;
};
/**
 * 2 to 10,000 world points, checked as one value: a list of bad points is one issue, not three per point (a
 * million zod issues took main 17 s and 840 MB to report).
 */
const pointListSchema = z.custom<WorldPoint[]>(isPointList, {
  message: 'must be 2 to 10,000 points, each three finite numbers',
});

/**
 * One measurement, in LPS world mm with the plane it was drawn on; `values`
 * are what the viewer computed from it (kept in the sidecar and the CSV).
 */
export const measurementSchema = z
  .object({
    id,
    name: z.string().min(1).max(64),
    kind: z.enum(['line', 'angle', 'ellipse', 'freehand']),
    /** The view it was drawn in (for the list and the CSV). */
    view: z.string().max(32),
    points: pointListSchema,
    plane: measurementPlaneSchema,
    values: z
      .object({
        lengthMm: z.number().optional(),
        angleDeg: z.number().optional(),
        areaMm2: z.number().optional(),
        perimeterMm: z.number().optional(),
        stats: roiStatsSchema.optional(),
      })
      .strict(),
  })
  .strict()
  .refine((m) => m.points.length >= measurementPointCounts[m.kind][0] && m.points.length <= measurementPointCounts[m.kind][1], {
    message: 'wrong number of points for its kind',
    path: ['points'],
  });
export type Measurement = z.infer<typeof measurementSchema>;

/** The most points a list holds in all: its sidecar stays some MiB, well inside what the reader takes (64 MiB). */
export const maxListPoints = 100_000;
/** A volume's measurements: up to 1000, with up to 100,000 points in all. */
export const measurementListSchema = z
  .array(measurementSchema)
  .max(1000)
  .refine((list) => list.reduce((sum, m) => sum + m.points.length, 0) <= maxListPoints, {
    message: `a list may hold ${maxListPoints.toLocaleString('en-US')} points in all`,
  });
export type MeasurementKind = Measurement['kind'];
export type MeasurementPlane = z.infer<typeof measurementPlaneSchema>;
export type RoiStats = z.infer<typeof roiStatsSchema>;

/**
 * The user's settings, kept by main in the app's data folder. `decodeThreads`: worker threads that
 * read and decode a series (null: one per core). `philipsScaling`: which values Philips MR files give,
 * precise floating point (FP, dcm2niix's default) or the scanner's display values (DV, RescaleSlope only).
 * `measurementsBesideStudy`: measurements are kept in the app's data folder (false, the default) or beside
 * the study's files when its folder can be written (true).
 */
export const appSettingsSchema = z
  .object({
    decodeThreads: z.number().int().min(1).max(256).nullable(),
    philipsScaling: z.enum(['precise', 'display']),
    measurementsBesideStudy: z.boolean(),
  })
  .strict();
export type AppSettings = z.infer<typeof appSettingsSchema>;

/** Argument schemas, by channel (`domain:verb`). */
export const argumentSchemas = {
  /** Answers at once: a round trip that shows main's services are free (a load runs on worker threads). */
  'app:ping': z.object({}).strict(),
  'settings:get': z.object({}).strict(),
  /** Saves the settings; they apply from the next scan or load. */
  'settings:set': appSettingsSchema,
  /** Main opens a file or folder dialog (or takes a dropped path it was handed by the drop handler) and scans it. */
  'volume:open': z.object({ source: z.enum(['file', 'folder', 'drop']), dropToken: id.optional() }).strict(),
  /** Loads one series of a scan into a volume; its voxels are then fetched as binary from `dataUrl`. */
  /** `timePoint`: for a 4D series (SeriesSummary.timePoints > 1), which volume, 0-based (default 0). */
  'volume:load': z.object({ scanId: id, seriesIndex: z.number().int().min(1), timePoint: z.number().int().min(0).max(1_000_000).optional() }).strict(),
  /**
   * Stops the scan or load in progress (its worker threads are ended); its call then fails with
   * LOAD_CANCELLED. `cancelled` is false when nothing was loading.
   */
  'volume:cancel': z.object({}).strict(),
  /** Main opens a label map (NIfTI/NRRD, resampled nearest-neighbour onto the volume's grid) or a DICOM SEG (placed on its source series). */
  'mask:open': z.object({ volumeId: id }).strict(),
  /** An empty segmentation on the volume's grid, to paint on. */
  'mask:create': z.object({ volumeId: id }).strict(),
  /**
   * The renderer's edits since the last call and its whole segment table: main applies them to its copy,
   * journals them for recovery, and answers the statistics.
   */
  'mask:edit': z
    .object({
      maskId: id,
      edits: z.array(labelEditSchema).max(256),
      segments: z.array(segmentSchema).max(4096),
      /** The loaded volume whose values the statistics are of: the time point shown of the mask's 4D series (default: the mask's own). */
      volumeId: id.optional(),
    })
    .strict(),
  /**
   * The statistics of a segmentation over another loaded volume of its series on its grid (the time point shown of a
   * 4D series), with no edit; refused with MASK_VOLUME_MISMATCH for a volume of another series or grid.
   */
  'mask:statistics': z.object({ maskId: id, volumeId: id }).strict(),
  /** Restores the unsaved edits left by a crash for this volume's source (see VolumeHeader.recovery). */
  'mask:recover': z.object({ volumeId: id }).strict(),
  /** Forgets those edits. */
  'mask:discardRecovery': z.object({ volumeId: id }).strict(),
  /** Whether a segmentation has edits since it was last saved (main's copy is the one that knows). */
  'mask:status': z.object({ maskId: id }).strict(),
  /**
   * Main asks where to save the segmentation as a label map (NIfTI unless the chosen name ends .nrrd or,
   * for a DICOM scan, .dcm) and writes it; this ends its unsaved edits and their journal.
   */
  'mask:save': z.object({ maskId: id }).strict(),
  /** Drops a segmentation's unsaved edits: their recovery journal is removed and main counts it as saved (the user chose Discard). */
  'mask:discard': z.object({ maskId: id }).strict(),
  /**
   * The page shows this model result as a segmentation of its own: main counts it as unsaved work (one change, once)
   * and journals it, so opening another scan or quitting asks first, and a crash offers it back.
   */
  'mask:keep': z.object({ maskId: id }).strict(),
  /** Forgets a segmentation main holds (a model's result once the renderer has appended it to another); refused while it has unsaved edits. */
  'mask:close': z.object({ maskId: id }).strict(),
  /**
   * Runs a model on a volume in the inference process; progress and the result arrive as events.
   * With `points` (click-to-segment) the model is an interactive one ('demo-interactive': the DeepEdit demo, or a chosen
   * DeepEdit bundle) run on the clicks: foreground and background points in LPS mm, on the whole scan or, with
   * `roi: 'clicks'`, on a box around them.
   */
  'segmentation:run': z
    .object({
      volumeId: id,
      model: z.enum(['demo', 'demo-interactive', 'choose']),
      device: inferenceDeviceSchema,
      points: z.array(clickPointSchema).max(100).optional(),
      roi: z.enum(['scan', 'clicks']).optional(),
      /** For a model of several input images (see `model:inputs`): the series of the volume's scan for each channel, in the model's channel order. */
      inputs: z
        .array(z.object({ channel: z.string().min(1).max(64), seriesIndex: z.number().int().min(1) }).strict())
        .min(2)
        .max(16)
        .optional(),
    })
    .strict(),
  /**
   * What a model needs before it runs: its name and, for a model of several input images (a MONAI bundle's
   * channel_def, e.g. T1c, T1, T2, FLAIR), one series of the volume's scan per channel, pre-chosen where a series
   * description matches the channel. With 'choose' and no model chosen yet, main asks for one first.
   */
  'model:inputs': z.object({ volumeId: id, model: z.enum(['demo', 'choose']) }).strict(),
  'segmentation:cancel': z.object({ jobId: id }).strict(),
  /** Main asks where to save (atomic write) the segmentation, on the volume's grid, or its statistics. DICOM SEG needs a DICOM source. */
  'mask:export': z.object({ maskId: id, format: exportFormatSchema }).strict(),
  /** Main asks where to save a PNG the renderer drew. */
  'view:exportPng': z.object({ png: z.instanceof(Uint8Array), suggestedName: z.string().max(200) }).strict(),
  /** Main asks where to save a WebM movie the renderer recorded (a cine loop). */
  'view:exportMovie': z.object({ webm: z.instanceof(Uint8Array), suggestedName: z.string().max(200) }).strict(),
  /** The volume's whole measurement list: main keeps it and writes the sidecar beside the study (or in the app's data folder). */
  'measurements:save': z.object({ volumeId: id, measurements: measurementListSchema }).strict(),
  /** Main asks where to save the last saved measurement list as CSV (atomic write). */
  'measurements:export': z.object({ volumeId: id, format: z.enum(['csv']) }).strict(),
  /** The recent studies kept in the app's data folder, most recent first; `search` matches patient, ID, descriptions and modality. */
  'studies:list': z.object({ search: z.string().max(200).optional() }).strict(),
  /** Takes a study off the recent list (its files are not touched). */
  'studies:remove': z.object({ key: id }).strict(),
  /** Opens a recent study's recorded input as `volume:open` does (main looks the path up by key; the page never sends paths). */
  'studies:open': z.object({ key: id }).strict(),
} as const;

export type Channel = keyof typeof argumentSchemas;
export type ArgumentsOf<C extends Channel> = z.infer<(typeof argumentSchemas)[C]>;

export interface WindowPresetInfo {
  readonly center: number;
  readonly width: number;
  readonly name?: string;
}

export interface SeriesSummary {
  readonly index: number;
  readonly uid: string;
  readonly description: string;
  readonly modality: string;
  readonly format: 'dicom' | 'nifti' | 'nrrd';
  readonly files: number;
  /** Volumes along time: 1 for a 3D series, T for a 4D one (volume:load's timePoint picks one); main always sends it. */
  readonly timePoints?: number;
  /** For telling rows apart in the series picker; each absent where the files do not say. */
  readonly seriesNumber?: number;
  /** Images (slices) over all time points. */
  readonly images?: number;
  /** One volume's matrix (columns, rows, slices); absent for NIfTI/NRRD until read. */
  readonly dimensions?: Vec3;
  /** ImageType DERIVED (a reformat or map) rather than ORIGINAL. */
  readonly derived?: boolean;
  /** The echo, where the series has several (each its own entry). */
  readonly echo?: number;
  /** The patient and study, only where the scan holds more than one (a DICOMDIR of several patients): the picker groups by it. */
  readonly study?: SeriesStudy;
}

/**
 * A series' patient and study, formatted as the views' corners have them (StudyInfo); absent facts are left
 * out, as is a patient ID that is a UID. `index` tells the scan's studies apart (1, 2, … as first met), also
 * two whose facts read the same.
 */
export interface SeriesStudy extends Pick<StudyInfo, 'patientName' | 'patientId' | 'studyDate' | 'studyDescription'> {
  readonly index: number;
}

/** A series of a recent study, as recorded when it was last loaded. */
export interface RecentSeries {
  readonly description: string;
  readonly number: number | null;
  readonly modality: string;
  readonly images: number;
  readonly dimensions: Vec3;
  /** A small grayscale picture of its middle axial slice (a PNG data URL), null when none was made. */
  readonly thumbnail: string | null;
}

/** A study on the recent list: who and what, for people (no UIDs); `key` names it in studies:open and studies:remove. */
export interface RecentStudy {
  readonly key: string;
  /** As people write it ('DOE, JANE M'). */
  readonly patientName: string;
  readonly patientId: string;
  /** Dates as YYYY-MM-DD ('' when unknown or not a real date). */
  readonly birthDate: string;
  readonly studyDate: string;
  readonly description: string;
  readonly modalities: readonly string[];
  /** ISO time it was last opened. */
  readonly openedAt: string;
  /** The input's file or folder name (not its path). */
  readonly sourceName: string;
  readonly series: readonly RecentSeries[];
}

export interface ScanResult {
  readonly scanId: string;
  readonly name: string;
  readonly series: readonly SeriesSummary[];
  readonly skipped: number;
}

/** A volume's geometry and metadata; voxels come separately, as binary. */
export interface VolumeHeader {
  readonly volumeId: string;
  readonly dimensions: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  /** direction[a] = LPS unit vector of index axis a. */
  readonly direction: Mat3;
  readonly dataType: 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
  readonly range: readonly [number, number];
  readonly units: string | null;
  readonly modality: string;
  readonly description: string;
  readonly windowPresets: readonly WindowPresetInfo[];
  readonly invertDisplay: boolean;
  /** Metadata shown in the viewer's panel (patient, study, series, source). */
  readonly details: readonly (readonly [string, string])[];
  readonly warnings: readonly string[];
  readonly dataUrl: string;
  /** The format the volume was read from: DICOM SEG export needs 'dicom'. */
  readonly format: 'dicom' | 'nifti' | 'nrrd';
  /** Unsaved edits a crash left for this same source, offered for restoring; null when there are none. */
  readonly recovery: RecoveryInfo | null;
  /** What the measurement sidecar held when the volume was loaded ([] when none, or when it was damaged: then a warning says so). */
  readonly measurements: readonly Measurement[];
  /** Patient, study and series facts for the image overlays, formatted for reading; absent fields are unknown. */
  readonly study?: StudyInfo;
  /** For a 4D series: which time point this volume is (0-based) of how many; absent for a 3D one. */
  readonly timePoint?: number;
  readonly timePoints?: number;
  /**
   * For a 4D series: each time point's seconds from the first (timeOffsets[timePoint] is this volume's), where the files
   * date them: a DICOM series' trigger delays or acquisition times, a NIfTI's t × pixdim[4]. Absent where they do not
   * (never t × a RepetitionTime, which is one excitation's, not the time between volumes).
   */
  readonly timeOffsets?: readonly number[];
}

/** What the views' corners show about the scan: dates as YYYY-MM-DD, times as HH:MM, a name as "FAMILY, Given". */
export interface StudyInfo {
  readonly patientName?: string;
  readonly patientId?: string;
  readonly patientBirthDate?: string;
  /** M, F or O, as DICOM's PatientSex. */
  readonly patientSex?: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly studyDescription?: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  /** mm, the files' SliceThickness. */
  readonly sliceThickness?: number;
}

export interface RecoveryInfo {
  readonly maskName: string;
  /** ISO time of the last journaled edit. */
  readonly savedAt: string;
  readonly edits: number;
  /** Records after the last valid one that could not be restored (damaged or cut short); 0 when the journal is whole. */
  readonly dropped: number;
  /** Why records were dropped, in words for the user (e.g. "record 7 fails its checksum"); null when none were. */
  readonly damage: string | null;
  /** More about `damage` for the curious (a system error code), shown behind Details. */
  readonly detail?: string;
}

/** A segment's statistics over the scan's values (after rescale); mean/sd/min/max are null for an empty segment. */
export interface SegmentStats {
  readonly voxels: number;
  readonly volumeMl: number;
  readonly mean: number | null;
  /** Population standard deviation (numpy's default, ddof = 0). */
  readonly sd: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export type SegmentInfo = SegmentDef & SegmentStats;

/** A segmentation on a volume's grid: one or more label layers (uint8 or uint16), each fetched as binary from its dataUrl. */
export interface MaskHeader {
  readonly maskId: string;
  readonly volumeId: string;
  readonly name: string;
  readonly layers: readonly { readonly dataType: 'uint8' | 'uint16'; readonly dataUrl: string }[];
  readonly segments: readonly SegmentInfo[];
  readonly warnings: readonly string[];
  /** Changes since the segmentation was last saved, by main's count (a restored one starts with the journal's). */
  readonly unsavedEdits: number;
}

/** A segmentation's unsaved state, as main's copy knows it. */
export interface MaskStatus {
  readonly name: string;
  /** Changes (mask:edit calls) since the last save, export as a label map, or discard; 0 when saved. */
  readonly unsavedEdits: number;
  /** True when that one change is a model's result the page kept (mask:keep), not edited since: the questions say so. */
  readonly unsavedResult: boolean;
}

export interface SavedFile {
  readonly saved: boolean;
  readonly fileName?: string;
  /** What the format could not keep (e.g. overlapping segments in one label map). */
  readonly warnings?: readonly string[];
  /**
   * A segmentation saved as a label map: false when the file could not hold
   * every edit (overlapping segments in one label map, see `warnings`); its
   * edits then stay unsaved and journaled.
   */
  readonly complete?: boolean;
}

/** A model's input images (`model:inputs`): `channels` is empty for a model of one image, the volume shown. */
export interface ModelInputs {
  readonly modelName: string;
  /** Each channel in the model's order, with the series pre-chosen for it (null where no description matched). */
  readonly channels: readonly { readonly name: string; readonly seriesIndex: number | null }[];
  /** The volume's scan's series to choose from (the shown one included). */
  readonly series: readonly SeriesSummary[];
}

/** Result types, by channel. */
export interface ResultTypes {
  'app:ping': { readonly pong: true };
  'settings:get': AppSettings;
  'settings:set': AppSettings;
  'volume:open': ScanResult | null;
  'volume:load': VolumeHeader;
  'volume:cancel': { readonly cancelled: boolean };
  'mask:open': MaskHeader | null;
  'mask:create': MaskHeader;
  'mask:edit': {
    readonly segments: readonly SegmentInfo[];
    readonly unsavedEdits: number;
    /** Why this edit is kept but not in the crash-recovery journal (it could not be written); absent when it is. */
    readonly unprotected?: string;
  };
  'mask:statistics': { readonly segments: readonly SegmentInfo[] };
  'mask:recover': MaskHeader;
  'mask:discardRecovery': { readonly discarded: boolean };
  'mask:status': MaskStatus;
  'mask:save': SavedFile;
  'mask:discard': { readonly discarded: boolean };
  /** `unprotected`: why the result could not be journaled (it is kept, but a crash would lose it); absent when it was. */
  'mask:keep': { readonly unsavedEdits: number; readonly unprotected?: string };
  'mask:close': { readonly closed: boolean };
  'model:inputs': ModelInputs;
  'segmentation:run': { readonly jobId: string };
  'segmentation:cancel': { readonly cancelled: boolean };
  'mask:export': SavedFile;
  'view:exportPng': SavedFile;
  'view:exportMovie': SavedFile;
  /** `beside`: the sidecar is beside the study; false: in the app's data folder (the default, or the study's folder is read-only). */
  'measurements:save': { readonly fileName: string; readonly beside: boolean };
  'measurements:export': SavedFile;
  'studies:list': { readonly studies: readonly RecentStudy[] };
  'studies:remove': { readonly removed: boolean };
  'studies:open': ScanResult | null;
}

/** Every call answers with data, never a thrown Error: Electron would keep only the message. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** Events main pushes to the renderer. */
export interface EventTypes {
  /**
   * A scan (`volume:open`: headers read) or load (`volume:load`: files decoded) in progress, in files;
   * sent at most every 50 ms and once at the end. Each scan and load starts again from 0.
   */
  'volume:progress': { readonly phase: 'scanning' | 'loading'; readonly done: number; readonly total: number };
  'segmentation:progress': {
    readonly jobId: string;
    readonly done: number;
    readonly total: number;
    readonly elapsedSeconds: number;
    readonly etaSeconds: number | null;
  };
  'segmentation:done': { readonly jobId: string; readonly result: Result<MaskHeader & { readonly provider: string; readonly seconds: number }> };
  /**
   * The application menu: `openRecent` carries a drop token for `volume:open`, `modelSelected` the model's name;
   * `recentCleared` says File › Recent › Clear Recent emptied the study list (the first screen lists it again).
   */
  'menu:command': {
    readonly command: 'openFile' | 'openFolder' | 'openRecent' | 'exportSegmentation' | 'modelSelected' | 'openSettings' | 'undo' | 'redo' | 'recentCleared';
    readonly dropToken?: string;
    readonly modelName?: string;
  };
}

export type EventName = keyof EventTypes;

/**
 * The API the renderer sees as `window.axial`, from the preload or the test host's shim.
 * `DropFile` is what a drop hands over: the DOM's `File` in a browser (this core knows no DOM).
 */
export type AxialApi<DropFile = never> = {
  readonly [C in Channel]: (args: ArgumentsOf<C>) => Promise<Result<ResultTypes[C]>>;
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventTypes[E]) => void) => () => void;
  /** Hands main a dropped file or folder (the preload reads its path); `volume:open {source:'drop'}` then opens it. Absent where drops cannot carry paths. */
  readonly registerDrop?: (file: DropFile) => Promise<Result<{ readonly dropToken: string }>>;
};

const maxIssuesShown = 10;

/** Checks a payload against its channel's schema; the error text names the fields (the first ten). */
export function parseArguments<C extends Channel>(channel: C, payload: unknown): Result<ArgumentsOf<C>> {
  const parsed = argumentSchemas[channel].safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data as ArgumentsOf<C> };
  // The first few issues say what is wrong; a payload of thousands of bad values must not make a message of millions.
  const { issues } = parsed.error;
  const shown = issues.slice(0, maxIssuesShown).map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`.slice(0, 300));
  const more = issues.length > maxIssuesShown ? `; and ${issues.length - maxIssuesShown} more` : '';
  return { ok: false, error: { code: 'IPC_INVALID_ARGUMENTS', message: `${channel}: ${shown.join('; ')}${more}` } };
}

export const channelNames = Object.keys(argumentSchemas) as Channel[];
