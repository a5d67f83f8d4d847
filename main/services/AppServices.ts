import type { Channel, EventName, EventTypes, Result, ResultTypes } from '../../core/contract.js';
import type { InferenceProcess } from '../segmentation/process/runInferenceProcess.js';

/** A segmentation with unsaved edits, for the close guard's question. */
export interface UnsavedMask {
  readonly maskId: string;
  readonly name: string;
  readonly unsavedEdits: number;
  /** The one unsaved change is a model's result, not edited since it came (see MaskStatus). */
  readonly unsavedResult: boolean;
}

/** What a dataUrl serves: a volume's voxels or a mask's labels. */
export type DataKind = 'volume' | 'mask';

/** What the user is asked to open; the host shows its own dialog for each. */
export type OpenKind = 'file' | 'folder' | 'mask' | 'model';

/** One entry of a save dialog's type list (Electron's FileFilter shape). */
export interface SaveFilter {
  readonly name: string;
  readonly extensions: readonly string[];
}

/**
 * Everything the services need from their host (Electron, or the test host).
 * Paths come only from here, never from a payload.
 */
export interface AppServiceDeps {
  /** Shows an open dialog; undefined when the user cancels. */
  chooseOpenPath(kind: OpenKind): Promise<string | undefined>;
  /** Shows a save dialog; undefined when the user cancels. */
  chooseSavePath(suggestedName: string, filters: readonly SaveFilter[]): Promise<string | undefined>;
  /** The path a drop (or a Recent menu item) registered under `token`; each token works once. */
  takeDroppedPath(token: string): string | undefined;
  /** Pushes an event to the renderer. */
  emit<E extends EventName>(event: E, payload: EventTypes[E]): void;
  /** The bundled demo model (models/demo-ct-phantom). */
  demoModelPath: string;
  /** The bundled click-to-segment demo model (models/demo-deepedit, a DeepEdit bundle). */
  demoInteractiveModelPath: string;
  /** The URL the renderer fetches a volume's or mask's bytes from. */
  dataUrl(kind: DataKind, id: string): string;
  /** Where unsaved segmentation edits are journaled for crash recovery; none kept when undefined. */
  recoveryDir?: string;
  /** The app's own data folder: measurements of a study whose folder is read-only (a CD) are kept under it. */
  dataDir?: string;
  /** Told of every input the user opened (for a Recent menu). */
  onOpened?(path: string): void;
  /** Starts the inference process (default: startInferenceProcess, a forked Node child). */
  startInference?(): InferenceProcess;
  /** Hears unexpected errors (default console.error); the renderer only gets INTERNAL and a line. */
  logError?(error: unknown): void;
}

/** What saving a segmentation from main (the close guard's Save) came to. */
export interface MaskSaveOutcome {
  /** True when every edit is in the file and the segmentation counts as saved. */
  readonly saved: boolean;
  /** The file written, when one was. */
  readonly fileName?: string;
  /** What the file could not keep. */
  readonly warnings: readonly string[];
}

/** The transport-agnostic implementation of every contract channel. */
export interface AppServices {
  /**
   * Validates `payload` against the channel's schema and runs the call.
   * Never rejects: failures come back as `{ ok: false, error: { code, message } }`.
   */
  invoke<C extends string>(channel: C, payload: unknown): Promise<Result<C extends Channel ? ResultTypes[C] : never>>;
  /** A loaded volume's voxels or a mask's labels as bytes (a view, not a copy); undefined for an unknown id. */
  getData(kind: DataKind, id: string): Uint8Array | undefined;
  /**
   * Reads the model at `path` (the Open Model… menu) and, once it has loaded, makes it the one `segmentation:run` with
   * `model: 'choose'` uses; its name. A model that cannot be read rejects with its reason and leaves the choice as it was.
   */
  selectModel(path: string): Promise<string>;
  /** The segmentations with edits since they were last saved (the close guard asks about these). */
  unsavedWork(): readonly UnsavedMask[];
  /**
   * Saves a segmentation as `mask:save` does (main's save dialog, NIfTI unless another label format is chosen).
   * `saved` is false when the user cancelled the dialog, and also when the file could not hold every edit
   * (overlapping segments in one label map): the edits then stay unsaved and journaled, and `warnings` say why.
   * @throws AxialError UNKNOWN_ID, OUTPUT_IS_INPUT, OUTPUT_WRITE_FAILED and the writers' codes
   */
  saveMask(maskId: string): Promise<MaskSaveOutcome>;
  /**
   * Drops a segmentation's unsaved edits and their recovery journal, as `mask:discard` does.
   * @throws AxialError UNKNOWN_ID
   */
  discardMask(maskId: string): Promise<void>;
  /** Whether a model run is queued or running (the close guard asks before stopping it). */
  modelRunUnderWay(): boolean;
  /** Cancels the model run under way, if any, as `segmentation:cancel` does; resolves once it has ended, or after about a second. */
  stopModelRun(): Promise<void>;
  /** Empties the recent study list (the welcome screen's), on disk too: File › Recent › Clear Recent. */
  clearRecentStudies(): Promise<void>;
  /**
   * Cancels running jobs and loads, stops the inference process, waits (10 s at most) for the other calls under
   * way, such as an export writing its file, and forgets all state.
   */
  dispose(): Promise<void>;
}
