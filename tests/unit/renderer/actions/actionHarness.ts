import type { Result } from '../../../../core/contract.js';
import type { ActionContext } from '../../../../renderer/actions/ActionContext.js';
import type { LeaveOutcome } from '../../../../renderer/actions/confirmLeave.js';
import { createAttempt } from '../../../../renderer/actions/createAttempt.js';
import type { DesktopApi } from '../../../../renderer/api/DesktopApi.js';
import { initialViewerState, type ViewerAction, type ViewerState } from '../../../../renderer/state/viewerState.js';

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/**
 * An ActionContext over a fake API (only the calls a test needs) and a
 * viewer state; every dispatch and every unsaved-edits question is logged.
 * `leave` is what the question resolves to.
 */
export function actionHarness(api: Partial<DesktopApi>, state: Partial<ViewerState>, leave: LeaveOutcome = 'nothing-unsaved') {
  const log: string[] = [];
  const dispatch = (action: ViewerAction): void => void log.push(`${action.type}${'message' in action && action.message ? ` ${action.message}` : ''}`);
  const context: ActionContext = {
    dispatch,
    state: { current: { ...initialViewerState, ...state } },
    attempt: createAttempt(api as DesktopApi, dispatch),
    mayLeave: async (_api, reason) => {
      log.push(`asked ${reason}`);
      return leave;
    },
  };
  /** Lets every pending step of the actions run. */
  const settled = async (): Promise<void> => {
    for (let n = 0; n < 20; n++) await new Promise((done) => setTimeout(done, 0));
  };
  return { log, context, settled };
}
