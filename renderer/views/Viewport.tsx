import { useEffect, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { flushSync } from 'react-dom';
import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { Rgba } from '../display/labelColours.js';
import type { VoiWindow } from '../display/windowPresets.js';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import { screenToVoxel, voxelToScreen } from '../geometry/screenMapping.js';
import type { Axis, Vec3, ViewName } from '../geometry/types.js';
import type { LoadedVolume } from '../state/loadedData.js';
import type { EditTool } from '../state/viewerState.js';
import { clickTolerance, dragActionFor, windowAfterDrag, zoomAfterDrag, type DragAction } from './pointerGesture.js';
import { SliceRenderer } from './sliceRenderer.js';

export interface ViewportProps {
  readonly view: ViewName;
  readonly volume: LoadedVolume;
  readonly axes: PlaneAxes;
  readonly cursor: Vec3;
  readonly voi: VoiWindow;
  readonly labels: LabelDisplay | null;
  readonly maskColours: readonly Rgba[] | null;
  /** Left drags paint or erase unless the tool is 'navigate'. */
  readonly tool: EditTool;
  readonly outline: boolean;
  readonly active: boolean;
  /** Changes when the user asks to reset zoom and pan. */
  readonly resetToken: number;
  readonly onCursor: (index: Vec3) => void;
  readonly onVoi: (voi: VoiWindow) => void;
  readonly onHover: (view: ViewName, index: Vec3 | null) => void;
  readonly onActivate: (view: ViewName) => void;
  readonly onRendered: (view: ViewName, renderer: SliceRenderer, rendered: number) => void;
  readonly onRenderer: (view: ViewName, renderer: SliceRenderer | null) => void;
  readonly onPaint: (phase: 'start' | 'move' | 'end', index: Vec3, planeAxis: Axis) => void;
}

interface Drag {
  readonly action: DragAction | 'paint';
  readonly x: number;
  readonly y: number;
  readonly voi: VoiWindow;
  lastX: number;
  lastY: number;
  moved: boolean;
}

const titles: Record<ViewName, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal' };

/** One view of the volume: a cornerstone element plus crosshair and orientation markers. */
export function Viewport(props: ViewportProps) {
  const elementRef = useRef<HTMLDivElement>(null);
  const rendererRef = useRef<SliceRenderer | null>(null);
  const lineX = useRef<SVGLineElement>(null);
  const lineY = useRef<SVGLineElement>(null);
  const brush = useRef<SVGCircleElement>(null);
  const dragRef = useRef<Drag | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const { view, axes, cursor } = props;
  const slice = cursor[axes.sliceAxis];

  useEffect(() => {
    const element = elementRef.current!;
    const renderer = new SliceRenderer(element, (rendered) => {
      drawCrosshair(renderer, propsRef.current, lineX.current, lineY.current);
      propsRef.current.onRendered(propsRef.current.view, renderer, rendered);
    });
    rendererRef.current = renderer;
    propsRef.current.onRenderer(propsRef.current.view, renderer);
    const resize = new ResizeObserver(() => renderer.resize());
    resize.observe(element);
    const wheel = (event: WheelEvent): void => {
      event.preventDefault();
      // A native listener's state update would otherwise render after this frame's rAF callbacks: a frame late.
      if (event.deltaY !== 0) flushSync(() => moveSlice(propsRef.current, event.deltaY < 0 ? 1 : -1));
    };
    element.addEventListener('wheel', wheel, { passive: false });
    return () => {
      element.removeEventListener('wheel', wheel);
      resize.disconnect();
      propsRef.current.onRenderer(propsRef.current.view, null);
      renderer.destroy();
      rendererRef.current = null;
    };
  }, []);

  useEffect(() => {
    rendererRef.current?.show({
      volume: props.volume,
      axes,
      slice,
      voi: props.voi,
      labels: props.labels,
      maskColours: props.maskColours,
      outline: props.outline,
    });
  }, [props.volume, axes, slice, props.voi, props.labels, props.maskColours, props.outline]);

  // The crosshair's in-plane position can change without a redraw of this view.
  useEffect(() => {
    const renderer = rendererRef.current;
    if (renderer?.scene) drawCrosshair(renderer, props, lineX.current, lineY.current);
  }, [cursor]);

  useEffect(() => {
    if (props.resetToken > 0) rendererRef.current?.resetView();
  }, [props.resetToken]);

  const localPoint = (event: { clientX: number; clientY: number }) => {
    const rect = elementRef.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  const voxelAt = (x: number, y: number): Vec3 | null => {
    const pixel = rendererRef.current?.pixelAt(x, y);
    return pixel ? screenToVoxel(axes, { ...pixel, slice }) : null;
  };

  const painting = (event: { button: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): boolean =>
    props.tool.kind !== 'navigate' && event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    props.onActivate(view);
    elementRef.current!.focus();
    const action = painting(event) ? 'paint' : dragActionFor(event);
    if (!action) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const { x, y } = localPoint(event);
    dragRef.current = { action, x, y, lastX: x, lastY: y, voi: props.voi, moved: false };
    const index = action === 'paint' ? voxelAt(x, y) : null;
    if (index) {
      props.onPaint('start', index, axes.sliceAxis);
      dragRef.current.moved = true;
    }
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const { x, y } = localPoint(event);
    const index = voxelAt(x, y);
    props.onHover(view, index);
    showBrush(brush.current, rendererRef.current, props, x, y);
    const drag = dragRef.current;
    if (!drag) return;
    if (drag.action === 'paint') {
      if (index) props.onPaint(drag.moved ? 'move' : 'start', index, axes.sliceAxis);
      drag.moved = true;
      return;
    }
    if (!drag.moved && Math.hypot(x - drag.x, y - drag.y) < clickTolerance) return;
    drag.moved = true;
    const renderer = rendererRef.current;
    if (drag.action === 'windowLevel') props.onVoi(windowAfterDrag(drag.voi, x - drag.x, y - drag.y));
    else if (drag.action === 'zoom') renderer?.zoomBy(zoomAfterDrag(y - drag.lastY));
    else renderer?.panBy(x - drag.lastX, y - drag.lastY);
    drag.lastX = x;
    drag.lastY = y;
  };

  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const drag = dragRef.current;
    dragRef.current = null;
    if (drag?.action === 'paint') return props.onPaint('end', props.cursor, axes.sliceAxis);
    if (!drag || drag.moved || drag.action !== 'windowLevel') return;
    const { x, y } = localPoint(event);
    const index = voxelAt(x, y);
    if (index) props.onCursor(index);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const renderer = rendererRef.current;
    const steps: Record<string, number> = { ArrowUp: 1, ArrowDown: -1, PageUp: 10, PageDown: -10, Home: 1e6, End: -1e6 };
    const step = steps[event.key];
    if (step !== undefined) moveSlice(props, step);
    else if (event.key === '+' || event.key === '=') renderer?.zoomBy(1.2);
    else if (event.key === '-') renderer?.zoomBy(1 / 1.2);
    else if (event.key === 'r' || event.key === '0') renderer?.resetView();
    else return;
    event.preventDefault();
  };

  const { markers } = axes;
  return (
    <section className={props.active ? 'viewport-frame active' : 'viewport-frame'}>
      <header className="viewport-title">
        {titles[view]} · {slice + 1} / {axes.slices}
      </header>
      <div className="viewport-stage">
        <div
          ref={elementRef}
          className="viewport"
          data-testid={`viewport-${view}`}
          data-view={view}
          tabIndex={0}
          aria-label={`${titles[view]} view`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => {
            if (dragRef.current?.action === 'paint') props.onPaint('end', props.cursor, axes.sliceAxis);
            dragRef.current = null;
          }}
          onPointerLeave={() => {
            props.onHover(view, null);
            brush.current?.setAttribute('r', '0');
          }}
          onContextMenu={(event) => event.preventDefault()}
          onKeyDown={onKeyDown}
        />
        <svg className="crosshair" aria-hidden="true">
          <line ref={lineX} />
          <line ref={lineY} />
          <circle ref={brush} className="brush" r={0} data-testid={`brush-${view}`} />
        </svg>
        <span className="marker marker-left" data-testid={`marker-${view}-left`}>{markers.left}</span>
        <span className="marker marker-right" data-testid={`marker-${view}-right`}>{markers.right}</span>
        <span className="marker marker-top" data-testid={`marker-${view}-top`}>{markers.top}</span>
        <span className="marker marker-bottom" data-testid={`marker-${view}-bottom`}>{markers.bottom}</span>
      </div>
    </section>
  );
}

/** Moves the slice by `step` towards superior / anterior / the patient's left (negative: back). */
function moveSlice(props: ViewportProps, step: number): void {
  const { axes, cursor } = props;
  const next = [cursor[0], cursor[1], cursor[2]];
  next[axes.sliceAxis] = Math.min(axes.slices - 1, Math.max(0, cursor[axes.sliceAxis] + step * axes.sliceForward));
  if (next[axes.sliceAxis] !== cursor[axes.sliceAxis]) props.onCursor([next[0]!, next[1]!, next[2]!]);
}

/** The brush's outline at the pointer, at its true size in this view (hidden for navigation). */
function showBrush(circle: SVGCircleElement | null, renderer: SliceRenderer | null, props: ViewportProps, x: number, y: number): void {
  if (!circle) return;
  if (props.tool.kind === 'navigate' || !renderer?.scene) return void circle.setAttribute('r', '0');
  const a = renderer.canvasPointOf(0, 0);
  const b = renderer.canvasPointOf(0, 1);
  const cssPerMm = Math.hypot(b.x - a.x, b.y - a.y) / props.axes.columnSpacing;
  circle.setAttribute('cx', String(x));
  circle.setAttribute('cy', String(y));
  circle.setAttribute('r', String(props.tool.radiusMm * cssPerMm));
}

function drawCrosshair(renderer: SliceRenderer, props: ViewportProps, vertical: SVGLineElement | null, horizontal: SVGLineElement | null): void {
  if (!vertical || !horizontal || !renderer.scene) return;
  const at = voxelToScreen(props.axes, props.cursor);
  const p = renderer.canvasPointOf(at.row, at.column);
  const { width, height } = renderer.canvas;
  setLine(vertical, p.x, 0, p.x, height);
  setLine(horizontal, 0, p.y, width, p.y);
}

function setLine(line: SVGLineElement, x1: number, y1: number, x2: number, y2: number): void {
  line.setAttribute('x1', String(x1));
  line.setAttribute('y1', String(y1));
  line.setAttribute('x2', String(x2));
  line.setAttribute('y2', String(y2));
}
