"""The compute table: the engine functions a deck may name in ``compute: {fn, args}``.

A numeric question's answer, a misconception's value and a code question's expected
output are never typed by hand: the deck names one function of :data:`COMPUTE_TABLE`
and its arguments, and the engine computes the value. Nothing else is ever evaluated
(no ``eval``); an unknown name is a validation problem.

The arguments are bounded before they are looked at: YAML aliases can make one list
stand for billions of numbers, and the engine's work grows with the arguments (Lasso,
Ridge and Elastic Net with the square of the features), so :func:`checked_arguments`
refuses more than :data:`MAX_COMPUTE_VALUES` values and an ``X`` of more than
:data:`MAX_FEATURES` columns.
"""

from __future__ import annotations

import difflib
import math
import reprlib
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np

# numpy and the engine are imported on first evaluation, not with this module: the app
# loads its decks at start-up and computes a numeric answer only when one is shown.

__all__ = [
    "COMPUTE_TABLE",
    "MAX_COMPUTE_VALUES",
    "MAX_FEATURES",
    "ComputeError",
    "ComputeFunction",
    "Param",
    "evaluate",
    "evaluate_raw",
]

#: Numbers and lists the arguments of one compute may hold, a list counted each time it
#: appears (the bundled deck's largest compute holds 30).
MAX_COMPUTE_VALUES = 10_000
#: Columns (features) of the ``X`` of Lasso, Ridge and Elastic Net: all solve with the d×d
#: matrix XᵀX,
#: which for 10,000 columns alone is 800 MB.
MAX_FEATURES = 100

ArgKind = Literal["number", "int", "positive_int", "bool", "vector", "matrix", "array",
                  "scalar_or_vector", "norm_p", "penalty_kind"]

_KIND_TEXT: dict[str, str] = {
    "number": "a number",
    "int": "a whole number",
    "positive_int": "a whole number >= 1",
    "bool": "true or false",
    "vector": "a list of numbers",
    "matrix": "a list of rows (lists of numbers of equal length)",
    "array": "a number, a list of numbers or a list of rows",
    "scalar_or_vector": "a number or a list of numbers",
    "norm_p": "a number >= 1 or inf",
    "penalty_kind": "'l1' or 'l2'",
}


