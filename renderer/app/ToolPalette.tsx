import type { EditTool } from '../state/viewerState.js';
import { toolAfterClick, toolChoices } from './toolChoices.js';

interface ToolPaletteProps {
  readonly tool: EditTool['kind'];
  readonly onTool: (kind: EditTool['kind']) => void;
}

/**
 * What a left drag in a view does, always in sight above the side panel's
 * tabs (as ITK-SNAP's and Slicer's tool bars are), so choosing the brush or a
 * ruler never depends on which tab is open; the Edit and Measure tabs hold
 * their settings and lists.
 */
export function ToolPalette({ tool, onTool }: ToolPaletteProps) {
  return (
    <div className="tool-palette" role="toolbar" aria-label="Tools">
      {(['edit', 'measure'] as const).map((family) => (
        <div key={family} className="group" role="radiogroup" aria-label={family === 'edit' ? 'Mask tool' : 'Measuring tool'}>
          {toolChoices
            .filter((choice) => choice.family === family)
            .map((choice) => (
              <button
                key={choice.kind}
                type="button"
                data-testid={`tool-${choice.kind}`}
                aria-pressed={tool === choice.kind}
                title={`${choice.name} (${choice.key})`}
                onClick={() => onTool(toolAfterClick(choice, tool))}
              >
                {choice.name}
              </button>
            ))}
        </div>
      ))}
    </div>
  );
}
