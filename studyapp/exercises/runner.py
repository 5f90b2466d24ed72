"""The child side of the sandbox: runs one learner file and sends its outputs back as JSON.

This file is run as a script (``python -I -B runner.py LIMITS WORKDIR``, started by
``spawn.py``), never imported by the app: it uses the standard library and numpy only, so
a check starts as fast as ``python -c "import numpy"``. In order, it

0. closes every descriptor above 2 and moves into WORKDIR, the empty working folder;
1. lowers its own resource limits (given as JSON in ``argv[1]``: CPU seconds, address
   space, file size 0, a few open files, no core files, no new processes) while the code
   running is still its own;
2. imports numpy (while the parent still prepares the cases), then reads the job (one
   JSON object) from standard input and closes it;
3. drops the modules the learner may not use from ``sys.modules``
   (so importing them again goes through the import machinery and its audit event);
4. installs an audit hook that refuses starting processes, sockets, opening files for
   writing, changing the file system, ctypes and the imports that lead to them;
5. runs the learner's file and then each call of the job, catching every error;
6. writes one JSON object to the result descriptor (never pickle) and exits at once
   (``os._exit``: nothing is left to flush, and numpy's clean-up would only delay the
   parent, which waits for the pipe to close).

The learner's prints go to a bounded buffer; past its size the run stops with
``output``. The first refused operation is remembered even if the learner's code catches
the exception, and it decides the outcome.
"""

from __future__ import annotations

import json
import os
import sys

#: exit status when the result could not be written (the parent reports a crash)
_EXIT_NO_RESULT = 3

_REFUSED_IMPORTS = frozenset({
    "ctypes", "_ctypes", "cffi", "subprocess", "_posixsubprocess", "multiprocessing",
    "_multiprocessing", "socket", "_socket", "ssl", "pty", "mmap", "signal", "_signal",
    "resource", "fcntl", "shutil",
})
_REFUSED_PREFIXES = ("ctypes.", "socket.", "subprocess.", "os.exec", "os.spawn",
                     "os.posix_spawn", "os.fork", "shutil.")
_REFUSED_EVENTS = frozenset({
    "os.system", "os.forkpty", "os.kill", "os.killpg", "os.remove", "os.unlink",
    "os.rename", "os.rmdir", "os.mkdir", "os.symlink", "os.link", "os.chmod", "os.chown",
    "os.truncate", "os.chdir", "os.chroot", "os.setxattr", "os.removexattr", "os.utime",
    "os.mkfifo", "os.mknod", "os.putenv", "os.unsetenv", "pty.spawn", "webbrowser.open",
    "sqlite3.connect", "urllib.Request", "ftplib.connect",
    "http.client.connect", "smtplib.connect", "imaplib.open", "poplib.connect",
    "telnetlib.Telnet.open",
})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class Refused(PermissionError):
    """An operation the sandbox does not allow."""


class OutputLimit(BaseException):
    """The learner's code printed more than the sandbox keeps."""


class _Bounded:
    """A text stream that keeps at most ``limit`` characters, then stops the run."""

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit
        self.flooded = False

    def write(self, text: str) -> int:
        text = str(text)
        self.size += len(text)
        if self.size > self.limit:
            self.flooded = True
            raise OutputLimit
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        return "".join(self.parts)


_state: dict[str, object] = {"refused": None, "armed": False}


def _refuse(what: str) -> None:
    if _state["refused"] is None:
        _state["refused"] = what
    raise Refused(f"禁止された操作です: {what}")


def _audit(event: str, args: tuple) -> None:
    if not _state["armed"]:
        return
    if event == "open":
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 else 0
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS):
            _refuse(f"ファイルへの書き込み (open {args[0]!r}, {mode or flags!r})")
        return
    if event == "import":
        name = str(args[0])
        if name.split(".")[0] in _REFUSED_IMPORTS:
            _refuse(f"import {name}")
        return
    if event in _REFUSED_EVENTS or event.startswith(_REFUSED_PREFIXES):
        _refuse(event)


def _limit(limits: dict) -> None:
    import resource

    def cap(which: int, value: int) -> None:
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))

    cpu = int(limits["cpu_s"])
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    # the soft limit sends SIGXCPU (the process ends); the hard one a second later SIGKILL
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1 if hard == resource.RLIM_INFINITY
                                              else min(cpu + 1, hard)))
    cap(resource.RLIMIT_AS, int(limits["memory_mb"]) * 1024 * 1024)
    cap(resource.RLIMIT_FSIZE, 0)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    if hasattr(resource, "RLIMIT_NPROC") and os.getuid() != 0:
        # root is not bound by RLIMIT_NPROC; for anyone else no process can be started
        cap(resource.RLIMIT_NPROC, 0)


