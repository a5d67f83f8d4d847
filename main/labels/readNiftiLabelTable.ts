import { inflateInto } from '../io/inflateInto.js';
import { readFileRegion } from '../io/readFileRegion.js';
import type { Segment } from '../segmentation/segmentColours.js';
import { sanitiseLabelName } from './sanitiseLabelName.js';

/** The most header-extension bytes read: TotalSegmentator's 117-class table is 12.8 kB. */
const maxExtensionBytes = 1024 ** 2;

/**
 * The label table a NIfTI file carries in a Caret XML header extension (`<CaretExtension>…<LabelTable>
 * <Label Key="1" Red="0" Green="1" Blue="0" Alpha="1"><![CDATA[spleen]]></Label>`), as Connectome Workbench
 * writes with extension code 30 and TotalSegmentator v2 writes (code 0) into every label map it saves.
 * Colours are 0–1 in the file. Only the extensions are read (at most 1 MiB, inflated no further for a
 * `.nii.gz`); values, colours and names are checked as in any hostile text. Never throws: a file without
 * such a table, or one that cannot be read, gives [] (the volume's reader reports a damaged file).
 */
export async function readNiftiLabelTable(path: string): Promise<Segment[]> {
  try {
    const extensions = await readExtensionBytes(path);
    return extensions ? parseCaretLabelTable(new TextDecoder('utf-8').decode(extensions)) : [];
  } catch {
    return [];
  }
}

/** The bytes between the header's extension flag and the voxels, or undefined when the flag says there are none. */
async function readExtensionBytes(path: string): Promise<Uint8Array | undefined> {
  const start = await readFileRegion(path, 0, 544);
  const gzipped = start[0] === 0x1f && start[1] === 0x8b;
  let range: { offset: number; size: number } | undefined;
  const rangeFromHeader = (header: Uint8Array): { offset: number; size: number } => {
    range = extensionRange(header);
    return range ?? { offset: 0, size: 0 };
  };
  if (gzipped) {
    const { bytes } = await inflateInto({ path, headerBytes: 544, rangeFromHeader });
    return range ? bytes : undefined;
  }
  const found = rangeFromHeader(start);
  return range ? readFileRegion(path, found.offset, found.size) : undefined;
}

/** Where a NIfTI-1 or -2 header's extensions lie (capped), from sizeof_hdr, the extension flag and vox_offset. */
function extensionRange(header: Uint8Array): { offset: number; size: number } | undefined {
  if (header.length < 352) return undefined;
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const little = view.getInt32(0, true) === 348 || view.getInt32(0, true) === 540;
  const size = view.getInt32(0, little);
  if (size !== 348 && size !== 540) return undefined;
  if (size === 540 && header.length < 544) return undefined;
  if (header[size] === 0) return undefined;
  const voxOffset = size === 348 ? view.getFloat32(108, little) : Number(view.getBigInt64(168, little));
  const extensions = Math.min(voxOffset - size - 4, maxExtensionBytes);
  return Number.isFinite(extensions) && extensions >= 8 ? { offset: size + 4, size: Math.floor(extensions) } : undefined;
}

/** The `<Label>` elements of a Caret `<LabelTable>`, background (Key 0) skipped, the first of a repeated key kept. */
export function parseCaretLabelTable(xml: string): Segment[] {
  // indexOf, and a CDATA of bounded length, so hostile XML (thousands of unclosed tags) costs linear time, never quadratic.
  const start = xml.indexOf('<LabelTable>');
  const end = xml.indexOf('</LabelTable>', start);
  if (start < 0 || end < 0) return [];
  const table = xml.slice(start, end);
  const byValue = new Map<number, Segment>();
  for (const match of table.matchAll(/<Label\s([^>]{0,512})>\s*(?:<!\[CDATA\[([\s\S]{0,1024}?)\]\]>|([^<]{0,1024}))\s*<\/Label>/g)) {
    const attribute = (name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(match[1]!)?.[1];
    const key = attribute('Key') ?? '';
    const value = /^\d{1,5}$/.test(key) ? Number(key) : 0;
    if (value < 1 || value > 65535 || byValue.has(value)) continue;
    const channels = ['Red', 'Green', 'Blue'].map((c) => Number(attribute(c)));
    const colour = channels.every((c) => c >= 0 && c <= 1) ? (channels.map((c) => Math.round(c * 255)) as [number, number, number]) : null;
    const name = sanitiseLabelName(match[2] ?? decodeEntities(match[3] ?? ''));
    if (name && colour) byValue.set(value, { value, name, colour });
  }
  return [...byValue.values()].sort((a, b) => a.value - b.value);
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five named entities; anything else is left as written. */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => entities[name]!);
}
