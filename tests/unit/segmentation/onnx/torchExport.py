"""What the torch export scripts of this folder share: MONAI's UNet, a ConvTranspose with its tail, and the export loop.

Imported by makeConvTransposeModels.py and makeDepthMajorModels.py (run with Debian's Python, this folder first on sys.path).
"""

import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "models"))
from monai_unet import UNet  # noqa: E402,F401  (re-exported for the scripts)


class Tail(nn.Module):
    """A ConvTranspose, then what MONAI's ADN puts after it (batch norm, then an activation); `twice` also adds the
    ConvTranspose's own output back, so a second node reads it and nothing may move."""

    def __init__(self, conv, norm, act, twice=False):
        super().__init__()
        self.conv, self.norm, self.act, self.twice = conv, norm, act, twice

    def forward(self, x):
        y = self.conv(x)
        z = self.act(self.norm(y))
        return z + y if self.twice else z


def export_models(models, folder, first_seed):
    """Exports each (name, module, input shape) to <folder>/<name>.onnx (opset 17, the spatial axes dynamic, as MONAI
    bundles export them) with seeded weights, and returns the list the specs read: [{"name", "file", "shape"}]."""
    os.makedirs(folder, exist_ok=True)
    listed = []
    for index, (name, module, shape) in enumerate(models):
        torch.manual_seed(first_seed + index)
        # Single layers get weights of order 1; the UNet keeps torch's initialisation, so its outputs stay of order 1.
        if name != "unet":
            for p in module.parameters():
                nn.init.uniform_(p, -1.0, 1.0)
            # Running statistics of their own, so a wrongly ordered channel would show.
            for b in module.modules():
                if isinstance(b, nn.modules.batchnorm._BatchNorm):
                    b.running_mean.uniform_(-0.5, 0.5)
                    b.running_var.uniform_(0.5, 2.0)
        module.eval()
        path = os.path.join(folder, f"{name}.onnx")
        axes = {0: "batch", **{a: f"s{a}" for a in range(2, len(shape))}}
        torch.onnx.export(module, torch.zeros(shape), path, input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": axes, "y": axes}, opset_version=17, do_constant_folding=True)
        listed.append({"name": name, "file": path, "shape": list(shape)})
    return listed


def print_listed(listed):
    """The last line of output, which exportTorchModels.ts reads."""
    print(json.dumps(listed))
