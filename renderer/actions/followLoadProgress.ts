import type { AxialApi } from '../../core/contract.js';
import type { ViewerAction } from '../state/viewerState.js';

/**
 * Follows main's progress events of scans and loads into the state (the
 * reducer keeps only those of the phase under way). Returns the function
 * that stops following.
 */
export function followLoadProgress(api: Pick<AxialApi, 'on'>, dispatch: (action: ViewerAction) => void): () => void {
  return api.on('volume:progress', (progress) => dispatch({ type: 'loadProgress', progress }));
}
