"""The parent side of the sandbox: run a learner's file in a separate, limited process.

Learner code is untrusted input. It runs only in a child interpreter started as
``python -I -B runner.py LIMITS`` (isolated: no user site, no ``PYTHON*`` variables,
no script folder on ``sys.path``; no bytecode written), in its own session (process
group), with an empty temporary working folder that is removed afterwards, one BLAS
thread, and the limits of :class:`Limits` (the child sets them on itself before any
learner code runs; see ``runner.py`` for the audit hook). The parent

- starts the child first (:func:`start`), so the child imports numpy while the parent
  builds the cases;
- sends the job (the learner's source and the calls) as JSON on the child's stdin;
- reads at most ``Limits.output_chars`` characters from the child's stderr and the
  result (JSON, never pickle) from its stdout, killing the whole process group on a
  flood of output or when the wall-clock time runs out;
- turns what happened into an :class:`Outcome` a learner understands: 時間切れ,
  メモリ上限, 禁止された操作 (which one), 出力が多すぎます, or their own traceback.

``docs/exercises.md`` says what these limits stop and what they cannot promise.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RUNNER = Path(__file__).with_name("runner.py")

#: outcome statuses
OK = "ok"                # the file loaded and every call ran (a case may still have raised)
ERROR = "error"          # the file raised while loading (or a syntax error)
TIMEOUT = "timeout"      # CPU seconds or wall-clock time ran out
MEMORY = "memory"        # the address-space limit was hit
REFUSED = "refused"      # the audit hook refused an operation
OUTPUT = "output"        # too much printed
CRASHED = "crashed"      # the child died without a result (a signal, a broken interpreter)

MESSAGES = {
    TIMEOUT: "時間切れ: 制限時間内に終わりませんでした（無限ループになっていませんか）",
    MEMORY: "メモリ上限: 使えるメモリを超えました（巨大な配列を作っていませんか）",
    REFUSED: "禁止された操作: {what}（演習のコードはファイル書き込み・プロセス起動・"
             "ネットワーク・ctypes を使えません）",
    OUTPUT: "出力が多すぎます: print の出力が上限を超えたので止めました",
    CRASHED: "実行が異常終了しました（{what}）",
}


@dataclass(frozen=True)
class Limits:
    """What one run may use."""

    cpu_s: int = 5              # CPU seconds (SIGXCPU, then SIGKILL a second later)
    wall_s: float = 10.0        # wall-clock seconds before the process group is killed
    memory_mb: int = 768        # address space; numpy with one BLAS thread needs ~100 MB
    open_files: int = 32
    output_chars: int = 64_000  # printed text kept (the parent reads twice this at most)

    def as_json(self) -> str:
        return json.dumps({"cpu_s": self.cpu_s, "memory_mb": self.memory_mb,
                           "open_files": self.open_files, "output_chars": self.output_chars})


@dataclass
class Outcome:
    """What a run of learner code came to."""

    status: str
    cases: list[dict[str, Any]] = field(default_factory=list)
    traceback: str = ""
    refused: str = ""
    output: str = ""
    detail: str = ""
    workdir: str = ""
    pgid: int = 0

    @property
    def stopped(self) -> bool:
        """Whether the run was stopped (limits, a refused operation, a crash or an error
        while loading) rather than completed."""
        return self.status != OK

    def message(self) -> str:
        """One line for the learner (empty for a completed run or a plain error)."""
        if self.status == REFUSED:
            return MESSAGES[REFUSED].format(what=self.refused)
        if self.status == CRASHED:
            return MESSAGES[CRASHED].format(what=self.detail)
        if self.status == ERROR:
            return "エラー: ファイルの読み込み中に例外が発生しました"
        return MESSAGES.get(self.status, "")


def _child_env() -> dict[str, str]:
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONIOENCODING": "utf-8"}
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                 "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        env[name] = "1"
    return env


class Pending:
    """A started child waiting for its job (see :func:`start`)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.workdir = tempfile.mkdtemp(prefix="studyapp-exercise-")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-B", str(RUNNER), limits.as_json()],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=self.workdir, env=_child_env(), start_new_session=True, close_fds=True,
        )
        self.pgid = self.proc.pid  # the session leader's pid is its group's id

    def run(self, source: str, filename: str, cases: list[dict[str, Any]]) -> Outcome:
        """Send the job, wait for the result within the limits, clean up."""
        try:
            return self._run(source, filename, cases)
        finally:
            self._kill()
            shutil.rmtree(self.workdir, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the child without running anything."""
        self._kill()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL does not fail
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def _run(self, source: str, filename: str, cases: list[dict[str, Any]]) -> Outcome:
        job = json.dumps({"source": source, "filename": filename, "cases": cases},
                         ensure_ascii=False, allow_nan=False).encode()
        assert self.proc.stdin is not None and self.proc.stdout is not None
        assert self.proc.stderr is not None
        base = {"workdir": self.workdir, "pgid": self.pgid}
        try:
            self.proc.stdin.write(job)
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the child is gone already; its exit status says why
        result, errors, flooded, timed_out = self._collect()
        if timed_out:
            return Outcome(TIMEOUT, **base)
        if flooded:
            return Outcome(OUTPUT, output=errors[-2000:], **base)
        code = self.proc.wait()
        if code in (-signal.SIGXCPU, -signal.SIGKILL) and not result:
            return Outcome(TIMEOUT, **base)
        try:
            reply = json.loads(result.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            reply = None
        if not isinstance(reply, dict):
            if "MemoryError" in errors:
                return Outcome(MEMORY, **base)
            what = f"終了コード {code}" if code >= 0 else f"シグナル {-code}"
            return Outcome(CRASHED, detail=what, output=errors[-2000:], **base)
        return Outcome(
            status=str(reply.get("status", CRASHED)),
            cases=list(reply.get("cases", [])),
            traceback=str(reply.get("traceback", "")),
            refused=str(reply.get("refused", "")),
            output=(str(reply.get("output", "")) + errors)[-2000:],
            **base,
        )

    def _collect(self) -> tuple[bytes, str, bool, bool]:
        """Read stdout (the result) and stderr (bounded) until both close or time runs out.

        Returns (result bytes, stderr text, flooded, timed out).
        """
        assert self.proc.stdout is not None and self.proc.stderr is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ, "out")
        sel.register(self.proc.stderr, selectors.EVENT_READ, "err")
        out = bytearray()
        err = bytearray()
        cap_out = 64 * 1024 * 1024  # the result: cases' outputs as JSON
        cap_err = 2 * self.limits.output_chars
        deadline = self.started + self.limits.wall_s
        open_streams = 2
        try:
            while open_streams:
                left = deadline - time.monotonic()
                if left <= 0:
                    return bytes(out), err.decode("utf-8", "replace"), False, True
                for key, _ in sel.select(timeout=left):
                    chunk = os.read(key.fd, 65536)
                    if not chunk:
                        sel.unregister(key.fileobj)
                        open_streams -= 1
                        continue
                    target = out if key.data == "out" else err
                    target += chunk
                    if len(err) > cap_err or len(out) > cap_out:
                        return bytes(out), err.decode("utf-8", "replace"), True, False
        finally:
            sel.close()
        return bytes(out), err.decode("utf-8", "replace"), False, False


def start(limits: Limits | None = None) -> Pending:
    """Start a sandboxed child; it imports numpy while the caller prepares the job."""
    return Pending(limits or Limits())


def run(source: str, filename: str, cases: list[dict[str, Any]],
        limits: Limits | None = None) -> Outcome:
    """Run ``source`` (shown in tracebacks as ``filename``) and the calls of ``cases``.

    Each case is ``{"steps": [...]}``; a step is ``{"op": "call", "name": F, "args":
    [...], "kwargs": {...}}`` (call the learner's F; its return value is an output),
    ``{"op": "new", "name": C, "args": [...]}`` (make an object of class C),
    ``{"op": "method", "name": M, ...}`` (call the object's M; an output) or
    ``{"op": "seed", "seed": S}`` (``np.random.seed(S)``). An argument is ``{"a": list}``
    (a float array) or ``{"v": value}`` (as is).
    """
    return start(limits).run(source, filename, cases)
