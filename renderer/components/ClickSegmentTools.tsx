import { useEffect, useRef, useState } from 'react';
import type { ClickSegmentSession, ClickSegmentState } from '../actions/createClickSegmentSession.js';
import { plural } from '../display/plural.js';
import { formatSeconds } from '../display/statusDetails.js';
import type { ClickTool, MaskPreview } from '../segmentation/MaskPreview.js';
import { usePreviewState } from '../segmentation/usePreviewState.js';
import type { SegmentationSession } from '../state/viewerState.js';

interface ClickSegmentToolsProps {
  readonly session: SegmentationSession | null;
  /** Starts a click-to-segment session on the shown scan and segmentation (null when there is none). */
  readonly start: (onChange: (state: ClickSegmentState) => void) => ClickSegmentSession | null;
}

const noClicks: ClickSegmentState = { foreground: 0, background: 0, running: false, error: null, seconds: null };

/**
 * Click-to-segment: while on, clicks in the slice views go to the interactive demo model (left: part of the
 * organ, right or Ctrl: not part of it) and its result is previewed; the preview bar above applies it.
 */
export function ClickSegmentTools({ session, start }: ClickSegmentToolsProps) {
  const preview = session?.store.preview ?? null;
  /** The segmentation's preview the user turned the tool on for: another segmentation (or none) finds it off. */
  const [onFor, setOnFor] = useState<MaskPreview | null>(null);
  const on = onFor !== null && onFor === preview;
  const [clicks, setClicks] = useState<ClickSegmentState>(noClicks);
  const [current, setCurrent] = useState<ClickSegmentSession | null>(null);
  /** The click tool this control installed, and whether the preview has shown it since. */
  const installed = useRef<ClickTool | null>(null);
  const seen = useRef(false);
  const clickTool = usePreviewState(preview)?.clickTool ?? null;
  useEffect(() => {
    if (!on || !preview) return undefined;
    const started = start(setClicks);
    if (!started) {
      setOnFor(null);
      return undefined;
    }
    const tool: ClickTool = { name: 'Click to segment', onClick: (click) => started.click(click) };
    installed.current = tool;
    seen.current = false;
    setCurrent(started);
    preview.setClickTool(tool);
    return () => {
      started.dispose();
      installed.current = null;
      setCurrent(null);
      setClicks(noClicks);
      if (preview.getState().clickTool === tool) preview.setClickTool(null);
    };
  }, [on, preview, start]);
  // Another click tool taken up (or the click tool put down elsewhere) ends this one.
  useEffect(() => {
    if (!on || !installed.current) return;
    if (clickTool === installed.current) seen.current = true;
    else if (seen.current || clickTool !== null) setOnFor(null);
  }, [on, clickTool]);
  if (!session) return null;
  const active = on && clickTool !== null && clickTool === installed.current;
  const toggle = (): void => setOnFor(active ? null : preview);
  const total = clicks.foreground + clicks.background;
  return (
    <section className="panel" data-testid="click-segment">
      <h2>Click to segment</h2>
      <p className="hint">Left click marks the organ, right or Ctrl click marks what is not the organ; the model reruns after each click.</p>
      <p className="hint">Demo model trained on phantoms: not for clinical use.</p>
      <div className="row">
        <button type="button" data-testid="click-segment-toggle" aria-pressed={active} onClick={toggle}>
          {active ? 'Stop clicking' : 'Start clicking'}
        </button>
        <button type="button" data-testid="click-segment-clear" disabled={!current || total === 0} onClick={() => current?.clear()}>
          Clear clicks
        </button>
      </div>
      <p
        className="hint"
        role="status"
        data-testid="click-segment-status"
        data-foreground={clicks.foreground}
        data-background={clicks.background}
        data-running={clicks.running}
      >
        {statusText(active, clicks, total)}
      </p>
      {active && clicks.error ? (
        <details className="hint" data-testid="click-segment-error">
          <summary>Details</summary>
          {clicks.error}
        </details>
      ) : null}
    </section>
  );
}

function statusText(active: boolean, clicks: ClickSegmentState, total: number): string {
  if (!active) return 'Off';
  if (clicks.error) return 'The model could not run on these clicks.';
  if (total === 0) return 'Click in a view to start';
  const counted = `${plural(clicks.foreground, 'organ click')}, ${plural(clicks.background, 'outside click')}`;
  if (clicks.running) return `${counted}; segmenting…`;
  return clicks.seconds === null ? counted : `${counted}; preview in ${formatSeconds(clicks.seconds)}`;
}
