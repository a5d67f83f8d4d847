import { describe, expect, it } from 'vitest';
import { isToolPress, sliceClickOf } from '../../../../renderer/views/sliceClickOf.js';

describe('sliceClickOf: what a click tool is handed', () => {
  it('gives the voxel, its LPS centre on an oblique grid, the button and Ctrl', () => {
    // Index axis i runs along −x (LPS: towards the patient's right), j along +y turned 30° towards z, k along z; origin (10, 20, 30) mm.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const geometry = {
      origin: [10, 20, 30] as const,
      spacing: [0.5, 0.8, 2] as const,
      direction: [
        [-1, 0, 0],
        [0, c, s],
        [0, -s, c],
      ] as const,
    };
    const click = sliceClickOf(geometry, [4, 10, 3], { button: 2, ctrlKey: false });
    expect(click.index).toEqual([4, 10, 3]);
    expect(click.button).toBe('right');
    expect(click.world[0]).toBeCloseTo(10 - 4 * 0.5, 12);
    expect(click.world[1]).toBeCloseTo(20 + 10 * 0.8 * c - 3 * 2 * s, 12);
    expect(click.world[2]).toBeCloseTo(30 + 10 * 0.8 * s + 3 * 2 * c, 12);
    expect(sliceClickOf(geometry, [0, 0, 0], { button: 0, ctrlKey: true })).toMatchObject({ button: 'left', ctrlKey: true, world: [10, 20, 30] });
  });

  it('takes plain left and right presses and Ctrl+left, not the middle button, Shift or Meta', () => {
    const press = (button: number, extra: Partial<{ metaKey: boolean; shiftKey: boolean }> = {}) =>
      isToolPress({ button, metaKey: false, shiftKey: false, ...extra });
    expect([press(0), press(2), press(1), press(0, { shiftKey: true }), press(2, { metaKey: true })]).toEqual([true, true, false, false, false]);
  });
});
