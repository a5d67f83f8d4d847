import { useSyncExternalStore } from 'react';
import type { MaskPreview, PreviewState } from './MaskPreview.js';

const noSubscription = (): (() => void) => () => undefined;

/** A preview's state, following it (null without a preview). */
export function usePreviewState(preview: MaskPreview | null): PreviewState | null {
  return useSyncExternalStore(preview ? preview.subscribe : noSubscription, () => preview?.getState() ?? null);
}
