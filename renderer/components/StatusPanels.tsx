import { useEffect, useRef } from 'react';
import type { RecoveryInfo, ScanResult } from '../../core/contract.js';
import { formatTimeLeft } from '../display/formatDuration.js';
import { splitStatus } from '../display/statusDetails.js';
import type { JobState } from '../state/viewerState.js';
import { seriesGroupsOf } from './seriesGroupsOf.js';
import { seriesRowFacts } from './seriesRowFacts.js';
import { plural } from '../display/plural.js';
import { useModalKeys } from './useModalKeys.js';

/**
 * An error in words, with a way to dismiss it. What only the curious need (main's own message: a file's path,
 * the inference library's words) travels after the first line (see withDetails) and sits behind Details.
 */
export function ErrorBanner({ message, onDismiss }: { readonly message: string; readonly onDismiss: () => void }) {
  const { message: sentence, details } = splitStatus(message);
  return (
    <div className="error" role="alert" data-testid="error">
      <span data-testid="error-message">{sentence}</span>
      {details.length > 0 && (
        <details data-testid="error-details">
          <summary>Details</summary>
          <ul>
            {details.map((d, n) => (
              <li key={n}>{d}</li>
            ))}
          </ul>
        </details>
      )}
      <button type="button" data-testid="error-dismiss" onClick={onDismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

/** Damage text longer than this goes behind a Details control. */
const shortDamage = 80;

/**
 * Offers the unsaved edits a crash left for this scan: how many can be
 * restored, and, when the journal was damaged, how many could not and why.
 */
export function RecoveryBanner(props: { readonly recovery: RecoveryInfo; readonly onRestore: () => void; readonly onDiscard: () => void }) {
  const { maskName, savedAt, edits, dropped, damage, detail } = props.recovery;
  return (
    <div className="recovery" role="alert" data-testid="recovery" data-edits={edits} data-dropped={dropped}>
      <span>
        Axial closed with unsaved edits to “{maskName}” (last at {new Date(savedAt).toLocaleString()}).
      </span>
      {/* A journal damaged from its first record holds nothing to restore: only Discard is offered. */}
      {edits > 0 ? (
        <button type="button" data-testid="recovery-restore" onClick={props.onRestore}>
          Restore {plural(edits, 'edit')}
        </button>
      ) : (
        // An unreadable file (its detail says why) is not damage.
        <span data-testid="recovery-none">{detail && damage ? damage : 'They were damaged and cannot be restored.'}</span>
      )}
      {dropped > 0 && edits > 0 && (
        <span data-testid="recovery-dropped">
          ({plural(dropped, 'damaged edit')} could not be recovered{damage && damage.length <= shortDamage ? `: ${damage}` : ''})
        </span>
      )}
      {(detail ?? (damage && damage.length > shortDamage)) && (
        <details data-testid="recovery-details">
          <summary>Details</summary>
          {detail ?? damage}
        </details>
      )}
      <button type="button" data-testid="recovery-discard" onClick={props.onDiscard}>
        Discard
      </button>
    </div>
  );
}

/** The running model's progress bar, time left and Cancel. */
export function ProgressPanel({ job, onCancel }: { readonly job: JobState; readonly onCancel: () => void }) {
  const p = job.progress;
  const fraction = p && p.total > 0 ? Math.min(1, p.done / p.total) : null;
  const text = job.cancelling
    ? 'Cancelling…'
    : fraction === null
      ? 'Starting the model…'
      : `Segmenting… ${Math.round(fraction * 100)} % · ${formatTimeLeft(p!.etaSeconds)}`;
  return (
    <div className="progress" data-testid="progress" data-done={p?.done ?? 0} data-total={p?.total ?? 0}>
      <progress max={1} value={fraction ?? undefined} />
      <span>{text}</span>
      <button type="button" data-testid="cancel" onClick={onCancel} disabled={job.cancelling}>
        Cancel
      </button>
    </div>
  );
}

/**
 * Lets the user choose one series of a scan that holds several; each row says what tells it apart (seriesRowFacts),
 * under a heading per patient and study when the scan holds more than one (seriesGroupsOf). A modal dialog
 * (useModalKeys): focus starts on the first series, Tab stays inside, Esc cancels, and no viewer key acts on the
 * scan behind it.
 */
export function SeriesPicker(props: {
  readonly scan: ScanResult;
  readonly onPick: (index: number) => void;
  readonly onClose: () => void;
  /** Where focus goes on close when the control that opened the picker is gone (the active view). */
  readonly fallbackFocus?: () => HTMLElement | null;
}) {
  const box = useRef<HTMLDivElement>(null);
  useModalKeys(box, props.onClose, props.fallbackFocus);
  useEffect(() => box.current?.querySelector<HTMLButtonElement>('button')?.focus(), []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}>
      <div ref={box} className="dialog" role="dialog" aria-modal="true" aria-labelledby="series-picker-title" data-testid="series-picker">
        <h2 id="series-picker-title">{props.scan.name}: choose a series</h2>
        {seriesGroupsOf(props.scan.series).map((group) => (
          <section key={group.key} aria-label={group.heading ?? undefined}>
            {group.heading && (
              <h3 className="series-study" data-testid="series-study">
                {group.heading}
              </h3>
            )}
            <ul>
              {group.series.map((s) => {
                const row = seriesRowFacts(s);
                return (
                  <li key={s.index}>
                    <button type="button" data-testid={`series-${s.index}`} onClick={() => props.onPick(s.index)}>
                      <b>{row.title}</b> · {row.facts.join(' · ')}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
        {props.scan.skipped > 0 && <p className="hint">Skipped {plural(props.scan.skipped, 'file')}: not images Axial reads, or missing.</p>}
        <button type="button" data-testid="series-cancel" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
