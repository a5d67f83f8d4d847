/** What recording a cine needs from the view: its canvas and a way to show one slice and wait until it is drawn. */
export interface CineSource {
  readonly canvas: HTMLCanvasElement;
  /** Shows `slice` (a slice-axis index) and resolves once it is on the canvas. */
  show(slice: number): Promise<void>;
}

/** A canvas capture track whose frames are taken on request (captureStream(0)). */
type RequestableTrack = MediaStreamTrack & { requestFrame(): void };

/**
 * Records the view stepping through `slices` as a WebM movie with the
 * browser's MediaRecorder: one captured frame per slice, held 1/fps seconds.
 * @throws Error when the browser cannot record WebM.
 */
export async function recordCine(source: CineSource, slices: readonly number[], fps: number): Promise<Uint8Array<ArrayBuffer>> {
  const mimeType = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((m) => MediaRecorder.isTypeSupported(m));
  if (!mimeType) throw new Error('this browser cannot record WebM video');
  const stream = source.canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as RequestableTrack | undefined;
  if (!track) throw new Error('the view cannot be captured');
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 8_000_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  recorder.start();
  try {
    for (const slice of slices) {
      await source.show(slice);
      track.requestFrame();
      await new Promise((resolve) => setTimeout(resolve, 1000 / fps));
    }
  } finally {
    recorder.stop();
    track.stop();
  }
  await stopped;
  return new Uint8Array(await new Blob(chunks, { type: mimeType }).arrayBuffer());
}
