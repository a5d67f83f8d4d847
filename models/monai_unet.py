"""MONAI's UNet (monai.networks.nets.UNet) rebuilt in plain torch.

MONAI cannot be installed here, so this mirrors its structure and its module
names: a state_dict saved from this class has the keys MONAI's UNet uses
(``model.0.conv.unit0.conv.weight``, ``model.1.submodule...``,
``model.2.0.conv.weight``, ...). Only what the Axial bundles need is
supported: 3D, ``act="PRELU"``, ``norm`` batch or instance, no dropout,
``adn_ordering="NDA"``, kernel sizes 3.
"""

from typing import Sequence

import torch
from torch import nn


def _norm_layer(norm: str, channels: int) -> nn.Module:
    if norm == "batch":
        return nn.BatchNorm3d(channels)
    if norm == "instance":
        # MONAI's Norm.INSTANCE uses torch's defaults: affine=False.
        return nn.InstanceNorm3d(channels)
    raise ValueError(f"unsupported norm {norm!r}")


class ADN(nn.Sequential):
    """Norm then activation (MONAI's ADN with ordering "NDA" and no dropout)."""

    def __init__(self, channels: int, norm: str) -> None:
        super().__init__()
        self.add_module("N", _norm_layer(norm, channels))
        self.add_module("A", nn.PReLU())


class Convolution(nn.Sequential):
    """monai.networks.blocks.Convolution: conv (or transposed conv), then ADN."""

    def __init__(self, in_ch: int, out_ch: int, strides: int, norm: str,
                 conv_only: bool = False, is_transposed: bool = False) -> None:
        super().__init__()
        if is_transposed:
            # MONAI: padding = same_padding(3) = 1, output_padding = stride - 1.
            conv = nn.ConvTranspose3d(in_ch, out_ch, 3, stride=strides, padding=1,
                                      output_padding=strides - 1)
        else:
            conv = nn.Conv3d(in_ch, out_ch, 3, stride=strides, padding=1)
        self.add_module("conv", conv)
        if not conv_only:
            self.add_module("adn", ADN(out_ch, norm))


class ResidualUnit(nn.Module):
    """monai.networks.blocks.ResidualUnit: ``subunits`` convolutions plus a residual path.

    The residual path is the identity unless the stride or the channel count
    changes; then it is a 3x3x3 strided conv (stride != 1) or a 1x1x1 conv.
    """

    def __init__(self, in_ch: int, out_ch: int, strides: int, subunits: int, norm: str,
                 last_conv_only: bool = False) -> None:
        super().__init__()
        self.conv = nn.Sequential()
        self.residual: nn.Module = nn.Identity()
        schannels, sstrides = in_ch, strides
        subunits = max(1, subunits)
        for su in range(subunits):
            conv_only = last_conv_only and su == subunits - 1
            self.conv.add_module(f"unit{su:d}", Convolution(schannels, out_ch, sstrides, norm, conv_only))
            schannels, sstrides = out_ch, 1
        if strides != 1 or in_ch != out_ch:
            if strides == 1:
                self.residual = nn.Conv3d(in_ch, out_ch, 1, stride=1, padding=0)
            else:
                self.residual = nn.Conv3d(in_ch, out_ch, 3, stride=strides, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x) + self.residual(x)


class SkipConnection(nn.Module):
    """Concatenates the input with the output of ``submodule`` along channels."""

    def __init__(self, submodule: nn.Module) -> None:
        super().__init__()
        self.submodule = submodule

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([x, self.submodule(x)], dim=1)


class UNet(nn.Module):
    """monai.networks.nets.UNet(spatial_dims=3, ..., act="PRELU", kernel_size=3, up_kernel_size=3).

    Each spatial size must be divisible by the product of ``strides``.
    """

    def __init__(self, in_channels: int, out_channels: int, channels: Sequence[int],
                 strides: Sequence[int], num_res_units: int = 2, norm: str = "batch") -> None:
        super().__init__()
        if len(channels) < 2 or len(strides) != len(channels) - 1:
            raise ValueError("need len(strides) == len(channels) - 1 >= 1")
        self.num_res_units = num_res_units
        self.norm = norm

        def create_block(inc: int, outc: int, chans: Sequence[int], strs: Sequence[int],
                         is_top: bool) -> nn.Sequential:
            c, s = chans[0], strs[0]
            if len(chans) > 2:
                subblock: nn.Module = create_block(c, c, chans[1:], strs[1:], False)
                upc = c * 2
            else:
                subblock = self._down_layer(c, chans[1], 1)
                upc = c + chans[1]
            down = self._down_layer(inc, c, s)
            up = self._up_layer(upc, outc, s, is_top)
            return nn.Sequential(down, SkipConnection(subblock), up)

        self.model = create_block(in_channels, out_channels, list(channels), list(strides), True)

    def _down_layer(self, in_ch: int, out_ch: int, strides: int) -> nn.Module:
        if self.num_res_units > 0:
            return ResidualUnit(in_ch, out_ch, strides, self.num_res_units, self.norm)
        return Convolution(in_ch, out_ch, strides, self.norm)

    def _up_layer(self, in_ch: int, out_ch: int, strides: int, is_top: bool) -> nn.Module:
        conv = Convolution(in_ch, out_ch, strides, self.norm,
                           conv_only=is_top and self.num_res_units == 0, is_transposed=True)
        if self.num_res_units > 0:
            ru = ResidualUnit(out_ch, out_ch, 1, 1, self.norm, last_conv_only=is_top)
            return nn.Sequential(conv, ru)
        return conv

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)
