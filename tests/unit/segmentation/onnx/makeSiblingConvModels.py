#!/usr/bin/python3
"""Tiny torch models whose Convs share their input, exported to ONNX for mergeSiblingConvs' spec.

Run with Debian's Python (python3-torch, python3-onnx): makeSiblingConvModels.py <folder>.
Writes <name>.onnx and prints JSON [{"name", "file", "shape"}]. Seeded weights, dynamic spatial axes.
"""

import json
import os
import sys

import torch
from torch import nn


class Siblings(nn.Module):
    """Two strided convs on one input, as MONAI's strided ResidualUnit has them (one with bias and an activation after it,
    one without bias), beside a third with another stride that must stay apart."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv3d(3, 4, 3, stride=2, padding=1)
        self.b = nn.Conv3d(3, 5, 3, stride=2, padding=1, bias=False)
        self.c = nn.Conv3d(3, 4, 3, stride=1, padding=1)
        self.act = nn.PReLU()

    def forward(self, x):
        return torch.cat([self.act(self.a(x)), self.b(x), self.c(x)[:, :, ::2, ::2, ::2]], 1)


def main() -> None:
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    listed = []
    shape = (2, 3, 7, 6, 9)
    for opset in (17, 11):
        torch.manual_seed(7)
        module = Siblings().eval()
        for p in module.parameters():
            nn.init.uniform_(p, -1.0, 1.0)
        name = f"siblings_opset{opset}"
        path = os.path.join(folder, f"{name}.onnx")
        axes = {0: "batch", 2: "d", 3: "h", 4: "w"}
        torch.onnx.export(module, torch.zeros(shape), path, input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": axes, "y": axes}, opset_version=opset, do_constant_folding=True)
        listed.append({"name": name, "file": path, "shape": list(shape)})
    print(json.dumps(listed))


if __name__ == "__main__":
    main()
