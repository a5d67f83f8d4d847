#!/usr/bin/python3
"""Tiny torch models with ConvTranspose layers, exported to ONNX for the rewrite's equivalence spec.

Run with Debian's Python (python3-torch, python3-onnx): makeConvTransposeModels.py <folder>.
Writes <name>.onnx for each model and prints JSON [{"name", "file", "shape"}] with an input shape
to run it on. Seeded weights; the spatial axes are dynamic, as MONAI bundles export them.
"""

import sys

from torch import nn

from torchExport import Tail, UNet, export_models, print_listed


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
    print_listed(export_models(models(), sys.argv[1], 100))


if __name__ == "__main__":
    main()
