"""Graded cases: what the sandbox runs and what the engine says each case must return.

A :class:`GradedCase` is one case of an exercise as plain JSON data: its label and the
inputs a learner is shown, the steps the child runs, the engine's expected outputs and
what each named mistake would return, every value encoded as the child encodes its own
(``{"shape": [...], "data": [flat floats, non-finite ones as text]}``). Comparing them is
pure Python (``grading.same``), so a check needs numpy and the engine only to compute them.

They are computed by the engine in the app's process (:func:`compute`), never by the
child. ``studyapp check`` reads them from a cache in the data folder instead
(:func:`load`): ``cache/exercises-<fingerprint>.json``, where the fingerprint covers the
exercise definitions, the engine's source, this module and numpy's version, so a change
to any of them computes the cases again. The file is written atomically (a temporary file
renamed over it); one that cannot be read, does not parse, or whose shape is not exactly
what this module writes is ignored and replaced, never trusted.
"""

from __future__ import annotations

import json
import math
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyapp.exercises.model import Exercise

#: bump when the cache file's layout changes
FORMAT = 2
#: the folder of the data folder where cached cases live
CACHE_FOLDER = "cache"
CACHE_PREFIX = "exercises-"

#: an encoded value: {"shape": [int, ...], "data": [float | "nan" | "inf" | "-inf", ...]}
Encoded = dict[str, Any]

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_FLOAT_MAX = int(sys.float_info.max)
_STEP_OPS = frozenset({"call", "new", "method", "seed"})
_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(os.path.dirname(_HERE))


class GradedCase:
    """One case, ready to run and to grade without numpy.

    (A plain class rather than a dataclass: ``studyapp check`` reads these before the
    child has its job, and every import on that path delays the verdict.)
    """

    __slots__ = ("expected", "inputs", "label", "mistakes", "steps")

    def __init__(self, label: str, inputs: dict[str, Any], steps: list[dict[str, Any]],
                 expected: list[Encoded], mistakes: list[list[Encoded] | None]) -> None:
        self.label = label              # the case's name
        self.inputs = inputs            # what the learner is shown (name → value)
        self.steps = steps              # what the child runs (see ``sandbox.run``)
        self.expected = expected        # the engine's outputs, one per output name
        self.mistakes = mistakes        # per named mistake: its outputs, or None when it
        #                                 cannot be computed for this case

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "inputs": self.inputs, "steps": self.steps,
                "expected": self.expected, "mistakes": self.mistakes}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GradedCase) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"GradedCase({self.label!r})"


# ---------------------------------------------------------------- values
def encode(value: Any) -> Encoded:
    """A value (number, list, array) as the child encodes its outputs."""
    import numpy as np

    arr = np.asarray(value, dtype=float)
    data = [x if math.isfinite(x) else repr(x) for x in arr.ravel().tolist()]
    return {"shape": list(arr.shape), "data": data}


def number(x: Any) -> float:
    """One entry of an encoded value as a float (``"nan"``, ``"inf"``, ``"-inf"`` too)."""
    if isinstance(x, str):
        return _NON_FINITE.get(x, math.nan)
    return float(x)


def nested(value: Encoded) -> Any:
    """An encoded value as nested lists (a number for shape ``[]``), non-finite as text."""
    data = list(value["data"])
    shape = list(value["shape"])
    if not shape:
        return data[0] if data else None

    def build(offset: int, dims: list[int]) -> tuple[list[Any], int]:
        if len(dims) == 1:
            return data[offset:offset + dims[0]], offset + dims[0]
        out = []
        for _ in range(dims[0]):
            part, offset = build(offset, dims[1:])
            out.append(part)
        return out, offset

    return build(0, shape)[0]


def valid_encoded(value: Any) -> bool:
    """Whether ``value`` is exactly an encoded value (shape of sizes, matching data)."""
    if not isinstance(value, dict) or set(value) != {"shape", "data"}:
        return False
    shape, data = value["shape"], value["data"]
    if not isinstance(shape, list) or not isinstance(data, list):
        return False
    size = 1
    for n in shape:
        if type(n) is not int or n < 0:
            return False
        size *= n
    if len(data) != size:
        return False
    # (an int past a float's range is no number to compare: math.isfinite would raise)
    return all((type(x) is float and math.isfinite(x))
               or (type(x) is int and -_FLOAT_MAX <= x <= _FLOAT_MAX)
               or (type(x) is str and x in _NON_FINITE) for x in data)


