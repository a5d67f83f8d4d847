"""The demo bundle's inference pipeline (MONAI's transforms and sliding window) in numpy.

It mirrors what MONAI does for configs/inference.json, step by step, so that the
training script and the onnxruntime check can measure Dice on the SOURCE grid
after the full round trip: Orientationd RAS, Spacingd 1.5 mm (linear),
ScaleIntensityRanged, gaussian sliding window, softmax, Invertd (linear on the
probabilities), argmax.
"""

import numpy as np

from demo_phantoms import Grid, centred_grid, make_source_image, rotation_matrix, sample_phantom

PIXDIM = (1.5, 1.5, 1.5)
ROI = (64, 64, 64)
OVERLAP = 0.25
SW_BATCH_SIZE = 2


def linear_resample_axis(a: np.ndarray, positions: np.ndarray, axis: int) -> np.ndarray:
    """Linear interpolation of ``a`` at fractional voxel-centre ``positions`` along ``axis``, border-clamped."""
    n = a.shape[axis]
    if n == 1:
        return np.repeat(a, len(positions), axis=axis)
    p = np.clip(positions, 0.0, n - 1.0)
    i0 = np.minimum(np.floor(p).astype(np.int64), n - 2)
    f = (p - i0).astype(a.dtype)
    shape = [1] * a.ndim
    shape[axis] = -1
    f = f.reshape(shape)
    lo = np.take(a, i0, axis=axis)
    hi = np.take(a, i0 + 1, axis=axis)
    return lo + (hi - lo) * f


def orientation_codes(direction: np.ndarray) -> list:
    """nibabel's io_orientation, as MONAI's Orientationd labels axes: [(world_axis, sign)] per index axis.

    The shear is removed first (polar decomposition by SVD), then index axis by index axis, i first, each takes the
    world axis of its largest component, struck from the later ones (not the largest component overall first).
    """
    d = np.array(direction, np.float64)
    u, _, vt = np.linalg.svd(d / np.linalg.norm(d, axis=0))
    r = u @ vt
    out = []
    for i_index in range(3):
        i_world = int(np.argmax(np.abs(r[:, i_index])))
        out.append((i_world, -1 if r[i_world, i_index] < 0 else 1))
        r[i_world, :] = 0
    return out


def orientation_ras(arr: np.ndarray, grid: Grid):
    """Orientationd(axcodes="RAS") on a channel-first array: (array, grid, undo) with undo(array) inverting it."""
    codes = orientation_codes(grid.direction)
    perm = [None, None, None]  # new axis w takes old index axis perm[w]
    for old_axis, (w, _) in enumerate(codes):
        perm[w] = old_axis
    flips = [codes[perm[w]][1] < 0 for w in range(3)]
    out = np.transpose(arr, [0] + [p + 1 for p in perm])
    for w in range(3):
        if flips[w]:
            out = np.flip(out, axis=w + 1)
    direction = np.stack([grid.direction[:, perm[w]] * (-1 if flips[w] else 1) for w in range(3)], 1)
    spacing = grid.spacing[perm]
    shape = tuple(grid.shape[p] for p in perm)
    first = np.array([(shape[w] - 1) if flips[w] else 0 for w in range(3)], np.float64)
    old_first_index = np.zeros(3)
    for w in range(3):
        old_first_index[perm[w]] = first[w]
    origin = grid.origin + grid.direction @ (grid.spacing * old_first_index)
    new_grid = Grid(direction, spacing, origin, shape)

    def undo(a: np.ndarray) -> np.ndarray:
        for w in range(3):
            if flips[w]:
                a = np.flip(a, axis=w + 1)
        inverse = [perm.index(old) for old in range(3)]
        return np.ascontiguousarray(np.transpose(a, [0] + [i + 1 for i in inverse]))

    return np.ascontiguousarray(out), new_grid, undo


def spacing_shape(shape, spacing, pixdim) -> tuple:
    """MONAI's compute_shape_offset without scale_extent: round((n - 1) * s / p + 1), numpy's round (half to even)."""
    return tuple(int(np.round((n - 1) * s / p + 1.0)) for n, s, p in zip(shape, spacing, pixdim))


