import { describe, expect, it } from 'vitest';
import { sideTabs, tabAfterKey } from '../../../../renderer/app/sideTabs.js';

describe('tabAfterKey', () => {
  it('has the four tabs in order: Study, Segments, Edit, Measure', () => {
    expect(sideTabs.map(([, name]) => name)).toEqual(['Study', 'Segments', 'Edit', 'Measure']);
  });

  it('moves right and left, wrapping at the ends', () => {
    expect(tabAfterKey('study', 'ArrowRight')).toBe('segments');
    expect(tabAfterKey('edit', 'ArrowRight')).toBe('measure');
    expect(tabAfterKey('measure', 'ArrowRight')).toBe('study');
    expect(tabAfterKey('study', 'ArrowLeft')).toBe('measure');
    expect(tabAfterKey('segments', 'ArrowLeft')).toBe('study');
  });

  it('goes to the first and last with Home and End, and ignores other keys', () => {
    expect(tabAfterKey('edit', 'Home')).toBe('study');
    expect(tabAfterKey('segments', 'End')).toBe('measure');
    for (const key of ['ArrowUp', 'ArrowDown', 'Enter', 'a', 'Tab']) expect(tabAfterKey('edit', key)).toBeNull();
  });
});