# ---------------------------------------------------------------- computing (engine)
def compute(exercise: Exercise) -> list[GradedCase]:
    """The graded cases of ``exercise``, computed here with the engine."""
    import numpy as np

    out = []
    for case in exercise.cases():
        expected = [encode(v) for v in exercise.expected(case)]
        mistakes: list[list[Encoded] | None] = []
        for mistake in exercise.mistakes:
            try:
                with np.errstate(all="ignore"):
                    mistakes.append([encode(v) for v in mistake.outputs(case)])
            except (ValueError, TypeError, ZeroDivisionError, IndexError,
                    FloatingPointError):
                mistakes.append(None)
        out.append(GradedCase(case.label, _plain_data(case.inputs), case.steps, expected,
                              mistakes))
    return out


def _plain_data(value: Any) -> Any:
    """Inputs as JSON data (numpy numbers and arrays as Python numbers and lists)."""
    if isinstance(value, dict):
        return {str(k): _plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def compute_all() -> dict[str, list[GradedCase]]:
    """Every exercise's graded cases (id → cases)."""
    from studyapp.exercises.catalog import EXERCISES

    return {e.id: compute(e) for e in EXERCISES}


# ---------------------------------------------------------------- the cache
def _sources() -> list[str]:
    """The files whose content decides the graded cases."""
    files = [os.path.join(_HERE, name) for name in ("catalog.py", "model.py", "graded.py")]
    engine: list[str] = []
    for folder, dirs, names in os.walk(os.path.join(_ROOT, "engine")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        engine += [os.path.join(folder, n) for n in names if n.endswith(".py")]
    files += sorted(engine)
    numpy_version = _numpy_version_file()
    if numpy_version is not None:
        files.append(numpy_version)
    return files


def _numpy_version_file() -> str | None:
    """numpy's ``version.py`` (found without importing numpy)."""
    from importlib.util import find_spec

    spec = find_spec("numpy")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, "version.py")
        if os.path.isfile(path):
            return path
    return None


def fingerprint() -> str:
    """A hash of the exercise definitions, the engine's source and numpy's version."""
    import hashlib

    digest = hashlib.sha256(f"format {FORMAT} python {sys.version_info[:2]}\n".encode())
    for path in _sources():
        try:
            with open(path, "rb") as f:
                body = f.read()
        except OSError:
            body = b"<unreadable>"
        name = os.path.relpath(path, _ROOT) if path.startswith(_ROOT) else os.path.basename(
            path)
        digest.update(f"{name}\0{len(body)}\0".encode())
        digest.update(body)
    return digest.hexdigest()[:20]


def cache_path(data_dir: str | os.PathLike[str], stamp: str | None = None) -> str:
    """Where the cached cases for the current fingerprint live."""
    return os.path.join(os.fspath(data_dir), CACHE_FOLDER,
                        f"{CACHE_PREFIX}{stamp or fingerprint()}.json")


def read_cached(exercise_id: str, data_dir: str | os.PathLike[str]) -> list[GradedCase] | None:
    """The cached cases of ``exercise_id`` for the current fingerprint, or ``None`` when
    the file is missing, unreadable, or not exactly what :func:`_write` writes.

    Needs neither numpy, the engine nor the catalog: ``studyapp check`` calls it before
    anything else, so the child gets its job while it is still importing numpy. The
    caller checks the cases against its exercise with :func:`fits`.
    """
    stamp = fingerprint()
    try:
        with open(cache_path(data_dir, stamp), "rb") as f:
            data = json.loads(f.read())
    except (OSError, ValueError, RecursionError):
        return None
    if not (isinstance(data, dict) and data.get("format") == FORMAT
            and data.get("fingerprint") == stamp
            and isinstance(data.get("exercises"), dict)):
        return None
    return _parse(data["exercises"].get(exercise_id))


def _parse(raw: Any) -> list[GradedCase] | None:
    if not (isinstance(raw, dict) and set(raw) == {"outputs", "mistakes", "cases"}):
        return None
    n_out, n_mistakes, items = raw["outputs"], raw["mistakes"], raw["cases"]
    if not (type(n_out) is int and n_out > 0 and type(n_mistakes) is int
            and n_mistakes >= 0 and isinstance(items, list) and items):
        return None
    cases = []
    for item in items:
        if not (isinstance(item, dict) and set(item) == {"label", "inputs", "steps",
                                                         "expected", "mistakes"}):
            return None
        label, inputs, steps = item["label"], item["inputs"], item["steps"]
        expected, mistakes = item["expected"], item["mistakes"]
        if not (isinstance(label, str) and isinstance(inputs, dict)
                and isinstance(steps, list) and steps
                and all(isinstance(s, dict) and s.get("op") in _STEP_OPS for s in steps)):
            return None
        if not (isinstance(expected, list) and len(expected) == n_out
                and all(valid_encoded(v) for v in expected)):
            return None
        if not (isinstance(mistakes, list) and len(mistakes) == n_mistakes):
            return None
        for outputs in mistakes:
            if outputs is not None and not (isinstance(outputs, list) and all(
                    valid_encoded(v) for v in outputs)):
                return None
        cases.append(GradedCase(label, inputs, steps, expected, mistakes))
    return cases


def fits(exercise: Exercise, cases: list[GradedCase]) -> bool:
    """Whether ``cases`` have one expected value per output of ``exercise`` and one entry
    per named mistake (what :func:`read_cached` cannot know without the catalog)."""
    return bool(cases) and all(
        len(c.expected) == len(exercise.output_names)
        and len(c.mistakes) == len(exercise.mistakes) for c in cases)


def _write(data_dir: str | os.PathLike[str], stamp: str,
           cases: dict[str, list[GradedCase]], outputs: dict[str, tuple[int, int]]) -> None:
    """Write the cache atomically and remove caches of other fingerprints."""
    folder = os.path.join(os.fspath(data_dir), CACHE_FOLDER)
    os.makedirs(folder, exist_ok=True)
    target = cache_path(data_dir, stamp)
    body = json.dumps(
        {"format": FORMAT, "fingerprint": stamp,
         "exercises": {k: {"outputs": outputs[k][0], "mistakes": outputs[k][1],
                           "cases": [c.to_json() for c in v]} for k, v in cases.items()}},
        ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    from studyapp.files import replace_file

    replace_file(target, body, sync=True)
    for name in os.listdir(folder):
        old = os.path.join(folder, name)
        if name.startswith(CACHE_PREFIX) and name.endswith(".json") and old != target:
            try:  # noqa: SIM105 - no contextlib import on the check's fast path
                os.unlink(old)
            except OSError:
                pass


def load(exercise: Exercise, data_dir: str | os.PathLike[str] | None,
         ) -> tuple[list[GradedCase], str | None]:
    """The graded cases of ``exercise``: from the cache in ``data_dir`` when it holds a
    valid one for the current fingerprint, else computed by the engine (and the cache
    written for every exercise). Returns the cases and a warning (the cache could not be
    written) or ``None``. Without a data folder (or one that does not exist) the cases are
    computed and nothing is written.
    """
    if data_dir is None or not os.path.isdir(data_dir):
        return compute(exercise), None
    cached = read_cached(exercise.id, data_dir)
    if cached is not None and fits(exercise, cached):
        return cached, None
    from studyapp.exercises.catalog import EXERCISES

    every = compute_all()
    warning = None
    try:
        _write(data_dir, fingerprint(), every,
               {e.id: (len(e.output_names), len(e.mistakes)) for e in EXERCISES})
    except (OSError, ValueError) as exc:
        folder = os.path.join(os.fspath(data_dir), CACHE_FOLDER)
        warning = f"could not cache the exercises' cases in {folder}: {exc}"
    return every.get(exercise.id) or compute(exercise), warning
