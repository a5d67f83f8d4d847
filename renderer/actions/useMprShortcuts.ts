import { useEffect, useRef } from 'react';
import type { SlabMode } from '../reslice/reslicePlane.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';

const nextMode: Record<SlabMode, SlabMode> = { mip: 'minip', minip: 'mean', mean: 'mip' };
/** mm per [ or ] press, and the slab M starts when the view has none. */
const thicknessStepMm = 5;
const defaultSlabMm = 10;
/** Degrees per , or . press. */
const turnStepDegrees = 5;

/**
 * MPR shortcuts anywhere but in a text field, for the active view:
 * m cycles the slab's projection (MIP → MinIP → mean; first starts a 10 mm
 * slab if the view has none), [ and ] make the slab 5 mm thinner or thicker,
 * t toggles the Rotate tool, , and . turn the crosshair 5° anticlockwise or
 * clockwise, Shift+R resets the standard planes.
 */
export function useMprShortcuts(state: { readonly current: ViewerState }, dispatch: (action: ViewerAction) => void): void {
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;
  useEffect(() => {
    const keydown = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      if (event.ctrlKey || event.metaKey || event.altKey || !state.current.volume) return;
      const { activeView: view, mpr, tool } = state.current;
      const slab = mpr.slabs[view];
      const send = dispatchRef.current;
      if (event.key === 'm') send({ type: 'mprSlab', view, slab: slab.thicknessMm > 0 ? { mode: nextMode[slab.mode] } : { thicknessMm: defaultSlabMm } });
      else if (event.key === ']') send({ type: 'mprSlab', view, slab: { thicknessMm: slab.thicknessMm + thicknessStepMm } });
      else if (event.key === '[') send({ type: 'mprSlab', view, slab: { thicknessMm: slab.thicknessMm - thicknessStepMm } });
      else if (event.key === 't') send({ type: 'tool', tool: { kind: tool.kind === 'rotate' ? 'navigate' : 'rotate' } });
      else if (event.key === '.' || event.key === ',')
        send({ type: 'mprRotate', view, angle: ((event.key === '.' ? 1 : -1) * turnStepDegrees * Math.PI) / 180 });
      else if (event.key === 'R') send({ type: 'mprReset' });
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', keydown);
    return () => window.removeEventListener('keydown', keydown);
  }, [state]);
}
