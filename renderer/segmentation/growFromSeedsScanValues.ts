/**
 * A store's scan values that can change under it (the time point drawn of a 4D series): read like any
 * `scanValue`, and told when they change, so a tool that copied them (grow from seeds hands its worker a copy)
 * can copy them again.
 */
export interface ChangingScanValues {
  (voxel: number): number;
  /** Calls `listener` after each change; returns the function that stops. */
  readonly onChange: (listener: () => void) => () => void;
}

/**
 * Scan values read through `read` (which may start reading another array) and `changed`, to call once it does.
 */
export function changingScanValues(read: (voxel: number) => number): { readonly scanValue: ChangingScanValues; readonly changed: () => void } {
  const listeners = new Set<() => void>();
  const onChange = (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const scanValue = Object.assign((voxel: number) => read(voxel), { onChange });
  return { scanValue, changed: () => [...listeners].forEach((listener) => listener()) };
}

/** Follows a store's scan values where they can change (see changingScanValues); a plain function never does. */
export function onScanValuesChange(scanValue: (voxel: number) => number, listener: () => void): () => void {
  const changing = (scanValue as Partial<ChangingScanValues>).onChange;
  return changing ? changing(listener) : () => undefined;
}
