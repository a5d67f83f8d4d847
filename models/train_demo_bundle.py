#!/usr/bin/python3
"""Trains, evaluates and exports Axial's demonstration bundle, models/demo-ct-phantom.

DEMONSTRATION ONLY, NOT FOR CLINICAL USE: the network has only ever seen the
synthetic phantoms of demo-phantoms.md.

Run with Debian's Python (python3-torch 1.13 CPU, python3-onnx), from anywhere:

    /usr/bin/python3 models/train_demo_bundle.py            # train, evaluate, export (~10 min on 2 cores)
    /usr/bin/python3 models/train_demo_bundle.py --eval-only --checkpoint /tmp/axial-demo/model.pt

What it does:
1. draws training patches on the network's grid (RAS, 1.5 mm) as MONAI's Spacingd
   would produce them from a random source grid: a phantom is sampled at the
   voxel centres of a source grid with random spacing (0.6-3 mm, often
   anisotropic), random sub-voxel phase and a random orientation (rotations up
   to 30 degrees, axis flips and permutations), noise is added, and the result
   is resampled linearly to 1.5 mm along the same axes;
2. trains MONAI's UNet (monai_unet.py) for 540 s with cross-entropy + 0.2 x Dice
   (squared form). The targets are soft: clip(0.5 + d / 4 mm, 0, 1) with d the
   signed distance of the 1.5 mm voxel centre to the organ or bone surface. The
   0.5 level is the true surface, and a probability that ramps linearly across
   it survives Invertd's linear interpolation back to the source grid (a hard
   0/1 target moves the boundary to the midpoint between 1.5 mm voxels, which
   costs bone ~2-3 Dice points on fine source grids). Then BatchNorm statistics
   are re-estimated and the three output offsets (the last conv's bias) are
   fitted by cross-entropy, which removes a systematic outward shift of the
   0.5 level that training leaves (about 0.5 mm on the organ);
3. evaluates held-out phantoms (demo_pipeline.EVAL_CASES) through the bundle's
   whole pipeline and prints per-label Dice on the 1.5 mm grid and on the
   source grid after Invertd;
4. exports ONNX (input "image" [N,1,i,j,k], output "pred" [N,3,i,j,k] raw
   logits, dynamic batch and spatial axes) and writes configs/*.json.
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

from demo_pipeline import EVAL_CASES, run_case  # noqa: E402
from demo_training_data import RAMP_MM, TrainingBatches, training_batch  # noqa: E402
from demo_bundle_files import BUNDLE_NAME, DISCLAIMER, export_onnx, write_configs  # noqa: E402
from monai_unet import UNet  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE_DIR = os.path.join(HERE, "demo-ct-phantom")
NETWORK = {"in_channels": 1, "out_channels": 3, "channels": (8, 16, 32, 64), "strides": (2, 2, 2),
           "num_res_units": 2, "norm": "batch"}
DICE_WEIGHT = 0.2  # small, so Dice does not harden the probability ramp that Invertd needs


# ------------------------------------------------------------------ training

def dice_ce_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy against the soft target plus DICE_WEIGHT x Dice (MONAI's squared_pred form, foreground
    classes, pooled over the batch).

    The squared form (sum p^2 + sum t^2 in the denominator) is maximised by p = t, so unlike the plain soft
    Dice it does not push the probability ramp outwards.
    """
    log_p = F.log_softmax(logits, dim=1)
    ce = -(target * log_p).sum(1).mean()
    p = log_p.exp()[:, 1:]
    t = target[:, 1:]
    dims = (0, 2, 3, 4)
    dice = (2.0 * (p * t).sum(dims) + 1e-5) / ((p * p).sum(dims) + (t * t).sum(dims) + 1e-5)
    return ce + DICE_WEIGHT * (1.0 - dice.mean())


