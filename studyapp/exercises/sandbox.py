"""The parent side of the sandbox: run a learner's file in a separate, limited process.

Learner code is untrusted input. It runs only in a child interpreter started as
``python -I -B runner.py LIMITS WORKDIR`` (``spawn.py``; isolated: no user site, no
``PYTHON*`` variables, no script folder on ``sys.path``; no bytecode written), in its own
session (process group), with an empty temporary working folder that is removed
afterwards, one BLAS thread, and the limits of :class:`Limits` (the child sets them on
itself before any learner code runs; see ``runner.py`` for the audit hook). The parent

- starts the child first (:func:`start`, or :func:`adopt` for one ``spawn.spawn``
  started even earlier), so the child imports numpy while the parent builds the cases;
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
import signal
import time
from dataclasses import dataclass, field
from typing import Any

from studyapp.exercises import spawn

RUNNER = spawn.RUNNER

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

    cpu_s: int = spawn.CPU_S            # CPU seconds (SIGXCPU, then SIGKILL a second later)
    wall_s: float = spawn.WALL_S        # wall-clock seconds before the group is killed
    memory_mb: int = spawn.MEMORY_MB    # address space; numpy with one BLAS thread: ~100 MB
    open_files: int = spawn.OPEN_FILES
    output_chars: int = spawn.OUTPUT_CHARS  # printed text kept (twice this read at most)

    def as_json(self) -> str:
        return spawn.limits_json(self.cpu_s, self.memory_mb, self.open_files,
                                 self.output_chars)


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


class Pending:
    """A started child waiting for its job (see :func:`start`)."""

    def __init__(self, limits: Limits, child: spawn.Child | None = None) -> None:
        self.limits = limits
        self.child = child if child is not None else spawn.spawn(limits.as_json())
        self.workdir = self.child.workdir
        self.started = self.child.started
        self.pgid = self.child.pid  # the session leader's pid is its group's id

    def run(self, source: str, filename: str, cases: list[dict[str, Any]]) -> Outcome:
        """Send the job, wait for the result within the limits, clean up."""
        try:
            self.submit(source, filename, cases)
        except BaseException:
            self.cancel()
            raise
        return self.finish()

    def submit(self, source: str, filename: str, cases: list[dict[str, Any]]) -> None:
        """Send the job (the child reads it once numpy is imported)."""
        self.child.send(spawn.encode_job(source, filename, cases))

    def finish(self) -> Outcome:
        """Wait for the result of the job sent (by :meth:`submit`, or straight through
        ``spawn.Child.send``) within the limits, then clean up."""
        try:
            return self._outcome()
        finally:
            self._kill()
            _remove(self.workdir)

    def cancel(self) -> None:
        """Stop the child without running anything."""
        self._kill()
        _remove(self.workdir)

    def _kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pgid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            self.child.wait()  # SIGKILL cannot be refused: this returns
        self.child.close()

    def _outcome(self) -> Outcome:
        base = {"workdir": self.workdir, "pgid": self.pgid}
        self.child.send(b"")  # (no-op when the job is out already) stdin closed
        result, errors, flooded, timed_out = self._collect()
        if timed_out:
            return Outcome(TIMEOUT, **base)
        if flooded:
            return Outcome(OUTPUT, output=errors[-2000:], **base)
        code = self.child.wait()
        if code in (-signal.SIGXCPU, -signal.SIGKILL) and not result:
            return Outcome(TIMEOUT, **base)
        reply = _reply(result)
        if reply is None:
            if "MemoryError" in errors:
                return Outcome(MEMORY, **base)
            what = f"終了コード {code}" if code >= 0 else f"シグナル {-code}"
            return Outcome(CRASHED, detail=what, output=errors[-2000:], **base)
        return Outcome(
            status=reply["status"],
            cases=reply["cases"],
            traceback=_text(reply.get("traceback")),
            refused=_text(reply.get("refused"), 300),
            output=(_text(reply.get("output")) + errors)[-2000:],
            **base,
        )

    def _collect(self) -> tuple[bytes, str, bool, bool]:
        """Read stdout (the result) and stderr (bounded) until both close or time runs out.

        Returns (result bytes, stderr text, flooded, timed out).
        """
        sel = selectors.DefaultSelector()
        sel.register(self.child.stdout, selectors.EVENT_READ, "out")
        sel.register(self.child.stderr, selectors.EVENT_READ, "err")
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


#: what the child may answer (anything else is a crash); the longest text kept of it
_STATUSES = frozenset({OK, ERROR, TIMEOUT, MEMORY, REFUSED, OUTPUT})
_TEXT_CHARS = 6000


def _text(value: Any, limit: int = _TEXT_CHARS) -> str:
    """A text of the reply, at most ``limit`` characters ("" for anything else)."""
    return value[:limit] if isinstance(value, str) else ""


def _reply(data: bytes) -> dict[str, Any] | None:
    """The child's reply, or ``None`` when it is not exactly what ``runner.py`` writes.

    The child runs the learner's code, which can write anything to the result pipe: the
    reply is data to check, never trusted. Only a JSON object with a known status and a
    list of cases (each ``{"outputs": [...]}`` or ``{"error": text}``) is taken; texts
    are cut short; the outputs themselves are checked by the grader
    (``graded.valid_encoded``) before they are compared.
    """
    try:
        reply = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, too deep, a huge number
        return None
    if not isinstance(reply, dict) or reply.get("status") not in _STATUSES:
        return None
    cases = reply.get("cases", [])
    if not isinstance(cases, list):
        return None
    kept: list[dict[str, Any]] = []
    for case in cases:
        if isinstance(case, dict) and isinstance(case.get("outputs"), list):
            kept.append({"outputs": [o if isinstance(o, dict) else {} for o in case[
                "outputs"]]})
            for output in kept[-1]["outputs"]:
                if "error" in output:
                    output["error"] = _text(output["error"], 300) or "戻り値を読めません"
        elif isinstance(case, dict) and "error" in case:
            kept.append({"error": _text(case["error"]) or "例外が発生しました",
                         "type": _text(case.get("type"), 100)})
        else:
            kept.append({"error": "結果を読めません"})
    reply["cases"] = kept
    return reply


def _remove(workdir: str) -> None:
    """Remove the working folder (empty, unless code got past the checks)."""
    try:
        os.rmdir(workdir)
    except FileNotFoundError:
        pass
    except OSError:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


def start(limits: Limits | None = None) -> Pending:
    """Start a sandboxed child; it imports numpy while the caller prepares the job."""
    return Pending(limits or Limits())


def adopt(child: spawn.Child) -> Pending:
    """A child started earlier by ``spawn.spawn()`` (with the default limits)."""
    return Pending(Limits(), child)


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
