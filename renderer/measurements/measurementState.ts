import type { Measurement, MeasurementKind } from '../../core/contract.js';
import type { Draft } from './measureGesture.js';

/** The loaded volume's measurements, the selected one, and the one being drawn. */
export interface MeasurementState {
  readonly volumeId: string | null;
  readonly items: readonly Measurement[];
  readonly selected: string | null;
  readonly draft: Draft | null;
  /** Moves on with every change to `items`; a save is tracked against it. */
  readonly revision: number;
}

export type MeasurementAction =
  /** A new volume: its measurements as the sidecar held them (values recomputed). */
  | { readonly type: 'reset'; readonly volumeId: string | null; readonly items: readonly Measurement[] }
  | { readonly type: 'draft'; readonly draft: Draft | null }
  | { readonly type: 'add'; readonly measurement: Measurement }
  | { readonly type: 'rename'; readonly id: string; readonly name: string }
  | { readonly type: 'delete'; readonly id: string }
  | { readonly type: 'select'; readonly id: string | null };

export const initialMeasurementState: MeasurementState = { volumeId: null, items: [], selected: null, draft: null, revision: 0 };

/** Every change to the measurement list goes through here. */
export function measurementReducer(state: MeasurementState, action: MeasurementAction): MeasurementState {
  switch (action.type) {
    case 'reset':
      return { volumeId: action.volumeId, items: action.items, selected: null, draft: null, revision: state.revision + 1 };
    case 'draft':
      return state.draft === action.draft ? state : { ...state, draft: action.draft };
    case 'add':
      return { ...state, items: [...state.items, action.measurement], selected: action.measurement.id, draft: null, revision: state.revision + 1 };
    case 'rename': {
      const name = action.name.trim().slice(0, 64);
      const current = state.items.find((m) => m.id === action.id);
      if (!current || !name || current.name === name) return state;
      return { ...state, items: state.items.map((m) => (m.id === action.id ? { ...m, name } : m)), revision: state.revision + 1 };
    }
    case 'delete':
      if (!state.items.some((m) => m.id === action.id)) return state;
      return {
        ...state,
        items: state.items.filter((m) => m.id !== action.id),
        selected: state.selected === action.id ? null : state.selected,
        revision: state.revision + 1,
      };
    case 'select':
      return { ...state, selected: action.id };
  }
}

const kindNames: Record<MeasurementKind, string> = { line: 'Line', angle: 'Angle', ellipse: 'Ellipse', freehand: 'Freehand' };

/** "Line 3": the kind's word and one more than the highest number its names already use. */
export function nextMeasurementName(items: readonly Measurement[], kind: MeasurementKind): string {
  const word = kindNames[kind];
  const pattern = new RegExp(`^${word} (\\d+)$`);
  const highest = items.reduce((n, m) => Math.max(n, Number(pattern.exec(m.name)?.[1] ?? 0)), 0);
  return `${word} ${highest + 1}`;
}

/** The word for a kind, for the list. */
export function kindName(kind: MeasurementKind): string {
  return kindNames[kind];
}
