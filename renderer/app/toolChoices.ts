import type { EditTool } from '../state/viewerState.js';

/** One tool of the palette: what a left drag does, its button's name, its key, and its family. */
export interface ToolChoice {
  readonly kind: Exclude<EditTool['kind'], 'rotate'>;
  readonly name: string;
  readonly key: string;
  /** Edit tools stay chosen when clicked again; a measuring tool clicked again goes back to Navigate. */
  readonly family: 'edit' | 'measure';
}

/** The palette in order: Navigate and the mask tools, then the measuring tools (Rotate lives with the planes, in the view bar). */
export const toolChoices: readonly ToolChoice[] = [
  { kind: 'navigate', name: 'Navigate', key: 'N', family: 'edit' },
  { kind: 'brush', name: 'Brush', key: 'B', family: 'edit' },
  { kind: 'eraser', name: 'Eraser', key: 'E', family: 'edit' },
  { kind: 'line', name: 'Line', key: 'L', family: 'measure' },
  { kind: 'angle', name: 'Angle', key: 'A', family: 'measure' },
  { kind: 'ellipse', name: 'Ellipse', key: 'O', family: 'measure' },
  { kind: 'freehand', name: 'Freehand', key: 'F', family: 'measure' },
];

/** The tool a click on `choice` leaves chosen when `current` is the tool now. */
export function toolAfterClick(choice: ToolChoice, current: EditTool['kind']): EditTool['kind'] {
  return choice.family === 'measure' && current === choice.kind ? 'navigate' : choice.kind;
}
