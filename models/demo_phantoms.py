"""CT-like phantoms with known labels (the family specified in demo-phantoms.md).

numpy only, so the same code serves the training script (Debian's python3 with
torch) and an onnxruntime check in any Python with numpy.

Conventions: world coordinates are RAS millimetres (MONAI's world). A grid is
(direction, spacing, origin, shape): ``direction`` is 3x3 with one column per
index axis (unit vectors in world), ``origin`` is the world position of the
centre of voxel (0, 0, 0), and world(idx) = origin + direction @ (spacing * idx).
Arrays are indexed [i, j, k] in C order, as MONAI holds them.
"""

from dataclasses import dataclass

import numpy as np

AIR_HU = -1000.0
BODY_HU = 40.0
ORGAN_HU = 130.0
BONE_HU = 700.0
NOISE_SIGMA_HU = 10.0
FOV_MM = (180.0, 160.0, 120.0)
CLEARANCE_MM = 5.0
ELLIPSOID_CENTRE_Z_MM = 15.0
BOUNDARY_SAMPLES = 360
LABEL_NAMES = {0: "background", 1: "organ", 2: "bone"}


@dataclass
class Ellipsoid:
    centre: np.ndarray  # (3,) RAS mm
    semi_axes: np.ndarray  # (3,) mm, along the ellipsoid's own x, y, z before the yaw
    yaw: float  # radians, rotation about the superior (z) axis

    def normalised_radius_sq(self, pts: np.ndarray) -> np.ndarray:
        """q = sum((u_i / r_i)^2) with u the point in the ellipsoid's frame; inside iff q <= 1."""
        d = pts - self.centre
        c, s = np.cos(self.yaw), np.sin(self.yaw)
        ux = c * d[..., 0] + s * d[..., 1]
        uy = -s * d[..., 0] + c * d[..., 1]
        uz = d[..., 2]
        r = self.semi_axes
        return (ux / r[0]) ** 2 + (uy / r[1]) ** 2 + (uz / r[2]) ** 2

    def signed_distance(self, pts: np.ndarray) -> np.ndarray:
        """Distance to the surface, positive inside (first-order: exact for a sphere, good near the surface)."""
        d = pts - self.centre
        c, s = np.cos(self.yaw), np.sin(self.yaw)
        u = np.stack([c * d[..., 0] + s * d[..., 1], -s * d[..., 0] + c * d[..., 1], d[..., 2]], -1)
        r = self.semi_axes
        root_q = np.sqrt(((u / r) ** 2).sum(-1))
        grad = np.sqrt(((u / r**2) ** 2).sum(-1))
        return (1.0 - root_q) * root_q / np.maximum(grad, 1e-6)

    def bounding_radius(self) -> float:
        return float(np.max(self.semi_axes))


@dataclass
class Phantom:
    body_centre: np.ndarray  # (2,) x, y in RAS mm; the cylinder runs along z
    body_semi_axes: np.ndarray  # (2,) left-right, anterior-posterior
    organ: Ellipsoid  # label 1
    bone: Ellipsoid  # label 2

    def body_clearance(self, xy: np.ndarray) -> float:
        """Distance from a point inside the body to the body's outline (polygon of 360 points)."""
        t = np.arange(BOUNDARY_SAMPLES) * (2 * np.pi / BOUNDARY_SAMPLES)
        bx = self.body_centre[0] + self.body_semi_axes[0] * np.cos(t)
        by = self.body_centre[1] + self.body_semi_axes[1] * np.sin(t)
        return float(np.min(np.hypot(bx - xy[0], by - xy[1])))

    def inside_body(self, pts: np.ndarray) -> np.ndarray:
        dx = (pts[..., 0] - self.body_centre[0]) / self.body_semi_axes[0]
        dy = (pts[..., 1] - self.body_centre[1]) / self.body_semi_axes[1]
        return dx * dx + dy * dy <= 1.0

    def labels(self, pts: np.ndarray) -> np.ndarray:
        """0 background (air and body), 1 organ, 2 bone, decided at each point (voxel centre)."""
        out = np.zeros(pts.shape[:-1], np.uint8)
        out[self.organ.normalised_radius_sq(pts) <= 1.0] = 1
        out[self.bone.normalised_radius_sq(pts) <= 1.0] = 2
        return out

    def hounsfield(self, pts: np.ndarray) -> np.ndarray:
        """Noise-free HU at each point: no partial volume."""
        hu = np.where(self.inside_body(pts), BODY_HU, AIR_HU).astype(np.float32)
        hu[self.organ.normalised_radius_sq(pts) <= 1.0] = ORGAN_HU
        hu[self.bone.normalised_radius_sq(pts) <= 1.0] = BONE_HU
        return hu


