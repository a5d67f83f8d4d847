import type { SegmentDef } from '../../core/contract.js';
import { sanitiseLabelName } from './sanitiseLabelName.js';

/** The comment block ITK-SNAP writes at the top of its label description files. */
const header = [
  '################################################',
  '# ITK-SnAP Label Description File',
  '# File format: ',
  '# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL',
  '# Fields: ',
  '#    IDX:   Zero-based index ',
  '#    -R-:   Red color component (0..255)',
  '#    -G-:   Green color component (0..255)',
  '#    -B-:   Blue color component (0..255)',
  '#    -A-:   Label transparency (0.00 .. 1.00)',
  '#    VIS:   Label visibility (0 or 1)',
  '#    IDX:   Label mesh visibility (0 or 1)',
  '#  LABEL:   Label description ',
  '################################################',
];

/**
 * An ITK-SNAP label description file (what ITK-SNAP's Segmentation › Import Label Descriptions reads):
 * ITK-SNAP's comment block, its "Clear Label" 0, then one line per segment, `IDX R G B A VIS MSH "LABEL"`,
 * in value order, opaque and visible. Names are sanitised (no quotes or control characters, at most 64
 * characters), so every line parses back.
 * @param segments The segments of one label map (one layer), by value.
 */
export function formatItkSnapLabels(segments: readonly SegmentDef[]): string {
  const rows = [...segments]
    .sort((a, b) => a.value - b.value)
    .filter((s) => s.value > 0)
    .map((s) => itkSnapLine(s.value, s.colour, true, sanitiseLabelName(s.name) || `Label ${s.value}`));
  return [...header, itkSnapLine(0, [0, 0, 0], false, 'Clear Label'), ...rows, ''].join('\n');
}

/** One line laid out in ITK-SNAP's columns: a visible label is opaque with its mesh shown, the clear label neither. */
function itkSnapLine(value: number, colour: readonly number[], visible: boolean, name: string): string {
  const column = (text: string | number, width: number): string => String(text).padStart(width);
  const rgb = colour.map((c) => column(Math.round(c), 5)).join('');
  const flag = visible ? 1 : 0;
  return `${column(value, 5)} ${rgb}${column(flag, 9)}${column(flag, 3)}${column(flag, 3)}    "${name}"`;
}
