"""The figures of explore and of the practice feedback are what the engine computes."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from studyapp.study.figures import (
    CONSTRAINT_NOISE,
    CONSTRAINT_W,
    CONSTRAINT_X,
    PATH_TRUE_W,
    constraint_figure,
    dropout_figure,
    path_figure,
    penalty_figure,
)


def test_constraint_solutions_touch_the_regions_and_match_the_penalised_fits() -> None:
    fig = constraint_figure()
    X = np.array(CONSTRAINT_X)
    y = X @ np.array(CONSTRAINT_W) + np.array(CONSTRAINT_NOISE)
    assert engine.l1_norm(fig.l1) == pytest.approx(fig.t, abs=1e-6)
    assert engine.l2_norm(fig.l2) == pytest.approx(fig.t, abs=1e-6)
    assert fig.l1[1] == 0.0 and fig.l1[0] > 0     # the diamond's corner: a zero
    assert abs(fig.l2[1]) > 0.1                     # the circle: no zero
    # no point of the boundary has a smaller loss than the contact point
    theta = np.linspace(0, 2 * np.pi, 4001)
    c, s = np.cos(theta), np.sin(theta)
    diamond = np.stack([c, s]) * fig.t / (np.abs(c) + np.abs(s))
    circle = np.stack([c, s]) * fig.t
    for points, solution in ((diamond, fig.l1), (circle, fig.l2)):
        losses = np.sum((y[:, None] - X @ points) ** 2, axis=0)
        assert fig.rss(solution) <= losses.min() + 1e-6
    # the contour through a point is where the loss equals that level
    xs, ys = fig.contour(fig.rss(fig.l2))
    for k in range(0, len(xs), 40):
        assert fig.rss(np.array([xs[k], ys[k]])) == pytest.approx(fig.rss(fig.l2))


def test_paths_lasso_zeros_useless_features_first_ridge_never() -> None:
    fig = path_figure()
    assert fig.lasso.shape == fig.ridge.shape == (len(fig.lams), len(PATH_TRUE_W))
    assert np.all(fig.lasso[-1] == 0)              # above λ_max every coefficient is 0
    assert np.all(fig.ridge != 0)
    zeros = fig.zero_at()
    useless = [zeros[j] for j, w in enumerate(PATH_TRUE_W) if w == 0]
    useful = [zeros[j] for j, w in enumerate(PATH_TRUE_W) if w != 0]
    assert max(useless) < min(useful)


def test_penalties_and_gradients_come_from_the_engine() -> None:
    fig = penalty_figure(points=5)
    assert fig.w.tolist() == [-2, -1, 0, 1, 2]
    assert fig.l1.tolist() == [2, 1, 0, 1, 2]
    assert fig.l2.tolist() == [4, 1, 0, 1, 4]
    assert fig.l1_grad.tolist() == [-1, -1, 0, 1, 1]
    assert fig.l2_grad.tolist() == [-4, -2, 0, 2, 4]


def test_dropout_figure_is_inverted_dropout() -> None:
    fig = dropout_figure(3, 0.5)
    np.testing.assert_array_equal(fig.out, fig.x * fig.mask / 0.5)
    again = dropout_figure(3, 0.5)
    np.testing.assert_array_equal(fig.mask, again.mask)
    assert fig.kept == int(fig.mask.sum())
