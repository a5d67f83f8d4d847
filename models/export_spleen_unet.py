#!/usr/bin/python3
"""The spleen_ct_segmentation bundle's network with SEEDED RANDOM weights, for benchmarks only.

MONAI's UNet(spatial_dims=3, in_channels=1, out_channels=2, channels=(16, 32, 64, 128, 256),
strides=(2, 2, 2, 2), num_res_units=2, norm="batch"), as in the bundle's configs/inference.json,
rebuilt in plain torch (monai_unet.py). The trained weights are not reachable from here, and a
benchmark only needs the shape. Never use its output as a segmentation.

Export (about 19 MB; keep it out of git):

    /usr/bin/python3 models/export_spleen_unet.py [--out /tmp/axial-bench/spleen_unet.onnx] [--seed 0]

Time PyTorch on N patches of 96^3 in batches of sw_batch_size 4 with torch.set_num_threads(2),
printing JSON {"seconds_per_patch", "total_seconds", "patches", ...}:

    /usr/bin/python3 models/export_spleen_unet.py --time 8 [--save-patches /tmp/axial-bench/patches.f32]
    /usr/bin/python3 models/export_spleen_unet.py --time 8 --patches /tmp/axial-bench/patches.f32

Patches are raw little-endian float32 [N, 1, 96, 96, 96], C order (the last index fastest), the
layout onnxruntime takes; without --patches they are seeded uniform values in [0, 1), like a
ScaleIntensityRanged image. --save-outputs writes the logits [N, 2, 96, 96, 96] the same way, so
another runtime's results can be compared with PyTorch's on the same patches.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from demo_bundle_files import export_onnx  # noqa: E402
from monai_unet import UNet  # noqa: E402

SPLEEN_NETWORK = {"in_channels": 1, "out_channels": 2, "channels": (16, 32, 64, 128, 256),
                  "strides": (2, 2, 2, 2), "num_res_units": 2, "norm": "batch"}
PATCH = (96, 96, 96)


def build_spleen_unet(seed: int = 0) -> UNet:
    """The spleen bundle's UNet in eval mode, weights from torch's default initialisation under ``seed``."""
    torch.manual_seed(seed)
    return UNet(**SPLEEN_NETWORK).eval()


def make_patches(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 1) + PATCH, dtype=np.float32)


def load_patches(path: str) -> np.ndarray:
    data = np.fromfile(path, dtype="<f4")
    per_patch = int(np.prod(PATCH))
    if data.size % per_patch:
        raise ValueError(f"{path}: {data.size} floats is not a whole number of 1x96x96x96 patches")
    return data.reshape((-1, 1) + PATCH)


@torch.no_grad()
def time_pytorch(net: torch.nn.Module, patches: np.ndarray, sw_batch_size: int = 4, threads: int = 2,
                 warmup_batches: int = 1, outputs: "list | None" = None) -> dict:
    """Seconds PyTorch takes to run ``patches`` through ``net`` in batches of ``sw_batch_size``.

    ``warmup_batches`` batches run first and are not counted (first-call allocation and kernel choice).
    Logits are appended to ``outputs`` when it is given.
    """
    torch.set_num_threads(threads)
    net.eval()
    for _ in range(warmup_batches):
        net(torch.from_numpy(patches[:sw_batch_size]))
    start = time.perf_counter()
    for first in range(0, len(patches), sw_batch_size):
        logits = net(torch.from_numpy(patches[first:first + sw_batch_size]))
        if outputs is not None:
            outputs.append(logits.numpy())
    total = time.perf_counter() - start
    return {"seconds_per_patch": total / len(patches), "total_seconds": total, "patches": int(len(patches)),
            "sw_batch_size": sw_batch_size, "threads": threads, "warmup_batches": warmup_batches,
            "torch": torch.__version__}


def parse_args():
    p = argparse.ArgumentParser(description="Export or time the spleen bundle's UNet with seeded random weights.")
    p.add_argument("--out", default="/tmp/axial-bench/spleen_unet.onnx", help="ONNX path (export mode)")
    p.add_argument("--seed", type=int, default=0, help="seed for the weights and the generated patches")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--time", type=int, metavar="N", help="time PyTorch on N patches instead of exporting")
    p.add_argument("--patches", help="read the patches from this raw float32 file instead of generating them")
    p.add_argument("--save-patches", help="write the patches used to this raw float32 file")
    p.add_argument("--save-outputs", help="write PyTorch's logits to this raw float32 file")
    p.add_argument("--sw-batch-size", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=1, help="untimed batches before timing")
    return p.parse_args()


def main() -> None:
    args = parse_args()
    net = build_spleen_unet(args.seed)
    if args.time is None:
        print(f"spleen UNet {SPLEEN_NETWORK}, seeded random weights (seed {args.seed}): "
              f"{sum(p.numel() for p in net.parameters())} parameters")
        export_onnx(net, args.out, opset=args.opset, example_shape=(1, 1) + PATCH,
                    doc="spleen_ct_segmentation network shape with SEEDED RANDOM weights: benchmark only",
                    metadata={"weights": f"random, torch.manual_seed({args.seed})", "use": "benchmark only"})
        return
    patches = load_patches(args.patches)[:args.time] if args.patches else make_patches(args.time, args.seed)
    if args.save_patches:
        os.makedirs(os.path.dirname(os.path.abspath(args.save_patches)), exist_ok=True)
        patches.astype("<f4").tofile(args.save_patches)
    outputs = [] if args.save_outputs else None
    result = time_pytorch(net, patches, args.sw_batch_size, args.threads, args.warmup, outputs)
    if args.save_outputs:
        np.concatenate(outputs).astype("<f4").tofile(args.save_outputs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
