import { randomUUID } from 'node:crypto';

/** Paths handed to main outside a payload (a drop, a Recent menu item), each behind a one-use token. */
export interface DropRegistry {
  /** Registers a path the host has vouched for (it exists; it came from the OS, not from page script). */
  register(path: string): string;
  /** The path behind a token, once; undefined for an unknown, used or expired token. */
  take(token: string): string | undefined;
}

/** Tokens expire after `ttlMs` (default a minute): a drop is opened at once or not at all. */
export function createDropRegistry(ttlMs = 60_000, now: () => number = Date.now): DropRegistry {
  const entries = new Map<string, { path: string; expires: number }>();
  const sweep = (): void => {
    const t = now();
    for (const [token, entry] of entries) if (entry.expires <= t) entries.delete(token);
  };
  return {
    register(path) {
      sweep();
      const token = randomUUID();
      entries.set(token, { path, expires: now() + ttlMs });
      return token;
    },
    take(token) {
      sweep();
      const entry = entries.get(token);
      entries.delete(token);
      return entry?.path;
    },
  };
}
