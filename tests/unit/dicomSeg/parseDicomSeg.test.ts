import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';
import { parseDicomSeg, type ParsedSeg } from '../../../main/dicomSeg/parseDicomSeg.js';
import { expectAxialError } from '../../expectAxialError.js';
import { seededRandom } from '../../seededRandom.js';
import { hasSharedData, noSharedDataReason } from '../../sharedData.js';
import { element, text } from '../dicom/buildPart10.js';
import { buildSeg } from './buildSeg.js';
import { pydicomFrames, segData } from './pydicomSeg.js';

const parseFile = (relative: string): ParsedSeg => parseDicomSeg(readFileSync(segData(relative)), relative);

/** Expects parseDicomSeg to throw an AxialError of `code` whose message matches `message`. */
function expectParseError(bytes: Uint8Array, code: string, message: RegExp): Promise<AxialError> {
  return expectAxialError(
    Promise.resolve().then(() => parseDicomSeg(bytes, 'hand-built.dcm')),
    code,
    message,
  );
}

/** Every frame's pixels, segment, position and source as pydicom decodes them, and the non-zero pixel count. */
function expectFramesAsPydicom(seg: ParsedSeg, relative: string): number {
  const reference = pydicomFrames(segData(relative));
  expect(seg.frames.length).toBe(reference.length);
  let nonzero = 0;
  reference.forEach((frame, f) => {
    const ours = seg.frames[f]!;
    expect(ours.segmentNumber ?? null).toBe(frame.segment);
    expect(ours.sourceSopInstanceUid ?? null).toBe(frame.source);
    if (frame.position) frame.position.forEach((v, c) => expect(ours.position![c]).toBeCloseTo(v, 6));
    else expect(ours.position).toBeUndefined();
    const pixels = seg.readFrame(f);
    expect(pixels.length).toBe(seg.rows * seg.columns);
    const ourNonzero: number[] = [];
    pixels.forEach((v, p) => v !== 0 && ourNonzero.push(p));
    expect(ourNonzero).toEqual(frame.nonzero);
    expect(ourNonzero.map((p) => pixels[p])).toEqual(frame.values);
    nonzero += ourNonzero.length;
  });
  return nonzero;
}

