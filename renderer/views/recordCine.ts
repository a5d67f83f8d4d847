import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Output, WebMOutputFormat } from 'mediabunny';

/** What recording a cine needs from the view: its canvas and a way to show one frame and wait until it is drawn. */
export interface CineSource {
  readonly canvas: HTMLCanvasElement;
  /** Shows frame `frame` (a slice or a time point) and resolves once it is on the canvas; rejects to stop the recording. */
  show(frame: number): Promise<void>;
  /** Why the recording must stop now (a cancel), checked while waiting for the encoder too; null to go on. */
  interrupted?(): Error | null;
}

/** The codecs tried, best first: WebCodecs' codec string and the muxer's name for it. */
const codecs = [
  { config: 'vp09.00.10.08', muxer: 'vp9' },
  { config: 'vp8', muxer: 'vp8' },
] as const;

/** Frames waiting in the encoder before the next one is drawn (keeps memory flat on long recordings). */
const maxQueued = 4;

/**
 * Records `frames` frames of the view as a WebM movie at exactly `fps`: each frame is drawn,
 * taken from the canvas as a WebCodecs VideoFrame stamped n/fps seconds and lasting 1/fps,
 * encoded (VP9, else VP8) and muxed by mediabunny. Unlike a canvas capture stream, every frame
 * is kept (the first and the last, and a single one) and the movie's timing is the chosen rate,
 * not the time drawing took.
 * @throws Error when this browser cannot encode VP8/VP9, or whatever `source.show` rejects with.
 */
export async function recordCine(source: CineSource, frames: number, fps: number): Promise<Uint8Array<ArrayBuffer>> {
  const { width, height } = source.canvas;
  const codec = await pickCodec(width, height, fps);
  const target = new BufferTarget();
  const output = new Output({ format: new WebMOutputFormat(), target });
  const track = new EncodedVideoPacketSource(codec.muxer);
  output.addVideoTrack(track, { frameRate: fps });
  await output.start();
  let failure: unknown = null;
  // Packets go to the muxer one at a time, in the order the encoder gives them.
  let muxed = Promise.resolve();
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      muxed = muxed.then(() => track.add(EncodedPacket.fromEncodedChunk(chunk), meta));
    },
    error: (error) => (failure = error),
  });
  const stopIfInterrupted = (): void => {
    const stop = source.interrupted?.() ?? null;
    if (stop) throw stop;
  };
  try {
    encoder.configure({ codec: codec.config, width, height, framerate: fps, bitrate: 8_000_000 });
    for (let n = 0; n < frames; n++) {
      await source.show(n);
      if (failure) throw failure;
      const frame = new VideoFrame(source.canvas, { timestamp: Math.round((n * 1e6) / fps), duration: Math.round(1e6 / fps) });
      encoder.encode(frame, { keyFrame: n % Math.max(1, Math.round(fps * 2)) === 0 });
      frame.close();
      while (encoder.encodeQueueSize > maxQueued) {
        stopIfInterrupted();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    await encoder.flush();
    await muxed;
    if (failure) throw failure;
    await output.finalize();
  } catch (error) {
    if (encoder.state !== 'closed') encoder.close();
    // A packet the muxer refused is already part of why this stopped: its rejection must not go unhandled.
    await muxed.catch(() => undefined);
    await output.cancel();
    throw error;
  }
  encoder.close();
  return new Uint8Array(target.buffer!);
}

async function pickCodec(width: number, height: number, fps: number): Promise<(typeof codecs)[number]> {
  if (typeof VideoEncoder === 'undefined') throw new Error('this viewer cannot encode video on this computer');
  for (const codec of codecs) {
    const support = await VideoEncoder.isConfigSupported({ codec: codec.config, width, height, framerate: fps });
    if (support.supported) return codec;
  }
  throw new Error(`this viewer cannot encode a ${width}×${height} video on this computer`);
}
