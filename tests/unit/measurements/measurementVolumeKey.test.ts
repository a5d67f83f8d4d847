import { describe, expect, it } from 'vitest';
import type { Mat3 } from '../../../core/geometry/types.js';
import { measurementVolumeKey } from '../../../main/measurements/measurementVolumeKey.js';
import { sidecarPaths } from '../../../main/measurements/measurementSidecar.js';
import { createVolume, type VolumeProps } from '../../../main/volume/Volume.js';

const axial: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const coronal: Mat3 = [
  [1, 0, 0],
  [0, 0, -1],
  [0, 1, 0],
];
const patient = (patientId: string, patientName: string): VolumeProps['metadata'] => ({
  format: 'dicom',
  fileCount: 2,
  windowPresets: [],
  patientId,
  patientName,
});
const volumeOf = (changes: Partial<VolumeProps> = {}) =>
  createVolume({
    dimensions: [4, 3, 2],
    spacing: [0.8, 0.8, 5],
    origin: [-120, -80, 30],
    direction: axial,
    voxels: new Int16Array(24),
    metadata: patient('P1', 'DOE^JANE'),
    ...changes,
  });

/** One series UID, several volumes: a localiser's planes, echoes, and patients an anonymiser left with its UIDs. */
describe('measurementVolumeKey', () => {
  const key = measurementVolumeKey(volumeOf(), {});

  it('is the same for the same grid and patient, whatever the voxels (a 4D series time points share their list)', () => {
    expect(key).toMatch(/^[0-9a-f]{12}$/);
    expect(measurementVolumeKey(volumeOf({ voxels: new Int16Array(24).fill(7) }), {})).toBe(key);
    // Below the key's resolution (1 µm, 1e-6): the same volume read again.
    expect(measurementVolumeKey(volumeOf({ origin: [-120.0000001, -80, 30] }), {})).toBe(key);
  });

  it("tells apart a localiser's planes, echoes, matrices, spacings and patients", () => {
    const others = [
      measurementVolumeKey(volumeOf({ direction: coronal }), {}),
      measurementVolumeKey(volumeOf({ origin: [-120, -80, 35] }), {}),
      measurementVolumeKey(volumeOf(), { echoNumber: 2 }),
      measurementVolumeKey(volumeOf({ dimensions: [4, 6, 1] }), {}),
      measurementVolumeKey(volumeOf({ spacing: [0.8, 0.8, 2.5] }), {}),
      measurementVolumeKey(volumeOf({ metadata: patient('P2', 'DOE^JANE') }), {}),
      measurementVolumeKey(volumeOf({ metadata: patient('P1', 'ROE^RICHARD') }), {}),
    ];
    expect(new Set([key, ...others]).size).toBe(8);
  });

  it("names the file after the series and the volume, and reads the series' earlier files as shared", () => {
    const source = { uid: '1.2.3', studyUid: '1.2', files: ['/study/IM1'] };
    const paths = sidecarPaths({ ...source, volumeKey: key }, '/data');
    expect(paths).toEqual({
      own: `/data/measurements/1.2/1.2.3.${key}.axial-measurements.json`,
      beside: `/study/1.2.3.${key}.axial-measurements.json`,
      legacy: [],
      shared: [
        expect.stringMatching(/^\/data\/measurements\/[0-9a-f]{32}\.axial-measurements\.json$/),
        '/data/measurements/1.2/1.2.3.axial-measurements.json',
        '/study/1.2.3.axial-measurements.json',
      ],
    });
    // A NIfTI (no UIDs) is keyed by its own file: the volume key adds nothing.
    expect(sidecarPaths({ uid: '', files: ['/study/t1.nii.gz'], volumeKey: key }, '/data').beside).toBe('/study/t1.nii.axial-measurements.json');
  });
});