def spacing_resample(arr: np.ndarray, grid: Grid, pixdim):
    """Spacingd(mode="bilinear", padding border): keeps the first voxel's centre and the axes' directions."""
    pixdim = np.asarray(pixdim, np.float64)
    new_shape = spacing_shape(grid.shape, grid.spacing, pixdim)
    out = arr
    for a in range(3):
        out = linear_resample_axis(out, np.arange(new_shape[a]) * pixdim[a] / grid.spacing[a], a + 1)
    return out, Grid(grid.direction, pixdim, grid.origin, new_shape)


def invert_spacing(arr: np.ndarray, resampled: Grid, original: Grid) -> np.ndarray:
    """Invertd for Spacingd with nearest_interp false: linear back onto the original grid."""
    out = arr
    for a in range(3):
        out = linear_resample_axis(out, np.arange(original.shape[a]) * original.spacing[a] / resampled.spacing[a], a + 1)
    return out


def scale_intensity_range(arr: np.ndarray, a_min=-200.0, a_max=800.0, b_min=0.0, b_max=1.0, clip=True) -> np.ndarray:
    out = (arr - a_min) / (a_max - a_min) * (b_max - b_min) + b_min
    return np.clip(out, b_min, b_max).astype(np.float32) if clip else out.astype(np.float32)


def gaussian_importance_map(roi, sigma_scale=0.125) -> np.ndarray:
    """monai.data.utils.compute_importance_map(mode="gaussian"), clamped as sliding_window_inference does."""
    m = np.ones((1, 1, 1), np.float64)
    for axis, n in enumerate(roi):
        x = np.arange(n, dtype=np.float64) - (n - 1) / 2.0
        g = np.exp(-(x**2) / (2.0 * (sigma_scale * n) ** 2))
        shape = [1, 1, 1]
        shape[axis] = n
        m = m * g.reshape(shape)
    return np.maximum(m, max(m.min(), 1e-3)).astype(np.float32)


def window_starts(size: int, roi: int, overlap: float) -> list:
    interval = max(int(roi * (1 - overlap)), 1)
    if size <= roi:
        return [0]
    count = int(np.ceil((size - roi) / interval)) + 1
    return [min(i * interval, size - roi) for i in range(count)]


