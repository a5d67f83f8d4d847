import { describe, expect, it } from 'vitest';
import { dragActionFor, windowAfterDrag } from '../../../../renderer/views/pointerGesture.js';

describe('pointerGesture', () => {
  it('maps buttons to drag actions and widens the window rightwards', () => {
    const none = { ctrlKey: false, metaKey: false, shiftKey: false };
    expect(dragActionFor({ ...none, button: 0 })).toBe('windowLevel');
    expect(dragActionFor({ ...none, button: 2 })).toBe('zoom');
    expect(dragActionFor({ ...none, button: 0, ctrlKey: true })).toBe('zoom');
    expect(dragActionFor({ ...none, button: 1 })).toBe('pan');
    const w = windowAfterDrag({ center: 40, width: 400 }, 200, 64);
    expect(w.width).toBeCloseTo(400 * Math.E, 6);
    expect(w.center).toBe(140);
  });
});
