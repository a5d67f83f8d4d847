/** What a JPEG 2000 codestream's SIZ segment (T.800 A.5.1) says of the image. */
export interface Jpeg2000Size {
  /** Xsiz - XOsiz. */
  columns: number;
  /** Ysiz - YOsiz. */
  rows: number;
  /** Csiz. */
  componentCount: number;
  /** Tiles across times tiles down. */
  tileCount: number;
  /** Bytes from the codestream's SOC marker to the end of the given bytes. */
  codestreamBytes: number;
}

/** The JPEG 2000 signature box that opens a JP2 file (T.800 I.5.1), which some writers wrap frames in. */
const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
const SIZ_FIXED_BYTES = 38;

/**
 * Reads the image and tile sizes from the SIZ segment that follows the SOC marker (FF4F FF51),
 * in a bare codestream or in a JP2 file's contiguous codestream box (jp2c), so that a frame can
 * be refused before a decoder allocates for whatever size it claims.
 *
 * @throws Error when the bytes hold no codestream that starts with SOC and SIZ, or the SIZ
 *   segment is cut short or describes an empty image or tile.
 */
export function readJpeg2000Size(bytes: Uint8Array): Jpeg2000Size {
  const start = codestreamStart(bytes);
  const at = (offset: number, size: 2 | 4): number => {
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + (bytes[start + offset + i] as number);
    return value;
  };
  if (bytes[start] !== 0xff || bytes[start + 1] !== 0x4f || bytes[start + 2] !== 0xff || bytes[start + 3] !== 0x51) {
    throw new Error('the frame does not start with a JPEG 2000 codestream (SOC and SIZ markers, FF4F FF51)');
  }
  // Offsets from SOC: SIZ's marker at 2, Lsiz at 4, Rsiz at 6, then Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz, XTOsiz, YTOsiz, Csiz.
  if (start + 4 + SIZ_FIXED_BYTES > bytes.length) throw new Error('the JPEG 2000 codestream ends inside its SIZ segment');
  const [xsiz, ysiz, xosiz, yosiz, xtsiz, ytsiz, xtosiz, ytosiz] = [8, 12, 16, 20, 24, 28, 32, 36].map((offset) => at(offset, 4)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const componentCount = at(40, 2);
  const columns = xsiz - xosiz;
  const rows = ysiz - yosiz;
  if (columns <= 0 || rows <= 0 || xtsiz === 0 || ytsiz === 0 || xtosiz > xosiz || ytosiz > yosiz) {
    throw new Error(
      `the JPEG 2000 SIZ segment describes an empty image or tile (Xsiz ${xsiz}, Ysiz ${ysiz}, XOsiz ${xosiz}, YOsiz ${yosiz}, XTsiz ${xtsiz}, YTsiz ${ytsiz})`,
    );
  }
  const tileCount = Math.ceil((xsiz - xtosiz) / xtsiz) * Math.ceil((ysiz - ytosiz) / ytsiz);
  return { columns, rows, componentCount, tileCount, codestreamBytes: bytes.length - start };
}

/** Where the codestream starts: at 0, or inside the jp2c box of a JP2 file. */
function codestreamStart(bytes: Uint8Array): number {
  if (!JP2_SIGNATURE.every((byte, i) => bytes[i] === byte)) return 0;
  let position = 0;
  while (position + 8 <= bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + position);
    let length = view.getUint32(0);
    const type = String.fromCharCode(...bytes.subarray(position + 4, position + 8));
    let header = 8;
    if (length === 1) {
      if (position + 16 > bytes.length) break;
      length = Number(view.getBigUint64(8));
      header = 16;
    }
    if (type === 'jp2c') return position + header;
    if (length === 0 || length < header) break;
    position += length;
  }
  throw new Error('the JP2 file has no contiguous codestream box (jp2c)');
}
