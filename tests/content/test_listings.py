"""The exam's multi-line code listings: every choice is run in the blank, and exactly the
keyed one gives the engine's value.

The app only shows a listing fill-in (a ``code`` question with ``listing:``); it never runs
it. Here each of its choices is put in the blank ``【ア】`` (every line indented like the
blank, by the validator's own ``fill_blank``), the program is executed with ``np`` and the
``check.given`` names bound (lists become arrays), then ``check.run`` is executed in the
same namespace and ``out`` is read. Exactly the keyed choice must equal the engine's value
of ``check.expect`` (same shape, within 1e-9); a wrong choice may also raise.

Isolation, so that nothing a listing does reaches another test:

- NumPy: ``run`` may replace ``np.random.rand`` (and friends) to feed a listing fixed
  "random" numbers. Every attribute of ``numpy`` and ``numpy.random`` a program replaces
  or adds is put back afterwards, and the global generator is seeded for the run and its
  state restored, so a listing that draws real random numbers is still reproducible.
  Floating-point trouble (0/0, division by zero) raises, so a wrong choice cannot pass as
  NaN.
- PyTorch: a listing that imports ``torch`` runs against ``tests/content/minitorch.py``,
  installed in ``sys.modules`` as ``torch``, ``torch.nn`` and ``torch.optim`` for that one
  execution and removed (or the real modules put back) afterwards. When the real PyTorch is
  importable, the same listings run against it too, and the stand-in's own checks below
  run against both (so the stand-in is held to PyTorch's behaviour); without it those
  parts are skipped.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from studyapp.content import Question, load_content, validate_content
from studyapp.content.compute import evaluate_raw
from studyapp.content.models import LISTING_BLANK
from tests.content.conftest import MakeDeck
from tests.content.snippets import REAL, STAND_IN, matches, run_listing, torch_for

DECK_ID = "regularization"
MIN_LISTINGS = 8
HAS_TORCH = importlib.util.find_spec("torch") is not None

_LIBRARY, _PROBLEMS = validate_content()
_DECKS = {deck.id: deck for deck in _LIBRARY.decks}
LISTINGS: list[Question] = [
    q for q in (_DECKS[DECK_ID].questions if DECK_ID in _DECKS else [])
    if q.type == "code" and q.listing is not None
]
_IMPORTS_TORCH = re.compile(r"^\s*(?:import|from)\s+torch\b", re.MULTILINE)


def uses_torch(question: Question) -> bool:
    """Whether the listing (or its ``run``) imports PyTorch."""
    run = question.check.run if question.check is not None else None
    return bool(_IMPORTS_TORCH.search((question.listing or "") + "\n" + (run or "")))


TORCH_LISTINGS = [q for q in LISTINGS if uses_torch(q)]


# -- the harness: tests/content/snippets.py ----------------------------------------------
def outcomes(question: Question, torch: str | None = None) -> list[str]:
    """What each choice gives: ``"match"``, ``"differs: <out>"`` or ``"raises: <error>"``."""
    assert question.listing is not None and question.check is not None
    expected = evaluate_raw(question.check.expect.fn, question.check.expect.args)
    results = []
    for index, option in enumerate(question.choices):
        try:
            out = run_listing(question.listing, option.text, question.check.run,
                              question.check.given, torch, f"{question.id} choice {index}")
        except Exception as exc:  # a wrong choice may fail outright: it does not match
            results.append(f"raises: {type(exc).__name__}: {exc}")
            continue
        if matches(out, expected):
            results.append("match")
        else:
            results.append(f"differs: {np.asarray(out).tolist()!r}")
    return results


def listing_failure(question: Question, torch: str | None = None) -> str | None:
    """None when exactly the keyed choice gives the engine's value; else what went wrong."""
    assert question.check is not None
    results = outcomes(question, torch)
    matching = [i for i, result in enumerate(results) if result == "match"]
    if matching == [question.answer]:
        return None
    expected = np.asarray(evaluate_raw(question.check.expect.fn,
                                       question.check.expect.args)).tolist()
    lines = [f"{question.id}: choices {matching} give the engine's {expected!r}, "
             f"the answer is {question.answer}"]
    lines += [f"  [{i}] {option.text!r}: {result}"
              for i, (option, result) in enumerate(zip(question.choices, results, strict=True))]
    return "\n".join(lines)