describe.skipIf(!hasSharedData)(`parseDicomSeg on real SEG objects (${noSharedDataReason})`, () => {
  it('reads dcmqi liver.dcm: one SEMIAUTOMATIC segment on 3 frames of 512², exactly as pydicom does', () => {
    const seg = parseFile('dcmqi/liver.dcm');
    expect(seg).toMatchObject({ segmentationType: 'BINARY', rows: 512, columns: 512, pixelSpacing: [0.810547, 0.810547], orientation: [1, 0, 0, 0, 1, 0] });
    expect(seg.frameOfReferenceUid).toBe('1.2.392.200103.20080913.113635.3.2009.6.22.21.44.34.23882.1');
    expect(seg.referencedSeriesInstanceUid).toBe('1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1');
    // CIELab 41661\41167\40792 is sRGB (217, 130, 101): dcmjs 0.52's Colors.dicomlab2RGB8 (DCMTK's conversion) gives the same.
    expect(seg.segments).toEqual([
      {
        number: 1,
        label: 'Liver',
        algorithmType: 'SEMIAUTOMATIC',
        algorithmName: 'SlicerEditor',
        // An older dcmqi: SNOMED RT codes (SRT), kept as written.
        category: { value: 'T-D0050', scheme: 'SRT', meaning: 'Tissue' },
        type: { value: 'T-62000', scheme: 'SRT', meaning: 'Liver' },
        colour: [217, 130, 101],
      },
    ]);
    expect(seg.warnings).toEqual([]);
    // 36233 + 35645 + 35220 liver pixels on the three frames.
    expect(expectFramesAsPydicom(seg, 'dcmqi/liver.dcm')).toBe(107098);
  });

  it('reads dcmqi partial_overlaps.dcm: 5 segments on 7 frames, colours from CIELab', () => {
    const seg = parseFile('dcmqi/partial_overlaps.dcm');
    expect(seg.segments.map((s) => [s.number, s.label, s.type.meaning])).toEqual([
      [1, 'GREEN', 'Tissue'],
      [2, 'ORANGE', 'Artery'],
      [3, 'PURPLE', 'Capillary'],
      [4, 'LIGHT_BLUE', 'Edema'],
      [5, 'DARK_BLUE', 'Vein'],
    ]);
    // dcmjs's dicomlab2RGB8 of 43803\26565\37722, 37064\44082\41620, 45062\38660\25486, 55193\26619\30325, 38399\29410\23264.
    expect(seg.segments.map((s) => s.colour)).toEqual([
      [124, 175, 127],
      [212, 101, 79],
      [189, 155, 221],
      [145, 224, 228],
      [59, 150, 206],
    ]);
    expect(seg.frames.map((f) => f.segmentNumber)).toEqual([1, 2, 3, 3, 3, 4, 5]);
    expect(expectFramesAsPydicom(seg, 'dcmqi/partial_overlaps.dcm')).toBe(9602 + 11888 + 117 + 117 + 10509 + 6693 + 4713);
  });

  it('reads the LABELMAP sparse-labelmap-noppv.dcm (Label Map Segmentation Storage): Background is not a segment, pixels are segment numbers', () => {
    const seg = parseFile('dcmqi/sparse-labelmap-noppv.dcm');
    expect(seg).toMatchObject({ sopClassUid: '1.2.840.10008.5.1.4.1.1.66.7', segmentationType: 'LABELMAP', rows: 38, columns: 24, pixelSpacing: [0.7, 0.7] });
    expect(seg.backgroundNumbers).toEqual([0]);
    expect(seg.segments.map((s) => [s.number, s.label])).toEqual([[1, 'Liver']]);
    expect(seg.frames.map((f) => f.segmentNumber)).toEqual([undefined, undefined]);
    // Two frames 5 mm apart (SpacingBetweenSlices says 2.5): the empty slice between them is not stored.
    expect(seg.frames.map((f) => f.position)).toEqual([
      [46.464901, 5.0188098, -177.75],
      [46.464901, 5.0188098, -172.75],
    ]);
    expect(seg.readFrame(0)).toBeInstanceOf(Uint8Array);
    expect(expectFramesAsPydicom(seg, 'dcmqi/sparse-labelmap-noppv.dcm')).toBe(630);
  });

  it('reads highdicom BINARY, overlapping BINARY and FRACTIONAL objects (implicit VR) as pydicom does', () => {
    const binary = parseFile('highdicom/seg_image_ct_binary.dcm');
    expect(binary.segments.map((s) => [s.number, s.label, s.algorithmType, s.algorithmName])).toEqual([[1, 'first segment', 'AUTOMATIC', 'test']]);
    expect(binary.warnings).toEqual(["segment 1 (first segment) has no RecommendedDisplayCIELabValue; given a colour of Axial's"]);
    expect(expectFramesAsPydicom(binary, 'highdicom/seg_image_ct_binary.dcm')).toBe(127 + 256 + 255);

    const overlap = parseFile('highdicom/seg_image_ct_binary_overlap.dcm');
    expect(overlap.frames.map((f) => f.segmentNumber)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(expectFramesAsPydicom(overlap, 'highdicom/seg_image_ct_binary_overlap.dcm')).toBe(4 * 16 + 4 * 4);

    // Stored values 0 (107 pixels), 64 (23) and 128 (638) of MaximumFractionalValue 255: only 128 reaches 127.5.
    const fractional = parseFile('highdicom/seg_image_ct_true_fractional.dcm');
    expect(fractional.segmentationType).toBe('FRACTIONAL');
    expect(expectFramesAsPydicom(fractional, 'highdicom/seg_image_ct_true_fractional.dcm')).toBe(638);
  });

  it("refuses a truncated copy of liver.dcm with SEG_INVALID, the DICOM parser's error as its cause", async () => {
    const bytes = readFileSync(segData('dcmqi/liver.dcm'));
    const error = await expectParseError(
      bytes.subarray(0, bytes.length - 5000),
      'SEG_INVALID',
      /^hand-built\.dcm: cannot be read as DICOM \(DICOM_TRUNCATED\): .*ends early/,
    );
    expect((error.cause as AxialError).code).toBe('DICOM_TRUNCATED');
  });

  it('throws only AxialErrors on 600 damaged copies of an implicit VR SEG (bytes changed in the header, or cut short)', () => {
    const original = readFileSync(segData('highdicom/seg_image_ct_binary_overlap.dcm'));
    const random = seededRandom(20240601);
    const outcomes: Record<string, number> = {};
    for (let t = 0; t < 600; t++) {
      let bytes = new Uint8Array(original);
      if (t % 3 === 0) bytes = bytes.subarray(0, Math.floor(random() * original.length));
      else for (let n = 0; n < 1 + Math.floor(random() * 4); n++) bytes[Math.floor(random() * (original.length - 256))] = Math.floor(random() * 256);
      try {
        const seg = parseDicomSeg(bytes, 'damaged.dcm');
        seg.frames.forEach((_, f) => seg.readFrame(f));
        outcomes.read = (outcomes.read ?? 0) + 1;
      } catch (error) {
        expect(error).toBeInstanceOf(AxialError);
        const code = (error as AxialError).code;
        outcomes[code] = (outcomes[code] ?? 0) + 1;
      }
    }
    expect(Object.keys(outcomes).every((k) => ['SEG_INVALID', 'SEG_UNSUPPORTED', 'read'].includes(k))).toBe(true);
    expect(outcomes.SEG_INVALID).toBeGreaterThan(200);
    expect(outcomes.read).toBeGreaterThan(100);
  });

  it('refuses a CT image with SEG_INVALID: not a Segmentation', async () => {
    await expectParseError(readFileSync(segData('ct-3slice/01.dcm')), 'SEG_INVALID', /not a Segmentation: SOP class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2,/);
  });
});

describe('parseDicomSeg on hand-built SEG objects', () => {
  // Two 3×3 frames: frame 1 starts at bit 9, inside byte 1.
  // frame 0 (segment 1): 1 0 1 / 0 1 0 / 1 0 1; frame 1 (segment 2): 1 1 0 / 0 1 1 / 0 0 1.
  // Byte 0 = bits 0–7 = frame 0 pixels 0–7 = 0b01010101; byte 1 = frame 0 pixel 8, then frame 1
  // pixels 0–6 = 0b01100111; byte 2 = frame 1 pixels 7–8 = 0b10.
  const twoFrames = {
    segments: [
      { number: 1, label: 'one', lab: [65535, 32896, 32896] as const },
      { number: 2, label: 'two' },
    ],
    frames: [
      { segment: 1, position: [0, 0, 0] as const, source: '1.2.3.100' },
      { segment: 2, position: [0, 0, 0] as const },
    ],
    pixelData: [0b01010101, 0b01100111, 0b10],
  };

  it('unpacks 1-bit frames least significant bit first across frame boundaries', () => {
    const seg = parseDicomSeg(buildSeg(twoFrames), 'hand-built.dcm');
    expect([...seg.readFrame(0)]).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect([...seg.readFrame(1)]).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1]);
    expect(seg.frames).toEqual([
      { segmentNumber: 1, position: [0, 0, 0], sourceSopInstanceUid: '1.2.3.100', sourceFrameNumber: undefined },
      { segmentNumber: 2, position: [0, 0, 0], sourceSopInstanceUid: undefined, sourceFrameNumber: undefined },
    ]);
    // L* 100, a* = b* = 0 (D50 white, 0x8080 in a* and b*) is sRGB white.
    expect(seg.segments[0]!.colour).toEqual([255, 255, 255]);
    expect(() => seg.readFrame(2)).toThrow(RangeError);
  });

  it('reads 16-bit LABELMAP values little endian, and a FRACTIONAL threshold of half the maximum', () => {
    const labelmap = parseDicomSeg(
      buildSeg({
        segmentationType: 'LABELMAP',
        bitsAllocated: 16,
        rows: 1,
        columns: 3,
        segments: [
          { number: 0, label: 'nothing' },
          { number: 300, label: 'many' },
        ],
        frames: [{ position: [0, 0, 0] }],
        pixelData: [0x2c, 0x01, 0, 0, 0x2c, 0x01],
      }),
      'hand-built.dcm',
    );
    expect(labelmap.backgroundNumbers).toEqual([0]);
    expect(labelmap.readFrame(0)).toEqual(Uint16Array.from([300, 0, 300]));

    const fractional = parseDicomSeg(
      buildSeg({
        segmentationType: 'FRACTIONAL',
        maximumFractionalValue: 200,
        rows: 1,
        columns: 4,
        segments: [{ number: 1, label: 'p' }],
        frames: [{ segment: 1, position: [0, 0, 0] }],
        pixelData: [99, 100, 101, 200],
      }),
      'hand-built.dcm',
    );
    expect([...fractional.readFrame(0)]).toEqual([0, 1, 1, 1]);
  });

  it('names what is wrong with a malformed SEG', async () => {
    await expectParseError(
      buildSeg({ ...twoFrames, numberOfFrames: 3 }),
      'SEG_INVALID',
      /NumberOfFrames is 3 but the PerFrameFunctionalGroupsSequence has 2 items/,
    );
    await expectParseError(buildSeg({ ...twoFrames, segments: undefined }), 'SEG_INVALID', /no SegmentSequence/);
    await expectParseError(
      buildSeg({ ...twoFrames, pixelData: [0x55, 0x67] }),
      'SEG_INVALID',
      /PixelData is truncated: 2 frames of 3×3 at 1 bit need 3 bytes, the file holds 2/,
    );
    await expectParseError(
      buildSeg({ ...twoFrames, frames: [twoFrames.frames[0]!, { segment: 7 }] }),
      'SEG_INVALID',
      /frame 2 refers to segment 7, which the SegmentSequence does not declare/,
    );
    await expectParseError(buildSeg({ ...twoFrames, frames: [twoFrames.frames[0]!, {}] }), 'SEG_INVALID', /frame 2 has no SegmentIdentificationSequence/);
    await expectParseError(buildSeg({ ...twoFrames, bitsAllocated: 8 }), 'SEG_INVALID', /BitsAllocated is 8; a BINARY SEG has 1/);
    await expectParseError(
      buildSeg({ ...twoFrames, segmentationType: 'FRACTIONAL', bitsAllocated: 8, pixelData: new Array(18).fill(0) }),
      'SEG_INVALID',
      /positive MaximumFractionalValue/,
    );
    await expectParseError(new Uint8Array([1, 2, 3]), 'SEG_INVALID', /cannot be read as DICOM \(DICOM_NOT_DICOM\)/);
  });

  it('refuses compressed transfer syntaxes and unknown segmentation types with SEG_UNSUPPORTED', async () => {
    await expectParseError(
      buildSeg({ ...twoFrames, transferSyntax: '1.2.840.10008.1.2.5' }),
      'SEG_UNSUPPORTED',
      /transfer syntax 1\.2\.840\.10008\.1\.2\.5 is not supported/,
    );
    await expectParseError(buildSeg({ ...twoFrames, segmentationType: 'BITMAP' }), 'SEG_UNSUPPORTED', /SegmentationType BITMAP/);
  });
});