def train(net: torch.nn.Module, args) -> dict:
    """AdamW with warm-up and a cosine decay over whichever ends first: --steps or --time-limit seconds."""
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-5)
    warmup = 20

    def lr_at(step: int, progress: float) -> float:
        if step < warmup:
            return args.lr * (step + 1) / warmup
        return args.lr * (0.02 + 0.98 * 0.5 * (1 + np.cos(np.pi * min(progress, 1.0))))

    batches = iter(torch.utils.data.DataLoader(TrainingBatches(args.seed, args.batch, args.patch), batch_size=None,
                                               num_workers=1, prefetch_factor=4))
    net.train()
    start, data_seconds, losses, step = time.time(), 0.0, [], 0
    while True:
        progress = max(step / args.steps, (time.time() - start) / args.time_limit)
        if progress >= 1.0:
            break
        t0 = time.time()
        x, y = next(batches)
        data_seconds += time.time() - t0
        lr = lr_at(step, progress)
        for g in opt.param_groups:
            g["lr"] = lr
        loss = dice_ce_loss(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
        if step % 50 == 0:
            print(f"  step {step:4d}  loss {np.mean(losses[-50:]):.4f}  lr {lr:.2e}  {time.time() - start:6.1f} s",
                  flush=True)
        step += 1
    return {"steps": step, "seconds": time.time() - start, "data_seconds": data_seconds,
            "final_loss": float(np.mean(losses[-50:]))}


@torch.no_grad()
def recalibrate_batchnorm(net: torch.nn.Module, args, batches: int = 16) -> None:
    """Re-estimates BatchNorm running statistics as a plain average over fresh training batches."""
    rng = np.random.default_rng(args.seed + 1)
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm3d):
            m.reset_running_stats()
            m.momentum = None
    net.train()
    for _ in range(batches):
        net(training_batch(rng, args.batch, args.patch)[0])
    net.eval()


def calibrate_output_bias(net: torch.nn.Module, args, batches: int = 12) -> list:
    """Shifts the last convolution's bias so the probabilities match the soft targets on average.

    Only the three logit offsets are fitted (cross-entropy, LBFGS) on fresh training batches with the
    network in eval mode; background's offset is held at 0. It removes a systematic outward or inward
    shift of the 0.5 level, which Dice on the source grid is sensitive to. Returns the offsets added.
    """
    rng = np.random.default_rng(args.seed + 2)
    net.eval()
    with torch.no_grad():
        pairs = [training_batch(rng, args.batch, args.patch) for _ in range(batches)]
        logits = torch.cat([net(x) for x, _ in pairs])
        target = torch.cat([y for _, y in pairs])
    offset = torch.zeros(2, requires_grad=True)
    opt = torch.optim.LBFGS([offset], max_iter=50, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        shift = torch.cat([torch.zeros(1), offset]).view(1, 3, 1, 1, 1)
        loss = -(target * F.log_softmax(logits + shift, dim=1)).sum(1).mean()
        loss.backward()
        return loss

    opt.step(closure)
    last_conv = net.model[2][1].conv.unit0.conv  # the top up-layer's ResidualUnit: conv only, identity residual
    with torch.no_grad():
        last_conv.bias[1:] += offset.detach()
    return [0.0] + [float(v) for v in offset.detach()]


# --------------------------------------------------------------- evaluation

def evaluate(net: torch.nn.Module) -> dict:
    net.eval()

    @torch.no_grad()
    def predictor(batch: np.ndarray) -> np.ndarray:
        return net(torch.from_numpy(batch)).numpy()

    cases = []
    for case in EVAL_CASES:
        t0 = time.time()
        result = run_case(case, predictor)
        cases.append(result)
        n, s = result["dice_network_grid"], result["dice_source_grid"]
        print(f"  {result['name']:<30} source {str(result['source_shape']):<16} "
              f"1.5mm-grid organ {n[1]:.4f} bone {n[2]:.4f} | source-grid organ {s[1]:.4f} bone {s[2]:.4f}"
              f"  ({time.time() - t0:.1f} s)", flush=True)
    summary = {}
    for key in ("dice_network_grid", "dice_source_grid"):
        for label, name in ((1, "organ"), (2, "bone")):
            values = [c[key][label] for c in cases]
            summary[f"{key}_{name}_mean"] = float(np.mean(values))
            summary[f"{key}_{name}_min"] = float(np.min(values))
    return {"cases": cases, "summary": summary}


@torch.no_grad()
def save_onnx_reference(net: torch.nn.Module, path: str) -> None:
    """PyTorch logits on two fixed inputs, for verify_demo_bundle.py to compare onnxruntime against."""
    rng = np.random.default_rng(0)
    a = rng.random((1, 1, 64, 64, 64), dtype=np.float32)
    b = rng.random((2, 1, 48, 56, 72), dtype=np.float32)
    net.eval()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path, input_a=a, torch_a=net(torch.from_numpy(a)).numpy(),
             input_b=b, torch_b=net(torch.from_numpy(b)).numpy())
    print(f"wrote PyTorch reference logits for the ONNX check: {path}")


