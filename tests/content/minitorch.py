"""A test-only NumPy stand-in for the few PyTorch pieces the deck's listings use.

PyTorch is not a dependency of the project (nor installed in CI), but the exam's code
questions are written in PyTorch. ``tests/content/test_listings.py`` runs those listings
against this stand-in, installed in ``sys.modules`` as ``torch``, ``torch.nn`` and
``torch.optim`` for the one ``exec`` only (and against the real PyTorch too when it is
importable). It implements the documented behaviour of exactly these pieces, nothing more:

- ``torch.tensor(data, dtype=None, requires_grad=False)``, ``torch.from_numpy``,
  ``torch.float32`` / ``torch.float64``, ``torch.manual_seed``, ``torch.no_grad()``,
  ``torch.is_grad_enabled()``;
- ``Tensor``: ``*``, ``+``, ``-`` (with tensors, arrays or numbers), ``sum()``,
  ``backward()`` of a scalar (gradients accumulate into the leaves' ``.grad``),
  ``detach()``, ``numpy()`` (refused while the tensor requires grad, as in PyTorch),
  ``item()``, ``shape``, ``dtype``, ``requires_grad``, ``grad``;
- ``nn.Module``: sub-modules and ``nn.Parameter`` attributes are registered,
  ``training`` (True when built), ``train(mode=True)`` / ``eval()`` (recursive, return
  the module), ``parameters()``, ``zero_grad()``, ``requires_grad_()``, calling it runs
  ``forward``;
- ``nn.Dropout(p=0.5)``: in training, each element is kept with probability 1 − p and
  the kept ones are multiplied by 1/(1 − p) (inverted dropout, a fresh mask per call);
  in evaluation mode (or with p = 0) the identity;
- ``optim.SGD(params, lr, weight_decay=0)``: g ← grad + weight_decay·w; w ← w − lr·g;
- ``optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)``:
  g ← grad + weight_decay·w (an L2 term inside the adaptive step), then Adam;
- ``optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2)``:
  w ← w·(1 − lr·weight_decay) (decoupled), then Adam on the gradient alone;
- ``Optimizer.zero_grad(set_to_none=True)``; ``step()`` skips a parameter whose grad
  is None.

Adam is PyTorch's documented algorithm: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), w ← w − lr·m̂/(√v̂ + ε).

Anything else (an argument or a class this file does not define) fails loudly: a listing
that needs more of PyTorch needs it added here first.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)

_state: dict[str, Any] = {"grad_enabled": True, "rng": np.random.default_rng(0)}


def manual_seed(seed: int) -> None:
    """Reseed the generator nn.Dropout draws its masks from."""
    _state["rng"] = np.random.default_rng(seed)


def is_grad_enabled() -> bool:
    return bool(_state["grad_enabled"])


class no_grad:  # PyTorch's name
    """``with torch.no_grad():``: operations inside record no graph."""

    def __enter__(self) -> None:
        self._before = _state["grad_enabled"]
        _state["grad_enabled"] = False

    def __exit__(self, *exc: object) -> None:
        _state["grad_enabled"] = self._before


def _as_array(value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        return value._a
    return np.asarray(value)


class Tensor:
    """An n-d array with reverse-mode gradients for ``*``, ``+``, ``-`` and ``sum``."""

    __array_priority__ = 1000  # ndarray * Tensor is Tensor.__rmul__, as in PyTorch

    def __init__(self, array: np.ndarray, requires_grad: bool = False,
                 parents: tuple[tuple[Tensor, Callable[[np.ndarray], np.ndarray]], ...] = ()
                 ) -> None:
        self._a = array
        self.requires_grad = requires_grad
        self.grad: Tensor | None = None
        # (input, function mapping this tensor's gradient to that input's contribution)
        self._parents = parents

    # -- data ------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self._a.shape

    @property
    def dtype(self) -> np.dtype:
        return self._a.dtype

    @property
    def is_leaf(self) -> bool:
        return not self._parents

    def detach(self) -> Tensor:
        return Tensor(self._a)

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self._a

    def item(self) -> float:
        if self._a.size != 1:
            raise RuntimeError("a Tensor with more than one element cannot be converted to a "
                               "Scalar")
        return self._a.reshape(()).item()

    def __repr__(self) -> str:
        return f"tensor({self._a.tolist()!r})"

    # -- operations --------------------------------------------------------------
    def _result(self, array: np.ndarray,
                parents: Iterable[tuple[Any, Callable[[np.ndarray], np.ndarray]]]) -> Tensor:
        tracked = tuple((t, fn) for t, fn in parents if isinstance(t, Tensor) and t.requires_grad)
        if not (tracked and is_grad_enabled()):
            return Tensor(array)
        return Tensor(array, requires_grad=True, parents=tracked)

    def __mul__(self, other: Any) -> Tensor:
        a, b = self._a, _as_array(other)
        return self._result(a * b, ((self, lambda g: _unbroadcast(g * b, a.shape)),
                                    (other, lambda g: _unbroadcast(g * a, b.shape))))

    __rmul__ = __mul__

    def __add__(self, other: Any) -> Tensor:
        a, b = self._a, _as_array(other)
        return self._result(a + b, ((self, lambda g: _unbroadcast(g, a.shape)),
                                    (other, lambda g: _unbroadcast(g, b.shape))))

    __radd__ = __add__

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __sub__(self, other: Any) -> Tensor:
        return self + (-other if isinstance(other, Tensor) else -_as_array(other))

    def __rsub__(self, other: Any) -> Tensor:
        return (-self) + other

    def sum(self) -> Tensor:
        a = self._a
        return self._result(np.asarray(a.sum()),
                            ((self, lambda g: np.broadcast_to(g, a.shape).copy()),))

    def backward(self) -> None:
        """Gradients of this scalar into the ``.grad`` of the leaves that require grad."""
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have "
                               "a grad_fn")
        if self._a.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        order: list[Tensor] = []
        seen: set[int] = set()

        def visit(node: Tensor) -> None:
            if id(node) in seen:
                return
            seen.add(id(node))
            for parent, _ in node._parents:
                visit(parent)
            order.append(node)

        visit(self)
        grads: dict[int, np.ndarray] = {id(self): np.ones_like(self._a)}
        for node in reversed(order):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if node.is_leaf:
                node.grad = Tensor(g.copy()) if node.grad is None else Tensor(node.grad._a + g)
                continue
            for parent, fn in node._parents:
                grads[id(parent)] = grads.get(id(parent), 0) + fn(g)


def _unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a broadcast gradient back to an input's shape."""
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


