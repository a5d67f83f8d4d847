import { gunzipSync, gzipSync } from 'node:zlib';

/** One way of damaging a file's bytes, drawing its choices from `next` (uniform in [0, 1)); returns new bytes. */
export type Mutation = (bytes: Uint8Array, next: () => number) => Uint8Array;

/** Values a header's size or offset field most often breaks on. */
const edgeIntegers = [0, 1, 2, 3, 4, 8, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

const pick = <T>(values: readonly T[], next: () => number): T => values[Math.floor(next() * values.length)]!;

/** Where headers live: most fields worth breaking are in a file's first kilobytes. */
const headerSpan = 4096;

/**
 * The mutations of the readers' fuzzing (the spec and `npm run fuzz`). Each copies: a Buffer's
 * slice() is a view, so callers pass a Uint8Array and the original is never changed.
 */
export const byteMutations: Readonly<Record<string, Mutation>> = {
  truncate: (b, next) => b.slice(0, Math.floor(next() * b.length)),
  flipHeaderBytes: (b, next) => {
    const out = b.slice();
    const span = Math.min(out.length, headerSpan);
    for (let n = 0; n < 1 + next() * 8; n++) out[Math.floor(next() * span)] = Math.floor(next() * 256);
    return out;
  },
  flipAnyBytes: (b, next) => {
    const out = b.slice();
    for (let n = 0; n < 1 + next() * 32; n++) out[Math.floor(next() * out.length)] = Math.floor(next() * 256);
    return out;
  },
  largeInteger: (b, next) => {
    const out = b.slice();
    if (out.length < 4) return out;
    const view = new DataView(out.buffer);
    const at = Math.floor(next() * Math.min(out.length - 4, headerSpan / 2));
    view.setUint32(at, pick(edgeIntegers, next), next() < 0.8);
    return out;
  },
  edgeShort: (b, next) => {
    const out = b.slice();
    if (out.length < 2) return out;
    const view = new DataView(out.buffer);
    for (let n = 0; n < 1 + next() * 3; n++)
      view.setUint16(Math.floor(next() * Math.min(out.length - 2, headerSpan / 2)), pick(edgeIntegers, next) & 0xffff, next() < 0.8);
    return out;
  },
  /** Inserts a copy of a run of bytes, or deletes one: every later offset moves. */
  splice: (b, next) => {
    const at = Math.floor(next() * b.length);
    const length = Math.floor(next() * 256);
    const kept = next() < 0.5 ? [b.subarray(0, at), b.subarray(at, at + length), b.subarray(at)] : [b.subarray(0, at), b.subarray(at + length)];
    const out = new Uint8Array(kept.reduce((n, part) => n + part.length, 0));
    kept.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
    return out;
  },
  /** Rewrites digits and separators of a header's text numbers (DICOM DS/IS, NRRD fields) with signs, exponents and more digits. */
  numberText: (b, next) => {
    const out = b.slice();
    const span = Math.min(out.length, headerSpan);
    const replacements = '-.e9\\ 0+E';
    let changed = 0;
    for (let tries = 0; tries < 4000 && changed < 1 + next() * 3; tries++) {
      const at = Math.floor(next() * span);
      const c = out[at]!;
      if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x5c) {
        out[at] = replacements.charCodeAt(Math.floor(next() * replacements.length));
        changed++;
      }
    }
    return out;
  },
};

/**
 * One mutation, chosen by `next`, of a file named `name`: a `.gz` file's content is mutated and
 * compressed again four times in five, so that the reader behind the inflate is reached.
 */
export function mutateFile(bytes: Uint8Array, name: string, next: () => number): { bytes: Uint8Array; mutation: string } {
  const names = Object.keys(byteMutations);
  const mutation = pick(names, next);
  const inside = name.endsWith('.gz') && next() < 0.8;
  if (!inside) return { bytes: byteMutations[mutation]!(bytes, next), mutation };
  const mutated = byteMutations[mutation]!(new Uint8Array(gunzipSync(bytes)), next);
  return { bytes: new Uint8Array(gzipSync(mutated, { level: 1 })), mutation: `${mutation} inside the gzip stream` };
}
