import { splitStatus } from '../display/statusDetails.js';
import './StatusText.css';

/**
 * The status line: its message, and what only the curious need (see withDetails) behind a closed
 * Details disclosure. Mounted inside the footer in place of the bare status string.
 */
export function StatusText({ status }: { readonly status: string | null }) {
  const { message, details } = splitStatus(status ?? '');
  return (
    <span className="status-text" data-testid="status-text">
      <span data-testid="status-message">{message}</span>
      {details.length > 0 && (
        <details className="status-details" data-testid="status-details">
          <summary>Details</summary>
          <ul>
            {details.map((d, n) => (
              <li key={n}>{d}</li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}
