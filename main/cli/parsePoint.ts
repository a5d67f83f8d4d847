import type { Vec3 } from '../../core/geometry/types.js';
import { AxialError } from '../errors/AxialError.js';
import type { ClickPoint } from '../segmentation/interactive/ClickPoint.js';

export const pointUsage = `--point    fg:x,y,z or bg:x,y,z (repeatable): a click for a DeepEdit model at
           an LPS position in mm, as the viewer's readout shows it; fg adds to
           the model's first label (fg=<label>:x,y,z names another), bg marks
           background. A DeepEdit model with no --point runs its automatic mode`;

const numberPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One `--point` value: `fg:x,y,z`, `bg:x,y,z` or `fg=<label>:x,y,z`, in LPS millimetres.
 * @throws AxialError CLI_USAGE for anything else (naming the value).
 */
export function parsePoint(text: string): ClickPoint {
  const match = /^(fg|bg)(?:=([^:]+))?:(.*)$/.exec(text.trim());
  const bad = (why: string): never => {
    throw new AxialError('CLI_USAGE', `--point "${text}": ${why}; expected fg:x,y,z or bg:x,y,z (LPS mm)`);
  };
  if (!match) return bad('it does not start with fg: or bg:');
  const [, kind, label, rest] = match;
  if (kind === 'bg' && label !== undefined) bad('a background click names no label');
  const parts = rest!.split(',').map((p) => p.trim());
  if (parts.length !== 3 || !parts.every((p) => numberPattern.test(p))) bad('it needs three numbers');
  const world = parts.map(Number) as unknown as Vec3;
  if (!world.every(Number.isFinite)) bad('a coordinate is not finite');
  return { kind: kind as 'fg' | 'bg', world, ...(label === undefined ? {} : { label }) };
}
