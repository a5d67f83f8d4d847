import type { RecentStudy } from '../../core/contract.js';
import { plural } from '../display/plural.js';

interface RecentStudiesRowProps {
  readonly study: RecentStudy;
  readonly onOpen: (key: string) => void;
  readonly onRemove: (key: string) => void;
}

/**
 * One recent study: patient (name, ID, birth date), study date and description, modalities, and a
 * thumbnail per series with its number and description; Open and Remove from list. The row's title is
 * what a reader recognises a study by; no UID or path is shown.
 */
export function RecentStudiesRow({ study, onOpen, onRemove }: RecentStudiesRowProps) {
  // Main sends the name and dates formatted for reading (as the views' corners have them).
  const patient = study.patientName || 'Unnamed patient';
  const date = study.studyDate;
  const born = study.birthDate;
  const description = study.description || study.sourceName;
  const label = [patient, date, description].filter(Boolean).join(', ');
  return (
    <li className="recent-study" data-testid="recent-study" aria-label={label}>
      <div className="recent-study-text">
        <div className="recent-study-patient" data-testid="recent-study-patient">
          {patient}
          {study.patientId && <span className="recent-study-id"> · {study.patientId}</span>}
          {born && <span className="recent-study-id"> · born {born}</span>}
        </div>
        <div className="recent-study-what">
          <span data-testid="recent-study-date">{date || 'No study date'}</span>
          <span data-testid="recent-study-description">{description}</span>
          {study.modalities.length > 0 && <span className="recent-study-modalities">{study.modalities.join(', ')}</span>}
        </div>
      </div>
      <ul className="recent-study-series" aria-label="Series">
        {study.series.map((series, n) => {
          const name = [series.number ?? '', series.description || series.modality].filter((p) => p !== '').join(' · ');
          const detail = `${name}: ${plural(series.images, 'image')}, ${series.dimensions.join(' × ')}`;
          return (
            <li key={n} title={detail}>
              {series.thumbnail ? (
                <img src={series.thumbnail} alt={name} data-testid="recent-study-thumbnail" />
              ) : (
                <span className="recent-study-nothumb" aria-hidden="true" />
              )}
              <span className="recent-study-series-name">{name}</span>
            </li>
          );
        })}
      </ul>
      <div className="recent-study-actions">
        <button type="button" className="primary" data-testid="recent-study-open" aria-label={`Open ${label}`} onClick={() => onOpen(study.key)}>
          Open
        </button>
        <button type="button" data-testid="recent-study-remove" aria-label={`Remove from list: ${label}`} onClick={() => onRemove(study.key)}>
          Remove from list
        </button>
      </div>
    </li>
  );
}
