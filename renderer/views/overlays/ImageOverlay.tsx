import cornerstone from 'cornerstone-core';
import { useEffect, useState, type RefObject } from 'react';
import { indexSliceOf } from '../../geometry/ViewPlane.js';
import type { SlabLabel } from '../../reslice/slabLabel.js';
import type { ViewportProps } from '../ViewportProps.js';
import type { SliceRenderer } from '../sliceRenderer.js';
import type { SliceScene } from '../SliceScene.js';
import { fitOverlay, type OverlayPane } from './fitOverlay.js';
import { overlayLines, type OverlayCorners } from './overlayLines.js';
import { useOverlaysShown } from './overlaysShown.js';
import { scaleBarOf } from './scaleBarOf.js';
import { sliceLocation } from './sliceLocation.js';
import './ImageOverlay.css';

interface ImageOverlayProps {
  readonly viewport: ViewportProps;
  /** The view's cornerstone element: each of its renders (slice, window, zoom, pan, resize) redraws the overlay. */
  readonly element: RefObject<HTMLDivElement | null>;
  readonly renderer: RefObject<SliceRenderer | null>;
  /** The view's slab as its title labels it (slabLabel): its name and the thickness it covers replace Thk. */
  readonly slab: SlabLabel;
}

/** What was drawn last: the scene, its zoom (CSS px per plane pixel) and the pane's size. */
interface Drawn {
  readonly scene: SliceScene;
  readonly zoom: number;
  readonly width: number;
  readonly height: number;
}

/** The overlay's text metrics (ImageOverlay.css: 12 px sans-serif, 15 px lines). */
const metrics = { charPx: 6.8, linePx: 15 } as const;

/**
 * The corner text and scale bar over one view (Horos's, Weasis's and OHIF's layout; see overlayLines),
 * following what the view last drew, fitted to its pane (fitOverlay), hidden by the Overlays toggle.
 */
export function ImageOverlay({ viewport, element, renderer, slab }: ImageOverlayProps) {
  const shown = useOverlaysShown();
  const [drawn, setDrawn] = useState<Drawn | null>(null);

  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const update = (): void => {
      const current = renderer.current;
      const scene = current?.scene;
      if (!current || !scene) return;
      const a = current.canvasPointOf(0, 0);
      const b = current.canvasPointOf(0, 1);
      const next = { scene, zoom: Math.hypot(b.x - a.x, b.y - a.y), width: target.clientWidth, height: target.clientHeight };
      setDrawn((last) =>
        last && last.scene === next.scene && last.zoom === next.zoom && last.width === next.width && last.height === next.height ? last : next,
      );
    };
    update();
    target.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, update);
    return () => target.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, update);
  }, [element, renderer]);

  if (!shown || !drawn) return null;
  const { scene, zoom } = drawn;
  const pane: OverlayPane = { width: drawn.width, height: drawn.height, ...metrics };
  const corners = fitOverlay(overlayLines(factsOf(scene, zoom, slab)), pane);
  const bar = scaleBarOf(zoom / scene.plane.columnSpacing, drawn.width);
  const view = viewport.view;
  return (
    <div className="image-overlay" data-testid={`overlay-${view}`} data-zoom={zoom} aria-hidden="true">
      {corner(view, 'top-left', corners.topLeft)}
      {corner(view, 'top-right', corners.topRight)}
      {corner(view, 'bottom-left', corners.bottomLeft)}
      {corner(view, 'bottom-right', corners.bottomRight)}
      {bar && (
        <div className="scale-bar" data-testid={`scalebar-${view}`} data-mm={bar.mm} style={{ width: `${bar.px}px` }}>
          <span className="scale-bar-label">{bar.label}</span>
        </div>
      )}
    </div>
  );
}

function corner(view: string, where: string, lines: OverlayCorners['topLeft']) {
  return (
    <div className={`overlay-corner overlay-${where}`} data-testid={`overlay-${view}-${where}`}>
      {lines.map((line, n) => (
        <div key={n}>{line}</div>
      ))}
    </div>
  );
}

/** The facts a view's corners tell about the scene it drew. */
function factsOf(scene: SliceScene, zoom: number, label: SlabLabel) {
  const header = scene.volume.header;
  const study = header.study ?? {};
  const slab = label.samples > 1 ? label : null;
  // The files' SliceThickness is the thickness of the acquired slices (along k); other planes are as thick as their spacing.
  const acquired = scene.standard && scene.axes.sliceAxis === 2 ? study.sliceThickness : undefined;
  // A sheared grid's slice resampled onto square pixels is still that slice: it keeps its image number.
  const slice = indexSliceOf(scene.plane, scene.axes.sliceAxis);
  return {
    study,
    description: header.description,
    slice: slice !== null ? { index: slice, count: scene.axes.slices } : null,
    time: (header.timePoints ?? 1) > 1 ? { index: header.timePoint ?? 0, count: header.timePoints! } : null,
    locationMm: sliceLocation(header, scene.plane),
    sliceSpacingMm: scene.plane.normalSpacing,
    // A slab's thickness is what its samples cover, which may not be the thickness typed.
    thicknessMm: slab ? slab.thicknessMm : (acquired ?? scene.plane.normalSpacing),
    slab: slab ? slab.name : null,
    voi: scene.voi,
    zoom,
  };
}
