import type { FrameRecord } from '../../e2e/pages/pageShapes.js';
import { formatMprSection } from './formatMprSection.js';
import type { MprCases } from './measureMpr.js';
import { formatView3dSection } from './formatView3dSection.js';
import type { View3dBench } from './measureView3d.js';
import type { OpenTiming } from './measureOpen.js';
import type { TripTiming } from './measureTrip.js';
import { summarise } from './summarise.js';

export interface OpenCase {
  readonly name: string;
  readonly size: string;
  readonly bytes: number;
  /** Every run in order; the first is the cold one. */
  readonly runs: readonly OpenTiming[];
}

export interface ScrollCase {
  readonly volume: string;
  readonly view: string;
  readonly input: string;
  readonly frames: readonly FrameRecord[];
}

export interface ViewerReport {
  readonly opens: readonly OpenCase[];
  readonly scrolls: readonly ScrollCase[];
  /** Oblique MPR and slab frame times, when measured. */
  readonly mpr?: MprCases;
  /** The 3D view's frame times, when measured. */
  readonly view3d?: View3dBench;
  readonly trip: TripTiming;
  readonly frameGoalMs: number;
  readonly environment: readonly string[];
}

const ms = (v: number): string => v.toFixed(1);
const mbps = (bytes: number, millis: number): string => `${(bytes / 1e6 / (millis / 1e3)).toFixed(0)} MB/s`;

/** The markdown of bench-results/viewer.md. */
export function formatViewerReport(report: ViewerReport): string {
  return [
    '# Viewer benchmark',
    '',
    '`npm run bench:viewer`: the built renderer in headless Chromium, connected to the real main-process services by the loopback test host ' +
      "(HTTP on 127.0.0.1 standing in for Electron's IPC and `axial-data:` protocol), page 1400×900 CSS px, three views. " +
      'Times in ms, taken in the page with `performance.now()` unless said otherwise.',
    '',
    ...formatOpens(report.opens),
    ...formatScrolls(report.scrolls),
    ...(report.mpr ? formatMprSection(report.mpr, report.frameGoalMs) : []),
    ...(report.view3d ? formatView3dSection(report.view3d) : []),
    ...formatTrip(report.trip),
    ...formatGoals(report),
    ...report.environment.map((line) => `- ${line}`),
    '',
  ].join('\n');
}

