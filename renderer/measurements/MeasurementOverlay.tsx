import { useLayoutEffect, useRef } from 'react';
import type { Measurement } from '../../core/contract.js';
import type { VolumeGeometry } from '../../core/geometry/types.js';
import { headlineOf, roiLabelOf } from './formatMeasurement.js';
import type { Draft } from './measureGesture.js';
import { worldOnPlane } from './measurementPlane.js';
import { projectToView } from './projectToView.js';
import type { RoiScope } from './roiScopeOf.js';
import type { ViewGeometry } from '../views/ViewGeometry.js';
import { clampLabelBox } from '../views/clampLabelBox.js';

interface MeasurementOverlayProps {
  readonly g: ViewGeometry;
  readonly geometry: VolumeGeometry;
  readonly items: readonly Measurement[];
  readonly selected: string | null;
  readonly draft: Draft | null;
  /** The volume's value range: an ROI's mean and SD get the decimals it needs. */
  readonly range: readonly [number, number];
  /** What an ROI's statistics count against what the view shows (its label says so under a slab or on a turned plane). */
  readonly scopeOf: (m: Measurement) => RoiScope;
}

type Css = { readonly x: number; readonly y: number };

/** Segments an ellipse's outline is drawn with. */
const ellipseSegments = 72;

/**
 * The measurements lying in the view's plane (within half a normal step),
 * drawn from their world points, so they stay on their anatomy through zoom,
 * pan and rotation; plus the one being drawn. Never takes pointer events.
 */
export function MeasurementOverlay({ g, geometry, items, selected, draft, range, scopeOf }: MeasurementOverlayProps) {
  const shown = items.flatMap((m) => {
    const projected = projectToView(m, geometry, g.plane);
    return projected.visible ? [{ m, css: projected.pixels.map((p) => g.cssFromPixel(p.row, p.column)) }] : [];
  });
  const draftCss = draft ? draftOnView(draft, geometry, g) : null;
  const svgRef = useRef<SVGSVGElement>(null);
  // After every render (a label's text, the zoom or the view's size may have changed): labels kept inside the view.
  useLayoutEffect(() => keepLabelsInside(svgRef.current));
  return (
    <svg ref={svgRef} className="measurement-overlay" aria-hidden="true" data-testid={`measurements-${g.view}`} data-shown={shown.map((s) => s.m.id).join(' ')}>
      {shown.map(({ m, css }) => (
        <g key={m.id} className={m.id === selected ? 'measurement selected' : 'measurement'} data-id={m.id} data-kind={m.kind}>
          <Shape kind={m.kind} css={css} />
          <text x={labelAt(m.kind, css).x + 6} y={labelAt(m.kind, css).y - 6}>
            {`${m.name}: ${headlineOf(m)}${roiLabelOf(m, { range, scope: scopeOf(m) })}`}
          </text>
        </g>
      ))}
      {draft && draftCss && (
        <g className="measurement draft" data-kind={draft.kind}>
          <Shape kind={draft.kind === 'freehand' ? 'path' : draft.kind} css={draftCss} />
        </g>
      )}
    </svg>
  );
}

/** CSS px kept between a label and the view's edge: its 3 px dark halo (stroke) is drawn beyond its measured box. */
const labelMargin = 5;

/**
 * Moves each label back inside the view where it would be cut at an edge, by a transform React does not
 * manage (its x and y stay beside the label's point); the box is measured with that transform cleared.
 */
function keepLabelsInside(svg: SVGSVGElement | null): void {
  if (!svg) return;
  const view = svg.getBoundingClientRect();
  for (const text of svg.querySelectorAll('text')) {
    text.removeAttribute('transform');
    // The box on screen (glyph overhang included, which getBBox leaves out), from the view's corner.
    const box = text.getBoundingClientRect();
    const { dx, dy } = clampLabelBox({ x: box.x - view.x, y: box.y - view.y, width: box.width, height: box.height }, view.width, view.height, labelMargin);
    if (dx !== 0 || dy !== 0) text.setAttribute('transform', `translate(${dx} ${dy})`);
  }
}

function Shape({ kind, css }: { kind: Measurement['kind'] | 'path'; css: readonly Css[] }) {
  const points = (list: readonly Css[]): string => list.map((p) => `${p.x},${p.y}`).join(' ');
  switch (kind) {
    case 'line':
      return (
        <>
          <polyline points={points(css)} />
          {css.map((p, n) => (
            <circle key={n} cx={p.x} cy={p.y} r={2.5} />
          ))}
        </>
      );
    case 'angle':
    case 'path':
      return <polyline points={points(css)} />;
    case 'ellipse':
      return <polygon points={points(ellipseOutline(css))} />;
    case 'freehand':
      return <polygon points={points(css)} />;
  }
}

/** The outline of the ellipse with centre css[0] and semi-axis ends css[1], css[2] (an affine map keeps it an ellipse). */
function ellipseOutline(css: readonly Css[]): Css[] {
  const [c, a, b] = css as [Css, Css, Css];
  return Array.from({ length: ellipseSegments }, (_, n) => {
    const t = (2 * Math.PI * n) / ellipseSegments;
    const [cos, sin] = [Math.cos(t), Math.sin(t)];
    return { x: c.x + (a.x - c.x) * cos + (b.x - c.x) * sin, y: c.y + (a.y - c.y) * cos + (b.y - c.y) * sin };
  });
}

/** Where a measurement's label goes: beside its second point (an angle's vertex, an ellipse's right end), else its first. */
function labelAt(kind: Measurement['kind'], css: readonly Css[]): Css {
  return kind === 'freehand' ? css.reduce((top, p) => (p.y < top.y ? p : top), css[0]!) : (css[1] ?? css[0]!);
}

/** The draft's points on the view, when it lies in the view's plane (the view it is being drawn in). */
function draftOnView(draft: Draft, geometry: VolumeGeometry, g: ViewGeometry): Css[] | null {
  let pixels = draft.pixels;
  if (draft.kind === 'ellipse') {
    const [a, b] = [pixels[0]!, pixels[1]!];
    const centre = { column: (a.column + b.column) / 2, row: (a.row + b.row) / 2 };
    pixels = [
      centre,
      { column: centre.column + Math.abs(b.column - a.column) / 2, row: centre.row },
      { column: centre.column, row: centre.row + Math.abs(b.row - a.row) / 2 },
    ];
  }
  const points = pixels.map((p) => worldOnPlane(draft.plane, p.column, p.row));
  const projected = projectToView({ kind: draft.kind === 'ellipse' ? 'ellipse' : 'freehand', points }, geometry, g.plane);
  return projected.visible ? projected.pixels.map((p) => g.cssFromPixel(p.row, p.column)) : null;
}
