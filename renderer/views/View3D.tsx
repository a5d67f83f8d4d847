import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { Rgba } from '../display/labelColours.js';
import { isCt, type VoiWindow } from '../display/windowPresets.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import { testPort } from '../testPort/testPort.js';
import { fullClipRange, type ClipRange } from '../volume3d/clipRange.js';
import { Volume3dError } from '../volume3d/createGlProgram.js';
import { cameraFrom, panCamera, rotateCamera, zoomCamera, type OrbitCamera } from '../volume3d/orbitCamera.js';
import { View3dController, type FrameReport, type Load3dStatus, type Scene3d } from '../volume3d/View3dController.js';
import { volumePresetOf, type VolumePresetId } from '../volume3d/volumePresets.js';
import { contextLostMessage, VolumeRenderer3d } from '../volume3d/VolumeRenderer3d.js';
import { View3dControls } from './View3dControls.js';
import { frameDetail } from './frameDetail.js';
import { useFoldedTitleBar } from './useFoldedTitleBar.js';
import './View3D.css';

export interface View3DProps {
  readonly volume: LoadedVolume;
  readonly labels: LabelDisplay | null;
  /** The 2D views' label colour table (labelColours); entries 0 … maxCode are the fills. */
  readonly maskColours: readonly Rgba[] | null;
  readonly voi: VoiWindow;
  readonly active: boolean;
  /** Changes when the user asks to reset the views: back to the front view, zoom 1. */
  readonly resetToken: number;
  readonly onActivate: () => void;
  /** The controller once drawing works (null when the view goes), e.g. for PNG export. */
  readonly onController?: (controller: View3dController | null) => void;
}

const fixedWindow: VoiWindow = { center: 0, width: 1 };
/** Arrow keys turn the volume as a 20 px drag would (10°). */
const keyTurns: Readonly<Record<string, readonly [number, number]>> = { ArrowLeft: [-20, 0], ArrowRight: [20, 0], ArrowUp: [0, -20], ArrowDown: [0, 20] };

interface Drag {
  readonly mode: 'rotate' | 'pan';
  x: number;
  y: number;
}

/** The 3D view: WebGL2 ray casting of the volume and its labels, turned with the mouse. */
export function View3D(props: View3DProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<View3dController | null>(null);
  /** The scene last given to the controller, for one restarted after a WebGL context restore. */
  const sceneRef = useRef<Scene3d | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const { volume } = props;
  // The preset chosen for this volume; another volume starts from its modality's (an MR opened after a CT is not shown as bone).
  const [presetOf, setPresetOf] = useState<{ volume: LoadedVolume; id: VolumePresetId } | null>(null);
  const preset: VolumePresetId = presetOf?.volume === volume ? presetOf.id : isCt(volume.header.modality, volume.header.units) ? 'bone' : 'window';
  const setPreset = (id: VolumePresetId): void => setPresetOf({ volume, id });
  const wholeVolume = useMemo(() => fullClipRange(volume.header.dimensions), [volume]);
  const [clipOf, setClipOf] = useState<{ volume: LoadedVolume; range: ClipRange } | null>(null);
  const clip = clipOf?.volume === volume ? clipOf.range : wholeVolume;
  const setClip = (range: ClipRange): void => setClipOf({ volume, range });
  const [showLabels, setShowLabels] = useState(true);
  const [status, setStatus] = useState<Load3dStatus | null>(null);
  const [frame, setFrame] = useState<Pick<FrameReport, 'quality' | 'frameMs'> | null>(null);
  const titleRef = useRef<HTMLElement>(null);
  // Details comes with the first frame and widens the bar.
  const fold = useFoldedTitleBar(titleRef, 2, frame !== null);

  useEffect(
    () =>
      startView3d(stageRef.current!, {
        onStatus: setStatus,
        onFrame: (report) => setFrame({ quality: report.quality, frameMs: report.frameMs }),
        onController: (controller) => {
          controllerRef.current = controller;
          if (controller && sceneRef.current) controller.setScene(sceneRef.current);
          propsRef.current.onController?.(controller);
        },
      }),
    [],
  );

  const presetObject = useMemo(() => volumePresetOf(preset), [preset]);
  // Only the 'window' preset follows the 2D window; the others need no redraw when it moves.
  const voi = preset === 'window' ? props.voi : fixedWindow;
  useEffect(() => {
    sceneRef.current = { volume, labels: props.labels, labelColours: props.maskColours, showLabels, preset: presetObject, voi, clip };
    controllerRef.current?.setScene(sceneRef.current);
  }, [volume, props.labels, props.maskColours, showLabels, presetObject, voi, clip]);

  useEffect(() => {
    if (props.resetToken > 0) controllerRef.current?.setCamera(cameraFrom('anterior'), false);
  }, [props.resetToken]);

  const move = (next: (camera: OrbitCamera) => OrbitCamera, interactive: boolean): void => {
    const controller = controllerRef.current;
    if (controller) controller.setCamera(next(controller.camera), interactive);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    props.onActivate();
    event.currentTarget.focus();
    if (event.button !== 0 && event.button !== 1 && event.button !== 2) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    dragRef.current = { mode: event.button === 0 && !event.shiftKey ? 'rotate' : 'pan', x: event.clientX, y: event.clientY };
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const drag = dragRef.current;
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (dx === 0 && dy === 0) return;
    drag.x = event.clientX;
    drag.y = event.clientY;
    const mm = controllerRef.current?.mmPerCssPixel() ?? 1;
    move((camera) => (drag.mode === 'rotate' ? rotateCamera(camera, dx, dy) : panCamera(camera, -dx * mm, dy * mm)), true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const turn = keyTurns[event.key];
    if (turn) move((camera) => rotateCamera(camera, turn[0], turn[1]), true);
    else if (event.key === '+' || event.key === '=') move((camera) => zoomCamera(camera, 1.2), true);
    else if (event.key === '-') move((camera) => zoomCamera(camera, 1 / 1.2), true);
    else if (event.key === 'r' || event.key === '0') move(() => cameraFrom('anterior'), false);
    else return;
    event.preventDefault();
  };

  const error = status?.phase === 'error' ? status.message : null;
  const detail = frame ? frameDetail(frame) : null;
  return (
    <section className={props.active ? 'viewport-frame view3d-frame active' : 'viewport-frame view3d-frame'}>
      <header ref={titleRef} className={`viewport-title view3d-title fold-${fold}`}>
        <span>3D</span>
        <View3dControls
          dimensions={volume.header.dimensions}
          direction={volume.header.direction}
          preset={preset}
          clip={clip}
          showLabels={showLabels}
          hasLabels={props.labels !== null}
          onPreset={setPreset}
          onView={(view) => move(() => cameraFrom(view), false)}
          onClip={setClip}
          onShowLabels={setShowLabels}
          fold={fold}
          frameDetail={detail}
        />
        {frame && fold === 0 && (
          <details className="view3d-details" data-testid="view3d-quality" data-quality={frame.quality}>
            <summary>Details</summary>
            <p>{detail}</p>
          </details>
        )}
      </header>
      <div
        ref={stageRef}
        className="viewport-stage view3d-stage"
        data-testid="viewport-3d"
        tabIndex={0}
        role="application"
        aria-roledescription="3D view"
        aria-label="3D view"
        onFocus={props.onActivate}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (dragRef.current = null)}
        onPointerCancel={() => (dragRef.current = null)}
        onContextMenu={(event) => event.preventDefault()}
        onKeyDown={onKeyDown}
      >
        {status?.phase === 'loading' && (
          <div className="view3d-message" data-testid="view3d-loading">
            Preparing the 3D view… {Math.round(status.fraction * 100)} %
          </div>
        )}
        {error && (
          <div className="view3d-message view3d-error" data-testid="view3d-unavailable" role="alert">
            The 3D view is not available: {error}.
          </div>
        )}
      </div>
    </section>
  );
}

