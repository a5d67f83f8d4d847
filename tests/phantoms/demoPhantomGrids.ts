import type { Mat3 } from '../../core/geometry/types.js';
import type { PhantomGrid } from './makeDemoPhantom.js';

const t = (20 * Math.PI) / 180;

/**
 * The demo bundle's phantom grids: name, the orientation code it stores, and the grid. Storage orders and
 * spacings the bundle must not care about; none is a multiple of its 64-voxel ROI at 1.5 mm.
 */
export const demoPhantomGrids: readonly (readonly [string, string, PhantomGrid])[] = [
  [
    'LPS',
    'LPS',
    {
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      spacing: [0.8, 0.8, 2.5],
    },
  ],
  [
    'RAS',
    'RAS',
    {
      direction: [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, 1],
      ],
      spacing: [1.1, 1.1, 1.1],
      shift: [0.3, -0.2, 0.4],
    },
  ],
  [
    'permuted',
    'SLA',
    {
      direction: [
        [0, 0, 1],
        [1, 0, 0],
        [0, -1, 0],
      ],
      spacing: [1.3, 0.9, 1.7],
    },
  ],
  [
    '20° oblique',
    'LPS',
    {
      direction: [
        [Math.cos(t), Math.sin(t), 0],
        [-Math.sin(t), Math.cos(t), 0],
        [0, 0, 1],
      ] as Mat3,
      spacing: [1, 1, 1.5],
    },
  ],
];
