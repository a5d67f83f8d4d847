/** A scale bar: its length in mm, the CSS pixels that length takes on screen now, and its label. */
export interface ScaleBar {
  readonly mm: number;
  readonly px: number;
  readonly label: string;
}

/** The lengths a bar may take, as rulers are marked: 10 µm (a micro-CT's scale) up to 50 cm. */
const lengthsMm = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500] as const;

/** At most this share of the pane's width, so the bar stays between the bottom corners' text. */
export const scaleBarShare = 0.22;
/** Shorter than this the bar says nothing readable. */
const shortestPx = 24;

/**
 * The longest round length (1, 2 or 5 × 10ⁿ mm) whose bar fits `scaleBarShare` of the pane's width at
 * `cssPerMm` CSS pixels per mm (the view's zoom over its pixel spacing), labelled "5 cm" from 1 cm up,
 * "5 mm" from 1 mm, else "500 µm". Null when even 10 µm does not reach 24 px or the scale is unknown.
 */
export function scaleBarOf(cssPerMm: number, paneWidth: number): ScaleBar | null {
  if (!(cssPerMm > 0) || !(paneWidth > 0)) return null;
  const room = paneWidth * scaleBarShare;
  let best: number | null = null;
  for (const mm of lengthsMm) if (mm * cssPerMm <= room) best = mm;
  if (best === null || best * cssPerMm < shortestPx) return null;
  const label = best >= 10 ? `${best / 10} cm` : best >= 1 ? `${best} mm` : `${Math.round(best * 1000)} µm`;
  return { mm: best, px: best * cssPerMm, label };
}
