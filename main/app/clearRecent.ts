import type { AppServices } from '../services/AppServices.js';
import { writeRecentPaths } from './recentPaths.js';

export interface ClearRecentParams {
  /** recent.json: the File › Recent menu's paths. */
  readonly recentFile: string;
  /** Whose study list (the welcome screen's: patient names, birth dates) is emptied. */
  readonly services: Pick<AppServices, 'clearRecentStudies'>;
  /** Hears what could not be cleared; the other list is cleared all the same. */
  readonly logError: (error: unknown) => void;
}

/**
 * File › Recent › Clear Recent: empties both records of what was opened, the menu's paths (recent.json) and the
 * welcome screen's study list (recent-studies.sqlite, with patients' names and birth dates), so that clearing one
 * does not leave the other behind. The OS's own recent documents and the menu are the caller's (Electron's).
 */
export async function clearRecent(params: ClearRecentParams): Promise<void> {
  const results = await Promise.allSettled([writeRecentPaths(params.recentFile, []), params.services.clearRecentStudies()]);
  for (const result of results) if (result.status === 'rejected') params.logError(result.reason);
}
