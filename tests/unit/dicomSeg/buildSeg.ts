import { element, part10, text, us } from '../dicom/buildPart10.js';

/** One frame of a hand-built SEG. */
export interface BuiltFrame {
  readonly segment?: number;
  readonly position?: readonly [number, number, number];
  readonly source?: string;
}

/** What a hand-built SEG holds; everything but `frames` and `pixelData` has a default. */
export interface BuiltSeg {
  readonly transferSyntax?: string;
  readonly sopClass?: string;
  readonly segmentationType?: string;
  readonly rows?: number;
  readonly columns?: number;
  readonly bitsAllocated?: number;
  /** NumberOfFrames as written; `frames.length` by default. */
  readonly numberOfFrames?: number;
  readonly maximumFractionalValue?: number;
  /** SegmentSequence entries; undefined writes none at all. */
  readonly segments?: readonly { number: number; label: string; lab?: readonly [number, number, number] }[] | undefined;
  readonly orientation?: readonly number[];
  readonly pixelSpacing?: readonly [number, number];
  readonly frameOfReferenceUid?: string;
  readonly frames: readonly BuiltFrame[];
  /** The bytes of (7FE0,0010), padded to even length here. */
  readonly pixelData: readonly number[];
}

const uint32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

/** A sequence item of explicit length: (FFFE,E000), its length, its elements. */
function item(...elements: number[][]): number[] {
  const content = elements.flat();
  return [0xfe, 0xff, 0x00, 0xe0, ...uint32(content.length), ...content];
}

/** A sequence (VR SQ, explicit length) of the given items. */
function sequence(tag: number, ...items: number[][]): number[] {
  return element(tag, 'SQ', items.flat());
}

const ds = (values: readonly number[]): number[] => text(values.join('\\'), 'DS');

function code(tag: number, value: string, scheme: string, meaning: string): number[] {
  return sequence(
    tag,
    item(element(0x00080100, 'SH', text(value, 'SH')), element(0x00080102, 'SH', text(scheme, 'SH')), element(0x00080104, 'LO', text(meaning, 'LO'))),
  );
}

/**
 * A Segmentation object in Explicit VR Little Endian built element by element (ascending tags,
 * sequences and items of explicit length), for cases no real file shows: frames that start
 * inside a byte, and each way a SEG can be malformed.
 */
export function buildSeg(seg: BuiltSeg): Uint8Array {
  const segments =
    seg.segments === undefined
      ? []
      : [
          sequence(
            0x00620002,
            ...seg.segments.map((s) =>
              item(
                code(0x00620003, '85756007', 'SCT', 'Tissue'),
                element(0x00620004, 'US', us(s.number)),
                element(0x00620005, 'LO', text(s.label, 'LO')),
                element(0x00620008, 'CS', text('MANUAL')),
                s.lab ? element(0x0062000d, 'US', s.lab.flatMap(us)) : [],
                code(0x0062000f, '85756007', 'SCT', 'Tissue'),
              ),
            ),
          ),
        ];
  const perFrame = seg.frames.map((f) =>
    item(
      f.source ? sequence(0x00089124, item(sequence(0x00082112, item(element(0x00081155, 'UI', text(f.source, 'UI')))))) : [],
      f.position ? sequence(0x00209113, item(element(0x00200032, 'DS', ds(f.position)))) : [],
      f.segment !== undefined ? sequence(0x0062000a, item(element(0x0062000b, 'US', us(f.segment)))) : [],
    ),
  );
  const pixels = [...seg.pixelData];
  if (pixels.length % 2 === 1) pixels.push(0);
  const type = seg.segmentationType ?? 'BINARY';
  return part10(
    seg.transferSyntax ?? '1.2.840.10008.1.2.1',
    element(0x00080016, 'UI', text(seg.sopClass ?? '1.2.840.10008.5.1.4.1.1.66.4', 'UI')),
    element(0x00080018, 'UI', text('1.2.3.4.5', 'UI')),
    element(0x00200052, 'UI', text(seg.frameOfReferenceUid ?? '1.2.3.9', 'UI')),
    element(0x00280008, 'IS', text(String(seg.numberOfFrames ?? seg.frames.length), 'IS')),
    element(0x00280010, 'US', us(seg.rows ?? 3)),
    element(0x00280011, 'US', us(seg.columns ?? 3)),
    element(0x00280100, 'US', us(seg.bitsAllocated ?? (type === 'BINARY' ? 1 : 8))),
    element(0x00620001, 'CS', text(type)),
    ...segments,
    seg.maximumFractionalValue !== undefined ? element(0x0062000e, 'US', us(seg.maximumFractionalValue)) : [],
    sequence(
      0x52009229,
      item(
        sequence(0x00209116, item(element(0x00200037, 'DS', ds(seg.orientation ?? [1, 0, 0, 0, 1, 0])))),
        sequence(0x00289110, item(element(0x00280030, 'DS', ds(seg.pixelSpacing ?? [1, 1])))),
      ),
    ),
    sequence(0x52009230, ...perFrame),
    element(0x7fe00010, 'OB', pixels),
  );
}
