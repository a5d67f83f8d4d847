#!/usr/bin/python3
"""Tiny torch models with ConvTranspose layers, exported to ONNX for the rewrite's equivalence spec.

Run with Debian's Python (python3-torch, python3-onnx): makeConvTransposeModels.py <folder>.
Writes <name>.onnx for each model and prints JSON [{"name", "file", "shape"}] with an input shape
to run it on. Seeded weights; the spatial axes are dynamic, as MONAI bundles export them.
"""

import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "models"))
from monai_unet import UNet  # noqa: E402


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


def models():
    """(name, module, input shape): the cases the issue names, and a few that stress the geometry."""
    t3, t2 = nn.ConvTranspose3d, nn.ConvTranspose2d
    yield "3d_k2_s2_bias", t3(3, 4, 2, stride=2), (2, 3, 5, 6, 7)
    yield "3d_k2_s2_nobias", t3(3, 4, 2, stride=2, bias=False), (2, 3, 5, 6, 7)
    yield "3d_k3_s2_p1_op1_bias", t3(3, 5, 3, stride=2, padding=1, output_padding=1), (2, 3, 6, 5, 7)
    yield "3d_k3_s2_p1_op1_nobias", t3(3, 5, 3, stride=2, padding=1, output_padding=1, bias=False), (2, 3, 6, 5, 7)
    yield "2d_k3_s2_p1_op1_bias", t2(4, 3, 3, stride=2, padding=1, output_padding=1), (2, 4, 9, 8)
    yield "2d_k4_s2_p1_nobias", t2(4, 3, 4, stride=2, padding=1, bias=False), (2, 4, 9, 8)
    # An odd output length (crop at the end), anisotropic strides and kernels, a stride larger than the kernel.
    yield "3d_k3_s2_p0", t3(2, 3, 3, stride=2), (1, 2, 4, 5, 3)
    yield "3d_aniso", t3(2, 3, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), output_padding=(0, 1, 1)), (1, 2, 4, 5, 6)
    yield "3d_k1_s2", t3(2, 3, 1, stride=2), (1, 2, 3, 4, 5)
    yield "3d_k3_s3_p2", t3(2, 3, 3, stride=3, padding=2, output_padding=1), (1, 2, 4, 4, 4)
    yield "3d_aniso_last", t3(2, 3, (3, 3, 1), stride=(2, 2, 1), padding=(1, 1, 0), output_padding=(1, 1, 0)), (1, 2, 4, 5, 6)
    # Batch norm and an activation after the ConvTranspose, as MONAI's UNet has them (moved before the interleave).
    yield "3d_bn_prelu", Tail(t3(3, 4, 3, stride=2, padding=1, output_padding=1), nn.BatchNorm3d(4), nn.PReLU()), (2, 3, 5, 4, 6)
    yield "2d_bn_relu", Tail(t2(3, 4, 2, stride=2), nn.BatchNorm2d(4), nn.ReLU()), (2, 3, 7, 6)
    yield "3d_bn_prelu_channels", Tail(t3(3, 4, 2, stride=2), nn.BatchNorm3d(4), nn.PReLU(4)), (1, 3, 4, 5, 3)
    yield "3d_bn_read_twice", Tail(t3(3, 4, 2, stride=2), nn.BatchNorm3d(4), nn.ReLU(), twice=True), (1, 3, 4, 5, 3)
    # Instance norm (most MONAI bundles' norm) takes its statistics over each channel's whole output: it stays after the interleave.
    yield "3d_instance_prelu", Tail(t3(3, 4, 3, stride=2, padding=1, output_padding=1), nn.InstanceNorm3d(4, affine=True), nn.PReLU()), (2, 3, 5, 4, 6)
    # Left alone: groups and dilation.
    yield "3d_groups2", t3(4, 4, 2, stride=2, groups=2), (1, 4, 3, 3, 3)
    yield "3d_dilation2", t3(2, 3, 3, stride=2, dilation=2), (1, 2, 3, 3, 3)
    # A whole MONAI UNet (the spleen bundle's structure, narrower), batch norm folded by the exporter.
    yield "unet", UNet(in_channels=1, out_channels=2, channels=(4, 8, 16), strides=(2, 2), num_res_units=2, norm="batch"), (2, 1, 16, 16, 16)


def main() -> None:
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    listed = []
    for index, (name, module, shape) in enumerate(models()):
        torch.manual_seed(100 + index)
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
    print(json.dumps(listed))


if __name__ == "__main__":
    main()
