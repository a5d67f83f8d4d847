import { describe, expect, it } from 'vitest';
import { dicomLabToRgb, rgbToDicomLab } from '../../../main/dicomSeg/rgbToDicomLab.js';
import { labelColour } from '../../../core/labels/labelColour.js';

describe('rgbToDicomLab', () => {
  it('puts sRGB white at L* 100, a* = b* = 0 (0x8080) and black at L* 0', () => {
    expect(rgbToDicomLab([255, 255, 255])).toEqual([65535, 32896, 32896]);
    expect(rgbToDicomLab([0, 0, 0])).toEqual([0, 32896, 32896]);
  });

  it("adapts sRGB (D65) to DICOM's D50 Lab: pure red is L* 54.29, a* 80.80, b* 69.89", () => {
    // CSS Color 4 gives lab(54.29% 80.8 69.89) for #ff0000; without the Bradford D65→D50 step b* would be ~67.2.
    const [L, a, b] = rgbToDicomLab([255, 0, 0]);
    expect((L * 100) / 65535).toBeCloseTo(54.29, 2);
    expect((a * 255) / 65535 - 128).toBeCloseTo(80.8, 1);
    expect((b * 255) / 65535 - 128).toBeCloseTo(69.89, 1);
    expect([L, a, b]).toEqual([35579, 53663, 50858]);
  });

  it("matches the values DCMTK-derived code (dcmjs 0.52's Colors) gives, for label colours", () => {
    // dcmjs Colors.rgb82DICOMLAB of these colours, computed once with dcmjs.
    expect(labelColour(5)).toEqual([54, 198, 226]);
    expect(rgbToDicomLab(labelColour(5))).toEqual([48162, 24756, 26368]);
    expect(rgbToDicomLab([221, 130, 101])).toEqual([41984, 41603, 40996]);
  });

  it('round-trips every 8-bit colour on a 17-step grid within 1/255', () => {
    let worst = 0;
    for (let r = 0; r <= 255; r += 15) {
      for (let g = 0; g <= 255; g += 15) {
        for (let b = 0; b <= 255; b += 15) {
          const back = dicomLabToRgb(rgbToDicomLab([r, g, b]));
          worst = Math.max(worst, Math.abs(back[0] - r), Math.abs(back[1] - g), Math.abs(back[2] - b));
        }
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("reads the Lab values other writers stored: dcmqi's liver (41661, 41167, 40792) is a light salmon", () => {
    // dcmqi's liver.dcm in ../shared/data; Slicer's liver colour is (221, 130, 101).
    const rgb = dicomLabToRgb([41661, 41167, 40792]);
    expect(rgb).toEqual([217, 130, 101]);
    expect(dicomLabToRgb([65535, 32896, 32896])).toEqual([255, 255, 255]);
  });
});
