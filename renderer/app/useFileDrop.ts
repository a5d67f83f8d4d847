import { useEffect } from 'react';
import type { ViewerActions } from '../actions/useViewerActions.js';

/** Files dropped anywhere on the window open as a scan; the browser's own navigation to the file is prevented. */
export function useFileDrop(actions: ViewerActions): void {
  useEffect(() => {
    const over = (event: DragEvent): void => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const drop = (event: DragEvent): void => {
      event.preventDefault();
      const files = event.dataTransfer ? Array.from(event.dataTransfer.files) : [];
      if (files.length > 0) actions.openDropped(files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [actions]);
}
