#!/usr/bin/python3
"""Tiny torch 3D networks exported to ONNX for the depth-major rewrite's equivalence spec.

Run with Debian's Python (python3-torch, python3-onnx): makeDepthMajorModels.py <folder>.
Writes <name>.onnx for each model and prints JSON [{"name", "file", "shape"}] with the input shape the
rewrite is built for. Seeded weights; the spatial axes are dynamic, as MONAI bundles export them.
"""

import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

from torchExport import Tail, UNet, export_models, print_listed


class Chain(nn.Module):
    """Layers one after another, with what a MONAI network puts between them."""

    def __init__(self, *layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class Arithmetic(nn.Module):
    """Two branches concatenated over channels, scaled, added and subtracted, then a softmax over channels."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv3d(2, 3, 3, padding=1)
        self.b = nn.Conv3d(2, 2, (3, 1, 1), padding=(1, 0, 0), bias=False)
        self.c = nn.Conv3d(5, 5, 1)

    def forward(self, x):
        y = torch.cat([torch.sigmoid(self.a(x)), self.b(x)], dim=1)
        z = self.c(y) * 0.5 + y - torch.tanh(y)
        return torch.softmax(z / 2.0, dim=1)


class DynUNetLike(nn.Module):
    """An nnU-Net-style network (MONAI's DynUNet, anisotropic): conv, affine instance norm and LeakyReLU twice per
    level, a first kernel one deep along the last axis, strides (2, 2, 1) down and up, skips concatenated."""

    def __init__(self, widths=(4, 8, 16), classes=3):
        super().__init__()

        def block(ci, co, stride, kernel=3):
            pad = tuple(k // 2 for k in kernel) if isinstance(kernel, tuple) else kernel // 2
            return nn.Sequential(nn.Conv3d(ci, co, kernel, stride=stride, padding=pad, bias=False), nn.InstanceNorm3d(co, affine=True),
                                 nn.LeakyReLU(0.01), nn.Conv3d(co, co, kernel, padding=pad, bias=False), nn.InstanceNorm3d(co, affine=True),
                                 nn.LeakyReLU(0.01))

        a, b, c = widths
        self.enc0, self.enc1, self.bottom = block(1, a, 1, (3, 3, 1)), block(a, b, (2, 2, 1)), block(b, c, (2, 2, 1))
        self.up1, self.dec1 = nn.ConvTranspose3d(c, b, (2, 2, 1), stride=(2, 2, 1), bias=False), block(2 * b, b, 1)
        self.up0, self.dec0 = nn.ConvTranspose3d(b, a, (2, 2, 1), stride=(2, 2, 1), bias=False), block(2 * a, a, 1)
        self.out = nn.Conv3d(a, classes, 1)

    def forward(self, x):
        e0 = self.enc0(x)
        e1 = self.enc1(e0)
        d1 = self.dec1(torch.cat([self.up1(self.bottom(e1)), e1], dim=1))
        return self.out(self.dec0(torch.cat([self.up0(d1), e0], dim=1)))


def models():
    """(name, module, input shape): MONAI's layers, odd geometries, and what the rewrite leaves alone."""
    c3, t3 = nn.Conv3d, nn.ConvTranspose3d
    yield "conv_k3_p1", c3(2, 4, 3, padding=1), (2, 2, 6, 5, 7)
    yield "conv_k3_s2_p1", c3(2, 4, 3, stride=2, padding=1), (2, 2, 7, 6, 5)
    yield "conv_k1_nobias", Chain(c3(3, 3, 3, padding=1), c3(3, 2, 1, bias=False)), (1, 3, 4, 5, 3)
    yield "conv_aniso", c3(2, 3, (3, 1, 3), stride=(2, 1, 1), padding=(0, 0, 1)), (1, 2, 7, 4, 5)
    yield "conv_dilated", c3(2, 3, 3, dilation=(2, 1, 2), padding=(2, 1, 0)), (1, 2, 6, 5, 7)
    yield "conv_k5_depth_only", c3(1, 2, (5, 1, 1), padding=(2, 0, 0)), (2, 1, 6, 3, 4)
    yield "convtranspose_k2_s2", t3(3, 4, 2, stride=2), (2, 3, 4, 5, 3)
    yield "convtranspose_k3_s2_p1_op1", t3(3, 5, 3, stride=2, padding=1, output_padding=1), (2, 3, 5, 4, 6)
    yield "convtranspose_k4_s2_p1", t3(2, 3, 4, stride=2, padding=1), (1, 2, 3, 4, 5)
    yield "convtranspose_aniso", t3(2, 3, (3, 3, 3), stride=(1, 2, 2), padding=1, output_padding=(0, 1, 1)), (1, 2, 4, 5, 6)
    # Unequal strides across the plane (a DynUNet's anisotropic upsampling, either way round).
    yield "convtranspose_plane_2_1", t3(3, 4, (2, 2, 1), stride=(2, 2, 1)), (2, 3, 4, 5, 3)
    yield "convtranspose_plane_1_2", t3(3, 2, 3, stride=(1, 1, 2), padding=1, output_padding=(0, 0, 1)), (1, 3, 3, 4, 5)
    yield "convtranspose_bn_prelu", Tail(t3(3, 4, 3, stride=2, padding=1, output_padding=1), nn.BatchNorm3d(4), nn.PReLU()), (2, 3, 5, 4, 6)
    yield "convtranspose_bn_prelu_channels", Tail(t3(3, 4, 2, stride=2), nn.BatchNorm3d(4), nn.PReLU(4)), (1, 3, 4, 5, 3)
    yield "convtranspose_bn_read_twice", Tail(t3(3, 4, 2, stride=2), nn.BatchNorm3d(4), nn.ReLU(), twice=True), (1, 3, 4, 5, 3)
    yield "arithmetic", Arithmetic(), (2, 2, 5, 6, 4)
    yield "chain", Chain(c3(1, 4, 3, padding=1), nn.BatchNorm3d(4), nn.LeakyReLU(0.1), c3(4, 4, 3, stride=2, padding=1), nn.ELU(),
                         t3(4, 2, 2, stride=2), nn.PReLU(2)), (2, 1, 8, 6, 10)
    # A 1×1×1 head widening the output to more classes than its input has channels.
    yield "widening_head", Chain(c3(1, 4, 3, padding=1), nn.ReLU(), c3(4, 9, 1)), (2, 1, 5, 6, 4)
    # A whole MONAI UNet (the spleen bundle's structure, narrower), batch norm folded by the exporter.
    yield "unet", UNet(in_channels=1, out_channels=2, channels=(4, 8, 16), strides=(2, 2), num_res_units=2, norm="batch"), (2, 1, 16, 16, 16)
    # MONAI's default norm (instance, no affine, scale and bias exported as Constant nodes), and DynUNet's (affine,
    # after a ConvTranspose, then LeakyReLU).
    yield "unet_instance", UNet(in_channels=1, out_channels=2, channels=(4, 8), strides=(2,), num_res_units=1, norm="instance"), (2, 1, 8, 6, 10)
    yield "instance_norm_affine", Chain(c3(1, 4, 3, padding=1), nn.InstanceNorm3d(4, affine=True), nn.LeakyReLU(0.01),
                                        t3(4, 3, 2, stride=2), nn.InstanceNorm3d(3, affine=True), nn.LeakyReLU(0.01)), (2, 1, 5, 4, 6)
    yield "dynunet_aniso", DynUNetLike(), (2, 1, 8, 8, 5)
    # Left alone, with the reason: group norm, an output cropped after the interleave, a grouped convolution.
    yield "group_norm", Chain(c3(1, 4, 3, padding=1), nn.GroupNorm(2, 4)), (1, 1, 4, 4, 4)
    yield "convtranspose_cropped", t3(2, 3, 3, stride=2), (1, 2, 4, 5, 3)
    yield "conv_groups", c3(4, 4, 3, padding=1, groups=2), (1, 4, 4, 4, 4)
    yield "pointwise_only", Chain(c3(1, 3, 1), nn.ReLU(), c3(3, 5, 1)), (1, 1, 4, 4, 4)


def handmade():
    """(name, model, input shape): graphs torch cannot export (uneven pads) or that the rewrite must refuse."""
    rng = np.random.default_rng(7)

    def conv_graph(name, shape, nodes, initializers, opset=17, fixed=False):
        dims = list(shape) if fixed else ["batch", shape[1], "d", "h", "w"]
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None] * 5)
        graph = helper.make_graph(nodes, name, [x], [y], [numpy_helper.from_array(v, k) for k, v in initializers.items()])
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])

    weight = rng.uniform(-1, 1, (3, 2, 3, 3, 3)).astype(np.float32)
    bias = rng.uniform(-1, 1, 3).astype(np.float32)
    # ONNX pads: every axis's begin, then every axis's end; uneven along depth and across the plane.
    uneven = helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[2, 1, 0, 0, 0, 2], strides=[2, 1, 1])
    yield "conv_uneven_pads", conv_graph("uneven", (2, 2, 7, 5, 6), [uneven], {"w": weight, "b": bias}), (2, 2, 7, 5, 6)
    conv = helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1] * 6)
    # Before opset 13 Softmax flattens every axis from `axis` on.
    softmax12 = conv_graph("softmax12", (1, 2, 4, 4, 4), [conv, helper.make_node("Softmax", ["c"], ["y"], axis=1)], {"w": weight, "b": bias}, opset=12)
    yield "softmax_opset12", softmax12, (1, 2, 4, 4, 4)
    concat = helper.make_node("Concat", ["c", "c"], ["y"], axis=2)
    yield "concat_depth", conv_graph("concat", (1, 2, 4, 4, 4), [conv, concat], {"w": weight, "b": bias}), (1, 2, 4, 4, 4)
    # A Dropout in inference mode (a MONAI UNet with dropout exported as the node): the identity.
    dropout = helper.make_node("Dropout", ["c"], ["y"])
    yield "dropout", conv_graph("dropout", (1, 2, 4, 5, 6), [conv, dropout], {"w": weight, "b": bias}), (1, 2, 4, 5, 6)
    # An instance norm whose scale is an Identity of an initializer and whose bias an Identity of a Constant node.
    norm_nodes = [conv, helper.make_node("Identity", ["s0"], ["s"]),
                  helper.make_node("Constant", [], ["b0"], value=numpy_helper.from_array(rng.uniform(-1, 1, 3).astype(np.float32))),
                  helper.make_node("Identity", ["b0"], ["bn"]), helper.make_node("InstanceNormalization", ["c", "s", "bn"], ["y"], epsilon=1e-3)]
    norm_values = {"w": weight, "b": bias, "s0": rng.uniform(0.5, 2, 3).astype(np.float32)}
    yield "instance_norm_identities", conv_graph("norm_identities", (2, 2, 4, 5, 6), norm_nodes, norm_values), (2, 2, 4, 5, 6)
    yield "fixed_input", conv_graph("fixed", (1, 2, 4, 4, 4), [helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[1] * 6)],
                                    {"w": weight, "b": bias}, fixed=True), (1, 2, 4, 4, 4)
    # A fixed batch of 8: every run holds 8 windows, however few the sliding window gives.
    yield "fixed_batch", conv_graph("fixed_batch", (8, 2, 4, 16, 16), [helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[1] * 6)],
                                    {"w": weight, "b": bias}, fixed=True), (8, 2, 4, 16, 16)
    # A 7-deep kernel: its depth stacks and their blocked copies are 7 times their input, so a batch of 24 at 64³
    # needs gigabytes more than the 3D convolution does (the out-of-memory fallback's spec).
    deep = rng.uniform(-1, 1, (4, 4, 7, 3, 3)).astype(np.float32)
    yield "conv_deep", conv_graph("deep", (24, 4, 64, 64, 64), [helper.make_node("Conv", ["x", "w"], ["y"], pads=[3, 1, 1, 3, 1, 1])],
                                  {"w": deep}), (24, 4, 64, 64, 64)


def main() -> None:
    folder = sys.argv[1]
    listed = export_models(models(), folder, 300)
    for name, model, shape in handmade():
        path = os.path.join(folder, f"{name}.onnx")
        onnx.checker.check_model(model)
        onnx.save(model, path)
        listed.append({"name": name, "file": path, "shape": list(shape)})
    print_listed(listed)


if __name__ == "__main__":
    main()
