/**
 * The model the user chose with "Model folder…", by name, once it has loaded: the toolbar offers it for the
 * runs after (main keeps its path), and "Model folder…" asks again. Null until one loads, and again when the
 * latest choice failed to run (main then holds that choice, not the earlier one).
 */
export interface ChosenModel {
  getSnapshot(): string | null;
  subscribe(listener: () => void): () => void;
  set(name: string | null): void;
}

/** A store for the chosen model's name (for useSyncExternalStore). */
export function createChosenModel(): ChosenModel {
  let name: string | null = null;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => name,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    set(next) {
      if (next === name) return;
      name = next;
      for (const listener of [...listeners]) listener();
    },
  };
}
