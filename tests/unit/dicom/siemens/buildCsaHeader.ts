/**
 * Hand-built Siemens CSA2 headers for the CSA reader's specs, laid out as Siemens writes them:
 * "SV10", 4 bytes (04 03 02 01), n_tags uint32, 77 uint32; per element name[64] (NUL padded),
 * vm int32, vr[4], syngodt int32, n_items int32, 77 int32; per item four int32 (length, length,
 * 77, length) and the value with its NUL, padded to 4 bytes. Items past VM are empty.
 */
export interface CsaElement {
  readonly name: string;
  readonly vr: string;
  readonly values: readonly string[];
  /** Items written, at least values.length; Siemens pads most elements to 6. */
  readonly items?: number;
}

function int32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

function padded(text: string, length: number): number[] {
  const bytes = [...text].map((c) => c.charCodeAt(0));
  return [...bytes, ...new Array<number>(Math.max(0, length - bytes.length)).fill(0)].slice(0, length);
}

/** The bytes of a CSA2 header holding `elements`. */
export function csaHeader(elements: readonly CsaElement[]): Uint8Array {
  const out = [...padded('SV10', 4), 4, 3, 2, 1, ...int32(elements.length), ...int32(77)];
  for (const { name, vr, values, items = Math.max(6, values.length) } of elements) {
    out.push(...padded(name, 64), ...int32(values.length), ...padded(vr, 4), ...int32(0), ...int32(items), ...int32(77));
    for (let i = 0; i < items; i++) {
      const data = i < values.length ? [...padded(values[i]!, values[i]!.length), 0] : [];
      out.push(...int32(data.length), ...int32(data.length), ...int32(77), ...int32(data.length));
      out.push(...data, ...new Array<number>((4 - (data.length % 4)) % 4).fill(0));
    }
  }
  return new Uint8Array(out);
}