class ComputeError(ValueError):
    """A ``compute`` the table cannot evaluate; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Param:
    """One argument of a compute function: its name, YAML shape and default.

    ``max_columns`` bounds the columns of a matrix argument.
    """

    name: str
    kind: ArgKind
    required: bool = True
    default: Any = None
    max_columns: int | None = None


@dataclass(frozen=True, slots=True)
class ComputeFunction:
    """An entry of :data:`COMPUTE_TABLE`.

    Attributes
    ----------
    name : str
        The ``fn`` a deck writes.
    params : tuple of Param
    call : callable
        Takes the checked arguments as keywords and returns a float or a 1-D array.
    value : str
        What it computes, for the schema documentation and messages.
    """

    name: str
    params: tuple[Param, ...]
    call: Callable[..., Any]
    value: str


def _engine(name: str) -> Callable[..., Any]:
    """The engine function ``name``, looked up (and the engine imported) when called."""

    def call(**kwargs: Any) -> Any:
        import engine

        return getattr(engine, name)(**kwargs)

    call.__name__ = name
    return call


def _lasso(X: Any, y: Any, lam: float) -> np.ndarray:
    import engine

    with warnings.catch_warnings():
        warnings.simplefilter("error", engine.ConvergenceWarning)
        try:
            return engine.lasso(X, y, lam).coef
        except engine.ConvergenceWarning as exc:
            raise ValueError(str(exc)) from None


def _ridge(X: Any, y: Any, lam: float) -> np.ndarray:
    import engine

    return engine.ridge(X, y, lam).coef


def _early_stopping_epoch(val_losses: Any, patience: int) -> float:
    import engine

    return float(engine.early_stopping_epoch(val_losses, patience))


def _elastic_net(X: Any, y: Any, lam1: float, lam2: float) -> np.ndarray:
    import engine

    with warnings.catch_warnings():
        warnings.simplefilter("error", engine.ConvergenceWarning)
        try:
            return engine.elastic_net(X, y, lam1, lam2).coef
        except engine.ConvergenceWarning as exc:
            raise ValueError(str(exc)) from None


def _adamw_step(**kwargs: Any) -> np.ndarray:
    import engine

    return engine.adamw_step(**kwargs).w


def _count(name: str) -> Callable[..., Any]:
    """The engine's parameter count ``name`` (an exact int) as a float, refused when
    float64 cannot hold it."""

    def call(**kwargs: Any) -> float:
        import engine

        count = getattr(engine, name)(**kwargs)
        try:
            return float(count)
        except OverflowError:
            raise ValueError(f"the count has {len(str(count))} digits, beyond float64; "
                             "give smaller sizes") from None

    call.__name__ = name
    return call


_P = Param
_TABLE: tuple[ComputeFunction, ...] = (
    ComputeFunction("l1_norm", (_P("x", "array"),), _engine("l1_norm"), "‖x‖₁"),
    ComputeFunction("l2_norm", (_P("x", "array"),), _engine("l2_norm"), "‖x‖₂"),
    ComputeFunction("squared_l2_norm", (_P("x", "array"),), _engine("squared_l2_norm"), "‖x‖₂²"),
    ComputeFunction("norm", (_P("x", "array"), _P("p", "norm_p")), _engine("norm"), "‖x‖_p"),
    ComputeFunction("l1_penalty", (_P("w", "array"), _P("lam", "number")), _engine("l1_penalty"),
                    "lam·Σ|wⱼ|"),
    ComputeFunction("l2_penalty", (_P("w", "array"), _P("lam", "number")), _engine("l2_penalty"),
                    "lam·Σwⱼ²"),
    ComputeFunction(
        "regularized_loss",
        (_P("data_loss", "number"), _P("w", "array"), _P("lam", "number"),
         _P("kind", "penalty_kind")),
        _engine("regularized_loss"),
        "data_loss + penalty",
    ),
    ComputeFunction("l1_gradient", (_P("w", "array"), _P("lam", "number")), _engine("l1_gradient"),
                    "lam·sign(w)"),
    ComputeFunction("l2_gradient", (_P("w", "array"), _P("lam", "number")), _engine("l2_gradient"),
                    "2·lam·w"),
    ComputeFunction("soft_threshold", (_P("z", "scalar_or_vector"), _P("t", "number")),
                    _engine("soft_threshold"), "sign(z)·max(|z|−t, 0)"),
    ComputeFunction("lasso", (_P("X", "matrix", max_columns=MAX_FEATURES), _P("y", "vector"),
                              _P("lam", "number")),
                    _lasso, "argmin Σ(yᵢ−wᵀxᵢ)² + lam·Σ|wⱼ|"),
    ComputeFunction("ridge", (_P("X", "matrix", max_columns=MAX_FEATURES), _P("y", "vector"),
                              _P("lam", "number")),
                    _ridge, "argmin Σ(yᵢ−wᵀxᵢ)² + lam·Σwⱼ²"),
    ComputeFunction(
        "weight_decay_step",
        (_P("w", "array"), _P("grad", "array"), _P("lr", "number"), _P("decay", "number")),
        _engine("weight_decay_step"),
        "w − lr·(grad + decay·w)",
    ),
    ComputeFunction(
        "dropout_apply",
        (_P("x", "array"), _P("mask", "array"), _P("p", "number"),
         _P("train", "bool", required=False, default=True),
         _P("inverted", "bool", required=False, default=True)),
        _engine("apply_dropout_mask"),
        "x·mask/(1−p), or x when train is false; x·mask and x·(1−p) when not inverted",
    ),
    ComputeFunction(
        "dropconnect_apply",
        (_P("x", "vector"), _P("W", "matrix"), _P("mask", "matrix"), _P("p", "number"),
         _P("scale", "bool", required=False, default=True)),
        _engine("apply_dropconnect_mask"),
        "(W⊙mask)·x, divided by (1−p) where scale",
    ),
    ComputeFunction(
        "early_stopping_epoch",
        (_P("val_losses", "vector"), _P("patience", "int")),
        _early_stopping_epoch,
        "1-based epoch at which training stops",
    ),
    ComputeFunction(
        "elastic_net",
        (_P("X", "matrix", max_columns=MAX_FEATURES), _P("y", "vector"), _P("lam1", "number"),
         _P("lam2", "number")),
        _elastic_net,
        "argmin Σ(yᵢ−wᵀxᵢ)² + lam1·Σ|wⱼ| + lam2·Σwⱼ²",
    ),
    ComputeFunction("label_smoothing", (_P("y", "vector"), _P("eps", "number")),
                    _engine("label_smoothing"), "(1−eps)·y + eps/K"),
    ComputeFunction("max_norm", (_P("w", "scalar_or_vector"), _P("c", "number")),
                    _engine("max_norm"), "w·min(1, c/‖w‖₂)"),
    ComputeFunction(
        "noise_injection_loss",
        (_P("x", "scalar_or_vector"), _P("w", "scalar_or_vector"), _P("y", "number"),
         _P("sigma", "number")),
        _engine("noise_injection_loss"),
        "(y − wᵀx)² + sigma²·‖w‖₂², the expected squared error under input noise",
    ),
    ComputeFunction("fgsm", (_P("x", "array"), _P("grad", "array"), _P("eps", "number")),
                    _engine("fgsm"), "x + eps·sign(grad)"),
    ComputeFunction("mixup", (_P("x1", "array"), _P("x2", "array"), _P("lam", "number")),
                    _engine("mixup"), "lam·x1 + (1−lam)·x2"),
    ComputeFunction(
        "ensemble_error",
        (_P("k", "positive_int"), _P("v", "number"), _P("c", "number")),
        _engine("ensemble_error"),
        "v/k + (k−1)·c/k, the squared error of the mean of k models",
    ),
    ComputeFunction("bootstrap_unique_fraction", (_P("n", "positive_int"),),
                    _engine("bootstrap_unique_fraction"),
                    "1 − (1 − 1/n)ⁿ, the distinct fraction of a bootstrap sample"),
    ComputeFunction(
        "conv_parameter_count",
        (_P("kernel_h", "positive_int"), _P("kernel_w", "positive_int"),
         _P("in_channels", "positive_int"), _P("out_channels", "positive_int"),
         _P("bias", "bool", required=False, default=True)),
        _count("conv_parameter_count"),
        "kernel_h·kernel_w·in_channels·out_channels (+ out_channels with bias)",
    ),
    ComputeFunction(
        "dense_parameter_count",
        (_P("in_features", "positive_int"), _P("out_features", "positive_int"),
         _P("bias", "bool", required=False, default=True)),
        _count("dense_parameter_count"),
        "in_features·out_features (+ out_features with bias)",
    ),
    ComputeFunction(
        "adamw_step",
        (_P("w", "array"), _P("grad", "array"), _P("lr", "number"), _P("decay", "number"),
         _P("m", "array", required=False, default=0.0),
         _P("v", "array", required=False, default=0.0),
         _P("t", "positive_int", required=False, default=1),
         _P("beta1", "number", required=False, default=0.9),
         _P("beta2", "number", required=False, default=0.999),
         _P("eps", "number", required=False, default=1e-8)),
        _adamw_step,
        "the weights after one AdamW step (PyTorch's)",
    ),
)

#: Every function a deck may name, by ``fn``.
COMPUTE_TABLE: dict[str, ComputeFunction] = {f.name: f for f in _TABLE}


def is_number(value: Any) -> bool:
    """An int or a float, not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_vector(value: Any) -> bool:
    return isinstance(value, list) and len(value) > 0 and all(is_number(v) for v in value)


