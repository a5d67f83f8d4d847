#!/usr/bin/python3
"""Trains, evaluates and exports Axial's demo DeepEdit bundle, models/demo-deepedit.

DEMONSTRATION ONLY, NOT FOR CLINICAL USE: the network has only ever seen the
synthetic phantoms of deepedit_phantoms.py.

    nice /usr/bin/python3 models/train_deepedit_demo.py     # ~8 min on 2 shared cores

The training follows MONAI's DeepEdit recipe on a small scale: the network sees
the image plus one guidance channel per label name (organ, background), built
as AddGuidanceSignalDeepEditd builds them (a 1 at each click, MONAI's
GaussianFilter with sigma 3, min-max normalised); the wanted object is the organ half the
time and one of the two same-HU distractors otherwise, so only the clicks say which; a fifth of the samples get no
guidance at all (DiscardAddGuidanced: the automatic mode); the others get a
first click in the wanted object (drawn as AddInitialSeedPointDeepEditd draws it),
sometimes a background click on another same-HU object, then 0-3 rounds of the
click loop: the current network predicts, and a click goes to the centre of the
largest error region (FindDiscrepancyRegionsDeepEditd + a deterministic
AddRandomGuidanceDeepEditd); a quarter of the click samples start that loop from the automatic prediction.
Everything happens on the 64³ grid that Resized (mode "area") makes of the RAS-oriented image, as in the spleen
DeepEdit bundle.

The committed model was trained in three runs (the process stops on wall-clock time, so the weights depend on the
machine's load): 540 s with the organ as the only target (seed 16), then --resume 540 s with random targets
(seed 18, lr 2e-3), then --resume 540 s with the click loop also starting from the automatic prediction (seed 19,
lr 1e-3); 2 shared cores, load average 6-12.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from deepedit_phantoms import (A_MAX, A_MIN, SIGMA, SPATIAL_SIZE, largest_error_click,  # noqa: E402
                               random_grid, render, sample_deepedit_phantom, scale_intensity, seed_click)
from demo_bundle_files import export_onnx  # noqa: E402
from monai_unet import UNet  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE_DIR = os.path.join(HERE, "demo-deepedit")
NETWORK = {"in_channels": 3, "out_channels": 2, "channels": (8, 16, 32, 64), "strides": (2, 2, 2),
           "num_res_units": 1, "norm": "instance"}
DISCLAIMER = "DEMONSTRATION ONLY, NOT FOR CLINICAL USE"
EVAL_SEEDS = range(50_000, 50_012)


def erf_kernel(sigma: float, truncated: float = 4.0) -> torch.Tensor:
    """monai.networks.layers.convutils.gaussian_1d(approx="erf"), unnormalised, as GaussianFilter uses it."""
    tail = int(max(sigma * truncated, 0.5) + 0.5)
    x = torch.arange(-tail, tail + 1, dtype=torch.float)
    t = 0.70710678 / abs(sigma)
    return (0.5 * ((t * (x + 0.5)).erf() - (t * (x - 0.5)).erf())).clamp(min=0)


KERNEL = erf_kernel(SIGMA)


def guidance_channel(points, shape) -> torch.Tensor:
    """AddGuidanceSignalDeepEditd._get_signal for one label's points (indices on the network grid)."""
    signal = torch.zeros((1, 1, *shape))
    for p in points:
        signal[0, 0, p[0], p[1], p[2]] = 1.0
    if not points:
        return signal[0]
    pad = (KERNEL.numel() - 1) // 2
    for axis in range(3):
        shape_k = [1, 1, 1, 1, 1]
        shape_k[axis + 2] = -1
        padding = [0, 0, 0]
        padding[axis] = pad
        signal = F.conv3d(signal, KERNEL.reshape(shape_k), padding=tuple(padding))
    s = signal[0]
    return (s - s.min()) / (s.max() - s.min())


def network_input(image: torch.Tensor, fg, bg) -> torch.Tensor:
    shape = image.shape[-3:]
    return torch.cat([image.reshape(1, *shape), guidance_channel(fg, shape), guidance_channel(bg, shape)], 0)


def sample(rng: np.random.Generator, any_target: bool = True):
    """(image [1,64,64,64] in [0,1], target [64,64,64] bool, the other same-HU objects) on the network grid.

    The target is the organ half the time, else one of the distractors (any_target): the network must follow
    the clicks. Evaluation asks for the organ."""
    ph, distractors = sample_deepedit_phantom(rng)
    shape, spacing, origin = random_grid(rng)
    target_index = int(rng.choice(3, p=[0.5, 0.25, 0.25])) if any_target else 0
    hu, organ = render(ph, distractors, shape, spacing, origin, rng, target_index)
    size = (SPATIAL_SIZE,) * 3
    image = F.interpolate(torch.from_numpy(scale_intensity(hu))[None, None], size=size, mode="area")[0]
    target = F.interpolate(torch.from_numpy(organ.astype(np.float32))[None, None], size=size, mode="area")[0, 0] >= 0.5
    bright = image[0] > (130.0 - 30.0 - A_MIN) / (A_MAX - A_MIN)
    return image, target.numpy(), (bright.numpy() & ~target.numpy())


@torch.no_grad()
def predict(net, x: torch.Tensor) -> np.ndarray:
    net.eval()
    out = net(x).argmax(1).numpy()
    net.train()
    return out


