import type { VoiWindow } from '../display/windowPresets.js';

/** What a drag in a viewport does. */
export type DragAction = 'windowLevel' | 'zoom' | 'pan';

/** Left drag: window/level; right or ctrl-left drag: zoom; middle or shift-left drag: pan. */
export function dragActionFor(event: { button: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): DragAction | null {
  if (event.button === 1) return 'pan';
  if (event.button === 2) return 'zoom';
  if (event.button !== 0) return null;
  if (event.ctrlKey || event.metaKey) return 'zoom';
  if (event.shiftKey) return 'pan';
  return 'windowLevel';
}

/** A press that moves less than this (CSS px) is a click: it moves the crosshair. */
export const clickTolerance = 3;

/**
 * Whether a press that ended moves the crosshair (or, on turned planes, the planes' pivot): a click (it
 * moved less than clickTolerance) with the navigate or rotate tool, in a view that was already the active
 * one. The first click in another view only makes it active, as OHIF's first click activates a viewport,
 * so looking at a view does not lose the point one was reading.
 */
export function clickMovesCrosshair(press: { readonly action: string; readonly moved: boolean; readonly wasActive: boolean }): boolean {
  return !press.moved && press.wasActive && (press.action === 'windowLevel' || press.action === 'rotate');
}

/**
 * The window after dragging by (dx, dy) CSS pixels from `start`: rightwards
 * widens it, downwards raises its centre (the image darkens), as in most
 * viewers. Steps scale with the width, so a lung window and a brain window
 * both respond usably.
 */
export function windowAfterDrag(start: VoiWindow, dx: number, dy: number): VoiWindow {
  const step = Math.max(start.width, 1e-3) / 256;
  return { center: start.center + dy * step, width: Math.max(1e-3, start.width * Math.exp(dx / 200)) };
}

/** Zoom factor for a vertical drag of dy CSS pixels (up zooms in). */
export function zoomAfterDrag(dy: number): number {
  return Math.exp(-dy / 150);
}
