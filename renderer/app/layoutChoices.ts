import type { Layout } from '../state/viewerState.js';

/** One layout as the view bar offers it: its short name on the button and what it shows, for the tooltip. */
export interface LayoutChoice {
  readonly layout: Layout;
  readonly name: string;
  readonly title: string;
}

/** The layouts in the order offered; 2×2 first, as it is the default. */
export const layoutChoices: readonly LayoutChoice[] = [
  { layout: 'four', name: '2×2', title: 'Axial, coronal, sagittal and 3D, two by two' },
  { layout: 'three', name: '1×3', title: 'Axial, coronal and sagittal in a row' },
  { layout: 'one', name: '1 view', title: 'The active view alone (choose it beside)' },
];
