import type { InferenceProgress } from '../segmentation/process/runInferenceProcess.js';
import { terminalText } from './terminalText.js';

/** Where the progress bar is drawn (only when it is a terminal). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** A one-line bar on a terminal (patches done of total, elapsed, time left); nothing elsewhere. */
export function progressBar(stream: ProgressStream, rawLabel: string): { update: (p: InferenceProgress) => void; finish: () => void } {
  let drawn = false;
  if (!stream.isTTY) return { update: () => undefined, finish: () => undefined };
  // The label holds a case's file name, and this stream is the terminal itself, not a CliIo.
  const label = terminalText(rawLabel, { singleLine: true });
  const width = 30;
  return {
    update: (p) => {
      const filled = p.total > 0 ? Math.round((width * p.done) / p.total) : 0;
      const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
      const left = p.etaSeconds === null ? '--:--' : clock(p.etaSeconds);
      stream.write(`\r${label}[${bar}] ${p.done}/${p.total} patches  ${clock(p.elapsedSeconds)} elapsed  ${left} left\x1b[K`);
      drawn = true;
    },
    finish: () => {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hours > 0 ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}
