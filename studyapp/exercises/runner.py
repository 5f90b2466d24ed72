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
    "_multiprocessing", "socket", "_socket", "ssl", "_ssl", "pty", "mmap", "signal",
    "_signal", "resource", "fcntl", "termios", "shutil", "syslog",
})
_REFUSED_PREFIXES = ("ctypes.", "socket.", "subprocess.", "os.exec", "os.spawn",
                     "os.posix_spawn", "os.fork", "shutil.", "resource.", "syslog.")
_REFUSED_EVENTS = frozenset({
    "os.system", "os.forkpty", "os.kill", "os.killpg", "os.remove", "os.unlink",
    "os.rename", "os.rmdir", "os.mkdir", "os.symlink", "os.link", "os.chmod", "os.chown",
    "os.chflags", "os.truncate", "os.chdir", "os.chroot", "os.setxattr", "os.removexattr",
    "os.utime", "os.mkfifo", "os.mknod", "os.putenv", "os.unsetenv", "pty.spawn",
    "webbrowser.open", "sqlite3.connect", "urllib.Request", "ftplib.connect",
    "http.client.connect", "smtplib.connect", "imaplib.open", "poplib.connect",
    "telnetlib.Telnet.open",
})
#: attributes of the audit hook whose change would rewrite it (setting them raises the
#: ``object.__setattr__`` event)
_HOOK_ATTRS = frozenset({"__code__", "__defaults__", "__kwdefaults__"})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

#: how much of a learner's traceback comes back: frames of their file kept from the
#: start and from the end (a deep recursion has thousands), and characters in all
_HEAD_FRAMES = 8
_TAIL_FRAMES = 8
_TEXT_CHARS = 4000


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


#: the refused operations, in order (the first decides the outcome); the audit hook
#: appends to it, the learner's code catching the exception does not undo it
_refusals: list[str] = []


def _audit(event, args, _refusals=_refusals, _refuse=PermissionError,
           _exact=str.__str__, _type=type, _str=str, _int=int, _bytes=bytes,
           _events=_REFUSED_EVENTS,
           _prefixes=_REFUSED_PREFIXES, _imports=_REFUSED_IMPORTS, _hook=_HOOK_ATTRS,
           _write=_WRITE_FLAGS, _repr=repr, _self=None):
    """The audit hook: refuse what learner code may not do.

    It is installed just before the learner's file is compiled and stays on (a hook
    cannot be removed). Code running in the same interpreter can reach this function and
    this module, so the hook depends on nothing that code could change without raising
    an event the hook refuses: no global or builtin name is looked up here (they could be
    rebound), everything it uses is a default argument (a tuple: replacing it raises
    ``object.__setattr__``, refused below for this function, as is replacing its
    code; ``_self`` is this function, set by :func:`_install`), a builtin, or a
    constant. Anything unexpected in an event's arguments raises, which refuses the
    operation too.
    """
    event = _exact(event)
    what = None
    if event == "open":
        path, mode, flags = args
        if not ((mode is None or _type(mode) is _str) and _type(flags) is _int):
            what = "open"
        elif (mode is not None and ("w" in mode or "a" in mode or "x" in mode
                                    or "+" in mode)) or flags & _write:
            shown = (_repr(path)[:200] if _type(path) in (_str, _bytes, _int)
                     else _exact(_type(path).__name__)[:100])
            what = f"ファイルへの書き込み (open {shown}, {mode or flags!r})"
    elif event == "import":
        name = _exact(args[0])
        if name.partition(".")[0] in _imports:
            what = f"import {name[:100]}"
    elif event == "object.__setattr__":
        if args[0] is _self and _exact(args[1]) in _hook:
            what = f"監査フックの {_exact(args[1])} の書き換え"
    elif event in _events or event.startswith(_prefixes):
        what = event
    if what is not None:
        _refusals.append(what)
        raise _refuse(f"禁止された操作です: {what}")


def _install() -> None:
    """Install the audit hook, for good (``_self``: the hook knows itself)."""
    _audit.__defaults__ = (*_audit.__defaults__[:-1], _audit)
    sys.addaudithook(_audit)


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
        return {"error": f"戻り値を数値の配列にできません（{_clip(type(value).__name__, 80)}）"}
    if arr.size > 100_000:
        return {"error": f"戻り値が大きすぎます（{arr.size} 要素）"}
    flat = [x if x == x and x not in (float("inf"), float("-inf")) else repr(x)
            for x in arr.ravel().tolist()]
    return {"shape": list(arr.shape), "data": flat}


def _arg(spec: dict, np: object) -> object:
    if "a" in spec:
        return np.array(spec["a"], dtype=float)  # type: ignore[attr-defined]
    return spec["v"]


def _clip(text: str, limit: int = _TEXT_CHARS) -> str:
    """``text`` cut to ``limit`` characters (the cut said)."""
    text = str.__str__(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（以下 {len(text) - limit} 文字省略）\n"


def _trimmed(exc: BaseException, filename: str) -> str:
    """The traceback of ``exc`` cut to the frames of the learner's file: the first and
    the last few of them (a runaway recursion has thousands), at most ``_TEXT_CHARS``
    characters in all."""
    import collections
    import traceback

    head: list[tuple[object, int]] = []
    tail: collections.deque[tuple[object, int]] = collections.deque(maxlen=_TAIL_FRAMES)
    count = 0
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_filename == filename:
            count += 1
            if len(head) < _HEAD_FRAMES:
                head.append((frame, tb.tb_lineno))
            else:
                tail.append((frame, tb.tb_lineno))
        tb = tb.tb_next
    lines = ["Traceback (your file):\n"] if count else []
    lines += traceback.StackSummary.extract(iter(head), lookup_lines=True).format()
    if count > len(head) + len(tail):
        lines.append(f"  …（{count - len(head) - len(tail)} フレーム省略）\n")
    lines += traceback.StackSummary.extract(iter(tail), lookup_lines=True).format()
    message = "".join(traceback.format_exception_only(type(exc), exc))
    return _clip("".join(lines), _TEXT_CHARS // 2) + _clip(message, _TEXT_CHARS // 2)


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
    sys.stdout = sys.stderr = out  # type: ignore[assignment]
    _install()  # from here on, for good
    env: dict = {"__name__": "solution", "__file__": filename, "__builtins__": __builtins__}
    try:
        exec(compile(source, filename, "exec"), env)
        reply["stage"] = "cases"
        for case in job["cases"]:
            try:
                reply["cases"].append({"outputs": _run_case(case, env, np)})
            except (Exception, RecursionError) as exc:
                if isinstance(exc, MemoryError) or _refusals:
                    raise
                reply["cases"].append({"error": _trimmed(exc, filename),
                                       "type": type(exc).__name__})
        reply["status"] = "ok"
    except OutputLimit:
        reply["status"] = "output"
    except SyntaxError as exc:
        reply["status"] = "error"
        reply["traceback"] = _clip("".join(__import__("traceback").format_exception_only(
            type(exc), exc)))
    except BaseException as exc:
        reply["status"] = _kind(exc)
        reply["traceback"] = _trimmed(exc, filename)
    if _refusals:
        reply["status"] = "refused"
        reply["refused"] = _clip(_refusals[0], 300)
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