def _encode(value: object, np: object) -> dict:
    """A learner's return value as JSON: shape and flat data (non-finite numbers as text)."""
    if value is None:
        return {"error": "None が返されました（return を忘れていませんか）"}
    try:
        arr = np.asarray(value, dtype=float)  # type: ignore[attr-defined]
    except (TypeError, ValueError, OverflowError):
        return {"error": f"戻り値を数値の配列にできません（{type(value).__name__}）"}
    if arr.size > 100_000:
        return {"error": f"戻り値が大きすぎます（{arr.size} 要素）"}
    flat = [x if x == x and x not in (float("inf"), float("-inf")) else repr(x)
            for x in arr.ravel().tolist()]
    return {"shape": list(arr.shape), "data": flat}


def _arg(spec: dict, np: object) -> object:
    if "a" in spec:
        return np.array(spec["a"], dtype=float)  # type: ignore[attr-defined]
    return spec["v"]


def _trimmed(exc: BaseException, filename: str) -> str:
    """The traceback of ``exc`` cut to the frames of the learner's file."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    lines = ["Traceback (your file):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def _kind(exc: BaseException) -> str:
    return "memory" if isinstance(exc, MemoryError) else "error"


def _run_case(case: dict, env: dict, np: object) -> list[dict]:
    """Run one case's steps; a list of encoded outputs (or one error)."""
    outputs: list[dict] = []
    obj = None
    for step in case["steps"]:
        op = step["op"]
        if op == "seed":
            np.random.seed(int(step["seed"]))  # type: ignore[attr-defined]
            continue
        args = [_arg(a, np) for a in step.get("args", [])]
        kwargs = {k: _arg(v, np) for k, v in step.get("kwargs", {}).items()}
        if op == "new":
            obj = env[step["name"]](*args, **kwargs)
            continue
        target = getattr(obj, step["name"]) if op == "method" else env[step["name"]]
        outputs.append(_encode(target(*args, **kwargs), np))
    return outputs


def main() -> int:
    # descriptors the parent's own parent let it inherit are not the learner's to use
    os.closerange(3, 65536)
    if len(sys.argv) > 2:
        os.chdir(sys.argv[2])  # the empty working folder the parent made (then removes)
    result_fd = os.dup(1)
    os.dup2(2, 1)  # a learner writing to fd 1 directly lands in the parent's bounded stderr
    limits = json.loads(sys.argv[1])
    _limit(limits)
    sys.dont_write_bytecode = True

    import linecache

    import numpy as np  # while the parent still prepares the cases

    job = json.loads(sys.stdin.read())
    sys.stdin.close()
    for name in list(sys.modules):
        if name.split(".")[0] in _REFUSED_IMPORTS:
            del sys.modules[name]
    out = _Bounded(int(limits["output_chars"]))
    filename = job["filename"]
    source = job["source"]
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    reply: dict = {"cases": [], "stage": "load"}
    sys.addaudithook(_audit)
    sys.stdout = sys.stderr = out  # type: ignore[assignment]
    _state["armed"] = True
    env: dict = {"__name__": "solution", "__file__": filename, "__builtins__": __builtins__}
    try:
        exec(compile(source, filename, "exec"), env)
        reply["stage"] = "cases"
        for case in job["cases"]:
            try:
                reply["cases"].append({"outputs": _run_case(case, env, np)})
            except (Exception, RecursionError) as exc:
                if isinstance(exc, MemoryError) or _state["refused"]:
                    raise
                reply["cases"].append({"error": _trimmed(exc, filename),
                                       "type": type(exc).__name__})
        reply["status"] = "ok"
    except OutputLimit:
        reply["status"] = "output"
    except SyntaxError as exc:
        reply["status"] = "error"
        reply["traceback"] = "".join(__import__("traceback").format_exception_only(
            type(exc), exc))
    except BaseException as exc:
        reply["status"] = _kind(exc)
        reply["traceback"] = _trimmed(exc, filename)
    _state["armed"] = False
    if _state["refused"]:
        reply["status"] = "refused"
        reply["refused"] = _state["refused"]
    if out.flooded:
        reply["status"] = "output"
    reply["output"] = out.text()[-2000:]
    try:
        data = json.dumps(reply, ensure_ascii=False, allow_nan=False).encode()
        view = memoryview(data)
        while view:
            view = view[os.write(result_fd, view):]
    except BaseException:
        return _EXIT_NO_RESULT
    return 0


if __name__ == "__main__":
    # The result is out (written straight to its descriptor; the learner's prints went to
    # a buffer that is part of it): leave without the interpreter's clean-up, which for a
    # process that imported numpy costs about a tenth of a check, while the parent waits
    # for the pipe to close.
    os._exit(main())
