import { formatValue } from '../display/describeVoxel.js';
import { ctPresets, isCt, percentilePresets, percentileWindow, type VoiWindow } from '../display/windowPresets.js';
import type { LoadedVolume } from '../state/loadedData.js';

const fixedNames = new Set(ctPresets.map((p) => p.name.toLowerCase()));

interface PresetBarProps {
  readonly volume: LoadedVolume;
  readonly voi: VoiWindow;
  readonly onVoi: (voi: VoiWindow) => void;
}

/**
 * Window presets: the fixed CT ones, or percentiles of the volume for MR and
 * others, then the header's own (data-testid preset-file-<n>, n counting from
 * 1 in the header's list).
 */
export function PresetBar({ volume, voi, onVoi }: PresetBarProps) {
  const { header, voxels } = volume;
  const ct = isCt(header.modality, header.units);
  return (
    <div className="presets" role="group" aria-label="Window presets">
      <span className="window-readout" data-testid="window">
        W {formatValue(voi.width)} / L {formatValue(voi.center)}
      </span>
      {ct
        ? ctPresets.map((p) => (
            <button key={p.id} type="button" data-testid={`preset-${p.id}`} title={`W ${p.width} / L ${p.center}`} onClick={() => onVoi(p)}>
              {p.name}
            </button>
          ))
        : percentilePresets.map((p) => (
            <button key={p.id} type="button" data-testid={`preset-${p.id}`} onClick={() => onVoi(percentileWindow(voxels, header.range, p.low, p.high))}>
              {p.name}
            </button>
          ))}
      {header.windowPresets.map((p, n) =>
        // Main may offer the standard CT windows too; the fixed buttons above already stand for them.
        ct && p.name && fixedNames.has(p.name.toLowerCase()) ? null : (
          <button key={`file-${n}`} type="button" data-testid={`preset-file-${n + 1}`} onClick={() => onVoi({ center: p.center, width: p.width })}>
            {p.name ?? `File ${n + 1}`}
          </button>
        ),
      )}
    </div>
  );
}
