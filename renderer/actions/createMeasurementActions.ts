import type { AxialApi, Measurement } from '../../core/contract.js';
import { describeError, unwrap } from '../api/callApi.js';
import type { ViewerAction } from '../state/viewerState.js';

/** Saving and exporting a volume's measurements (`measurements:` calls), each call after the one before. */
export interface MeasurementActions {
  /** Saves the measurements as main's sidecar beside the scan; `onSaved` runs once main has them. */
  save(volumeId: string, items: readonly Measurement[], onSaved: () => void): void;
  /** Exports the saved measurements as CSV, where the user chooses. */
  exportCsv(volumeId: string): void;
}

export interface MeasurementActionContext {
  readonly api: Pick<AxialApi, 'measurements:save' | 'measurements:export'>;
  readonly dispatch: (action: ViewerAction) => void;
  /** The calls under way, chained: an export must see every save before it, and saves must land in order. */
  readonly queue: { current: Promise<unknown> };
}

/** The measurements' calls to main, each reporting failure in words through the error banner. */
export function createMeasurementActions(context: MeasurementActionContext): MeasurementActions {
  const { api, dispatch, queue } = context;
  return {
    save: (volumeId, items, onSaved) => {
      queue.current = queue.current
        .then(() => unwrap(api['measurements:save']({ volumeId, measurements: [...items] })))
        .then(() => onSaved())
        .catch((error: unknown) => dispatch({ type: 'error', message: describeError('Could not save the measurements', error) }));
    },
    exportCsv: (volumeId) => {
      queue.current = queue.current
        .then(async () => {
          const saved = await unwrap(api['measurements:export']({ volumeId, format: 'csv' }));
          if (saved.saved) dispatch({ type: 'status', message: `Saved ${saved.fileName ?? 'the measurements'}` });
        })
        .catch((error: unknown) => dispatch({ type: 'error', message: describeError('Could not export the measurements', error) }));
    },
  };
}
