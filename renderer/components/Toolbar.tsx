import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ExportFormat } from '../../core/contract.js';
import type { DeviceChoice } from '../api/gpuDevice.js';
import type { ViewName } from '../geometry/types.js';
import type { ModelTarget } from '../state/viewerState.js';
import type { ViewerActions } from '../actions/useViewerActions.js';
import type { ModelChoice } from '../actions/createSegmentationActions.js';
import './Toolbar.css';

interface ToolbarProps {
  readonly actions: ViewerActions;
  readonly hasVolume: boolean;
  readonly hasMask: boolean;
  /** Where the volume was read from: DICOM SEG export needs DICOM. */
  readonly volumeFormat: 'dicom' | 'nifti' | 'nrrd' | null;
  readonly running: boolean;
  readonly activeView: ViewName;
  readonly busy: string | null;
  /** The 3D view is the active tile: a PNG export saves it. */
  readonly active3d?: boolean;
  readonly onExport3d?: () => void;
}

/** What the Export button writes: one of main's formats, or a PNG picture of the active view. */
type ExportChoice = ExportFormat | 'png';

/**
 * One row at 1400 px and at 1280 px: Open (file, folder, labels); the model
 * (which, where it runs, where its result goes, Run); Export (one choice of
 * what, one button); Settings at the end. The layout and view controls are
 * in the view bar above the views (app/ViewBar).
 */
export function Toolbar(props: ToolbarProps) {
  const { actions, hasVolume, hasMask, running } = props;
  const [model, setModel] = useState<ModelChoice>('demo');
  const chosenName = useChosenModelName(actions);
  // A folder that loaded is offered by its name (and picked, so the next Run does not ask again); "Model folder…" asks.
  useEffect(() => setModel((m) => (chosenName !== null && m === 'choose' ? 'chosen' : chosenName === null && m === 'chosen' ? 'choose' : m)), [chosenName]);
  const [device, setDevice] = useState<DeviceChoice>('auto');
  const [into, setInto] = useState<ModelTarget['kind']>('append');
  // With nothing open there is nothing to add to: the result is a segmentation of its own.
  const target = hasMask ? into : 'new';
  const [format, setFormat] = useState<ExportChoice>('nifti');
  const segUnavailable =
    props.volumeFormat && props.volumeFormat !== 'dicom'
      ? `DICOM SEG must refer to DICOM images; this scan was read from ${props.volumeFormat.toUpperCase()}`
      : null;
  const chosen = format === 'dicom-seg' && segUnavailable ? 'nifti' : format;
  const canExport = chosen === 'png' ? hasVolume : hasMask;
  const exportChosen = (): void => {
    if (chosen !== 'png') actions.exportLabels(chosen);
    else if (props.active3d && props.onExport3d) props.onExport3d();
    else actions.exportPng(props.activeView);
  };
  return (
    <nav className="toolbar" aria-label="Tools">
      <div className="group" role="group" aria-label="Open">
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
      <div className="group" role="group" aria-label="Segmentation model">
        <select
          aria-label="Model"
          data-testid="model-select"
          className="model-select"
          data-model-name={chosenName ?? undefined}
          title={model === 'chosen' && chosenName !== null ? chosenName : 'Which model runs'}
          value={model}
          onChange={(e) => setModel(e.currentTarget.value as ModelChoice)}
        >
          <option value="demo">Demo model</option>
          {chosenName !== null && (
            <option value="chosen" data-testid="model-chosen">
              {shortName(chosenName)}
            </option>
          )}
          <option value="choose">Model folder…</option>
        </select>
        <select
          aria-label="Run on"
          title="Where the model runs"
          data-testid="device-select"
          value={device}
          onChange={(e) => setDevice(e.currentTarget.value as DeviceChoice)}
        >
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
          <option value="append">Add to open</option>
          <option value="new">As new</option>
        </select>
        <button type="button" data-testid="run-model" disabled={!hasVolume || running} onClick={() => actions.runModel(model, device, target)}>
          Run model
        </button>
      </div>
      <div className="group" role="group" aria-label="Export">
        <select
          aria-label="Export what"
          data-testid="export-format"
          title={segUnavailable ?? 'What Export… writes'}
          value={chosen}
          onChange={(e) => setFormat(e.currentTarget.value as ExportChoice)}
        >
          <optgroup label="Segmentation">
            <option value="nifti">NIfTI label map</option>
            <option value="nrrd">NRRD label map</option>
            <option value="slicer-seg">3D Slicer segmentation (.seg.nrrd)</option>
            <option value="dicom-seg" disabled={segUnavailable !== null} title={segUnavailable ?? undefined}>
              DICOM SEG{segUnavailable ? ' (needs a DICOM scan)' : ''}
            </option>
            <option value="stats-csv">Statistics (CSV)</option>
            <option value="stats-json">Statistics (JSON)</option>
          </optgroup>
          <optgroup label="Picture">
            <option value="png">Active view (PNG)</option>
          </optgroup>
        </select>
        <button type="button" data-testid="export-labels" disabled={!canExport} onClick={exportChosen}>
          Export…
        </button>
        {segUnavailable && hasMask && (
          <span className="sr-only" data-testid="seg-export-reason">
            {segUnavailable}
          </span>
        )}
      </div>
      {props.busy && (
        <span className="busy" data-testid="busy" title={props.busy}>
          {props.busy}
        </span>
      )}
      <div className="group end">
        <button type="button" data-testid="settings-open" title="Settings (Ctrl+,)" onClick={() => actions.openSettings()}>
          Settings…
        </button>
      </div>
    </nav>
  );
}

const noChosenModel = { getSnapshot: () => null, subscribe: () => () => undefined };

/** The chosen model's name (null until one has loaded); none where the actions have no store (a static render). */
function useChosenModelName(actions: ViewerActions): string | null {
  const store = (actions as Partial<ViewerActions>).chosenModel ?? noChosenModel;
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/** A model's name in words (a bundle's metadata names it in snake case), short enough for the select's list; the whole name is its title. */
function shortName(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.length > 40 ? `${words.slice(0, 39).trimEnd()}…` : words;
}