# --------------------------------------------------------------------- main

def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=3000, help="at most this many steps")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--patch", type=int, default=48, help="training patch edge in voxels (multiple of 8)")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--time-limit", type=float, default=540.0, help="train for at most this many seconds")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads; 1 is faster than 2 on a 2-core machine that is also doing other work")
    p.add_argument("--checkpoint", default="/tmp/axial-demo/model.pt", help="state_dict written after training")
    p.add_argument("--eval-only", action="store_true", help="load --checkpoint instead of training")
    p.add_argument("--bundle", default=BUNDLE_DIR)
    p.add_argument("--reference", default="/tmp/axial-demo/onnx_reference.npz",
                   help="where to write PyTorch logits for verify_demo_bundle.py")
    return p.parse_args()


def main() -> None:
    args = parse_args()
    started = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    net = UNet(**NETWORK)
    n_params = sum(p.numel() for p in net.parameters())
    print(f"UNet {NETWORK}: {n_params} parameters")
    train_info = None
    if args.eval_only:
        net.load_state_dict(torch.load(args.checkpoint))
        print(f"loaded {args.checkpoint}")
    else:
        print(f"training: up to {args.steps} steps or {args.time_limit:.0f} s, batches of {args.batch} patches of {args.patch}^3 at 1.5 mm, "
              f"AdamW lr {args.lr}, loss CE(soft, ramp {RAMP_MM} mm) + {DICE_WEIGHT} Dice, {args.threads} threads")
        train_info = train(net, args)
        print(f"trained {train_info['steps']} steps in {train_info['seconds']:.0f} s "
              f"({train_info['data_seconds']:.0f} s waiting for patches)")
        recalibrate_batchnorm(net, args)
        train_info["logit_offsets"] = calibrate_output_bias(net, args)
        print(f"BatchNorm statistics re-estimated; logit offsets fitted: {train_info['logit_offsets']}")
        os.makedirs(os.path.dirname(args.checkpoint), exist_ok=True)
        torch.save(net.state_dict(), args.checkpoint)
        print(f"saved {args.checkpoint}")
    print("held-out phantoms through the bundle pipeline (Orientationd, Spacingd, ScaleIntensityRanged, "
          "gaussian sliding window, softmax, Invertd, argmax):")
    t0 = time.time()
    evaluation = evaluate(net)
    print(f"evaluation took {time.time() - t0:.0f} s")
    print(json.dumps(evaluation["summary"], indent=2))
    onnx_path = os.path.join(args.bundle, "models", "model.onnx")
    export_onnx(net, onnx_path, doc=f"{DISCLAIMER}. {BUNDLE_NAME}: MONAI-style UNet trained on synthetic phantoms.",
                metadata={"bundle": BUNDLE_NAME, "intended_use": DISCLAIMER})
    save_onnx_reference(net, args.reference)
    write_configs(args.bundle, NETWORK, evaluation["summary"])
    print(f"total wall time {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