# -- the deck's listings ----------------------------------------------------------------
def test_the_deck_has_its_listings() -> None:
    assert DECK_ID in _DECKS, "\n".join(map(str, _PROBLEMS))
    assert len(LISTINGS) >= MIN_LISTINGS, [q.id for q in LISTINGS]
    assert TORCH_LISTINGS, "no PyTorch listing"
    assert len(TORCH_LISTINGS) < len(LISTINGS), "no NumPy listing"


@pytest.mark.parametrize("question", LISTINGS, ids=lambda q: q.id)
def test_the_listing_is_an_exam_fill_in(question: Question) -> None:
    assert question.listing is not None and question.check is not None
    lines = question.listing.rstrip("\n").split("\n")
    assert len(lines) >= 4
    assert [line.strip() for line in lines].count(LISTING_BLANK) == 1
    assert question.listing.count(LISTING_BLANK) == 1
    assert len(question.choices) == 4
    # the checked program is the shown listing: the harness code is in run, not in the blank
    assert question.check.run is not None and re.search(r"^out\s*=", question.check.run, re.M)


@pytest.mark.parametrize("question", LISTINGS, ids=lambda q: q.id)
def test_exactly_the_keyed_choice_gives_the_engines_value(question: Question) -> None:
    failure = listing_failure(question, STAND_IN if uses_torch(question) else None)
    assert failure is None, failure


@pytest.mark.skipif(not HAS_TORCH, reason="PyTorch is not installed (the stand-in ran instead)")
@pytest.mark.parametrize("question", TORCH_LISTINGS, ids=lambda q: q.id)
def test_the_pytorch_listing_against_the_real_pytorch(question: Question) -> None:
    failure = listing_failure(question, REAL)
    assert failure is None, failure


# -- the harness can fail -----------------------------------------------------------------
WRONG_KEY = """\
questions:
  - id: q-wrong-key
    type: code
    keywords: [dropout]
    prompt: 推論時の出力として【ア】に入るものはどれか。p は落とす確率。
    listing: |
      class Dropout:
          def __init__(self, p):
              self.p = p

          def forward(self, x, train=True):
              if train:
                  return x * (np.random.rand(*x.shape) > self.p)
              【ア】
    choices:
      - {text: "return x * self.p", why: 落とす確率と残す確率の取り違え。}
      - "return x * (1.0 - self.p)"
      - {text: "return x / (1.0 - self.p)", why: inverted dropout の補正との混同。}
      - {text: "return x", why: 訓練時に補正しない方式では推論時に補正が要る。}
    answer: {answer}
    check:
      given: {x: [1.0, 2.0, 4.0]}
      run: out = Dropout(0.25).forward(x, train=False)
      expect:
        fn: dropout_apply
        args: {x: [1.0, 2.0, 4.0], mask: [1, 1, 1], p: 0.25, train: false, inverted: false}
    explanation: 訓練時に補正しない方式では、推論時に保持確率 1 − p を掛ける。
"""


def _fixture_question(make_deck: MakeDeck, text: str) -> Question:
    return load_content(make_deck(text)).deck("t").questions[0]


def test_a_listing_keyed_to_a_wrong_choice_is_caught(make_deck: MakeDeck) -> None:
    wrong = _fixture_question(make_deck, WRONG_KEY.replace("{answer}", "0"))
    failure = listing_failure(wrong)
    assert failure is not None
    assert "q-wrong-key: choices [1] give the engine's [0.75, 1.5, 3.0], the answer is 0" in failure
    right = _fixture_question(make_deck, WRONG_KEY.replace("{answer}", "1"))
    assert listing_failure(right) is None