def _is_matrix(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(_is_vector(row) for row in value)
        and len({len(row) for row in value}) == 1
    )


def _convert(param: Param, value: Any) -> Any:
    """The argument as the engine takes it, or ``ComputeError`` naming what was expected."""
    kind = param.kind
    ok = False
    if kind == "number":
        ok = is_number(value)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "positive_int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "vector":
        ok = _is_vector(value)
    elif kind == "matrix":
        ok = _is_matrix(value)
    elif kind == "array":
        ok = is_number(value) or _is_vector(value) or _is_matrix(value)
    elif kind == "scalar_or_vector":
        ok = is_number(value) or _is_vector(value)
    elif kind == "norm_p":
        if isinstance(value, str) and value.strip().lower() in ("inf", "infinity"):
            return math.inf
        ok = is_number(value)
    elif kind == "penalty_kind":
        ok = value in ("l1", "l2")
    if not ok:
        raise ComputeError(
            f"argument '{param.name}': expected {_KIND_TEXT[kind]}, got {_describe(value)}"
        )
    if param.max_columns is not None and len(value[0]) > param.max_columns:
        raise ComputeError(f"argument '{param.name}': {len(value[0]):,} columns (features); "
                           f"at most {param.max_columns} columns")
    return value


def _more_than(values: Iterable[Any], budget: int) -> bool:
    """Whether ``values`` hold more than ``budget`` values, lists and mappings included.

    The walk stops as soon as the count passes ``budget``, so it takes at most about
    ``budget`` steps even for a list that holds itself many times over (as YAML aliases
    build), and needs no recursion however deep the lists nest.
    """
    pending = list(values)
    count = len(pending)
    while pending and count <= budget:
        value = pending.pop()
        inside = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            count += len(inside)
            if count <= budget:
                pending.extend(inside)
    return count > budget


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, list):
        return "an empty list" if not value else "a list " + _short(value)
    if isinstance(value, dict):
        return "a mapping"
    return _short(value)


