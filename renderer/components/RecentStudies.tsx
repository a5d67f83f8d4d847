import { useCallback, useEffect, useState } from 'react';
import type { RecentStudy } from '../../core/contract.js';
import { describeError, unwrap } from '../api/callApi.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import './RecentStudies.css';
import { RecentStudiesRow } from './RecentStudiesRow.js';

interface RecentStudiesProps {
  readonly api: DesktopApi | null;
  /** Opens a study by its key (studies:open, then the series picker or the load, as Open folder does). */
  readonly onOpen: (key: string) => void;
}

/** How long typing pauses before the list is asked again. */
const searchDelayMs = 150;

/**
 * The first screen's recent studies (main keeps them, see studies:list): a search field over patient,
 * descriptions and modality, and a row per study with its series' thumbnails, Open and Remove from list.
 * Everything is a native input or button, so Tab and Enter reach it all.
 */
export function RecentStudies({ api, onOpen }: RecentStudiesProps) {
  const [search, setSearch] = useState('');
  const [studies, setStudies] = useState<readonly RecentStudy[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    if (!api) return undefined;
    let current = true;
    const timer = setTimeout(
      () => {
        const asked = search.trim();
        unwrap(api['studies:list'](asked ? { search: asked } : {}))
          .then((value) => {
            if (!current) return;
            setStudies(value.studies);
            setProblem(null);
          })
          .catch((error: unknown) => current && setProblem(describeError('Could not read the recent studies', error)));
      },
      revision === 0 && search === '' ? 0 : searchDelayMs,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, search, revision]);

  // The list can change outside this screen (File › Recent › Clear Recent runs in main): it is asked again when the
  // window comes back to the front, and when main says it was cleared (the app menu's event; a host without a menu refuses it).
  useEffect(() => {
    if (!api) return undefined;
    const refresh = (): void => setRevision((r) => r + 1);
    window.addEventListener('focus', refresh);
    let stopListening = (): void => {};
    try {
      stopListening = api.on('menu:command', ({ command }) => {
        if (command === 'recentCleared') refresh();
      });
    } catch {
      // The test host has no app menu.
    }
    return () => {
      window.removeEventListener('focus', refresh);
      stopListening();
    };
  }, [api]);

  const remove = useCallback(
    (key: string) => {
      if (!api) return;
      unwrap(api['studies:remove']({ key }))
        .then(() => setRevision((r) => r + 1))
        .catch((error: unknown) => setProblem(describeError('Could not remove the study from the list', error)));
    },
    [api],
  );

  // Nothing until the first answer (or its problem) arrives, and nothing while there is no study to list.
  if (!api || (problem === null && (studies === null || (studies.length === 0 && search === '')))) return null;
  return (
    <div className="recent-studies" data-testid="recent-studies">
      <div className="recent-studies-head">
        <h2 id="recent-studies-title">Recent studies</h2>
        <input
          type="search"
          data-testid="recent-studies-search"
          placeholder="Search patient, description, modality"
          aria-label="Search recent studies"
          value={search}
          maxLength={200}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      {problem && (
        <p className="recent-studies-problem" role="alert">
          {problem}
        </p>
      )}
      {studies !== null && studies.length === 0 && search !== '' && <p className="recent-studies-none">No recent study matches “{search.trim()}”.</p>}
      {studies !== null && studies.length > 0 && (
        <ul className="recent-studies-list" aria-labelledby="recent-studies-title" data-testid="recent-studies-list">
          {studies.map((study) => (
            <RecentStudiesRow key={study.key} study={study} onOpen={onOpen} onRemove={remove} />
          ))}
        </ul>
      )}
    </div>
  );
}
