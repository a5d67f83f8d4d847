import { useMemo } from 'react';
import { segmentKeyOf } from '../../core/labels/segmentKey.js';
import { labelColours, type Rgba } from '../display/labelColours.js';
import { displayCodeOf, labelDisplayOf, type LabelDisplay } from '../display/labelDisplayOf.js';
import type { ViewerState } from '../state/viewerState.js';

/** The segmentation as the views draw it: its layers as display codes, and their colour table. */
export interface ShownLabels {
  readonly labels: LabelDisplay | null;
  readonly maskColours: readonly Rgba[] | null;
}

/**
 * The label layers and colour table of the segmentation shown, each a new
 * object only when its inputs change (a voxel; a colour, visibility, the
 * opacity or the outline), so the views redraw only then.
 */
export function useShownLabels(state: Pick<ViewerState, 'segmentation' | 'segments' | 'opacity' | 'outline'>): ShownLabels {
  const snapshot = state.segmentation?.snapshot ?? null;
  const labels = useMemo(() => (snapshot ? labelDisplayOf(snapshot.layers, snapshot.segments, snapshot.revision) : null), [snapshot]);
  const maskColours = useMemo(
    () =>
      labels && snapshot
        ? labelColours({
            maxLabel: labels.maxCode,
            segments: snapshot.segments.map((s) => ({
              value: displayCodeOf(labels, s),
              colour: s.colour,
              visible: state.segments[segmentKeyOf(s)]?.visible ?? true,
            })),
            opacity: state.opacity,
            outline: state.outline,
          })
        : null,
    [labels, snapshot, state.segments, state.opacity, state.outline],
  );
  return { labels, maskColours };
}
