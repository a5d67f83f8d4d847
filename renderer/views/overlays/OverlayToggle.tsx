import { setOverlaysShown, useOverlaysShown } from './overlaysShown.js';

/** The toolbar's "Overlays" button: shows or hides the views' corner text and scale bar (on by default, kept for the session). */
export function OverlayToggle() {
  const shown = useOverlaysShown();
  return (
    <button
      type="button"
      data-testid="overlays-toggle"
      aria-pressed={shown}
      title="Patient, study, slice, window and zoom in the views' corners, and a scale bar"
      onClick={() => setOverlaysShown(!shown)}
    >
      Overlays
    </button>
  );
}
