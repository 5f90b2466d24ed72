"""Parameter counts against hand counts and against the sizes of the weight arrays a
layer really holds."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import engine.parameters
from engine import conv_parameter_count, dense_parameter_count


def test_hand_counts() -> None:
    # LeNet's first convolution: six 5×5 kernels on one channel, one bias each
    assert conv_parameter_count(5, 5, 1, 6) == 5 * 5 * 6 + 6 == 156
    # a VGG block: 3×3, 64 → 64
    assert conv_parameter_count(3, 3, 64, 64) == 36_928
    assert conv_parameter_count(3, 3, 64, 64, bias=False) == 36_864
    assert conv_parameter_count(1, 1, 256, 64) == 16_448  # a 1×1 convolution
    assert conv_parameter_count(3, 5, 2, 4) == 3 * 5 * 2 * 4 + 4
    # MNIST into 100 hidden units
    assert dense_parameter_count(784, 100) == 78_500
    assert dense_parameter_count(784, 100, bias=False) == 78_400
    assert dense_parameter_count(1, 1) == 2


@given(st.integers(1, 7), st.integers(1, 7), st.integers(1, 16), st.integers(1, 16),
       st.booleans())
def test_conv_count_is_the_size_of_its_arrays(kh, kw, cin, cout, bias) -> None:
    # PyTorch's Conv2d holds weight (out, in, kh, kw) and bias (out,)
    arrays = [np.empty((cout, cin, kh, kw))] + ([np.empty(cout)] if bias else [])
    assert conv_parameter_count(kh, kw, cin, cout, bias=bias) == sum(a.size for a in arrays)


@given(st.integers(1, 300), st.integers(1, 300), st.booleans())
def test_dense_count_is_the_size_of_its_arrays(n_in, n_out, bias) -> None:
    arrays = [np.empty((n_out, n_in))] + ([np.empty(n_out)] if bias else [])
    assert dense_parameter_count(n_in, n_out, bias=bias) == sum(a.size for a in arrays)


def test_sharing_makes_a_convolution_far_smaller_than_a_dense_layer() -> None:
    # 32×32×3 image to a 32×32×16 map: a 3×3 convolution against a dense layer
    conv = conv_parameter_count(3, 3, 3, 16)
    dense = dense_parameter_count(32 * 32 * 3, 32 * 32 * 16)
    assert conv == 448
    assert dense == 32 * 32 * 3 * 32 * 32 * 16 + 32 * 32 * 16
    assert dense // conv > 100_000


def test_large_counts_are_exact_integers() -> None:
    assert conv_parameter_count(10**6, 10**6, 10**6, 10**6) == 10**24 + 10**6


@pytest.mark.parametrize(
    ("call", "name", "fragment"),
    [
        (lambda: conv_parameter_count(0, 3, 1, 1), "kernel_h", ">= 1"),
        (lambda: conv_parameter_count(3, -1, 1, 1), "kernel_w", ">= 1"),
        (lambda: conv_parameter_count(3, 3, 1.5, 1), "in_channels", "whole number"),
        (lambda: conv_parameter_count(3, 3, 1, True), "out_channels", "whole number"),
        (lambda: conv_parameter_count(3, 3, 1, 1, bias=1), "bias", "True or False"),
        (lambda: dense_parameter_count(0, 3), "in_features", ">= 1"),
        (lambda: dense_parameter_count(3, "4"), "out_features", "whole number"),
        (lambda: dense_parameter_count(3, 4, bias="yes"), "bias", "True or False"),
    ],
)
def test_refusals(call, name: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)


def test_docstring_examples() -> None:
    result = doctest.testmod(engine.parameters)
    assert result.attempted > 0
    assert result.failed == 0
