"""Parameter counts of a convolution and of a fully connected (dense) layer.

A convolution shares one kernel across every position of the image (パラメータ共有):
its count does not depend on the image size, while a dense layer has a weight for
every pair of input and output units.
"""

from __future__ import annotations

from engine._validate import as_flag, positive_int


def conv_parameter_count(
    kernel_h: int, kernel_w: int, in_channels: int, out_channels: int, bias: bool = True
) -> int:
    """kernel_h·kernel_w·in_channels·out_channels, plus out_channels with a bias.

    Each output channel has one kernel of kernel_h × kernel_w × in_channels weights and
    (with a bias) one bias, used at every position.

    Examples
    --------
    >>> conv_parameter_count(3, 3, 3, 64), conv_parameter_count(3, 3, 3, 64, bias=False)
    (1792, 1728)
    """
    kh = positive_int(kernel_h, "kernel_h")
    kw = positive_int(kernel_w, "kernel_w")
    cin = positive_int(in_channels, "in_channels")
    cout = positive_int(out_channels, "out_channels")
    weights = kh * kw * cin * cout
    return weights + cout if as_flag(bias, "bias") else weights


def dense_parameter_count(in_features: int, out_features: int, bias: bool = True) -> int:
    """in_features·out_features, plus out_features with a bias.

    Examples
    --------
    >>> dense_parameter_count(784, 100), dense_parameter_count(784, 100, bias=False)
    (78500, 78400)
    """
    n_in = positive_int(in_features, "in_features")
    n_out = positive_int(out_features, "out_features")
    weights = n_in * n_out
    return weights + n_out if as_flag(bias, "bias") else weights


__all__ = ["conv_parameter_count", "dense_parameter_count"]
