import type { ExportFormat } from '../../core/contract.js';
import { unwrap } from '../api/callApi.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import { recoveryFirst, type ActionContext } from './ActionContext.js';
import type { ShowMask } from './createShowMask.js';

/** Opening, saving and recovering segmentations (`mask:` calls). */
export interface MaskActions {
  openLabels(): void;
  exportLabels(format: ExportFormat): void;
  restoreRecovery(): void;
  discardRecovery(): void;
}

export interface MaskActionContext extends ActionContext {
  readonly showMask: ShowMask;
}

/** A label file opened onto the scan, the segmentation saved or its statistics exported, an earlier session's edits restored or discarded. */
export function createMaskActions(context: MaskActionContext): MaskActions {
  const { attempt, dispatch, state } = context;
  return {
    openLabels: () => attempt('Could not open the labels', (a) => openLabels(context, a)),
    exportLabels: (format) => attempt('Could not export the segmentation', (a) => exportLabels(context, a, format)),
    restoreRecovery: () =>
      attempt('Could not restore the edits', async (a) => {
        const volume = state.current.volume;
        if (!volume) return;
        const header = await unwrap(a['mask:recover']({ volumeId: volume.header.volumeId }));
        dispatch({ type: 'recovery', recovery: null });
        await context.showMask(a, header, `Restored unsaved edits to ${header.name}`);
      }),
    discardRecovery: () =>
      attempt('Could not discard the edits', async (a) => {
        const volume = state.current.volume;
        if (!volume) return;
        await unwrap(a['mask:discardRecovery']({ volumeId: volume.header.volumeId }));
        dispatch({ type: 'recovery', recovery: null });
      }),
  };
}

async function openLabels(context: MaskActionContext, a: DesktopApi): Promise<void> {
  const { dispatch, state } = context;
  const volume = state.current.volume;
  if (!volume) throw new Error('open a scan first');
  if (state.current.recovery) throw new Error(recoveryFirst);
  dispatch({ type: 'busy', message: 'Opening labels…' });
  const header = await unwrap(a['mask:open']({ volumeId: volume.header.volumeId }));
  dispatch({ type: 'busy', message: null });
  if (!header) return;
  // Asked after the file was chosen: a cancelled file dialog must not have cost the user their edits.
  if (await context.mayLeave(a, 'open-labels')) await context.showMask(a, header, `Opened ${header.name}`);
  else await unwrap(a['mask:close']({ maskId: header.maskId }));
}

async function exportLabels(context: ActionContext, a: DesktopApi, format: ExportFormat): Promise<void> {
  const { dispatch, state } = context;
  const session = state.current.segmentation;
  if (!session) throw new Error('there is no segmentation to export');
  // Main writes its copy: it must hold every change first.
  await session.synced();
  const saved = await unwrap(a['mask:export']({ maskId: session.maskId, format }));
  const warnings = saved.warnings?.length ? ` (${saved.warnings.join('; ')})` : '';
  if (!saved.saved) return;
  if (saved.complete === false) {
    dispatch({ type: 'status', message: `Saved ${saved.fileName ?? 'the segmentation'}${warnings}; it cannot hold every segment, so the edits stay unsaved` });
    return;
  }
  if (!format.startsWith('stats')) dispatch({ type: 'segmentationSaved', maskId: session.maskId });
  dispatch({ type: 'status', message: `Saved ${saved.fileName ?? 'the segmentation'}${warnings}` });
}
