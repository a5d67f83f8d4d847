import type { AxialApi } from '../../core/contract.js';

declare global {
  interface Window {
    /** From the preload (Electron) or the test host's shim; absent in a plain browser. */
    axial?: AxialApi<File>;
  }
}
