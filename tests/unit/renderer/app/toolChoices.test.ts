import { describe, expect, it } from 'vitest';
import { toolAfterClick, toolChoices } from '../../../../renderer/app/toolChoices.js';

const choice = (kind: string) => toolChoices.find((c) => c.kind === kind)!;

describe('toolChoices', () => {
  it('offers Navigate, the mask tools and the measuring tools, each with its key', () => {
    expect(toolChoices.map((c) => `${c.name}:${c.key}`)).toEqual(['Navigate:N', 'Brush:B', 'Eraser:E', 'Line:L', 'Angle:A', 'Ellipse:O', 'Freehand:F']);
  });

  it('a measuring tool clicked again goes back to Navigate; a mask tool stays chosen', () => {
    expect(toolAfterClick(choice('line'), 'navigate')).toBe('line');
    expect(toolAfterClick(choice('line'), 'line')).toBe('navigate');
    expect(toolAfterClick(choice('angle'), 'line')).toBe('angle');
    expect(toolAfterClick(choice('brush'), 'brush')).toBe('brush');
    expect(toolAfterClick(choice('eraser'), 'rotate')).toBe('eraser');
  });
});