# repr that stops after a few levels and items: the value may be as large as the limits
_REPR = reprlib.Repr()
_REPR.maxlevel = 4
_REPR.maxlist = _REPR.maxdict = 16
_REPR.maxstring = _REPR.maxother = 50


def _short(value: Any) -> str:
    text = _REPR.repr(value)
    return text if len(text) <= 50 else text[:47] + "..."


def checked_arguments(fn: str, args: Mapping[str, Any]) -> tuple[ComputeFunction, dict[str, Any]]:
    """Look up ``fn`` and check ``args`` against its parameters.

    Returns
    -------
    (ComputeFunction, dict)
        The table entry and the checked arguments, defaults filled in (lists stay lists:
        this check needs no numpy, so the app can run it at start-up).

    Raises
    ------
    ComputeError
        Unknown function (with "did you mean"), arguments holding more than
        :data:`MAX_COMPUTE_VALUES` values, unknown, missing or ill-typed arguments (every
        such problem in one message), a matrix with too many columns.
    """
    function = COMPUTE_TABLE.get(fn)
    if function is None:
        hint = did_you_mean(fn, COMPUTE_TABLE)
        known = ", ".join(COMPUTE_TABLE)
        raise ComputeError(f"unknown compute function {fn!r}{hint}; known: {known}")
    if _more_than(args.values(), MAX_COMPUTE_VALUES):
        raise ComputeError(f"{fn}: the arguments hold more than {MAX_COMPUTE_VALUES:,} values "
                           "(numbers and lists, a list repeated by an alias counted each "
                           "time); a compute takes at most that")
    names = {p.name for p in function.params}
    errors: list[str] = []
    for name in args:
        if name not in names:
            errors.append(f"unknown argument {name!r}{did_you_mean(str(name), names)}")
    converted: dict[str, Any] = {}
    for param in function.params:
        if param.name not in args:
            if param.required:
                errors.append(f"missing argument '{param.name}' ({_KIND_TEXT[param.kind]})")
            else:
                converted[param.name] = param.default
            continue
        try:
            converted[param.name] = _convert(param, args[param.name])
        except ComputeError as exc:
            errors.append(str(exc))
    if errors:
        raise ComputeError(f"{fn}: " + "; ".join(errors))
    return function, converted


def evaluate_raw(fn: str, args: Mapping[str, Any]) -> float | np.ndarray:
    """The engine's value of ``fn(**args)``: a float or a numpy array.

    Raises
    ------
    ComputeError
        As :func:`checked_arguments`, or when the engine refuses the arguments (its
        message is kept), or when the value is not finite.
    """
    import numpy as np

    function, checked = checked_arguments(fn, args)
    # Lists go to the engine as written: it converts them itself and names the argument it
    # cannot take (an integer too large for float64 would be an OverflowError here).
    try:
        value = function.call(**checked)
    except ValueError as exc:
        raise ComputeError(f"{fn}: the engine refused the arguments: {exc}") from None
    if isinstance(value, np.ndarray):
        if not np.all(np.isfinite(value)):
            raise ComputeError(f"{fn}: the engine's value is not finite")
        return value
    out = float(value)
    if not math.isfinite(out):
        raise ComputeError(f"{fn}: the engine's value is not finite")
    return out


def evaluate(fn: str, args: Mapping[str, Any]) -> float | tuple[float, ...]:
    """The engine's value of ``fn(**args)`` as a float or a tuple of floats.

    Parameters
    ----------
    fn : str
        A name of :data:`COMPUTE_TABLE`.
    args : mapping
        Its arguments as written in YAML (lists for vectors, lists of rows for matrices).

    Returns
    -------
    float or tuple of float
        A tuple when the value is a vector of two or more entries; a vector of one
        entry (a one-feature Lasso fit, say) is that number.

    Raises
    ------
    ComputeError
        See :func:`evaluate_raw`; also when the value has more than one dimension.
    """
    value = evaluate_raw(fn, args)
    if isinstance(value, float):
        return value
    if value.size == 1 and value.ndim <= 1:
        return float(value.reshape(-1)[0]) + 0.0
    if value.ndim > 1:
        raise ComputeError(f"{fn}: the value has shape {value.shape}; answers are numbers or lists")
    return tuple(float(v) + 0.0 for v in value)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""
