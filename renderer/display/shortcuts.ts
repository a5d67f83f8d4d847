/** One keyboard shortcut as the help panel (and the README) lists it. */
export interface Shortcut {
  readonly keys: string;
  readonly does: string;
}

/** Every shortcut, by group; the one table the help panel shows. */
export const shortcuts: readonly { readonly group: string; readonly items: readonly Shortcut[] }[] = [
  {
    group: 'Views',
    items: [
      { keys: '↑ / ↓, wheel', does: 'next / previous slice' },
      { keys: 'PgUp / PgDn', does: 'ten slices' },
      { keys: 'Home / End', does: 'last / first slice' },
      { keys: '+ / -', does: 'zoom in / out' },
      { keys: 'r, 0', does: 'reset zoom and pan' },
      { keys: '1 … 9', does: 'window presets, in the bar’s order' },
      { keys: 'c', does: 'play / stop cine in the active view' },
      { keys: 'Ctrl+← / Ctrl+→', does: 'previous / next time point (4D series)' },
      { keys: '?, F1', does: 'this help' },
    ],
  },
  {
    group: 'Opening',
    items: [
      { keys: 'Esc', does: 'cancel the series loading (while its bar shows)' },
      { keys: 'Ctrl+,', does: 'settings (File › Settings…)' },
    ],
  },
  {
    group: 'Slabs and oblique planes',
    items: [
      { keys: 'm', does: 'slab MIP → MinIP → mean in the active view (starts a 10 mm slab)' },
      { keys: '[ / ]', does: 'slab 5 mm thinner / thicker' },
      { keys: 't', does: 'rotate tool: left drag turns the crosshair' },
      { keys: ', / .', does: 'turn the active view’s crosshair 5° anticlockwise / clockwise' },
      { keys: 'Shift+R', does: 'back to the standard planes' },
    ],
  },
  {
    group: '3D view (when it has the focus)',
    items: [
      { keys: '← → ↑ ↓, left drag', does: 'turn the volume (20° a key)' },
      { keys: '+ / -, wheel', does: 'zoom' },
      { keys: 'r, 0', does: 'back to the view from the front' },
    ],
  },
  {
    group: 'Editing',
    items: [
      { keys: 'n, Esc', does: 'navigate (left drag: window/level)' },
      { keys: 'b', does: 'brush' },
      { keys: 'e', does: 'eraser' },
      { keys: 'Ctrl+Z', does: 'undo' },
      { keys: 'Ctrl+Shift+Z, Ctrl+Y', does: 'redo' },
    ],
  },
  {
    group: 'Measuring',
    items: [
      { keys: 'l', does: 'line (distance in mm)' },
      { keys: 'a', does: 'angle (drag one arm, then click the third point)' },
      { keys: 'o', does: 'ellipse ROI' },
      { keys: 'f', does: 'freehand ROI' },
      { keys: 'Delete', does: 'delete the selected measurement' },
      { keys: 'Esc', does: 'drop the shape being drawn' },
    ],
  },
];
