"""AdamW: its first step by hand, an independent straightforward re-implementation over
many steps (PyTorch's own order of operations), and how it differs from Adam with an L2
penalty."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import AdamWStep, adamw_step


def reference_adamw(w, grads, lr, decay, beta1=0.9, beta2=0.999, eps=1e-8):
    """torch.optim.AdamW's loop, one weight at a time, in plain Python floats."""
    w = [float(x) for x in w]
    m = [0.0] * len(w)
    v = [0.0] * len(w)
    for t, g in enumerate(grads, start=1):
        bias1 = 1 - beta1**t
        bias2 = 1 - beta2**t
        for i, gi in enumerate(g):
            w[i] *= 1 - lr * decay
            m[i] = beta1 * m[i] + (1 - beta1) * gi
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
            denom = math.sqrt(v[i]) / math.sqrt(bias2) + eps
            w[i] -= (lr / bias1) * m[i] / denom
    return w, m, v


def test_first_step_hand_worked() -> None:
    # m̂ = g, v̂ = g²: w·(1 − lr·decay) − lr·g/(|g| + eps)
    step = adamw_step([1.0, -2.0], [0.5, -0.1], lr=0.1, decay=0.1)
    assert isinstance(step, AdamWStep)
    assert step.w == pytest.approx([1.0 * 0.99 - 0.1 * 0.5 / (0.5 + 1e-8),
                                    -2.0 * 0.99 + 0.1 * 0.1 / (0.1 + 1e-8)], rel=1e-15)
    assert step.m == pytest.approx([0.05, -0.01])
    assert step.v == pytest.approx([0.5**2 * 0.001, 0.1**2 * 0.001])


@settings(max_examples=200)
@given(st.lists(st.tuples(st.floats(-10, 10), st.floats(0.01, 100).flatmap(
    lambda a: st.sampled_from([a, -a]))), min_size=1, max_size=6),
    st.floats(1e-4, 0.1), st.floats(0, 0.5))
def test_first_step_moves_by_decay_plus_about_lr_sign_g(pairs, lr, decay) -> None:
    w = np.array([p[0] for p in pairs])
    g = np.array([p[1] for p in pairs])
    moved = w - adamw_step(w, g, lr, decay).w
    # lr·decay·w, then lr·g/(|g| + eps): lr·sign(g) within lr·eps/|g|
    assert moved == pytest.approx(lr * decay * w + lr * np.sign(g), abs=lr * 2e-6 + 1e-14)


@pytest.mark.parametrize("seed", range(5))
def test_many_steps_match_a_straightforward_implementation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    w0 = rng.normal(size=4)
    grads = rng.normal(size=(25, 4)) * rng.uniform(0.01, 10, size=4)
    lr, decay = 0.01, 0.05
    w, m, v = w0, 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        step = adamw_step(w, g, lr, decay, m=m, v=v, t=t)
        w, m, v = step.w, step.m, step.v
    ref_w, ref_m, ref_v = reference_adamw(w0, grads, lr, decay)
    assert w == pytest.approx(ref_w, rel=1e-12, abs=1e-14)
    assert m == pytest.approx(ref_m, rel=1e-12, abs=1e-15)
    assert v == pytest.approx(ref_v, rel=1e-12, abs=1e-18)


def test_other_betas_and_eps_match_too() -> None:
    w0, grads = [0.5, -1.5], [[0.2, -3.0], [0.1, 1.0], [-0.4, 2.0]]
    w, m, v = np.array(w0), 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        step = adamw_step(w, g, 0.05, 0.2, m=m, v=v, t=t, beta1=0.5, beta2=0.9, eps=1e-3)
        w, m, v = step.w, step.m, step.v
    ref_w, _, _ = reference_adamw(w0, grads, 0.05, 0.2, beta1=0.5, beta2=0.9, eps=1e-3)
    assert w == pytest.approx(ref_w, rel=1e-12)


def test_decay_is_decoupled_from_the_adaptive_scaling() -> None:
    # two weights of equal size, gradients 1000× apart, after many steps (m = g, v = g²):
    # AdamW decays both by the same lr·decay·w; Adam with the L2 gradient decay·w added
    # to g divides that term by √v̂, so the large-gradient weight is decayed far less
    w = np.array([1.0, 1.0])
    g = np.array([1e-3, 1.0])
    lr, decay, t = 0.01, 0.1, 1000
    state = {"m": g, "v": g * g, "t": t}
    plain = adamw_step(w, g, lr, 0.0, **state).w  # decay = 0 is Adam
    adamw = adamw_step(w, g, lr, decay, **state).w
    assert plain - adamw == pytest.approx(lr * decay * w)  # the same for both weights
    adam_l2 = adamw_step(w, g + decay * w, lr, 0.0, **state).w
    extra = plain - adam_l2  # what the L2 term added to each weight's step
    assert np.all(extra > 0)
    assert extra[0] > 100 * extra[1]


def test_bias_correction_makes_the_first_steps_full_size() -> None:
    # a constant gradient: m̂ = g and v̂ = g² at every step, so each step is lr·sign(g)
    w, m, v = np.array([0.0]), 0.0, 0.0
    for t in range(1, 6):
        step = adamw_step(w, [2.0], 0.1, 0.0, m=m, v=v, t=t)
        assert w - step.w == pytest.approx([0.1], rel=1e-7)
        w, m, v = step.w, step.m, step.v


def test_scalar_weight_and_array_moments() -> None:
    step = adamw_step(1.0, 0.5, 0.1, 0.0)
    assert float(step.w) == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8))
    step = adamw_step([1.0, 2.0], [0.1, 0.2], 0.1, 0.0, m=[0.01, 0.02], v=[1e-4, 4e-4], t=2)
    assert step.m == pytest.approx([0.9 * 0.01 + 0.1 * 0.1, 0.9 * 0.02 + 0.1 * 0.2])


def test_input_is_not_changed() -> None:
    w, m, v = np.array([1.0]), np.array([0.1]), np.array([0.01])
    adamw_step(w, [0.5], 0.1, 0.1, m=m, v=v, t=3)
    assert (w.tolist(), m.tolist(), v.tolist()) == ([1.0], [0.1], [0.01])


@pytest.mark.parametrize(
    ("kwargs", "name", "fragment"),
    [
        ({"grad": [1.0]}, "grad", "shape"),
        ({"lr": -0.1}, "lr", ">= 0"),
        ({"decay": -0.1}, "decay", ">= 0"),
        ({"m": [1.0, 2.0, 3.0]}, "m", "shape of w"),
        ({"v": [-1.0, 0.0]}, "v", ">= 0"),
        ({"t": 0}, "t", ">= 1"),
        ({"t": 1.5}, "t", "whole number"),
        ({"beta1": 1.0}, "beta1", "[0, 1)"),
        ({"beta2": -0.1}, "beta2", "[0, 1)"),
        ({"eps": 0.0}, "eps", "> 0"),
        ({"grad": [1e200, 0.0]}, "grad", "overflows"),
        ({"w": [1.0, math.nan]}, "w", "finite"),
    ],
)
def test_refusals(kwargs, name: str, fragment: str) -> None:
    args = {"w": [1.0, 2.0], "grad": [0.1, 0.2], "lr": 0.1, "decay": 0.01} | kwargs
    with pytest.raises(ValueError) as info:
        adamw_step(**args)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)