def tensor(data: Any, dtype: np.dtype | None = None, requires_grad: bool = False) -> Tensor:
    """A new tensor (a copy). A NumPy array keeps its dtype; Python floats become float32,
    PyTorch's default dtype."""
    if isinstance(data, Tensor):
        data = data._a
    if dtype is None:
        array = np.array(data)
        if not isinstance(data, np.ndarray) and array.dtype == np.float64:
            array = array.astype(np.float32)
    else:
        array = np.array(data, dtype=dtype)
    return Tensor(array, requires_grad=requires_grad)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing the array's memory."""
    return Tensor(array)


# -- torch.nn ---------------------------------------------------------------------
class Parameter(Tensor):
    """A tensor a Module registers as its parameter (requires grad)."""

    def __init__(self, data: Tensor, requires_grad: bool = True) -> None:
        super().__init__(_as_array(data), requires_grad=requires_grad)


class Module:
    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__ and isinstance(value, Parameter | Module):
            raise AttributeError("cannot assign parameters or modules before "
                                 "Module.__init__() call")
        if "_parameters" not in self.__dict__:
            object.__setattr__(self, name, value)
            return
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        for table in ("_parameters", "_modules"):
            entries = self.__dict__.get(table, {})
            if name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  '"forward" function')

    def train(self, mode: bool = True) -> Module:
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        object.__setattr__(self, "training", mode)
        for module in self._modules.values():
            module.train(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def parameters(self) -> Iterator[Parameter]:
        seen: set[int] = set()
        for param in self._all_parameters():
            if id(param) not in seen:
                seen.add(id(param))
                yield param

    def _all_parameters(self) -> Iterator[Parameter]:
        yield from self._parameters.values()
        for module in self._modules.values():
            yield from module._all_parameters()

    def zero_grad(self, set_to_none: bool = True) -> None:
        for param in self.parameters():
            param.grad = None if set_to_none else Tensor(np.zeros_like(param._a))

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for param in self.parameters():
            param.requires_grad = requires_grad
        return self


class Dropout(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return x * np.zeros(x.shape, dtype=x.dtype)
        keep = _state["rng"].random(x.shape) >= self.p
        return x * (keep / (1.0 - self.p)).astype(x.dtype)


# -- torch.optim ------------------------------------------------------------------
class Optimizer:
    def __init__(self, params: Iterable[Parameter]) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        self.state: dict[int, dict[str, Any]] = {id(p): {} for p in self.params}

    def zero_grad(self, set_to_none: bool = True) -> None:
        for param in self.params:
            if param.grad is not None:
                param.grad = None if set_to_none else Tensor(np.zeros_like(param._a))

    def step(self) -> None:
        with no_grad():
            for param in self.params:
                if param.grad is not None:
                    # in place, in the parameter's own dtype, as PyTorch updates it
                    param._a[...] = self._update(param._a, param.grad._a,
                                                 self.state[id(param)])

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        raise NotImplementedError


class SGD(Optimizer):
    def __init__(self, params: Iterable[Parameter], lr: float = 1e-3,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params)
        self.lr, self.weight_decay = lr, weight_decay

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        if self.weight_decay != 0:
            g = g + self.weight_decay * w
        return w - self.lr * g


class Adam(Optimizer):
    decoupled = False

    def __init__(self, params: Iterable[Parameter], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        beta1, beta2 = self.betas
        if self.weight_decay != 0:
            if self.decoupled:
                w = w * (1 - self.lr * self.weight_decay)
            else:
                g = g + self.weight_decay * w
        t = state["step"] = state.get("step", 0) + 1
        m = state["exp_avg"] = beta1 * state.get("exp_avg", 0.0) + (1 - beta1) * g
        v = state["exp_avg_sq"] = beta2 * state.get("exp_avg_sq", 0.0) + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    decoupled = True

    def __init__(self, params: Iterable[Parameter], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)


# -- the modules ------------------------------------------------------------------
def modules() -> dict[str, types.ModuleType]:
    """Fresh ``torch``, ``torch.nn`` and ``torch.optim`` module objects backed by this file,
    for ``sys.modules`` (the generator and the grad mode are reset on each call)."""
    manual_seed(0)
    _state["grad_enabled"] = True
    here = sys.modules[__name__]
    torch = types.ModuleType("torch", "test-only NumPy stand-in for PyTorch")
    nn = types.ModuleType("torch.nn")
    optim = types.ModuleType("torch.optim")
    for name in ("Tensor", "tensor", "from_numpy", "float32", "float64", "manual_seed",
                 "no_grad", "is_grad_enabled"):
        setattr(torch, name, getattr(here, name))
    for name in ("Module", "Parameter", "Dropout"):
        setattr(nn, name, getattr(here, name))
    for name in ("Optimizer", "SGD", "Adam", "AdamW"):
        setattr(optim, name, getattr(here, name))
    torch.nn, torch.optim = nn, optim  # type: ignore[attr-defined]
    torch.__path__ = []  # a package, so that "import torch.nn as nn" finds the submodule
    return {"torch": torch, "torch.nn": nn, "torch.optim": optim}


@contextmanager
def installed() -> Iterator[types.ModuleType]:
    """``torch``, ``torch.nn`` and ``torch.optim`` are the stand-in inside the block only;
    whatever ``sys.modules`` held under those names before (the real PyTorch, or nothing)
    is put back afterwards."""
    names = ("torch", "torch.nn", "torch.optim")
    saved = {name: sys.modules[name] for name in names if name in sys.modules}
    sys.modules.update(modules())
    try:
        yield sys.modules["torch"]
    finally:
        for name in names:
            if name in saved:
                sys.modules[name] = saved[name]
            else:
                sys.modules.pop(name, None)