describe('parseDicomSeg: segment labels in the SpecificCharacterSet', () => {
  /** A one-frame SEG whose SpecificCharacterSet is `charset` (none when undefined) and whose SegmentLabel holds `bytes`. */
  function segIn(charset: string | undefined, bytes: Uint8Array): Uint8Array {
    const built = buildSeg({
      segments: [{ number: 1, label: String.fromCharCode(...bytes) }],
      frames: [{ segment: 1, position: [0, 0, 0] }],
      pixelData: [1, 0],
    });
    if (charset === undefined) return built;
    // (0008,0005) goes first in the data set: after the preamble, "DICM" and buildSeg's one meta element.
    const at = 132 + element(0x00020010, 'UI', text('1.2.840.10008.1.2.1', 'UI')).length;
    const specificCharacterSet = element(0x00080005, 'CS', text(charset));
    return new Uint8Array([...built.subarray(0, at), ...specificCharacterSet, ...built.subarray(at)]);
  }

  const encode = (value: string): Uint8Array => new TextEncoder().encode(value);
  const latin = (value: string): Uint8Array => Uint8Array.from(value, (c) => c.charCodeAt(0));

  it.each([
    ['ISO_IR 192', 'Leber – größer', encode('Leber – größer')],
    ['ISO_IR 192', '肝臓', encode('肝臓')],
    ['ISO_IR 100', 'Leber größer', latin('Leber größer')],
    [undefined, 'Leber größer', latin('Leber größer')],
    // ISO 8859-2 "Wątroba", 8859-5 "Печень", 8859-7 "Ήπαρ", 8859-9 "Karaciğer".
    ['ISO_IR 101', 'Wątroba', Uint8Array.from([0x57, 0xb1, 0x74, 0x72, 0x6f, 0x62, 0x61])],
    ['ISO_IR 144', 'Печень', Uint8Array.from([0xbf, 0xd5, 0xe7, 0xd5, 0xdd, 0xec])],
    ['ISO_IR 126', 'Ήπαρ', Uint8Array.from([0xb9, 0xf0, 0xe1, 0xf1])],
    ['ISO_IR 148', 'Karaciğer', Uint8Array.from([0x4b, 0x61, 0x72, 0x61, 0x63, 0x69, 0xf0, 0x65, 0x72])],
    // GB18030 "肝脏".
    ['GB18030', '肝脏', Uint8Array.from([0xb8, 0xce, 0xd4, 0xe0])],
    // ISO 2022 code extensions, each part in the set its escape sequence designates; the labels are pydicom 3's answers.
    // JIS X 0208 "肝" (0x34 0x4E) after ESC $ B, back to ASCII (ESC ( B) or JIS X 0201 Roman (ESC ( J).
    ['ISO 2022 IR 6\\ISO 2022 IR 87', 'Liver=肝', latin('Liver=\x1b$B4N\x1b(B')],
    ['ISO 2022 IR 13\\ISO 2022 IR 87', '肝', latin('\x1b$B4N\x1b(J')],
    // KS X 1001 "간" in G1 after ESC $ ) C, the first term empty (the default repertoire).
    ['\\ISO 2022 IR 149', '간', Uint8Array.from([0x1b, 0x24, 0x29, 0x43, 0xb0, 0xa3])],
    // ISO 8859-5 "Печень" and ISO 8859-1 "größer" in G1 after ESC - L and ESC - A.
    ['ISO 2022 IR 6\\ISO 2022 IR 144', 'Печень', Uint8Array.from([0x1b, 0x2d, 0x4c, 0xbf, 0xd5, 0xe7, 0xd5, 0xdd, 0xec])],
    ['ISO 2022 IR 100', 'größer', Uint8Array.from([0x1b, 0x2d, 0x41, 0x67, 0x72, 0xf6, 0xdf, 0x65, 0x72])],
  ])('decodes a label written in %s: %s', (charset, label, bytes) => {
    expect(parseDicomSeg(segIn(charset, bytes), 'hand-built.dcm').segments[0]!.label).toBe(label);
  });
});
