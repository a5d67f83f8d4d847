import { describe, expect, it } from 'vitest';
import { firstWindow, softTissueWindow } from '../../../../core/display/firstWindow.js';

/** Tissue at 6…1194, as the viewer's percentiles find it on an MPRAGE-like series. */
const robust = { center: 600, width: 1188 };

describe('firstWindow', () => {
  it('gives a CT its file window when it is a reading window, else soft tissue, and never asks for percentiles', () => {
    const never = (): never => {
      throw new Error('a CT needs no percentiles');
    };
    expect(firstWindow({ ct: true, file: { center: 300, width: 1500 }, robust: never })).toEqual({ center: 300, width: 1500 });
    expect(firstWindow({ ct: true, file: { center: 1023.5, width: 4095 }, robust: never })).toEqual(softTissueWindow);
    expect(firstWindow({ ct: true, file: undefined, robust: never })).toEqual({ center: 40, width: 400 });
  });

  it('keeps another image’s file window only when it shows the tissue the percentiles show', () => {
    const pick = (file: { center: number; width: number } | undefined) => firstWindow({ ct: false, file, robust: () => robust });
    // The MPRAGE's middle window covers nearly all of the tissue; its edge window 38 %.
    expect(pick({ center: 606, width: 1168 })).toEqual({ center: 606, width: 1168 });
    expect(pick({ center: 210, width: 502 })).toEqual(robust);
    // Five times too wide washes the tissue out; an empty window is none.
    expect(pick({ center: 600, width: 6000 })).toEqual(robust);
    expect(pick({ center: 600, width: 0 })).toEqual(robust);
    expect(pick(undefined)).toEqual(robust);
  });
});
