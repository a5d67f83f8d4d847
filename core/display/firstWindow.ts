/** A display window in the volume's own values (HU for CT). */
export interface DisplayWindow {
  readonly center: number;
  readonly width: number;
}

/** Soft tissue, the window a CT opens in when its file gives no reading window. */
export const softTissueWindow: DisplayWindow = { center: 40, width: 400 };

/** The widest window that is still a reading window: CT's bone window is 1800–2000 HU wide. */
const widestCtWindow = 2500;

/**
 * The window a volume opens in, the one rule the viewer and the recent list's thumbnails share. CT: the
 * file's first window when it is a reading window (at most 2500 HU wide; a NIfTI's cal_min/cal_max of
 * −1024…3071 is not), else soft tissue W400/L40. Others: the file's first window when it shows the tissue
 * the robust (percentile) window shows — it covers at least half of that window and is at most three
 * times as wide (a Siemens MPRAGE's edge-slice W502/L210 over tissue at 0…1200 covers 38 %: no; its
 * middle W1168/L606: yes) — else the robust window. `robust` is asked for only when needed.
 */
export function firstWindow(params: { readonly ct: boolean; readonly file: DisplayWindow | undefined; readonly robust: () => DisplayWindow }): DisplayWindow {
  const file = params.file && params.file.width > 0 ? { center: params.file.center, width: params.file.width } : undefined;
  if (params.ct) return file && file.width <= widestCtWindow ? file : softTissueWindow;
  const robust = params.robust();
  return file && representative(file, robust) ? file : robust;
}

function representative(file: DisplayWindow, robust: DisplayWindow): boolean {
  const overlap =
    Math.min(file.center + file.width / 2, robust.center + robust.width / 2) - Math.max(file.center - file.width / 2, robust.center - robust.width / 2);
  return overlap >= robust.width / 2 && file.width <= robust.width * 3;
}
