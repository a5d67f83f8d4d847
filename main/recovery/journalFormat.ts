import { z } from 'zod';
import { argumentSchemas, labelEditSchema } from '../../core/contract.js';

/**
 * The recovery journal's file format (version 5; version 4 is the same but for the base's `inputs`, version 3 also
 * lacks the base's `unsaved` flag, either of which an older Axial's strict reader would call damage, and version 2
 * also has a segment table in every edit record). The file starts with
 * `journalSignature` and the format version (u32 LE); then records, each
 *
 *     magic "AXRR" | u32 header length | u32 payload length
 *     | u32 CRC-32 of header + payload | u32 CRC-32 of the 16 bytes before
 *     | header (JSON) | payload
 *
 * all little-endian. The frame's own CRC lets a reader trust the lengths of a
 * record whose body is damaged (to skip and count it) and find the next
 * record after a damaged frame (a stray "AXRR" in a payload fails it).
 * Version 1 (before the signature) had neither magic nor checksums.
 */
export const journalSignature = Buffer.from('AXRJ', 'latin1');
export const journalVersion = 5;
/** Signature and version. */
export const journalPreambleBytes = 8;
export const recordMagic = Buffer.from('AXRR', 'latin1');
export const recordFrameBytes = 20;
/** A header is a segment table (at most 4096 entries of about 200 bytes), a base's inputs (see journaledInputs) and a few fields. */
export const maxRecordHeaderBytes = 16 * 2 ** 20;
/** A base's inputs, as JSON, take at most half a header; past that they are left out (see journaledInputs). */
export const maxInputsBytes = maxRecordHeaderBytes / 2;
/** The longest path a base's inputs hold: Windows' long-path limit, in UTF-16 units. */
export const maxInputPathLength = 32767;

const maskEditShape = argumentSchemas['mask:edit'].shape;
const savedAt = z.string().max(64);

/** The first record: the segmentation before its first unsaved edit; the payload is its layers' bytes, concatenated and gzipped. */
export const baseHeaderSchema = z
  .object({
    type: z.literal('base'),
    savedAt,
    name: z.string(),
    /** The volume's voxel count: each layer holds this many labels. */
    voxelCount: z.number().int().min(1),
    layers: z
      .array(z.enum(['uint8', 'uint16']))
      .min(1)
      .max(64),
    segments: maskEditShape.segments,
    /** The base is itself unsaved work (a model's result shown as a segmentation of its own): it counts as one change. */
    unsaved: z.literal(true).optional(),
    /**
     * The files the segmentation came from besides the scan (a label map opened, a model's files): a restored one is
     * never exported over them, as the one restored from was not.
     */
    inputs: z.array(z.string().min(1).max(maxInputPathLength)).min(1).optional(),
  })
  .strict();
export type BaseHeader = z.infer<typeof baseHeaderSchema>;

/**
 * One `mask:edit`: its edits' layers and run byte lengths (the payload is the
 * runs, concatenated) and the segment table after it, absent when the same as
 * the record before (a brush stroke over 117 segments would repeat 21 KB). The
 * edits rebuilt from it are checked again with the contract's own `mask:edit` schema.
 */
export const editHeaderSchema = z
  .object({
    type: z.literal('edit'),
    savedAt,
    segments: maskEditShape.segments.optional(),
    edits: z.array(z.object({ layer: labelEditSchema.shape.layer, bytes: z.number().int().min(0) }).strict()),
  })
  .strict();
export type EditHeader = z.infer<typeof editHeaderSchema>;

export type JournalHeader = BaseHeader | EditHeader;

/** The edits of one edit record, as `mask:edit` received them. */
export const journaledEditsSchema = maskEditShape.edits;
