import type { Dispatch } from 'react';
import type { ViewerActions } from '../actions/useViewerActions.js';
import { EditTools } from '../components/EditTools.js';
import { MeasurementPanel } from '../components/MeasurementPanel.js';
import { MetadataPanel } from '../components/MetadataPanel.js';
import { MprControls } from '../components/MprControls.js';
import { SegmentPanel } from '../components/SegmentPanel.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import type { ViewName } from '../geometry/types.js';
import type { Measurements } from '../measurements/useMeasurements.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';

interface SidePanelProps {
  readonly state: ViewerState;
  readonly volume: LoadedVolume;
  readonly axes: Readonly<Record<ViewName, PlaneAxes>> | null;
  readonly dispatch: Dispatch<ViewerAction>;
  readonly actions: ViewerActions;
  readonly measures: Measurements;
}

/** The side bar beside the views: the scan's metadata, the segments, the edit tools, the MPR controls and the measurements. */
export function SidePanel({ state, volume, axes, dispatch, actions, measures }: SidePanelProps) {
  const { segmentation } = state;
  const { units } = volume.header;
  return (
    <aside className="side">
      <MetadataPanel header={volume.header} />
      <SegmentPanel
        session={segmentation}
        segments={state.segments}
        activeSegment={state.activeSegment}
        opacity={state.opacity}
        outline={state.outline}
        units={units}
        dispatch={dispatch}
        onEdit={actions.edit}
        onAdd={actions.addSegment}
      />
      <EditTools
        tool={state.tool}
        session={segmentation}
        activeSegment={state.activeSegment}
        planeAxis={axes ? axes[state.activeView].sliceAxis : 2}
        units={units}
        dispatch={dispatch}
        onEdit={actions.edit}
      />
      <MprControls mpr={state.mpr} activeView={state.activeView} tool={state.tool} dispatch={dispatch} />
      <MeasurementPanel
        items={measures.state.items}
        selected={measures.state.selected}
        units={units}
        tool={state.tool.kind}
        revision={measures.state.revision}
        savedRevision={measures.savedRevision}
        onTool={measures.chooseTool}
        onSelect={measures.select}
        onRename={measures.rename}
        onDelete={measures.remove}
        onExport={measures.exportCsv}
      />
    </aside>
  );
}
