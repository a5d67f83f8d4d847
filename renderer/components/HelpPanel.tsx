import { shortcuts } from '../display/shortcuts.js';

/** The keyboard shortcuts, as a dialog. */
export function HelpPanel({ onClose }: { readonly onClose: () => void }) {
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="dialog help" role="dialog" aria-label="Keyboard shortcuts" data-testid="help" onClick={(e) => e.stopPropagation()}>
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
        <button type="button" data-testid="help-close" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
