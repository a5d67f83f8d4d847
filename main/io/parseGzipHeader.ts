import { crc32 } from 'node:zlib';

/** Where a gzip member's deflate data starts, or why it does not; messages are zlib's own. */
export type GzipHeader =
  { readonly ok: true; readonly length: number } | { readonly ok: false; readonly problem: 'not gzip' | 'short' | 'corrupt'; readonly message: string };

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const reservedFlags = 0xe0;

/**
 * Reads the header of a gzip member (RFC 1952 §2.3) at the start of `bytes`: the 10 fixed bytes, then the optional
 * extra field, file name, comment and header CRC that its flags announce.
 * @returns the header's length; or `not gzip` when the magic bytes are not there, `short` when `bytes` ends inside
 *   the header, `corrupt` for a method other than deflate, reserved flags set or a header CRC that does not match.
 */
export function parseGzipHeader(bytes: Uint8Array): GzipHeader {
  if (bytes.length >= 1 && bytes[0] !== 0x1f) return { ok: false, problem: 'not gzip', message: 'incorrect header check' };
  if (bytes.length >= 2 && bytes[1] !== 0x8b) return { ok: false, problem: 'not gzip', message: 'incorrect header check' };
  const short = { ok: false, problem: 'short', message: 'the gzip stream stops mid-way' } as const;
  if (bytes.length < 10) return short;
  if (bytes[2] !== 8) return { ok: false, problem: 'corrupt', message: 'unknown compression method' };
  const flags = bytes[3]!;
  if (flags & reservedFlags) return { ok: false, problem: 'corrupt', message: 'unknown header flags set' };
  let at = 10;
  if (flags & FEXTRA) {
    if (bytes.length < at + 2) return short;
    at += 2 + (bytes[at]! | (bytes[at + 1]! << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const end = bytes.indexOf(0, at);
    if (end < 0) return short;
    at = end + 1;
  }
  if (!(flags & FHCRC)) return at <= bytes.length ? { ok: true, length: at } : short;
  if (bytes.length < at + 2) return short;
  // The low 16 bits of the CRC-32 of the header before it; zlib and gzip refuse a mismatch.
  const stored = bytes[at]! | (bytes[at + 1]! << 8);
  if ((crc32(bytes.subarray(0, at)) & 0xffff) !== stored) return { ok: false, problem: 'corrupt', message: 'header crc mismatch' };
  return { ok: true, length: at + 2 };
}