def _place_ellipsoid(rng: np.random.Generator, body: Phantom, r_lo: float, r_hi: float,
                     avoid: "Ellipsoid | None") -> "Ellipsoid | None":
    semi_axes = rng.uniform(r_lo, r_hi, 3)
    yaw = float(rng.uniform(0.0, np.pi))
    need = float(semi_axes.max()) + CLEARANCE_MM
    for _ in range(200):
        xy = body.body_centre + rng.uniform(-1.0, 1.0, 2) * body.body_semi_axes
        z = rng.uniform(-ELLIPSOID_CENTRE_Z_MM, ELLIPSOID_CENTRE_Z_MM)
        centre = np.array([xy[0], xy[1], z])
        if not body.inside_body(centre) or body.body_clearance(xy) < need:
            continue
        if avoid is not None and np.linalg.norm(centre - avoid.centre) < avoid.bounding_radius() + need:
            continue
        return Ellipsoid(centre, semi_axes, yaw)
    return None


def sample_phantom(rng: np.random.Generator) -> Phantom:
    """Draws one phantom of the family (rejection sampling, as demo-phantoms.md describes)."""
    while True:
        body = Phantom(
            body_centre=rng.uniform(-5.0, 5.0, 2),
            body_semi_axes=np.array([rng.uniform(65.0, 80.0), rng.uniform(50.0, 65.0)]),
            organ=None, bone=None,  # type: ignore[arg-type]
        )
        organ = _place_ellipsoid(rng, body, 20.0, 35.0, None)
        if organ is None:
            continue
        bone = _place_ellipsoid(rng, body, 10.0, 18.0, organ)
        if bone is None:
            continue
        body.organ, body.bone = organ, bone
        return body


# ---------------------------------------------------------------- grids

@dataclass
class Grid:
    direction: np.ndarray  # (3, 3), columns = index axes in world
    spacing: np.ndarray  # (3,)
    origin: np.ndarray  # (3,) world of voxel (0,0,0)'s centre
    shape: tuple

    def world_points(self) -> np.ndarray:
        axes = [np.arange(n, dtype=np.float64) * s for n, s in zip(self.shape, self.spacing)]
        d = self.direction
        pts = (self.origin[None, None, None, :]
               + axes[0][:, None, None, None] * d[:, 0]
               + axes[1][None, :, None, None] * d[:, 1]
               + axes[2][None, None, :, None] * d[:, 2])
        return pts.astype(np.float32)


def rotation_matrix(axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues: rotation by ``angle`` radians about the unit vector ``axis``."""
    a = axis / np.linalg.norm(axis)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * (k @ k)


def centred_grid(direction: np.ndarray, spacing, fov_mm=FOV_MM, shift_mm=(0.0, 0.0, 0.0)) -> Grid:
    """A grid covering ``fov_mm`` (measured along each index axis' nearest world axis) centred on the world origin."""
    direction = np.asarray(direction, np.float64)
    spacing = np.asarray(spacing, np.float64)
    world_axis = np.argmax(np.abs(direction), axis=0)
    shape = tuple(int(round(fov_mm[w] / s)) for w, s in zip(world_axis, spacing))
    half = direction @ (spacing * (np.array(shape) - 1) / 2.0)
    return Grid(direction, spacing, -half + np.asarray(shift_mm, np.float64), shape)


def make_source_image(ph: Phantom, grid: Grid, rng: np.random.Generator):
    """(HU with noise as float32, labels as uint8), both on ``grid``."""
    pts = grid.world_points()
    hu = ph.hounsfield(pts)
    hu += rng.normal(0.0, NOISE_SIGMA_HU, hu.shape).astype(np.float32)
    return hu, ph.labels(pts)