def sliding_window_inference(image: np.ndarray, predictor, roi=(64, 64, 64), overlap=0.25,
                             sw_batch_size=2, out_channels=3) -> np.ndarray:
    """MONAI's SlidingWindowInferer(mode="gaussian", padding_mode="constant", cval=0) on a [C, i, j, k] image.

    ``predictor`` maps float32 [B, C, *roi] to [B, out_channels, *roi] logits.
    """
    size = image.shape[1:]
    pads = [(max(r - s, 0) // 2, max(r - s, 0) - max(r - s, 0) // 2) for s, r in zip(size, roi)]
    padded = np.pad(image, [(0, 0)] + pads, constant_values=0.0)
    psize = padded.shape[1:]
    weight = gaussian_importance_map(roi)
    acc = np.zeros((out_channels,) + psize, np.float32)
    norm = np.zeros(psize, np.float32)
    starts = [(a, b, c) for a in window_starts(psize[0], roi[0], overlap)
              for b in window_starts(psize[1], roi[1], overlap)
              for c in window_starts(psize[2], roi[2], overlap)]
    for first in range(0, len(starts), sw_batch_size):
        chunk = starts[first:first + sw_batch_size]
        batch = np.stack([padded[:, a:a + roi[0], b:b + roi[1], c:c + roi[2]] for a, b, c in chunk])
        logits = predictor(np.ascontiguousarray(batch, np.float32))
        for (a, b, c), out in zip(chunk, logits):
            acc[:, a:a + roi[0], b:b + roi[1], c:c + roi[2]] += out * weight
            norm[a:a + roi[0], b:b + roi[1], c:c + roi[2]] += weight
    out = acc / norm
    return out[:, pads[0][0]:pads[0][0] + size[0], pads[1][0]:pads[1][0] + size[1], pads[2][0]:pads[2][0] + size[2]]


def softmax(logits: np.ndarray, axis=0) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def dice(pred: np.ndarray, truth: np.ndarray, label: int) -> float:
    p, t = pred == label, truth == label
    denom = p.sum() + t.sum()
    return float(2.0 * np.logical_and(p, t).sum() / denom) if denom else 1.0


# ------------------------------------------------------- held-out evaluation

def _oblique(axis, degrees, base) -> np.ndarray:
    return rotation_matrix(np.asarray(axis, np.float64), np.deg2rad(degrees)) @ np.asarray(base, np.float64)


LPS = np.diag([-1.0, -1.0, 1.0])
# Index axes stored as S, L, A (a permutation with a flip): columns are world directions.
SLA = np.array([[0.0, -1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])

# Held-out cases: source orientation, source spacing (mm) and phantom seed. Seeds >= 10_000 are
# never used for training (training draws phantoms from its own generator seeded with --seed).
EVAL_CASES = [
    {"name": "RAS 0.8x0.8x2.5", "direction": np.eye(3), "spacing": (0.8, 0.8, 2.5), "seed": 10_001},
    {"name": "LPS 0.7x0.7x1.25", "direction": LPS, "spacing": (0.7, 0.7, 1.25), "seed": 10_002},
    {"name": "SLA-permuted 2.0x0.9x1.1", "direction": SLA, "spacing": (2.0, 0.9, 1.1), "seed": 10_003},
    {"name": "oblique20 LPS 1.2 iso", "direction": _oblique((1.0, 0.5, 0.2), 20, LPS), "spacing": (1.2, 1.2, 1.2), "seed": 10_004},
    {"name": "LPS 3.0 iso", "direction": LPS, "spacing": (3.0, 3.0, 3.0), "seed": 10_005},
    {"name": "RAS 0.6 iso", "direction": np.eye(3), "spacing": (0.6, 0.6, 0.6), "seed": 10_006},
    {"name": "oblique20 RAS 0.75x0.75x2.0", "direction": _oblique((0.3, 1.0, 0.0), -20, np.eye(3)), "spacing": (0.75, 0.75, 2.0), "seed": 10_007},
    {"name": "RAS 1.5 iso", "direction": np.eye(3), "spacing": (1.5, 1.5, 1.5), "seed": 10_008},
]


def run_case(case: dict, predictor) -> dict:
    """Generates one held-out phantom on its source grid, runs the bundle's pipeline, and scores it.

    Returns per-label Dice on the network's 1.5 mm grid (argmax of the blended logits against the
    labels at the 1.5 mm voxel centres) and on the source grid after Invertd (the full round trip).
    """
    rng = np.random.default_rng(case["seed"])
    ph = sample_phantom(rng)
    shift = rng.uniform(-0.5, 0.5, 3) * np.asarray(case["spacing"])
    grid = centred_grid(case["direction"], case["spacing"], shift_mm=shift)
    hu, truth = make_source_image(ph, grid, rng)

    ras, ras_grid, undo_orientation = orientation_ras(hu[None], grid)
    resampled, net_grid = spacing_resample(ras, ras_grid, PIXDIM)
    image = scale_intensity_range(resampled)
    logits = sliding_window_inference(image, predictor, ROI, OVERLAP, SW_BATCH_SIZE)
    net_truth = ph.labels(net_grid.world_points())
    net_pred = np.argmax(logits, axis=0)

    probs = softmax(logits)
    del logits, image, resampled
    back = undo_orientation(invert_spacing(probs, net_grid, ras_grid))
    pred = np.argmax(back, axis=0)
    return {
        "name": case["name"],
        "source_shape": list(grid.shape),
        "network_shape": list(net_grid.shape),
        "dice_network_grid": {k: dice(net_pred, net_truth, k) for k in (1, 2)},
        "dice_source_grid": {k: dice(pred, truth, k) for k in (1, 2)},
    }


def random_case(seed: int) -> dict:
    """A held-out case with a random storage order, an optional 5-25 degree tilt and a random spacing."""
    rng = np.random.default_rng(seed)
    direction = np.eye(3)[:, rng.permutation(3)] * rng.choice([-1.0, 1.0], 3)
    name = "perm/flip"
    if rng.uniform() < 0.5:
        angle = rng.uniform(5.0, 25.0)
        direction = rotation_matrix(rng.normal(size=3), np.deg2rad(angle)) @ direction
        name = f"oblique{angle:.0f}"
    if rng.uniform() < 0.5:
        in_plane = rng.uniform(0.6, 1.2)
        spacing = np.array([in_plane, in_plane, rng.uniform(0.6, 3.0)])[rng.permutation(3)]
    else:
        spacing = np.full(3, rng.uniform(0.6, 3.0))
    label = "x".join(f"{s:.2f}" for s in spacing)
    return {"name": f"{name} {label}", "direction": direction, "spacing": tuple(spacing), "seed": seed + 1_000_000}
