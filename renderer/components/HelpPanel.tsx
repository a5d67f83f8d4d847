import { useEffect, useRef } from 'react';
import { shortcuts } from '../display/shortcuts.js';

/**
 * The keyboard shortcuts, as a modal dialog: Esc, Close or a click on the backdrop closes it. Esc is
 * taken before the viewer's own shortcuts see it (there it would also drop the editing tool), and focus
 * starts on Close so Enter closes too.
 */
export function HelpPanel({ onClose }: { readonly onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  // The parent hands a new onClose each render: the listener reads the latest, and focus moves once.
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopImmediatePropagation();
      onCloseRef.current();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
  return (
    <div className="dialog-backdrop" data-testid="help-backdrop" onClick={onClose}>
      <div className="dialog help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="help" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
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
