import type { DesktopApi } from '../api/DesktopApi.js';
import type { LeaveReason } from '../state/createPromptStore.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';
import type { LeaveOutcome } from './confirmLeave.js';
import type { Attempt } from './createAttempt.js';

/** What every group of the viewer's actions works with. */
export interface ActionContext {
  readonly dispatch: (action: ViewerAction) => void;
  /** The viewer's state as last rendered (read when an action runs, never captured). */
  readonly state: { readonly current: ViewerState };
  /** Runs one async step against main, reporting a failure in words through the error banner. */
  readonly attempt: Attempt;
  /** Asks about the shown segmentation's unsaved edits before it is replaced; truthy when it may go. */
  readonly mayLeave: (api: DesktopApi, reason: LeaveReason) => Promise<LeaveOutcome>;
}

/** Why a new segmentation must wait while an earlier session's edits are offered: its first edit would start the journal afresh. */
export const recoveryFirst = 'first restore or discard the unsaved edits from the earlier session (the bar above), or they would be replaced';
