import { useEffect, useRef } from 'react';
import { presetList } from '../display/presetList.js';
import type { Cine } from '../state/useCine.js';
import type { ViewerActions } from './useViewerActions.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';

export interface ShortcutContext {
  readonly actions: ViewerActions;
  readonly dispatch: (action: ViewerAction) => void;
  readonly state: { readonly current: ViewerState };
  readonly cine: Cine;
  readonly onHelp: () => void;
}

/**
 * Window-wide shortcuts (see display/shortcuts.ts, which the help panel
 * lists), anywhere but in a text field: Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y
 * redo (Cmd on macOS), b brush, e eraser, n/Esc navigate, 1–9 window
 * presets, c cine, ? or F1 help. The views' own keys (slices, zoom) are theirs.
 */
export function useShortcuts(context: ShortcutContext): void {
  const ref = useRef(context);
  ref.current = context;
  useEffect(() => {
    const keydown = (event: KeyboardEvent): void => {
      const { actions, dispatch, state, cine, onHelp } = ref.current;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      const key = event.key.toLowerCase();
      const command = event.ctrlKey || event.metaKey;
      const preset = /^[1-9]$/.test(key) && state.current.volume ? presetList(state.current.volume)[Number(key) - 1] : undefined;
      if (command && key === 'z') actions.edit({ type: event.shiftKey ? 'redo' : 'undo' });
      else if (command && key === 'y') actions.edit({ type: 'redo' });
      else if (command || event.altKey) return;
      else if (key === 'b') dispatch({ type: 'tool', tool: { kind: 'brush' } });
      else if (key === 'e') dispatch({ type: 'tool', tool: { kind: 'eraser' } });
      else if (key === 'n' || key === 'escape') dispatch({ type: 'tool', tool: { kind: 'navigate' } });
      else if (preset) dispatch({ type: 'voi', voi: preset.window() });
      else if (key === 'c') cine.toggle();
      else if (key === '?' || key === 'f1') onHelp();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', keydown);
    return () => window.removeEventListener('keydown', keydown);
  }, []);
}