def test_two_matching_choices_are_caught(make_deck: MakeDeck) -> None:
    twice = WRONG_KEY.replace("{answer}", "1").replace('"return x / (1.0 - self.p)"',
                                                       '"return (1.0 - self.p) * x"')
    failure = listing_failure(_fixture_question(make_deck, twice))
    assert failure is not None and "choices [1, 2]" in failure


def test_a_choice_that_raises_is_reported_not_matched(make_deck: MakeDeck) -> None:
    broken = WRONG_KEY.replace("{answer}", "1").replace('"return x * self.p"',
                                                        '"return x * self.keep_prob"')
    results = outcomes(_fixture_question(make_deck, broken))
    assert results[0].startswith("raises: AttributeError")
    assert results[1] == "match"


def test_each_snippet_line_is_indented_like_the_blank() -> None:
    listing = "def f(x):\n    if x:\n        【ア】\n    return y\n"
    out = run_listing(listing, "y = x * 2\ny = y + 1", "out = f(3)", {})
    assert out == 7


def test_a_run_that_replaces_numpy_random_does_not_leak() -> None:
    rand, randn, state = np.random.rand, np.random.randn, np.random.get_state()
    listing = "def draw(n):\n    r = np.random.rand(n)\n    【ア】\n    return y\n"
    run = ("np.random.rand = lambda *shape: r.reshape(shape)\n"
           "np.random.fresh_helper = 1\n"
           "out = draw(3)")
    out = run_listing(listing, "y = r > 0.5", run, {"r": [0.9, 0.1, 0.6]})
    assert out.tolist() == [True, False, True]
    assert np.random.rand is rand and np.random.randn is randn
    assert not hasattr(np.random, "fresh_helper")
    after = np.random.get_state()
    assert after[0] == state[0] and np.array_equal(after[1], state[1]) and after[2:] == state[2:]


def test_a_program_drawing_real_random_numbers_is_reproducible() -> None:
    listing = "def draw():\n    r = np.random.rand(4)\n    【ア】\n    return y\n"
    first = run_listing(listing, "y = r", "out = draw()", {})
    assert np.array_equal(first, run_listing(listing, "y = r", "out = draw()", {}))


def test_floating_point_trouble_raises_inside_a_program() -> None:
    listing = "def sign(w):\n    a = np.abs(w)\n    【ア】\n    return s\n"
    with pytest.raises(FloatingPointError):
        run_listing(listing, "s = w / a", "out = sign(w)", {"w": [1.0, 0.0]})
    # and numpy's error handling is as it was afterwards
    with np.errstate(all="ignore"):
        assert np.isnan(np.float64(0.0) / np.float64(0.0))


def test_the_stand_in_is_there_for_one_program_only() -> None:
    before = {name: sys.modules.get(name) for name in ("torch", "torch.nn", "torch.optim")}
    listing = ("import torch\nimport torch.nn as nn\n\ndef make(p):\n    【ア】\n"
               "    return layer\n")
    out = run_listing(listing, "layer = nn.Dropout(p)", "out = make(0.5).training", {},
                      STAND_IN)
    assert out is True
    assert {name: sys.modules.get(name) for name in before} == before


