import { voxelCount } from '../display/voxelCount.js';
import type { SegmentationStore } from '../segmentation/types.js';
import { usePreviewState } from '../segmentation/usePreviewState.js';

/** The proposal waiting for Apply or Cancel: which tool made it and how many voxels it marks. */
export function PreviewBar({ store }: { readonly store: SegmentationStore }) {
  const state = usePreviewState(store.preview);
  const proposal = state?.proposal;
  if (!state || !proposal) return null;
  const colour = state.colour ? `rgb(${state.colour.join(',')})` : undefined;
  const target = proposal.segment;
  const what =
    'create' in target
      ? `a new segment${target.create.name ? ` “${target.create.name}”` : ''} of these ${voxelCount(state.voxels)}`
      : proposal.mode === 'replace'
        ? `the segment becomes these ${voxelCount(state.voxels)}`
        : `${voxelCount(state.voxels)} to add`;
  return (
    <div className="preview-bar" data-testid="preview" data-voxels={state.voxels} data-tool={proposal.tool}>
      <span className="preview-swatch" style={{ background: colour }} aria-hidden="true" />
      <span>
        {proposal.tool}: {what}
      </span>
      <button type="button" data-testid="preview-apply" onClick={() => store.preview.apply()}>
        Apply
      </button>
      <button type="button" data-testid="preview-cancel" onClick={() => store.preview.cancel()}>
        Cancel
      </button>
    </div>
  );
}
