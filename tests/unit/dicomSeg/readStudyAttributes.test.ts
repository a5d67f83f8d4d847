import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStudyAttributes } from '../../../main/dicomSeg/readStudyAttributes.js';
import { element, part10, text } from '../dicom/buildPart10.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-readStudyAttributes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const bytes = (value: string): number[] => [...value].map((c) => c.charCodeAt(0));

/** A source image's header: SpecificCharacterSet, ReferringPhysicianName (PN), PatientName (PN), in tag order. */
function sourceFile(name: string, charset: string, patientName: number[]): string {
  const file = join(folder, name);
  const pn = patientName.length % 2 ? [...patientName, 0x20] : patientName;
  writeFileSync(
    file,
    part10('1.2.840.10008.1.2.1', element(0x00080005, 'CS', text(charset)), element(0x00080090, 'PN', text('Doe^John', 'PN')), element(0x00100010, 'PN', pn)),
  );
  return file;
}

describe('readStudyAttributes: names in ISO 2022 code extensions, as pydicom decodes them', () => {
  it('reads a Japanese name of three component groups in JIS X 0208 (PS3.5 H.3.1)', async () => {
    // 山田^太郎=やまだ^たろう, each group's ideographic and phonetic parts after ESC $ B, each back in ASCII (ESC ( B)
    // before the '^' and '=' that reset the character set.
    const name = bytes('Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B');
    const attributes = await readStudyAttributes(sourceFile('h31.dcm', 'ISO 2022 IR 6\\ISO 2022 IR 87', name));
    expect(attributes.PatientName).toBe('Yamada^Tarou=山田^太郎=やまだ^たろう');
    expect(attributes.ReferringPhysicianName).toBe('Doe^John');
  });

  it("reads a Korean name in KS X 1001 (G1), back to the first set at each '^' and '=' (PS3.5 I.2)", async () => {
    const ksx = (...codes: number[]): number[] => [0x1b, 0x24, 0x29, 0x43, ...codes];
    const name = [
      ...bytes('Hong^Gildong='),
      ...ksx(0xfb, 0xf3),
      ...bytes('^'),
      ...ksx(0xd1, 0xce, 0xd4, 0xd7),
      ...bytes('='),
      ...ksx(0xc8, 0xab),
      ...bytes('^'),
      ...ksx(0xb1, 0xe6, 0xb5, 0xbf),
    ];
    const attributes = await readStudyAttributes(sourceFile('i2.dcm', '\\ISO 2022 IR 149', name));
    expect(attributes.PatientName).toBe('Hong^Gildong=洪^吉洞=홍^길동');
  });
});
