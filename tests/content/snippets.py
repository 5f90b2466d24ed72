"""Running a question's code as a test (the app never runs content code): a snippet alone
or a listing with a choice in its blank, with the ``check.given`` names bound, isolated so
that nothing a program does reaches another test.

- NumPy: every attribute of ``numpy`` and ``numpy.random`` a program replaces or adds is
  put back afterwards, and the global generator is seeded for the run and its state
  restored. Floating-point trouble (0/0, division by zero) raises, so a wrong choice cannot
  pass as NaN.
- PyTorch: the stand-in ``tests/content/minitorch.py`` (installed in ``sys.modules`` for one
  execution) or the real PyTorch (its generator's state restored afterwards).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

import numpy as np

from studyapp.content.validation.questions import fill_blank
from tests.content import minitorch

#: The seed of NumPy's global generator while a program runs (its state is restored after).
SEED = 20240601
#: Which PyTorch a program imports: the stand-in or the real one.
STAND_IN, REAL = "stand-in", "real"


@contextmanager
def numpy_restored() -> Iterator[None]:
    """Inside: NumPy's global generator seeded with :data:`SEED`, floating-point errors
    raised. After: every attribute of ``numpy`` and ``numpy.random`` as it was, and the
    generator's state as it was."""
    saved = {module: dict(vars(module)) for module in (np, np.random)}
    state = np.random.get_state()
    np.random.seed(SEED)
    try:
        with np.errstate(divide="raise", invalid="raise"):
            yield
    finally:
        for module, before in saved.items():
            now = vars(module)
            for name in [n for n in now if n not in before]:
                if not isinstance(now[name], type(np)):  # a submodule imported meanwhile stays
                    delattr(module, name)
            for name, value in before.items():
                if now.get(name) is not value:
                    setattr(module, name, value)
        np.random.set_state(state)


@contextmanager
def torch_for(which: str) -> Iterator[Any]:
    """The ``torch`` module a program sees: the stand-in (installed for the block only) or
    the real one (its generator's state restored afterwards)."""
    if which == STAND_IN:
        with minitorch.installed() as torch:
            yield torch
        return
    import torch

    state = torch.get_rng_state()
    try:
        yield torch
    finally:
        torch.set_rng_state(state)


def _bind(value: Any) -> Any:
    """A ``check.given`` value as the program sees it: lists become numpy arrays."""
    return np.array(value) if isinstance(value, list) else value


def run_listing(listing: str | None, snippet: str, run: str | None, given: Mapping[str, Any],
                torch: str | None = None, name: str = "listing") -> Any:
    """``out`` after executing ``listing`` with ``snippet`` in its blank (no listing: the
    snippet alone), then ``run``.

    ``torch`` is None for a NumPy listing, else :data:`STAND_IN` or :data:`REAL`: the
    PyTorch the program imports. Whatever the program raises propagates.
    """
    program = snippet if listing is None else fill_blank(listing, snippet)
    namespace: dict[str, Any] = {"__name__": f"<{name}>", "np": np}
    namespace.update({key: _bind(value) for key, value in given.items()})
    with ExitStack() as stack:
        stack.enter_context(numpy_restored())
        if torch is not None:
            namespace["torch"] = stack.enter_context(torch_for(torch))
        # test-only: the app never runs content code
        exec(compile(program, f"<{name}>", "exec"), namespace)
        if run is not None:
            exec(compile(run, f"<{name} run>", "exec"), namespace)
    if "out" not in namespace:
        raise NameError("the program assigned no 'out'")
    return namespace["out"]


def matches(out: Any, expected: Any) -> bool:
    """``out`` equals ``expected``: same shape, every entry within 1e-9."""
    try:
        got = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    want = np.asarray(expected, dtype=np.float64)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-9, atol=1e-9))
