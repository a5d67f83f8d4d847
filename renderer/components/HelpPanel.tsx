import { useEffect, useRef } from 'react';
import { shortcuts } from '../display/shortcuts.js';
import { useModalKeys } from './useModalKeys.js';

const helpKeys = { closeKeys: ['?', 'F1'] } as const;

interface HelpPanelProps {
  readonly onClose: () => void;
  /** Where focus goes on close when the control that opened the panel is gone (the active view). */
  readonly fallbackFocus?: () => HTMLElement | null;
}

/**
 * The keyboard shortcuts, as a modal dialog: Esc, ? or F1 again, Close or a click on the backdrop closes it. While it shows, no
 * viewer shortcut runs under it and Tab stays inside (useModalKeys); focus starts on Close, so Enter closes too, and
 * goes back to the control or view that opened it.
 */
export function HelpPanel({ onClose, fallbackFocus }: HelpPanelProps) {
  const box = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  // ? and F1 open the panel and close it again: the modal's keys swallow them before the viewer's toggle sees them.
  useModalKeys(box, onClose, fallbackFocus, helpKeys);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="dialog-backdrop" data-testid="help-backdrop" onClick={onClose}>
      <div
        ref={box}
        className="dialog help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        data-testid="help"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="help-title">Keyboard shortcuts</h2>
        {shortcuts.map(({ group, items }) => (
          <table key={group} className="shortcut-list">
            <caption>{group}</caption>
            <tbody>
              {items.map((s) => (
                <tr key={s.keys}>
                  <th>
                    <kbd>{s.keys}</kbd>
                  </th>
                  <td>{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
        <button type="button" ref={closeRef} data-testid="help-close" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
