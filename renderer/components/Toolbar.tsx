import { useState } from 'react';
import type { ExportFormat } from '../../core/contract.js';
import type { DeviceChoice } from '../api/gpuDevice.js';
import { viewNames, type ViewName } from '../geometry/types.js';
import type { Layout, ModelTarget } from '../state/viewerState.js';
import type { ViewerActions } from '../actions/useViewerActions.js';

interface ToolbarProps {
  readonly actions: ViewerActions;
  readonly hasVolume: boolean;
  readonly hasMask: boolean;
  /** Where the volume was read from: DICOM SEG export needs DICOM. */
  readonly volumeFormat: 'dicom' | 'nifti' | 'nrrd' | null;
  readonly running: boolean;
  readonly layout: Layout;
  readonly activeView: ViewName;
  readonly busy: string | null;
  readonly onLayout: (layout: Layout) => void;
  readonly onActiveView: (view: ViewName) => void;
  readonly onReset: () => void;
  /** The 3D view is the active tile: the View select shows '3D' and Export PNG saves it. */
  readonly active3d?: boolean;
  readonly onActive3d?: () => void;
  readonly onExport3d?: () => void;
}

/** Open, run, export and layout controls. */
export function Toolbar(props: ToolbarProps) {
  const { actions, hasVolume, hasMask, running } = props;
  const [model, setModel] = useState<'demo' | 'choose'>('demo');
  const [device, setDevice] = useState<DeviceChoice>('auto');
  const [into, setInto] = useState<ModelTarget['kind']>('append');
  // With nothing open there is nothing to add to: the result is a segmentation of its own.
  const target = hasMask ? into : 'new';
  const [format, setFormat] = useState<ExportFormat>('nifti');
  const segUnavailable =
    props.volumeFormat && props.volumeFormat !== 'dicom'
      ? `DICOM SEG must refer to DICOM images; this scan was read from ${props.volumeFormat.toUpperCase()}`
      : null;
  const chosen = format === 'dicom-seg' && segUnavailable ? 'nifti' : format;
  return (
    <nav className="toolbar" aria-label="Tools">
      <div className="group">
        <button type="button" data-testid="open-file" onClick={() => actions.openScan('file')}>
          Open file…
        </button>
        <button type="button" data-testid="open-folder" onClick={() => actions.openScan('folder')}>
          Open folder…
        </button>
        <button type="button" data-testid="open-labels" disabled={!hasVolume} onClick={() => actions.openLabels()}>
          Open labels…
        </button>
      </div>
      <div className="group">
        <select aria-label="Model" data-testid="model-select" value={model} onChange={(e) => setModel(e.currentTarget.value as 'demo' | 'choose')}>
          <option value="demo">Demo model</option>
          <option value="choose">Model bundle folder…</option>
        </select>
        <select aria-label="Device" data-testid="device-select" value={device} onChange={(e) => setDevice(e.currentTarget.value as DeviceChoice)}>
          <option value="auto">Auto</option>
          <option value="cpu">CPU</option>
          <option value="gpu">GPU</option>
        </select>
        <select
          aria-label="Model result"
          data-testid="model-target"
          title="Where the model's result goes"
          value={target}
          disabled={!hasMask}
          onChange={(e) => setInto(e.currentTarget.value as ModelTarget['kind'])}
        >
          <option value="append">Add to open segmentation</option>
          <option value="new">As a new segmentation</option>
        </select>
        <button type="button" data-testid="run-model" disabled={!hasVolume || running} onClick={() => actions.runModel(model, device, target)}>
          Run model
        </button>
      </div>
      <div className="group">
        <select aria-label="Export format" data-testid="export-format" value={chosen} onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}>
          <option value="nifti">NIfTI label map</option>
          <option value="nrrd">NRRD label map</option>
          <option value="dicom-seg" disabled={segUnavailable !== null} title={segUnavailable ?? undefined}>
            DICOM SEG{segUnavailable ? ' (needs a DICOM scan)' : ''}
          </option>
          <option value="stats-csv">Statistics (CSV)</option>
          <option value="stats-json">Statistics (JSON)</option>
        </select>
        <button type="button" data-testid="export-labels" disabled={!hasMask} onClick={() => actions.exportLabels(chosen)}>
          Export…
        </button>
        {segUnavailable && hasMask && (
          <span className="hint" data-testid="seg-export-reason">
            {segUnavailable}
          </span>
        )}
        <button
          type="button"
          data-testid="export-png"
          disabled={!hasVolume}
          onClick={() => (props.active3d && props.onExport3d ? props.onExport3d() : actions.exportPng(props.activeView))}
        >
          Export PNG…
        </button>
      </div>
      <div className="group">
        <button type="button" data-testid="layout-three" aria-pressed={props.layout === 'three'} onClick={() => props.onLayout('three')}>
          Three views
        </button>
        <button type="button" data-testid="layout-four" aria-pressed={props.layout === 'four'} onClick={() => props.onLayout('four')}>
          Four views
        </button>
        <button type="button" data-testid="layout-one" aria-pressed={props.layout === 'one'} onClick={() => props.onLayout('one')}>
          One view
        </button>
        <select
          aria-label="View"
          data-testid="layout-view"
          value={props.active3d ? '3d' : props.activeView}
          onChange={(e) => (e.currentTarget.value === '3d' ? props.onActive3d?.() : props.onActiveView(e.currentTarget.value as ViewName))}
        >
          {viewNames.map((v) => (
            <option key={v} value={v}>
              {v[0]!.toUpperCase() + v.slice(1)}
            </option>
          ))}
          {props.onActive3d && <option value="3d">3D</option>}
        </select>
        <button type="button" data-testid="reset" disabled={!hasVolume} onClick={props.onReset}>
          Reset
        </button>
      </div>
      <div className="group">
        <button type="button" data-testid="settings-open" title="Settings (Ctrl+,)" onClick={() => actions.openSettings()}>
          Settings…
        </button>
      </div>
      {props.busy && (
        <span className="busy" data-testid="busy">
          {props.busy}
        </span>
      )}
    </nav>
  );
}
