import { describe, expect, it } from 'vitest';
import { layoutKey, recallLayout, rememberLayout, type LayoutStorage } from '../../../../renderer/state/layoutMemory.js';

function mapStorage(): LayoutStorage & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (key) => map.get(key) ?? null, setItem: (key, value) => void map.set(key, value) };
}

describe('layoutMemory', () => {
  it('remembers the chosen layout for the session and recalls it', () => {
    const storage = mapStorage();
    expect(recallLayout(storage)).toBeNull();
    rememberLayout(storage, 'three');
    expect(storage.map.get(layoutKey)).toBe('three');
    expect(recallLayout(storage)).toBe('three');
    rememberLayout(storage, 'one');
    expect(recallLayout(storage)).toBe('one');
  });

  it('recalls nothing from text that is not a layout, and survives a storage that refuses', () => {
    const storage = mapStorage();
    storage.map.set(layoutKey, 'six');
    expect(recallLayout(storage)).toBeNull();
    const refusing: LayoutStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(recallLayout(refusing)).toBeNull();
    expect(() => rememberLayout(refusing, 'four')).not.toThrow();
    expect(recallLayout(null)).toBeNull();
  });
});