function formatOpens(opens: readonly OpenCase[]): string[] {
  const rows = opens.map((c) => {
    const later = c.runs.slice(1);
    const s = (pick: (t: OpenTiming) => number): string => ms(summarise(later.map(pick)).median);
    const first = summarise(later.map((t) => t.firstDrawnMs));
    return (
      `| ${c.name} | ${c.size} | ${ms(c.runs[0]!.firstDrawnMs)} | **${ms(first.median)}** (${ms(first.min)}–${ms(first.max)}) ` +
      `| ${s((t) => t.allDrawnMs)} | ${s((t) => t.scanMs)} ` +
      `| ${s((t) => t.loadMs)} | ${s((t) => t.fetchMs)} | ${s((t) => t.toDrawMs)} |`
    );
  });
  const n = opens[0] ? opens[0].runs.length - 1 : 0;
  return [
    '## Open → first drawn slice',
    '',
    `From the click on Open (the host answers the dialog at once) to the first view's first draw, in a freshly loaded page each time; ` +
      `the first run after the host starts is shown apart, then the median (min–max) of the next ${n}. ` +
      `The parts are the page's Resource Timing of its own calls.`,
    '',
    '| input | voxels | first run | median | all three views | scan (`volume:open`) | decode (`volume:load`) | fetch voxels | last byte → first draw |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}

/** Input → drawn: from the page's capture listener seeing the event to the view's data-rendered changing. */
const inputToDrawn = (f: FrameRecord): number => f.renderedAt - f.inputAt;

function formatScrolls(scrolls: readonly ScrollCase[]): string[] {
  const rows = scrolls.map((c) => {
    const latency = summarise(c.frames.map(inputToDrawn));
    const fromStamp = summarise(c.frames.map((f) => f.renderedAt - f.eventStamp));
    const work = summarise(c.frames.map((f) => f.prepareMs + f.drawMs));
    const prepare = summarise(c.frames.map((f) => f.prepareMs));
    const draw = summarise(c.frames.map((f) => f.drawMs));
    return (
      `| ${c.volume} | ${c.view} (${c.input}) | ${latency.n} | ${ms(latency.median)} | **${ms(latency.p95)}** | ${ms(latency.max)} ` +
      `| ${ms(fromStamp.median)} / ${ms(fromStamp.p95)} | ${ms(work.median)} / ${ms(work.p95)} | ${ms(prepare.p95)} | ${ms(draw.p95)} |`
    );
  });
  return [
    '## Frame times while scrolling, mask shown',
    '',
    'One slice per input event (a key press in the view, or one wheel notch over it, sent by Playwright as real input); ' +
      'the next event goes once the view has drawn, after a random 0–16.7 ms pause ' +
      "so that events fall at random points of the 60 Hz frame clock, as a user's do. " +
      "**Input → drawn**: from the page's capture listener on `document` seeing the event (`performance.now()`) to the view's `data-rendered` changing. " +
      'From `event.timeStamp`: the same, from when Chromium created the event, so including its own input pipeline. ' +
      'Prepare: the renderer cutting the slice and labels and handing them to cornerstone (`timing.prepareMs`); ' +
      "draw: cornerstone's own draw (`timing.drawMs`).",
    '',
    '| volume, mask | view (input) | frames | input → drawn median | p95 | max ' +
      '| from event.timeStamp median / p95 | prepare + draw median / p95 | prepare p95 | draw p95 |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Cornerstone draws in `requestAnimationFrame`, so a key press waits for the next frame (0–16.7 ms at 60 Hz, median about 8) before the draw. ' +
      'The wheel handler is a native listener whose React update is scheduled after the frame it arrived in, ' +
      'so a wheel notch is drawn one whole frame later (about 17 ms every time); ' +
      'Chromium also holds wheel events for about 20–30 ms before dispatching them (the gap between the two latency columns), ' +
      'which no page code can change.',
    '',
  ];
}

function formatTrip(trip: TripTiming): string[] {
  const fetch = summarise(trip.fetchMs);
  const slice = summarise(trip.sliceMs);
  const fresh = summarise(trip.copyFreshMs);
  const warm = summarise(trip.copyWarmMs);
  return [
    "## The volume's trip from main to the renderer",
    '',
    `The 512×512×300 volume's voxels (${(trip.bytes / 2 ** 20).toFixed(1)} MiB): \`fetch(dataUrl)\` → \`arrayBuffer()\` in the page, ` +
      `as the renderer loads them, against a plain memcpy of as many bytes. ` +
      `Median (min–max) of ${fetch.n}.`,
    '',
    '| | ms | throughput | × memcpy (Buffer.copy, fresh) |',
    '|---|---|---|---|',
    `| fetch → ArrayBuffer in the page | ${ms(fetch.median)} (${ms(fetch.min)}–${ms(fetch.max)}) ` +
      `| ${mbps(trip.bytes, fetch.median)} | ${(fetch.median / fresh.median).toFixed(1)} |`,
    `| ArrayBuffer.slice(0) in the page | ${ms(slice.median)} (${ms(slice.min)}–${ms(slice.max)}) ` +
      `| ${mbps(trip.bytes, slice.median)} | ${(slice.median / fresh.median).toFixed(1)} |`,
    `| Buffer.copy in Node, into a fresh Buffer | ${ms(fresh.median)} (${ms(fresh.min)}–${ms(fresh.max)}) | ${mbps(trip.bytes, fresh.median)} | 1.0 |`,
    `| Buffer.copy in Node, into a reused Buffer | ${ms(warm.median)} (${ms(warm.min)}–${ms(warm.max)}) ` +
      `| ${mbps(trip.bytes, warm.median)} | ${(warm.median / fresh.median).toFixed(1)} |`,
    '',
  ];
}

function formatGoals(report: ViewerReport): string[] {
  const rows = report.scrolls.map((c) => {
    const p95 = summarise(c.frames.map(inputToDrawn)).p95;
    return (
      `| p95 frame time under ${report.frameGoalMs} ms: ${c.volume}, ${c.view} ` +
      `| input → drawn p95 ${ms(p95)} ms | **${p95 < report.frameGoalMs ? 'met' : 'missed'}** |`
    );
  });
  const work = summarise(report.scrolls.flatMap((c) => c.frames.map((f) => f.prepareMs + f.drawMs))).p95;
  const budget =
    `| the renderer's own work per frame (prepare + draw) within ${report.frameGoalMs} ms, all ${report.scrolls.length} scrolls ` +
    `| p95 ${ms(work)} ms | **${work < report.frameGoalMs ? 'met' : 'missed'}** |`;
  return ['## Goal', '', '| goal | figure | |', '|---|---|---|', ...rows, budget, ''];
}