interface StartCallbacks {
  readonly onStatus: (status: Load3dStatus) => void;
  readonly onFrame: (report: FrameReport) => void;
  /** The controller once drawing works (again, after a restored WebGL context), and null when it stops. */
  readonly onController: (controller: View3dController | null) => void;
}

/**
 * Starts the 3D view in its stage: a canvas of its own (so its WebGL context
 * can be let go at once when the view goes), the renderer and its
 * controller, size and wheel following, and the test port. Returns the
 * teardown. Without WebGL2 it reports the reason through onStatus. When the
 * GPU drops the context (a driver reset), the view says so; once the browser
 * restores it, a new renderer and controller start on the same canvas with
 * the camera they had, and onController hands the new controller over to be
 * given the scene again.
 */
function startView3d(stage: HTMLDivElement, callbacks: StartCallbacks): () => void {
  const canvas = document.createElement('canvas');
  canvas.className = 'view3d-canvas';
  canvas.dataset['testid'] = 'view3d-canvas';
  stage.prepend(canvas);
  let controller: View3dController | null = null;
  let stopTestPort: (() => void) | undefined;
  const follow = (): void => controller?.resize(stage.clientWidth, stage.clientHeight, window.devicePixelRatio || 1);
  const start = (camera: OrbitCamera): void => {
    try {
      controller = new View3dController(new VolumeRenderer3d(canvas), stage, camera, callbacks.onStatus, callbacks.onFrame);
    } catch (error) {
      callbacks.onStatus({ phase: 'error', message: error instanceof Volume3dError ? error.message : `the 3D view could not start: ${String(error)}` });
      return;
    }
    stopTestPort = testPort?.view3dStarted(controller);
    follow();
    callbacks.onController(controller);
  };
  /** Stops the controller: `release` gives its context back (the view goes); otherwise the restored context stays for the next one. */
  const stop = (release: boolean): void => {
    stopTestPort?.();
    stopTestPort = undefined;
    if (!controller) return;
    callbacks.onController(null);
    if (release) controller.destroy();
    else controller.abandon();
    controller = null;
  };
  const lost = (event: Event): void => {
    // Without preventDefault the browser never restores the context.
    event.preventDefault();
    callbacks.onStatus({ phase: 'error', message: contextLostMessage });
  };
  const restored = (): void => {
    const camera = controller?.camera ?? cameraFrom('anterior');
    stop(false);
    start(camera);
  };
  canvas.addEventListener('webglcontextlost', lost);
  canvas.addEventListener('webglcontextrestored', restored);
  start(cameraFrom('anterior'));
  const resize = new ResizeObserver(follow);
  resize.observe(stage);
  const wheel = (event: WheelEvent): void => {
    event.preventDefault();
    if (controller && event.deltaY !== 0) controller.setCamera(zoomCamera(controller.camera, event.deltaY < 0 ? 1.1 : 1 / 1.1), true);
  };
  stage.addEventListener('wheel', wheel, { passive: false });
  return () => {
    stage.removeEventListener('wheel', wheel);
    resize.disconnect();
    canvas.removeEventListener('webglcontextlost', lost);
    canvas.removeEventListener('webglcontextrestored', restored);
    stop(true);
    canvas.remove();
  };
}
