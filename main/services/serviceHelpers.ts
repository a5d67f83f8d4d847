import { basename, dirname } from 'node:path';
import type { RecoveryInfo } from '../../core/contract.js';
import { AxialError, isAxialError } from '../errors/AxialError.js';

/** A Map that forgets its oldest entries past `limit`, telling `onEvict`. */
export interface BoundedMap<V> {
  get(id: string): V | undefined;
  set(id: string, value: V): void;
  values(): IterableIterator<V>;
  /** [id, value] pairs, oldest first. */
  entries(): IterableIterator<[string, V]>;
  /** Forgets one entry (no onEvict: the caller chose it); false when there was none. */
  delete(id: string): boolean;
  deleteWhere(test: (value: V) => boolean): void;
  clear(): void;
}

/** Keeps at most `limit` entries, in insertion order; the oldest go first. */
export function boundedMap<V>(limit: number, onEvict?: (id: string, value: V) => void): BoundedMap<V> {
  const map = new Map<string, V>();
  return {
    get: (id) => map.get(id),
    set(id, value) {
      map.set(id, value);
      for (const [oldId, old] of map) {
        if (map.size <= limit) break;
        map.delete(oldId);
        onEvict?.(oldId, old);
      }
    },
    values: () => map.values(),
    entries: () => map.entries(),
    delete: (id) => map.delete(id),
    deleteWhere(test) {
      for (const [id, value] of map) if (test(value)) map.delete(id);
    },
    clear: () => map.clear(),
  };
}

/**
 * The model a chosen path means: a bundle's folder when the user picked one
 * of its config files (a file dialog cannot pick folders on every platform),
 * otherwise the path itself (a bundle folder or an .onnx with its sidecar).
 */
export function modelPathOf(chosen: string): string {
  const inConfigs = basename(dirname(chosen)) === 'configs';
  if (inConfigs && /^(metadata|inference)\.(json|ya?ml)$/i.test(basename(chosen))) return dirname(dirname(chosen));
  return chosen;
}

/** A safe file name for a name the page suggested: no folders, no characters Windows refuses, ending in `extension`. */
export function safeFileName(suggested: string, extension: string, fallback: string): string {
  const stem = basename(suggested.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_')
    .trim();
  const bare = stem.toLowerCase().endsWith(extension) ? stem.slice(0, -extension.length) : stem;
  return `${bare || fallback}${extension}`;
}

/** `path` with `extension` appended (a dialog may hand back a name without one). */
export function withExtension(path: string, extension: string): string {
  return `${path}${extension}`;
}

/**
 * A recovery journal's offer as the recovery bar shows it: an unreadable
 * file's system error code (EACCES) goes behind the bar's Details, the
 * sentence stays plain. The journal's own wording is left as it is.
 */
export function plainRecovery(info: RecoveryInfo | null): RecoveryInfo | null {
  const unreadable = info?.damage?.match(/^The recovery file cannot be read \(([^)]*)\)\.$/);
  if (!info || !unreadable) return info;
  return { ...info, damage: 'The recovery file cannot be read.', detail: `the system refused to read it (${unreadable[1]})` };
}

/**
 * A failed restore in words for the screen: no file path (the journal's name
 * is a 32-hex key) and no system error text; the original is kept as the cause.
 */
export function plainRecoveryError(error: unknown): unknown {
  if (!isAxialError(error)) return error;
  if (error.code === 'RECOVERY_UNREADABLE') {
    return new AxialError(error.code, 'the recovery file could not be read or updated (Axial may not be allowed to open it)', { cause: error });
  }
  if (error.file === undefined) return error;
  return new AxialError(error.code, error.message.slice(error.file.length + 2), { cause: error });
}
