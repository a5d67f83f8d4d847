import type { ViewName } from '../geometry/types.js';
import type { Vec3 } from '../../core/geometry/types.js';

export interface Hover {
  readonly view: ViewName;
  readonly index: Vec3;
}

/** The voxel under the mouse, kept outside React state so moving the mouse re-renders only the readout. */
export interface HoverStore {
  get(): Hover | null;
  set(hover: Hover | null): void;
  subscribe(listener: () => void): () => void;
}

export function createHoverStore(): HoverStore {
  let hover: Hover | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => hover,
    set(next) {
      if (next === hover || (next && hover && next.view === hover.view && next.index.every((v, a) => v === hover!.index[a]))) return;
      hover = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
