/** How the frames of a transfer syntax are decoded; see decodeFrame. */
export type FrameCodec = 'native-little-endian' | 'native-big-endian' | 'rle' | 'jpeg-dct' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000' | 'htj2k';

/** A transfer syntax's name in PS3.6 Table A-1, and its codec when Axial can decode it. */
export interface TransferSyntaxCodec {
  name: string;
  codec?: FrameCodec;
}

const UID = '1.2.840.10008.1.2';

/**
 * Transfer syntaxes by UID. Those without a codec are listed so that refusals can name them.
 * Deflated Explicit VR Little Endian deflates the data set, not the pixels: once parsed, its
 * pixel data is native.
 */
export const TRANSFER_SYNTAX_CODECS: Readonly<Record<string, TransferSyntaxCodec>> = {
  [UID]: { name: 'Implicit VR Little Endian', codec: 'native-little-endian' },
  [`${UID}.1`]: { name: 'Explicit VR Little Endian', codec: 'native-little-endian' },
  [`${UID}.1.98`]: { name: 'Encapsulated Uncompressed Explicit VR Little Endian', codec: 'native-little-endian' },
  [`${UID}.1.99`]: { name: 'Deflated Explicit VR Little Endian', codec: 'native-little-endian' },
  [`${UID}.2`]: { name: 'Explicit VR Big Endian', codec: 'native-big-endian' },
  [`${UID}.5`]: { name: 'RLE Lossless', codec: 'rle' },
  [`${UID}.4.50`]: { name: 'JPEG Baseline (Process 1)', codec: 'jpeg-dct' },
  [`${UID}.4.51`]: { name: 'JPEG Extended (Process 2 & 4)', codec: 'jpeg-dct' },
  [`${UID}.4.52`]: { name: 'JPEG Extended (Process 3 & 5)' },
  [`${UID}.4.53`]: { name: 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)', codec: 'jpeg-dct' },
  [`${UID}.4.54`]: { name: 'JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9)' },
  [`${UID}.4.55`]: { name: 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12)', codec: 'jpeg-dct' },
  [`${UID}.4.56`]: { name: 'JPEG Full Progression, Non-Hierarchical (Process 11 & 13)' },
  [`${UID}.4.57`]: { name: 'JPEG Lossless, Non-Hierarchical (Process 14)', codec: 'jpeg-lossless' },
  [`${UID}.4.58`]: { name: 'JPEG Lossless, Non-Hierarchical (Process 15)' },
  [`${UID}.4.59`]: { name: 'JPEG Extended, Hierarchical (Process 16 & 18)' },
  [`${UID}.4.60`]: { name: 'JPEG Extended, Hierarchical (Process 17 & 19)' },
  [`${UID}.4.61`]: { name: 'JPEG Spectral Selection, Hierarchical (Process 20 & 22)' },
  [`${UID}.4.62`]: { name: 'JPEG Spectral Selection, Hierarchical (Process 21 & 23)' },
  [`${UID}.4.63`]: { name: 'JPEG Full Progression, Hierarchical (Process 24 & 26)' },
  [`${UID}.4.64`]: { name: 'JPEG Full Progression, Hierarchical (Process 25 & 27)' },
  [`${UID}.4.65`]: { name: 'JPEG Lossless, Hierarchical (Process 28)' },
  [`${UID}.4.66`]: { name: 'JPEG Lossless, Hierarchical (Process 29)' },
  [`${UID}.4.70`]: { name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1)', codec: 'jpeg-lossless' },
  [`${UID}.4.80`]: { name: 'JPEG-LS Lossless', codec: 'jpeg-ls' },
  [`${UID}.4.81`]: { name: 'JPEG-LS Lossy (Near-Lossless)', codec: 'jpeg-ls' },
  [`${UID}.4.90`]: { name: 'JPEG 2000 Image Compression (Lossless Only)', codec: 'jpeg-2000' },
  [`${UID}.4.91`]: { name: 'JPEG 2000 Image Compression', codec: 'jpeg-2000' },
  [`${UID}.4.92`]: { name: 'JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)' },
  [`${UID}.4.93`]: { name: 'JPEG 2000 Part 2 Multi-component Image Compression' },
  [`${UID}.4.94`]: { name: 'JPIP Referenced' },
  [`${UID}.4.95`]: { name: 'JPIP Referenced Deflate' },
  [`${UID}.4.100`]: { name: 'MPEG2 Main Profile / Main Level' },
  [`${UID}.4.101`]: { name: 'MPEG2 Main Profile / High Level' },
  [`${UID}.4.102`]: { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.1' },
  [`${UID}.4.103`]: { name: 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1' },
  [`${UID}.4.104`]: { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video' },
  [`${UID}.4.105`]: { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video' },
  [`${UID}.4.106`]: { name: 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2' },
  [`${UID}.4.107`]: { name: 'HEVC/H.265 Main Profile / Level 5.1' },
  [`${UID}.4.108`]: { name: 'HEVC/H.265 Main 10 Profile / Level 5.1' },
  [`${UID}.4.110`]: { name: 'JPEG XL Lossless' },
  [`${UID}.4.111`]: { name: 'JPEG XL JPEG Recompression' },
  [`${UID}.4.112`]: { name: 'JPEG XL' },
  [`${UID}.4.201`]: { name: 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', codec: 'htj2k' },
  [`${UID}.4.202`]: { name: 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)', codec: 'htj2k' },
  [`${UID}.4.203`]: { name: 'High-Throughput JPEG 2000 Image Compression', codec: 'htj2k' },
  [`${UID}.4.204`]: { name: 'JPIP HTJ2K Referenced' },
  [`${UID}.4.205`]: { name: 'JPIP HTJ2K Referenced Deflate' },
  [`${UID}.6.1`]: { name: 'RFC 2557 MIME encapsulation' },
  [`${UID}.6.2`]: { name: 'XML Encoding' },
};

const compressedCodecs: ReadonlySet<FrameCodec> = new Set(['rle', 'jpeg-dct', 'jpeg-lossless', 'jpeg-ls', 'jpeg-2000', 'htj2k']);

/**
 * Whether a transfer syntax's frames are compressed, with a codec here: worth a worker thread.
 * Native frames cost less to read than to send anywhere.
 */
export function isCompressedTransferSyntax(transferSyntaxUid: string): boolean {
  const codec = TRANSFER_SYNTAX_CODECS[transferSyntaxUid.trim()]?.codec;
  return codec !== undefined && compressedCodecs.has(codec);
}
