"""Starting the sandbox's child process, with nothing but ``os``.

A check should cost about one ``python -c "import numpy"``: the child's interpreter and
its numpy import are that cost, so the child is started as early as possible and
everything else the parent does overlaps it. This module is what runs before the child
exists, so it imports only ``os``, ``sys`` and ``time`` (no ``subprocess``, ``tempfile``,
``json`` or ``dataclasses``, each of which costs a noticeable share of a numpy start):
``os.posix_spawn`` starts ``python -I -B runner.py LIMITS WORKDIR`` in a new session
(its own process group), with pipes on its standard streams, a minimal environment and
an empty working folder (mode 0700, a random name in the temporary folder) that the
runner makes its current folder. ``sandbox.py`` does the rest (the job, the limits in
time and output, the clean-up).
"""

from __future__ import annotations

import os
import sys
import time

#: the runner script (the child side)
RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runner.py")

#: what one run may use unless told otherwise (``sandbox.Limits`` takes its defaults here)
CPU_S = 5              # CPU seconds (SIGXCPU, then SIGKILL a second later)
WALL_S = 10.0          # wall-clock seconds before the process group is killed
MEMORY_MB = 768        # address space; numpy with one BLAS thread needs ~100 MB
OPEN_FILES = 32
OUTPUT_CHARS = 64_000  # printed text kept (the parent reads twice this at most)

_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def limits_json(cpu_s: int = CPU_S, memory_mb: int = MEMORY_MB, open_files: int = OPEN_FILES,
                output_chars: int = OUTPUT_CHARS) -> str:
    """The limits as the runner reads them (``argv[1]``), as JSON."""
    return (f'{{"cpu_s": {int(cpu_s)}, "memory_mb": {int(memory_mb)}, '
            f'"open_files": {int(open_files)}, "output_chars": {int(output_chars)}}}')


def child_env() -> dict[str, str]:
    """The child's whole environment: a path, a UTF-8 locale, one BLAS thread."""
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONIOENCODING": "utf-8"}
    for name in _THREAD_VARS:
        env[name] = "1"
    return env


def _workdir() -> str:
    base = os.environ.get("TMPDIR") or "/tmp"
    for _ in range(100):
        path = os.path.join(base, f"studyapp-exercise-{os.urandom(8).hex()}")
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free name for a working folder in {base}")


class Child:
    """A started child: its pid (= its process group), the parent's ends of its pipes
    (stdin to write the job, stdout for the result, stderr for what it printed), its
    working folder and when it started."""

    __slots__ = (
        "pid",
        "reaped",
        "returncode",
        "started",
        "stderr",
        "stdin",
        "stdout",
        "workdir",
    )

    def __init__(self, limits: str | None = None) -> None:
        self.workdir = _workdir()
        self.started = time.monotonic()
        self.reaped = False
        self.returncode: int | None = None
        ends: list[int] = []
        try:
            in_r, in_w = os.pipe()
            ends += [in_r, in_w]
            out_r, out_w = os.pipe()
            ends += [out_r, out_w]
            err_r, err_w = os.pipe()
            ends += [err_r, err_w]
            self.pid = os.posix_spawn(
                sys.executable,
                [sys.executable, "-I", "-B", RUNNER, limits or limits_json(), self.workdir],
                child_env(),
                file_actions=[(os.POSIX_SPAWN_DUP2, in_r, 0),
                              (os.POSIX_SPAWN_DUP2, out_w, 1),
                              (os.POSIX_SPAWN_DUP2, err_w, 2)],
                setsid=True,
            )
        except BaseException:
            for fd in ends:
                os.close(fd)
            os.rmdir(self.workdir)
            raise
        for fd in (in_r, out_w, err_w):  # the child's ends
            os.close(fd)
        self.stdin, self.stdout, self.stderr = in_w, out_r, err_r

    def send(self, job: bytes) -> None:
        """Write the job to the child's stdin and close it (the child reads it whole).
        Only the first call writes; a child that is gone already (EPIPE) is not an error
        here: its exit status says why."""
        fd, self.stdin = self.stdin, -1
        if fd < 0:
            return
        try:
            view = memoryview(job)
            while view:
                view = view[os.write(fd, view):]
        except OSError:
            pass
        finally:
            try:  # noqa: SIM105 - no contextlib import on the check's fast path
                os.close(fd)
            except OSError:
                pass

    def close(self) -> None:
        """Close the parent's ends of the pipes (after the child is reaped)."""
        for name in ("stdin", "stdout", "stderr"):
            fd = getattr(self, name)
            setattr(self, name, -1)
            if fd >= 0:
                try:  # noqa: SIM105 - no contextlib import on the check's fast path
                    os.close(fd)
                except OSError:
                    pass

    def wait(self) -> int:
        """Reap the child; its exit code (negative: killed by that signal)."""
        if not self.reaped:
            _pid, status = os.waitpid(self.pid, 0)
            self.reaped = True
            self.returncode = os.waitstatus_to_exitcode(status)
        assert self.returncode is not None
        return self.returncode


def encode_job(source: str, filename: str, cases: list[dict]) -> bytes:
    """The job the runner reads on stdin: the learner's source and the calls, as JSON."""
    import json

    return json.dumps({"source": source, "filename": filename, "cases": cases},
                      ensure_ascii=False, allow_nan=False).encode()


def spawn(limits: str | None = None) -> Child:
    """Start the runner now (``limits`` as :func:`limits_json` gives; the defaults if
    omitted)."""
    return Child(limits)
