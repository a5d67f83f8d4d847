import { formatValue } from '../display/describeVoxel.js';
import { presetList } from '../display/presetList.js';
import type { VoiWindow } from '../display/windowPresets.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';

interface PresetBarProps {
  readonly volume: LoadedVolume;
  readonly voi: VoiWindow;
  readonly onVoi: (voi: VoiWindow) => void;
}

/** The window readout and the presets (see presetList); keys 1–9 choose them in this order. */
export function PresetBar({ volume, voi, onVoi }: PresetBarProps) {
  return (
    <div className="presets" role="group" aria-label="Window presets">
      <span className="window-readout" data-testid="window">
        W {formatValue(voi.width)} / L {formatValue(voi.center)}
      </span>
      {presetList(volume).map((p, n) => (
        <button
          key={p.testId}
          type="button"
          data-testid={p.testId}
          title={[p.title, n < 9 ? `key ${n + 1}` : undefined].filter(Boolean).join(' · ')}
          onClick={() => onVoi(p.window())}
        >
          {p.name}
        </button>
      ))}
    </div>
  );
}
