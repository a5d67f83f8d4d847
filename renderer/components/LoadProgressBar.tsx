import { useEffect } from 'react';
import { loadProgressText, type LoadProgress } from '../state/loadProgress.js';

/**
 * The bar of a scan or load under way: what it does and how many files of
 * how many, a determinate bar once main has counted them, and Cancel (Esc
 * too, while the bar shows). Nothing else waits for it: the shown volume
 * stays in use. Focus is not taken: Cancel is next in the Tab order.
 */
export function LoadProgressBar({ load, onCancel }: { readonly load: LoadProgress | null; readonly onCancel: () => void }) {
  const shown = load?.shown ?? false;
  useEffect(() => {
    if (!shown) return undefined;
    // Bubbling: a dialog above (Settings, Save / Discard) takes its own Esc first, capturing, and stops it.
    // The viewer's own Esc (back to navigating, dropping a shape being drawn) still runs: both are ways of stopping.
    const keydown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', keydown);
    return () => window.removeEventListener('keydown', keydown);
  }, [shown, onCancel]);
  if (!load?.shown) return null;
  const { phase, done, total, cancelling } = load;
  const text = loadProgressText(load);
  const counted = total > 0;
  return (
    <div className="progress load-progress" data-testid="load-progress" data-phase={phase} data-done={done} data-total={total}>
      <div
        className="load-bar"
        role="progressbar"
        aria-label={phase === 'scanning' ? 'Reading series' : 'Loading images'}
        aria-valuemin={0}
        aria-valuemax={counted ? total : undefined}
        aria-valuenow={counted ? done : undefined}
        aria-valuetext={text}
        data-testid="load-progress-bar"
      >
        <div className={counted ? 'load-bar-fill' : 'load-bar-fill waiting'} style={counted ? { width: `${(100 * done) / total}%` } : undefined} />
      </div>
      <span data-testid="load-progress-text">{text}</span>
      <button type="button" data-testid="load-cancel" title="Stop loading (Esc)" onClick={onCancel} disabled={cancelling}>
        Cancel
      </button>
    </div>
  );
}
