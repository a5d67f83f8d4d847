import type { AxialApi, Result } from '../../preload/contract.js';
import type { AxialViewState } from '../testAid/viewStateForTests.js';

declare global {
  interface Window {
    /** From the preload (Electron) or the test host's shim; absent in a plain browser. */
    axial?: AxialApi & {
      /** Hands main a dropped file or folder and returns the token `volume:open` takes; only where drops are supported. */
      registerDrop?: (file: File) => Promise<Result<{ readonly dropToken: string }>>;
    };
    /** Test aid: what each viewport last drew (read-only). */
    __axialViewState?: AxialViewState;
  }
}
