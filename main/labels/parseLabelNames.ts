import { sanitiseLabelName } from './sanitiseLabelName.js';
import type { Segment } from '../segmentation/segmentColours.js';

/** What a label name file gave: its segments (by value), or why it was not used. */
export type ParsedLabelNames =
  | { readonly ok: true; readonly format: 'itk-snap' | 'slicer'; readonly segments: Segment[]; readonly warnings: string[] }
  | { readonly ok: false; readonly reason: string };

/** Files larger than this are refused before reading: ITK-SNAP's and Slicer's tables of 65535 labels stay under 4 MiB. */
export const maxLabelFileBytes = 4 * 1024 ** 2;
const maxLines = 70_000;
const maxLabelValue = 65535;

/**
 * Parses an ITK-SNAP label description file (`IDX -R- -G- -B- -A-- VIS MSH "LABEL"`, colours 0–255,
 * the label in double quotes) or a 3D Slicer colour table (`.ctbl`/`.txt`: `value name R G B A`, colours
 * 0–255, extra columns ignored), '#' starting a comment in both. The text is hostile: the byte and line
 * counts are capped, values and colours range-checked, names sanitised ({@link sanitiseLabelName}).
 * Label 0 (background, ITK-SNAP's "Clear Label") is skipped; a bad line is skipped with a warning; a value
 * given twice keeps its first line. Never throws: a file that gives nothing usable is `ok: false`, with why.
 */
export function parseLabelNames(bytes: Uint8Array): ParsedLabelNames {
  if (bytes.byteLength > maxLabelFileBytes)
    return { ok: false, reason: `is ${bytes.byteLength} bytes, over the ${maxLabelFileBytes}-byte limit for a label table` };
  if (bytes.includes(0)) return { ok: false, reason: 'is not a text file' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > maxLines) return { ok: false, reason: `has ${lines.length} lines, over the ${maxLines}-line limit for a label table` };
  const byValue = new Map<number, Segment>();
  const bad: number[] = [];
  let duplicates = 0;
  let itkSnap = 0;
  lines.forEach((line, n) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parsed = trimmed.includes('"') ? parseItkSnapLine(trimmed) : parseSlicerLine(trimmed);
    if (!parsed) return void bad.push(n + 1);
    if (trimmed.includes('"')) itkSnap++;
    if (parsed.value === 0) return;
    if (byValue.has(parsed.value)) duplicates++;
    else byValue.set(parsed.value, parsed);
  });
  if (byValue.size === 0) {
    return { ok: false, reason: bad.length > 0 ? `has no readable label line (line ${bad[0]} is not one)` : 'names no labels' };
  }
  const warnings: string[] = [];
  if (bad.length > 0) warnings.push(`${bad.length} unreadable line(s) skipped, the first line ${bad[0]}`);
  if (duplicates > 0) warnings.push(`${duplicates} label value(s) given twice; the first kept`);
  const segments = [...byValue.values()].sort((a, b) => a.value - b.value);
  return { ok: true, format: itkSnap > 0 ? 'itk-snap' : 'slicer', segments, warnings };
}

/** `IDX R G B A VIS MSH "LABEL"`: seven numbers, then the quoted label. */
function parseItkSnapLine(line: string): Segment | null {
  const match = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+"([^"]*)"\s*$/.exec(line);
  if (!match) return null;
  const value = labelValue(match[1]!);
  const colour = colourOf(match[2]!, match[3]!, match[4]!);
  const alpha = Number(match[5]);
  if (value === null || !colour || !(alpha >= 0 && alpha <= 1) || !isFlag(match[6]!) || !isFlag(match[7]!)) return null;
  return { value, name: sanitiseLabelName(match[8]!) || `Label ${value}`, colour };
}

/** `value name R G B A [more]`: Slicer writes names without spaces. */
function parseSlicerLine(line: string): Segment | null {
  const fields = line.split(/\s+/);
  if (fields.length < 6) return null;
  const value = labelValue(fields[0]!);
  const colour = colourOf(fields[2]!, fields[3]!, fields[4]!);
  const alpha = Number(fields[5]);
  if (value === null || !colour || !(alpha >= 0 && alpha <= 255)) return null;
  return { value, name: sanitiseLabelName(fields[1]!) || `Label ${value}`, colour };
}

function labelValue(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const value = Number(text);
  return value <= maxLabelValue ? value : null;
}

function colourOf(r: string, g: string, b: string): [number, number, number] | null {
  const channels = [r, g, b].map((c) => (/^\d{1,3}$/.test(c) ? Number(c) : NaN));
  return channels.every((c) => c >= 0 && c <= 255) ? (channels as [number, number, number]) : null;
}

function isFlag(text: string): boolean {
  return text === '0' || text === '1';
}
