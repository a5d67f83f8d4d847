"""Training patches for the demo bundle: phantoms as the bundle's preprocessing hands them to the network.

Each patch is what Orientationd + Spacingd (1.5 mm, linear) + ScaleIntensityRanged would produce from a
random source scan of a phantom (demo-phantoms.md, "What the network was trained on"), with a soft target.
"""

import numpy as np
import torch

from demo_phantoms import Grid, make_source_image, rotation_matrix, sample_phantom
from demo_pipeline import PIXDIM, linear_resample_axis, scale_intensity_range

RAMP_MM = 4.0  # soft target: probability 0 -> 1 over 4 mm centred on the surface


def log_uniform(rng: np.random.Generator, lo: float, hi: float, size=None):
    return np.exp(rng.uniform(np.log(lo), np.log(hi), size))


def sample_source_spacing(rng: np.random.Generator) -> np.ndarray:
    """Spacing of the simulated source scan: 1.5 mm exactly, CT-like (in-plane x slice), or anything."""
    r = rng.uniform()
    if r < 0.1:
        return np.full(3, 1.5)
    if r < 0.55:
        in_plane = log_uniform(rng, 0.6, 1.6)
        spacing = np.array([in_plane, in_plane, log_uniform(rng, 0.6, 3.0)])
        return spacing[rng.permutation(3)] if rng.uniform() < 0.3 else spacing
    return log_uniform(rng, 0.6, 3.0, 3)


def sample_direction(rng: np.random.Generator) -> np.ndarray:
    """Axes of the 1.5 mm grid after Orientationd: an oblique tilt, then flips and sometimes a permutation."""
    tilt = np.eye(3)
    if rng.uniform() < 0.6:
        tilt = rotation_matrix(rng.normal(size=3), np.deg2rad(rng.uniform(0.0, 30.0)))
    perm = rng.permutation(3) if rng.uniform() < 0.2 else np.arange(3)
    signed = np.eye(3)[:, perm] * rng.choice([-1.0, 1.0], 3)
    return tilt @ signed


def surface_point(rng: np.random.Generator, ellipsoid) -> np.ndarray:
    v = rng.normal(size=3)
    u = ellipsoid.semi_axes * v / np.linalg.norm(v)
    c, s = np.cos(ellipsoid.yaw), np.sin(ellipsoid.yaw)
    return ellipsoid.centre + np.array([c * u[0] - s * u[1], s * u[0] + c * u[1], u[2]])


def training_patch(rng: np.random.Generator, size: int):
    """(image [1,s,s,s] in [0,1], soft target [3,s,s,s]) on a 1.5 mm grid, built as Spacingd would build it."""
    ph = sample_phantom(rng)
    direction, spacing = sample_direction(rng), sample_source_spacing(rng)
    r = rng.uniform()
    if r < 0.35:
        target = surface_point(rng, ph.organ)
    elif r < 0.75:
        target = surface_point(rng, ph.bone)
    else:
        target = rng.uniform(-1.0, 1.0, 3) * np.array([90.0, 80.0, 60.0])
    jitter = rng.uniform(-size / 4, size / 4, 3)
    patch_origin = target - direction @ (PIXDIM[0] * ((size - 1) / 2.0 + jitter))
    # The source grid shares the 1.5 mm grid's axes; the patch starts at a random sub-voxel phase of it.
    phase = rng.uniform(0.0, 1.0, 3)
    positions = [phase[a] + np.arange(size) * PIXDIM[a] / spacing[a] for a in range(3)]
    src_shape = tuple(int(np.floor(p[-1])) + 2 for p in positions)
    src = Grid(direction, spacing, patch_origin - direction @ (spacing * phase), src_shape)
    hu, _ = make_source_image(ph, src, rng)
    for a in range(3):
        hu = linear_resample_axis(hu, positions[a], a)
    image = scale_intensity_range(hu)[None]

    pts = Grid(direction, np.asarray(PIXDIM), patch_origin, (size,) * 3).world_points()
    p1 = np.clip(0.5 + ph.organ.signed_distance(pts) / RAMP_MM, 0.0, 1.0)
    p2 = np.clip(0.5 + ph.bone.signed_distance(pts) / RAMP_MM, 0.0, 1.0)
    target = np.stack([1.0 - p1 - p2, p1, p2]).astype(np.float32)
    if rng.uniform() < 0.1:
        simulate_roi_padding(rng, image, target)
    return image, target


def simulate_roi_padding(rng: np.random.Generator, image: np.ndarray, target: np.ndarray) -> None:
    """Zeroes a slab at one face, as the sliding window's constant padding does for images smaller than the ROI."""
    axis, width = int(rng.integers(3)), int(rng.integers(1, 13))
    index = [slice(None)] * 4
    index[axis + 1] = slice(0, width) if rng.uniform() < 0.5 else slice(-width, None)
    image[tuple(index)] = 0.0
    target[tuple(index)] = np.array([1.0, 0.0, 0.0], np.float32).reshape(3, 1, 1, 1)


def training_batch(rng: np.random.Generator, batch: int, size: int):
    pairs = [training_patch(rng, size) for _ in range(batch)]
    return (torch.from_numpy(np.stack([p[0] for p in pairs])),
            torch.from_numpy(np.stack([p[1] for p in pairs])))


class TrainingBatches(torch.utils.data.IterableDataset):
    """Endless seeded batches, made in one worker process so that the second core builds patches."""

    def __init__(self, seed: int, batch: int, size: int) -> None:
        super().__init__()
        self.seed, self.batch, self.size = seed, batch, size

    def __iter__(self):
        torch.set_num_threads(1)
        rng = np.random.default_rng(self.seed)
        while True:
            yield training_batch(rng, self.batch, self.size)
