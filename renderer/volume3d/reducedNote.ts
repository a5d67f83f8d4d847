import { describeFactors } from './downsamplePlan.js';
import type { Reduced3d } from './downsampleVolume.js';

/**
 * What the 3D view says when it draws a reduced grid: "3D shown at 1/2
 * resolution (256×256×1200) to fit this GPU; 2D views are full resolution".
 */
export function reducedNote(reduced: Pick<Reduced3d, 'plan'>): string {
  const [ni, nj, nk] = reduced.plan.dimensions;
  return `3D shown at ${describeFactors(reduced.plan.factors)} resolution (${ni}×${nj}×${nk}) to fit this GPU; 2D views are full resolution`;
}

/**
 * Shows (or, with null, removes) the note in a corner of the 3D view's
 * stage, and publishes the reduction on the stage for tests and the
 * benchmark: data-reduced ("256x256x1200"), data-reduce-ms and
 * data-reduce-longest-step-ms. The note lets clicks through to the view.
 */
export function showReducedNote(stage: HTMLElement, reduced: Reduced3d | null): void {
  stage.querySelector('[data-testid="view3d-reduced"]')?.remove();
  const data = stage.dataset;
  if (!reduced) {
    delete data['reduced'];
    delete data['reduceMs'];
    delete data['reduceLongestStepMs'];
    return;
  }
  data['reduced'] = reduced.plan.dimensions.join('x');
  data['reduceMs'] = reduced.totalMs.toFixed(0);
  data['reduceLongestStepMs'] = reduced.longestStepMs.toFixed(1);
  const note = document.createElement('div');
  note.dataset['testid'] = 'view3d-reduced';
  note.textContent = reducedNote(reduced);
  // Styled here, not in a stylesheet: the stage is View3D's, and this one line is all the 3D view adds to it.
  Object.assign(note.style, {
    position: 'absolute',
    left: '6px',
    bottom: '6px',
    right: '6px',
    padding: '2px 6px',
    font: '12px/1.4 system-ui, sans-serif',
    color: '#e8ecf2',
    background: 'rgba(15, 18, 24, 0.72)',
    borderRadius: '3px',
    pointerEvents: 'none',
    width: 'fit-content',
  });
  stage.append(note);
}
