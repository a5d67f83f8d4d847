import type { ReactNode } from 'react';

interface WelcomeScreenProps {
  readonly onOpen: (source: 'file' | 'folder') => void;
  /**
   * The recent studies list, when there is one (the study list of issue 14
   * fills this slot); until then nothing shows and the drop area takes the room.
   */
  readonly recentStudies?: ReactNode;
}

/**
 * The first screen, filling the view area: Open file / Open folder, a large
 * area to drop a scan on (the whole window takes drops, app/useFileDrop), one
 * line on what opens, and the slot for the recent studies.
 */
export function WelcomeScreen({ onOpen, recentStudies }: WelcomeScreenProps) {
  return (
    <div className="welcome" data-testid="empty">
      <div className="welcome-drop" data-testid="welcome-drop">
        <h1>Open a study</h1>
        <div className="welcome-buttons">
          <button type="button" className="primary" data-testid="welcome-open-file" onClick={() => onOpen('file')}>
            Open file…
          </button>
          <button type="button" className="primary" data-testid="welcome-open-folder" onClick={() => onOpen('folder')}>
            Open folder…
          </button>
        </div>
        <p className="welcome-or">or drop a file or folder here</p>
        <p className="hint" data-testid="welcome-formats">
          DICOM (a folder, a CD's DICOMDIR or single files), NIfTI (.nii, .nii.gz) and NRRD (.nrrd, .nhdr).
        </p>
      </div>
      <section className="welcome-recent" data-testid="recent-studies-slot" aria-label="Recent studies">
        {recentStudies}
      </section>
    </div>
  );
}
