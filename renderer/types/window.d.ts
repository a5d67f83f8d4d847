import type { AxialApi } from '../../core/contract.js';
import type { AxialViewState } from '../testAid/viewStateForTests.js';

declare global {
  interface Window {
    /** From the preload (Electron) or the test host's shim; absent in a plain browser. */
    axial?: AxialApi<File>;
    /** Test aid: what each viewport last drew (read-only). */
    __axialViewState?: AxialViewState;
  }
}
