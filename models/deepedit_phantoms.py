"""Phantoms and simulated clicks for the demo DeepEdit bundle (models/demo-deepedit).

numpy + scipy only (torch where a function says so). A phantom is the demo
family of demo_phantoms.py (elliptic-cylinder body, an "organ" at 130 HU, a
"bone" at 700 HU) plus two *distractors*: ellipsoids at the organ's own 130 HU,
one touching the organ. Intensity alone cannot tell the organ from them, so
the network has to use the clicks: that is what makes the demo interactive.

Arrays are on a RAS grid (axis 0 → R, 1 → A, 2 → S) in C order, as MONAI holds
them after Orientationd(axcodes="RAS"); world = origin + index × spacing (mm).
"""

import numpy as np
from scipy import ndimage

from demo_phantoms import AIR_HU, BONE_HU, BODY_HU, FOV_MM, NOISE_SIGMA_HU, ORGAN_HU, Ellipsoid, sample_phantom

A_MIN, A_MAX = -175.0, 250.0  # the spleen DeepEdit bundle's ScaleIntensityRanged
SPATIAL_SIZE = 64
SIGMA = 3  # AddGuidanceSignalDeepEditd's default
LABEL_NAMES = {"organ": 1, "background": 0}  # guidance channel order: organ, then background


def sample_deepedit_phantom(rng: np.random.Generator):
    """The demo phantom plus two same-HU distractors: one touching the organ, one elsewhere in the body."""
    ph = sample_phantom(rng)
    organ = ph.organ
    distractors = []
    for touching in (True, False):
        for _ in range(200):
            semi = rng.uniform(12.0, 22.0, 3)
            if touching:
                angle = rng.uniform(0, 2 * np.pi)
                gap = organ.bounding_radius() * 0.85 + semi.max() * 0.85
                centre = organ.centre + np.array([np.cos(angle) * gap, np.sin(angle) * gap, rng.uniform(-5, 5)])
            else:
                centre = np.array([*(ph.body_centre + rng.uniform(-0.8, 0.8, 2) * ph.body_semi_axes), rng.uniform(-15, 15)])
                if np.linalg.norm(centre - organ.centre) < organ.bounding_radius() + semi.max() + 5:
                    continue
            if not ph.inside_body(centre) or ph.body_clearance(centre[:2]) < semi.max() + 3:
                continue
            if np.linalg.norm(centre - ph.bone.centre) < ph.bone.bounding_radius() + semi.max() + 3:
                continue
            distractors.append(Ellipsoid(centre, semi, float(rng.uniform(0, np.pi))))
            break
    return ph, distractors


def render(ph, distractors, shape, spacing, origin, rng: np.random.Generator, target: int = 0):
    """(HU with noise, float32; target mask, uint8) at the voxel centres of an axis-aligned RAS grid.

    ``target`` 0 is the organ (what the tests score), 1 and 2 the distractors: training asks for each in turn,
    so that the clicks, not the intensity, say which object is wanted."""
    axes = [origin[a] + np.arange(shape[a]) * spacing[a] for a in range(3)]
    pts = np.stack(np.meshgrid(*axes, indexing="ij"), -1).astype(np.float32)
    hu = np.where(ph.inside_body(pts), BODY_HU, AIR_HU).astype(np.float32)
    blobs = [ph.organ.normalised_radius_sq(pts) <= 1.0]
    for d in distractors:
        blobs.append(d.normalised_radius_sq(pts) <= 1.0)
        blobs[0] &= ~blobs[-1]
    for b in blobs:
        hu[b] = ORGAN_HU
    bone = ph.bone.normalised_radius_sq(pts) <= 1.0
    hu[bone] = BONE_HU
    hu += rng.normal(0.0, NOISE_SIGMA_HU, hu.shape).astype(np.float32)
    wanted = blobs[min(target, len(blobs) - 1)] & ~bone
    return hu, wanted.astype(np.uint8)


def random_grid(rng: np.random.Generator):
    """Random spacing (1.2-3 mm per axis) over the demo field of view, centred on the world origin."""
    spacing = rng.uniform(1.2, 3.0, 3)
    shape = tuple(int(round(f / s)) for f, s in zip(FOV_MM, spacing))
    origin = -spacing * (np.array(shape) - 1) / 2.0
    return shape, spacing, origin


def scale_intensity(hu: np.ndarray) -> np.ndarray:
    return np.clip((hu - A_MIN) / (A_MAX - A_MIN), 0.0, 1.0).astype(np.float32)


def largest_error_click(pred: np.ndarray, truth: np.ndarray):
    """The click a user makes next: at the voxel deepest inside the largest connected error region
    (missed organ → foreground click, wrongly included → background click), as the NoC protocol of the
    DeepEdit and nnInteractive papers does. None when there is no error."""
    best = None
    for kind, error in (("fg", (truth > 0) & (pred == 0)), ("bg", (truth == 0) & (pred > 0))):
        components, n = ndimage.label(error)
        if n == 0:
            continue
        sizes = np.bincount(components.ravel())[1:]
        size = int(sizes.max())
        if best is None or size > best[0]:
            region = components == (int(np.argmax(sizes)) + 1)
            depth = ndimage.distance_transform_edt(np.pad(region, 1))[1:-1, 1:-1, 1:-1]
            best = (size, kind, tuple(int(v) for v in np.unravel_index(int(np.argmax(depth)), depth.shape)))
    return None if best is None else (best[1], best[2])


def seed_click(mask: np.ndarray, rng: np.random.Generator):
    """A click inside ``mask`` drawn with probability exp(d) - 1 (d the chamfer distance to its outside),
    as AddInitialSeedPointDeepEditd draws its first click."""
    distance = ndimage.distance_transform_cdt(mask).ravel().astype(np.float64)
    idx = np.flatnonzero(mask.ravel())
    if idx.size == 0:
        return None
    weight = np.exp(distance[idx] - distance[idx].max()) - np.exp(-distance[idx].max())
    weight = weight + 1e-12
    seed = int(rng.choice(idx, p=weight / weight.sum()))
    return tuple(int(v) for v in np.unravel_index(seed, mask.shape))
