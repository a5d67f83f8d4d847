"""Checks models/demo-ct-phantom/models/model.onnx with onnxruntime (numpy + onnxruntime only; no torch).

    python verify_demo_bundle.py [--model PATH] [--reference /tmp/axial-demo/onnx_reference.npz]

1. prints the session's input/output names and declared shapes;
2. runs a 1x1x64x64x64 and a 2x1x48x56x72 input and checks the output shapes; with --reference
   (written by train_demo_bundle.py) compares the logits with PyTorch's on the same inputs;
3. runs the held-out phantoms (demo_pipeline.EVAL_CASES, plus --random N more) through the bundle's whole pipeline with
   onnxruntime as the engine and prints per-label Dice on the source grid.
Not part of CI: onnxruntime is not one of the project's Python dependencies.
"""

import argparse
import os
import sys
import time

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from demo_pipeline import EVAL_CASES, random_case, run_case  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", default=os.path.join(HERE, "demo-ct-phantom", "models", "model.onnx"))
    p.add_argument("--reference", default="/tmp/axial-demo/onnx_reference.npz")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--random", type=int, default=0, metavar="N",
                   help="also run N random held-out cases (random storage order, tilt and spacing)")
    args = p.parse_args()

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    print(f"onnxruntime {ort.__version__}: {args.model}")
    for kind, values in (("input", session.get_inputs()), ("output", session.get_outputs())):
        for v in values:
            print(f"  {kind} {v.name!r} {v.type} {v.shape}")

    def predictor(batch: np.ndarray) -> np.ndarray:
        return session.run(["pred"], {"image": batch})[0]

    rng = np.random.default_rng(0)
    for shape in ((1, 1, 64, 64, 64), (2, 1, 48, 56, 72)):
        out = predictor(rng.random(shape, dtype=np.float32))
        expected = (shape[0], 3) + shape[2:]
        assert out.shape == expected, f"output {out.shape} for input {shape}, expected {expected}"
        print(f"  input {shape} -> output {out.shape}: ok")
    if os.path.exists(args.reference):
        ref = np.load(args.reference)
        for name in ("a", "b"):
            got = predictor(ref[f"input_{name}"])
            diff = float(np.abs(got - ref[f"torch_{name}"]).max())
            print(f"  vs PyTorch on {ref[f'input_{name}'].shape}: max |logit difference| {diff:.2e}")
            assert diff < 1e-3, "onnxruntime and PyTorch disagree"
    else:
        print(f"  (no PyTorch reference at {args.reference}; run train_demo_bundle.py to write one)")

    print("held-out phantoms through the bundle's pipeline with onnxruntime:")
    worst = {1: 1.0, 2: 1.0}
    for case in EVAL_CASES + [random_case(20_000 + i) for i in range(args.random)]:
        t0 = time.time()
        r = run_case(case, predictor)
        n, s = r["dice_network_grid"], r["dice_source_grid"]
        worst = {k: min(worst[k], s[k]) for k in worst}
        print(f"  {r['name']:<30} 1.5mm-grid organ {n[1]:.4f} bone {n[2]:.4f} | "
              f"source-grid organ {s[1]:.4f} bone {s[2]:.4f}  ({time.time() - t0:.1f} s)", flush=True)
    print(f"lowest source-grid Dice: organ {worst[1]:.4f}, bone {worst[2]:.4f}")


if __name__ == "__main__":
    main()
