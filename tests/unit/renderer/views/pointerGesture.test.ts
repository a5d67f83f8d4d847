import { describe, expect, it } from 'vitest';
import { clickMovesCrosshair, dragActionFor, windowAfterDrag } from '../../../../renderer/views/pointerGesture.js';

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

describe('clickMovesCrosshair', () => {
  it('moves the crosshair on a click in the view that was already active, with navigate or rotate', () => {
    expect(clickMovesCrosshair({ action: 'windowLevel', moved: false, wasActive: true })).toBe(true);
    expect(clickMovesCrosshair({ action: 'rotate', moved: false, wasActive: true })).toBe(true);
  });

  it('only activates a view on the first click in it, and never moves the crosshair after a drag or with other tools', () => {
    expect(clickMovesCrosshair({ action: 'windowLevel', moved: false, wasActive: false })).toBe(false);
    expect(clickMovesCrosshair({ action: 'windowLevel', moved: true, wasActive: true })).toBe(false);
    expect(clickMovesCrosshair({ action: 'zoom', moved: false, wasActive: true })).toBe(false);
    expect(clickMovesCrosshair({ action: 'pan', moved: false, wasActive: true })).toBe(false);
  });
});
