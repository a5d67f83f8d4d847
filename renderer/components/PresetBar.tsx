import { presetList } from '../display/presetList.js';
import { formatWindow, sameWindow, type VoiWindow } from '../display/windowPresets.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import './PresetBar.css';

interface PresetBarProps {
  readonly volume: LoadedVolume;
  readonly voi: VoiWindow;
  readonly onVoi: (voi: VoiWindow) => void;
}

/**
 * The window readout and the presets (see presetList); keys 1–9 choose them in this order. The preset
 * whose window is shown is pressed (aria-pressed); the readout has a fixed width so the buttons after
 * it stay put while the window is dragged.
 */
export function PresetBar({ volume, voi, onVoi }: PresetBarProps) {
  const presets = presetList(volume).map((p) => ({ ...p, voi: p.window() }));
  const active = presets.find((p) => sameWindow(p.voi, voi));
  return (
    <div className="presets" role="group" aria-label="Window presets">
      <span className="window-readout preset-bar-readout" data-testid="window" aria-live="off">
        {formatWindow(voi)}
      </span>
      {presets.map((p, n) => (
        <button
          key={p.testId}
          type="button"
          className="preset-bar-button"
          data-testid={p.testId}
          aria-pressed={p === active}
          title={[p.title, n < 9 ? `key ${n + 1}` : undefined].filter(Boolean).join(' · ')}
          onClick={() => onVoi(p.voi)}
        >
          {p.name}
        </button>
      ))}
    </div>
  );
}
