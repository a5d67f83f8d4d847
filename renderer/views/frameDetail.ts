import type { FrameReport } from '../volume3d/View3dController.js';

/**
 * The 3D view's last frame for the curious (behind Details, not in the title bar): "Full quality, drawn
 * in 392 ms" or "Reduced quality while turning, drawn in 31 ms".
 */
export function frameDetail(frame: Pick<FrameReport, 'quality' | 'frameMs'>): string {
  const ms = Math.max(0, Math.round(frame.frameMs));
  return frame.quality === 'full' ? `Full quality, drawn in ${ms} ms` : `Reduced quality while turning, drawn in ${ms} ms`;
}
