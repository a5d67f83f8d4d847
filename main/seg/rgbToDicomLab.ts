/**
 * DICOM's CIELab colours (RecommendedDisplayCIELabValue) and sRGB.
 *
 * DICOM encodes CIELab like the ICC Profile Connection Space (PS3.3
 * C.10.7.1.1): relative to the D50 illuminant, L* 0–100 scaled to 0–65535 and
 * a*, b* −128–127 offset and scaled to 0–65535. sRGB's own white is D65, so
 * XYZ is chromatically adapted between the two with the linear Bradford
 * transform. White points are the CIE 4-figure chromaticities (as DCMTK,
 * highdicom and CSS Color 4 use), which encode sRGB white as a* = b* = 0x8080.
 */

type Triple = readonly [number, number, number];
type Matrix = readonly [Triple, Triple, Triple];

const whiteD50: Triple = [0.3457 / 0.3585, 1, (1 - 0.3457 - 0.3585) / 0.3585];
const whiteD65: Triple = [0.3127 / 0.329, 1, (1 - 0.3127 - 0.329) / 0.329];

/** Linear sRGB → XYZ (D65), IEC 61966-2-1 primaries as exact rationals (CSS Color 4). */
const rgbToXyzD65: Matrix = [
  [506752 / 1228815, 87881 / 245763, 12673 / 70218],
  [87098 / 409605, 175762 / 245763, 12673 / 175545],
  [7918 / 409605, 87881 / 737289, 1001167 / 1053270],
];

/** The Bradford cone response matrix. */
const bradford: Matrix = [
  [0.8951, 0.2664, -0.1614],
  [-0.7502, 1.7135, 0.0367],
  [0.0389, -0.0685, 1.0296],
];

const d65ToD50 = adaptation(whiteD65, whiteD50);
const rgbToXyzD50 = multiply(d65ToD50, rgbToXyzD65);
const xyzD50ToRgb = invert(rgbToXyzD50);

/**
 * sRGB (0–255 per channel) → DICOM-scaled CIELab (three integers 0–65535), as
 * written in RecommendedDisplayCIELabValue.
 */
export function rgbToDicomLab(rgb: Triple): [number, number, number] {
  const linear = rgb.map((c) => toLinear(clamp(c / 255, 0, 1))) as unknown as Triple;
  const [x, y, z] = apply(rgbToXyzD50, linear);
  const fx = labF(x / whiteD50[0]);
  const fy = labF(y / whiteD50[1]);
  const fz = labF(z / whiteD50[2]);
  const L = 116 * fy - 16;
  const a = 500 * (fx - fy);
  const b = 200 * (fy - fz);
  return [toUint16((L * 65535) / 100), toUint16(((a + 128) * 65535) / 255), toUint16(((b + 128) * 65535) / 255)];
}

/**
 * DICOM-scaled CIELab (0–65535 each) → sRGB (0–255 per channel, rounded);
 * colours outside the sRGB gamut are clipped per channel.
 */
export function dicomLabToRgb(lab: Triple): [number, number, number] {
  const L = (lab[0] * 100) / 65535;
  const a = (lab[1] * 255) / 65535 - 128;
  const b = (lab[2] * 255) / 65535 - 128;
  const fy = (L + 16) / 116;
  const xyz: Triple = [whiteD50[0] * labFInverse(fy + a / 500), whiteD50[1] * labFInverse(fy), whiteD50[2] * labFInverse(fy - b / 200)];
  const linear = apply(xyzD50ToRgb, xyz);
  return linear.map((c) => Math.round(255 * fromLinear(clamp(c, 0, 1)))) as [number, number, number];
}

/** CIE's ε = (6/29)³ and κ = (29/3)³, in exact form. */
const epsilon = 216 / 24389;
const kappa = 24389 / 27;

function labF(t: number): number {
  return t > epsilon ? Math.cbrt(t) : (kappa * t + 16) / 116;
}

function labFInverse(f: number): number {
  return f ** 3 > epsilon ? f ** 3 : (116 * f - 16) / kappa;
}

/** The sRGB transfer function, gamma-encoded → linear. */
function toLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function fromLinear(c: number): number {
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}

function clamp(v: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, v));
}

function toUint16(v: number): number {
  return Math.round(clamp(v, 0, 65535));
}

/** The linear Bradford transform that takes colours under white `from` to white `to`. */
function adaptation(from: Triple, to: Triple): Matrix {
  const coneFrom = apply(bradford, from);
  const coneTo = apply(bradford, to);
  const scale: Matrix = [
    [coneTo[0] / coneFrom[0], 0, 0],
    [0, coneTo[1] / coneFrom[1], 0],
    [0, 0, coneTo[2] / coneFrom[2]],
  ];
  return multiply(invert(bradford), multiply(scale, bradford));
}

function apply(m: Matrix, v: Triple): Triple {
  return [0, 1, 2].map((r) => m[r]![0] * v[0] + m[r]![1] * v[1] + m[r]![2] * v[2]) as unknown as Triple;
}

function multiply(a: Matrix, b: Matrix): Matrix {
  return [0, 1, 2].map((r) => [0, 1, 2].map((c) => a[r]![0] * b[0][c]! + a[r]![1] * b[1][c]! + a[r]![2] * b[2][c]!)) as unknown as Matrix;
}

function invert(m: Matrix): Matrix {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}