# -- the stand-in behaves as PyTorch documents (and as the real one, when installed) -----
@pytest.fixture(params=[STAND_IN, REAL])
def torch(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == REAL and not HAS_TORCH:
        pytest.skip("PyTorch is not installed")
    with torch_for(request.param) as module:
        yield module


def _param(torch: Any, values: list[float]) -> Any:
    return torch.nn.Parameter(torch.tensor(np.array(values), dtype=torch.float64))


def _one_step(torch: Any, optimizer_type: Any, w: list[float], grad: list[float],
              **options: float) -> np.ndarray:
    """The parameter after one step of ``optimizer_type`` whose loss has gradient ``grad``."""
    param = _param(torch, w)
    optimizer = optimizer_type([param], **options)
    optimizer.zero_grad()
    (param * torch.tensor(np.array(grad), dtype=torch.float64)).sum().backward()
    optimizer.step()
    return param.detach().numpy().copy()


W, GRAD = [1.0, -2.0, 0.5], [0.4, -0.2, 0.1]


def test_dropout_is_the_identity_in_eval_mode(torch: Any) -> None:
    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.dropout = torch.nn.Dropout(p=0.5)

        def forward(self, x: Any) -> Any:
            return self.dropout(x)

    net = Net()
    assert net.training and net.dropout.training
    x = torch.tensor(np.arange(1.0, 201.0))
    assert net.eval() is net and not net.dropout.training
    assert np.array_equal(net(x).numpy(), np.arange(1.0, 201.0))
    net.train()
    assert net.dropout.training
    y = net(x).numpy()
    # inverted dropout: each entry dropped (0) or kept and scaled by 1/(1 − p) = 2
    kept = y != 0
    assert np.array_equal(y[kept], 2 * np.arange(1.0, 201.0)[kept])
    assert 0 < kept.sum() < 200
    assert not np.array_equal(net(x).numpy(), y)  # a fresh mask per call


def test_requires_grad_and_no_grad_do_not_switch_dropout_off(torch: Any) -> None:
    layer = torch.nn.Dropout(p=0.5)
    layer.requires_grad_(False)
    with torch.no_grad():
        y = layer(torch.tensor(np.ones(100))).numpy()
    assert set(np.unique(y)) == {0.0, 2.0}


def test_gradients_accumulate_and_zero_grad_clears_them(torch: Any) -> None:
    param = _param(torch, W)
    g = torch.tensor(np.array(GRAD), dtype=torch.float64)
    (param * g).sum().backward()
    (param * g).sum().backward()
    assert np.allclose(param.grad.numpy(), 2 * np.array(GRAD))
    optimizer = torch.optim.SGD([param], lr=0.1)
    optimizer.zero_grad()
    assert param.grad is None
    with torch.no_grad():
        assert not (param * g).sum().requires_grad
    with pytest.raises(RuntimeError):
        param.numpy()


def test_sgd_weight_decay_is_the_weight_decay_step(torch: Any) -> None:
    got = _one_step(torch, torch.optim.SGD, W, GRAD, lr=0.1, weight_decay=0.5)
    want = evaluate_raw("weight_decay_step", {"w": W, "grad": GRAD, "lr": 0.1, "decay": 0.5})
    assert matches(got, want)


def test_adamw_is_the_decoupled_step(torch: Any) -> None:
    got = _one_step(torch, torch.optim.AdamW, W, GRAD, lr=0.1, weight_decay=0.5)
    want = evaluate_raw("adamw_step", {"w": W, "grad": GRAD, "lr": 0.1, "decay": 0.5})
    assert matches(got, want)


def test_adam_weight_decay_adds_the_l2_gradient_before_the_adaptive_step(torch: Any) -> None:
    got = _one_step(torch, torch.optim.Adam, W, GRAD, lr=0.1, weight_decay=0.5)
    coupled = (np.array(GRAD) + 0.5 * np.array(W)).tolist()
    want = evaluate_raw("adamw_step", {"w": W, "grad": coupled, "lr": 0.1, "decay": 0.0})
    assert matches(got, want)


def test_two_adamw_steps_follow_the_documented_algorithm(torch: Any) -> None:
    param = _param(torch, W)
    optimizer = torch.optim.AdamW([param], lr=0.1, weight_decay=0.5)
    grads = [np.array(GRAD), np.array([-0.3, 0.5, 0.2])]
    for g in grads:
        optimizer.zero_grad()
        (param * torch.tensor(g, dtype=torch.float64)).sum().backward()
        optimizer.step()
    w1 = evaluate_raw("adamw_step", {"w": W, "grad": GRAD, "lr": 0.1, "decay": 0.5})
    m1, v1 = 0.1 * grads[0], 0.001 * grads[0] ** 2
    want = evaluate_raw("adamw_step", {"w": w1.tolist(), "grad": grads[1].tolist(), "lr": 0.1,
                                       "decay": 0.5, "m": m1.tolist(), "v": v1.tolist(),
                                       "t": 2})
    assert matches(param.detach().numpy(), want)