def training_batch(net, rng: np.random.Generator, batch: int):
    samples = [sample(rng) for _ in range(batch)]
    clicks, automatic = [], []
    for image, target, distractor in samples:
        automatic.append(rng.random() < 0.2)  # DiscardAddGuidanced: the automatic mode
        if automatic[-1] or rng.random() < 0.25:  # or the click loop starts from the automatic prediction
            clicks.append(([], []))
            continue
        fg = [seed_click(target, rng)]
        bg = [seed_click(distractor, rng)] if distractor.any() and rng.random() < 0.4 else []
        clicks.append((fg, [b for b in bg if b is not None]))
    rounds = int(rng.integers(0, 4))
    for _ in range(rounds):
        x = torch.stack([network_input(s[0], *c) for s, c in zip(samples, clicks)])
        preds = predict(net, x)
        for i, (s, c) in enumerate(zip(samples, clicks)):
            if automatic[i]:
                continue
            click = largest_error_click(preds[i], s[1])
            if click is not None:
                (c[0] if click[0] == "fg" else c[1]).append(click[1])
    x = torch.stack([network_input(s[0], *c) for s, c in zip(samples, clicks)])
    y = torch.from_numpy(np.stack([s[1] for s in samples]).astype(np.int64))
    return x, y


def loss_fn(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    ce = F.cross_entropy(logits, y)
    p = logits.softmax(1)[:, 1]
    t = y.float()
    dice = (2 * (p * t).sum() + 1e-5) / (p.sum() + t.sum() + 1e-5)
    return ce + (1 - dice)


def train(net, args) -> dict:
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-5)
    start, step, losses = time.time(), 0, []
    while time.time() - start < args.time_limit:
        progress = (time.time() - start) / args.time_limit
        for g in opt.param_groups:
            g["lr"] = args.lr * min(1.0, (step + 1) / 20) * (0.05 + 0.95 * 0.5 * (1 + np.cos(np.pi * progress)))
        x, y = training_batch(net, rng, args.batch)
        loss = loss_fn(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
        if step % 20 == 0:
            print(f"  step {step:4d}  loss {np.mean(losses[-20:]):.4f}  {time.time() - start:6.1f} s", flush=True)
        step += 1
    return {"steps": step, "seconds": round(time.time() - start, 1), "final_loss": float(np.mean(losses[-20:]))}


def dice(pred: np.ndarray, truth: np.ndarray) -> float:
    inter = np.logical_and(pred > 0, truth > 0).sum()
    total = (pred > 0).sum() + (truth > 0).sum()
    return 1.0 if total == 0 else 2.0 * inter / total


@torch.no_grad()
def evaluate(net) -> dict:
    """Dice on the network grid with no clicks, then after 1, 3 and 5: the first at the organ's deepest voxel (the
    largest error of an empty mask), each later one at the current prediction's largest error region."""
    per_count = {0: [], 1: [], 3: [], 5: []}
    for seed in EVAL_SEEDS:
        image, target, _ = sample(np.random.default_rng(seed), any_target=False)
        fg, bg = [], []
        for n in range(6):
            pred = predict(net, network_input(image, fg, bg)[None])[0]
            if n in per_count:
                per_count[n].append(dice(pred, target))
            click = largest_error_click(np.zeros_like(pred) if n == 0 else pred, target)
            if click is not None:
                (fg if click[0] == "fg" else bg).append(click[1])
    summary = {f"dice_after_{n}_clicks": round(float(np.mean(v)), 4) for n, v in per_count.items()}
    print("held-out NoC (network grid):", summary)
    return summary


def write_bundle(net, summary: dict) -> None:
    os.makedirs(os.path.join(BUNDLE_DIR, "models"), exist_ok=True)
    # MONAI bundles ship the PyTorch weights too; the bench's PyTorch reference runs them.
    torch.save(net.state_dict(), os.path.join(BUNDLE_DIR, "models", "model.pt"))
    export_onnx(net, os.path.join(BUNDLE_DIR, "models", "model.onnx"), doc=DISCLAIMER,
                metadata={"intended_use": DISCLAIMER}, example_shape=(1, 3, SPATIAL_SIZE, SPATIAL_SIZE, SPATIAL_SIZE))
    from deepedit_bundle_files import inference_config, metadata_config
    for name, content in (("metadata.json", metadata_config(NETWORK, summary, DISCLAIMER)),
                          ("inference.json", inference_config(NETWORK))):
        os.makedirs(os.path.join(BUNDLE_DIR, "configs"), exist_ok=True)
        with open(os.path.join(BUNDLE_DIR, "configs", name), "w") as f:
            json.dump(content, f, indent=4)
            f.write("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=480.0)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--checkpoint", default="/tmp/axial-deepedit/model.pt")
    parser.add_argument("--eval-only", action="store_true")
    parser.add_argument("--resume", action="store_true", help="continue training from --checkpoint")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    net = UNet(**NETWORK)
    if args.eval_only or args.resume:
        net.load_state_dict(torch.load(args.checkpoint))
    if args.eval_only:
        summary = {}
    else:
        summary = train(net, args)
        os.makedirs(os.path.dirname(args.checkpoint), exist_ok=True)
        torch.save(net.state_dict(), args.checkpoint)
        print("trained:", summary)
    net.eval()
    summary.update(evaluate(net))
    write_bundle(net, summary)


if __name__ == "__main__":
    main()
