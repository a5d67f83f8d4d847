import { useEffect, useLayoutEffect, useRef, useState, type Dispatch, type KeyboardEvent, type ReactNode } from 'react';
import type { ViewerActions } from '../actions/useViewerActions.js';
import { ClickSegmentTools } from '../components/ClickSegmentTools.js';
import { EditTools } from '../components/EditTools.js';
import { MeasurementPanel } from '../components/MeasurementPanel.js';
import { MetadataPanel } from '../components/MetadataPanel.js';
import { PreviewBar } from '../components/PreviewBar.js';
import { SegmentPanel } from '../components/SegmentPanel.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import type { ViewName } from '../geometry/types.js';
import type { Measurements } from '../measurements/useMeasurements.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';
import { sideTabs, tabAfterKey, type SideTab } from './sideTabs.js';
import { ToolPalette } from './ToolPalette.js';

interface SidePanelProps {
  readonly state: ViewerState;
  readonly volume: LoadedVolume;
  readonly axes: Readonly<Record<ViewName, PlaneAxes>> | null;
  readonly dispatch: Dispatch<ViewerAction>;
  readonly actions: ViewerActions;
  readonly measures: Measurements;
}

/**
 * The side bar beside the views: the tool palette, then tabs (Study,
 * Segments, Edit, Measure), one shown at a time and each scrolled on its own,
 * from the top whenever it is opened. Every tab stays in the page while
 * hidden, so what it publishes (revisions, counts) can always be read. A new
 * segmentation (labels opened, a model's result, edits restored) brings the
 * Segments tab forward.
 */
export function SidePanel({ state, volume, axes, dispatch, actions, measures }: SidePanelProps) {
  const { segmentation } = state;
  const { units } = volume.header;
  const [tab, setTab] = useState<SideTab>('study');
  const panels = useRef(new Map<SideTab, HTMLElement>());
  const tabs = useRef(new Map<SideTab, HTMLButtonElement>());
  const maskId = segmentation?.maskId ?? null;
  useEffect(() => {
    if (maskId) setTab('segments');
  }, [maskId]);
  // Opened again, or a new volume: from the top, not where it was left.
  useLayoutEffect(() => {
    const panel = panels.current.get(tab);
    if (panel) panel.scrollTop = 0;
  }, [tab, volume]);
  const onKeyDown = (event: KeyboardEvent): void => {
    const next = tabAfterKey(tab, event.key);
    if (!next) return;
    event.preventDefault();
    setTab(next);
    tabs.current.get(next)?.focus();
  };
  const content: Record<SideTab, ReactNode> = {
    study: <MetadataPanel header={volume.header} />,
    segments: (
      <SegmentPanel
        session={segmentation}
        segments={state.segments}
        activeSegment={state.activeSegment}
        opacity={state.opacity}
        outline={state.outline}
        units={units}
        range={volume.header.range}
        dispatch={dispatch}
        onEdit={actions.edit}
        onAdd={actions.addSegment}
      />
    ),
    edit: (
      <>
        {segmentation ? <PreviewBar store={segmentation.store} /> : null}
        <ClickSegmentTools session={segmentation} start={actions.startClickSegment} />
        <EditTools
          tool={state.tool}
          session={segmentation}
          activeSegment={state.activeSegment}
          planeAxis={axes ? axes[state.activeView].sliceAxis : 2}
          units={units}
          dispatch={dispatch}
          onEdit={actions.edit}
        />
      </>
    ),
    measure: (
      <MeasurementPanel
        items={measures.state.items}
        selected={measures.state.selected}
        units={units}
        range={volume.header.range}
        scopeOf={measures.scopeOf}
        revision={measures.state.revision}
        savedRevision={measures.savedRevision}
        onSelect={measures.select}
        onRename={measures.rename}
        onDelete={measures.remove}
        onExport={measures.exportCsv}
      />
    ),
  };
  return (
    <aside className="side" data-testid="side-panel" data-tab={tab}>
      <ToolPalette tool={state.tool.kind} onTool={(kind) => dispatch({ type: 'tool', tool: { kind } })} />
      <div className="side-tabs" role="tablist" aria-label="Side panel" onKeyDown={onKeyDown}>
        {sideTabs.map(([id, name]) => (
          <button
            key={id}
            ref={(element) => void (element ? tabs.current.set(id, element) : tabs.current.delete(id))}
            type="button"
            role="tab"
            id={`side-tab-${id}`}
            data-testid={`side-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`side-panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
          >
            {name}
            {id === 'segments' && segmentation ? <span className="tab-count"> {segmentation.snapshot.segments.length}</span> : null}
            {id === 'measure' && measures.state.items.length > 0 ? <span className="tab-count"> {measures.state.items.length}</span> : null}
          </button>
        ))}
      </div>
      {sideTabs.map(([id]) => (
        <div
          key={id}
          ref={(element) => void (element ? panels.current.set(id, element) : panels.current.delete(id))}
          className="side-tab-panel"
          role="tabpanel"
          id={`side-panel-${id}`}
          data-testid={`side-panel-${id}`}
          aria-labelledby={`side-tab-${id}`}
          hidden={tab !== id}
        >
          {content[id]}
        </div>
      ))}
    </aside>
  );
}
