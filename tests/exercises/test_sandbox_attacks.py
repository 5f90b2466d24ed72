"""A hostile learner's solution files, run as a learner runs them: ``studyapp check ID
FILE`` in a subprocess. Each attack must end with exit 1 and a verdict a learner reads
(禁止された操作, 時間切れ, …), never with exit 0 for a wrong answer, a traceback of the
app, a file written, a process started or a socket opened.

Attacks that already failed safe are kept: they document the guarantee.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from studyapp.exercises import sandbox

ROOT = Path(__file__).resolve().parents[2]
#: the exercise attacked: soft_threshold(z, t); the tail every attack file ends with
EXERCISE = "soft-threshold"
WRONG = "\n\ndef soft_threshold(z, t):\n    return z\n"
RIGHT = ("\n\nimport numpy as _np\n\ndef soft_threshold(z, t):\n"
         "    return _np.sign(z) * _np.maximum(_np.abs(z) - t, 0.0)\n")


def check(tmp_path: Path, source: str, exercise: str = EXERCISE) -> subprocess.CompletedProcess:
    """``studyapp check EXERCISE FILE`` on ``source`` (its own data folder), bounded."""
    path = tmp_path / "attack.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "studyapp", "check", exercise, str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=120)


def refused(result: subprocess.CompletedProcess, marker: Path | None = None) -> str:
    """The verdict of a check that was stopped as a refused operation."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stdout.startswith("NG: 禁止された操作"), result.stdout
    assert "Traceback (most recent call last)" not in result.stderr, result.stderr
    if marker is not None:
        assert not marker.exists(), f"{marker} was made: the operation got through"
    return result.stdout


def test_the_harness_passes_a_right_answer_and_fails_a_wrong_one(tmp_path: Path) -> None:
    assert check(tmp_path, RIGHT).returncode == 0
    assert check(tmp_path, WRONG).returncode == 1


# ---------------------------------------------------------------- files, processes, sockets
WRITES = {
    "open": "open('{m}', 'w')",
    "io.open": "import io\nio.open('{m}', 'w')",
    "os.open O_CREAT": "import os\nos.open('{m}', os.O_CREAT | os.O_RDONLY)",
    "os.open O_TRUNC": "import os\nos.open('/etc/hostname', os.O_RDONLY | os.O_TRUNC)",
    "pathlib": "import pathlib\npathlib.Path('{m}').write_text('x')",
    "numpy.save": "import numpy as np\nnp.save('{m}', np.zeros(1))",
    "tofile": "import numpy as np\nnp.zeros(1).tofile('{m}')",
    "memmap": "import numpy as np\nnp.memmap('{m}', mode='w+', shape=(1,))",
    "tempfile": "import tempfile\ntempfile.mkstemp(dir='{d}')",
    "shutil.copy": "import shutil\nshutil.copy('/etc/hostname', '{m}')",
    "os.rename": "import os\nos.rename('{d}/victim', '{m}')",
    "os.replace": "import os\nos.replace('{d}/victim', '{m}')",
    "os.link": "import os\nos.link('{d}/victim', '{m}')",
    "os.symlink": "import os\nos.symlink('/etc', '{m}')",
    "os.mkdir": "import os\nos.mkdir('{m}')",
    "os.unlink": "import os\nos.unlink('{d}/victim')",
    "os.chmod": "import os\nos.chmod('{d}/victim', 0o777)",
    "os.utime": "import os\nos.utime('{d}/victim', (0, 0))",
    "sqlite3": "import sqlite3\nsqlite3.connect('{m}')",
    "logging": "import logging\nlogging.FileHandler('{m}')",
    "zipfile": "import zipfile\nzipfile.ZipFile('{m}', 'w')",
    "gzip": "import gzip\ngzip.open('{m}', 'wb')",
    "FileIO": "import _io\n_io.FileIO('{m}', 'w')",
    "fdopen of the result pipe": "import os\nos.fdopen(3, 'w').write('x')",
}
PROCESSES = {
    "os.system": "import os\nos.system('touch {m}')",
    "os.popen": "import os\nos.popen('touch {m}').read()",
    "subprocess": "import subprocess\nsubprocess.run(['touch', '{m}'])",
    "os.posix_spawn": "import os\nos.posix_spawn('/bin/touch', ['touch', '{m}'], {{}})",
    "os.fork": "import os\nif os.fork() == 0:\n    os.execv('/bin/touch', ['touch', '{m}'])",
    "os.forkpty": "import os\nos.forkpty()",
    "pty.spawn": "import pty\npty.spawn(['touch', '{m}'])",
    "os.execv": "import os\nos.execv('/bin/touch', ['touch', '{m}'])",
    "multiprocessing": "import multiprocessing as mp\nmp.Process(target=print).start()",
    "ProcessPoolExecutor": "import concurrent.futures as cf\n"
                           "cf.ProcessPoolExecutor().submit(print).result()",
    "_posixsubprocess": "import _posixsubprocess",
}
SOCKETS = {
    "socket": "import socket\nsocket.socket()",
    "create_connection": "import socket\nsocket.create_connection(('127.0.0.1', 9))",
    "urllib": "import urllib.request\nurllib.request.urlopen('http://127.0.0.1:9/')",
    "http.client": "import http.client\n"
                   "http.client.HTTPConnection('127.0.0.1', 9).request('GET', '/')",
    "ssl": "import ssl",
    "asyncio": "import asyncio\nasyncio.run(asyncio.open_connection('127.0.0.1', 9))",
    "multiprocessing.connection": "from multiprocessing.connection import Client\n"
                                  "Client(('127.0.0.1', 9))",
}


@pytest.mark.parametrize("source", [*WRITES.values(), *PROCESSES.values(), *SOCKETS.values()],
                         ids=[*WRITES, *PROCESSES, *SOCKETS])
def test_files_processes_and_sockets_are_refused(tmp_path: Path, source: str) -> None:
    victim = tmp_path / "victim"
    victim.write_text("v")
    victim.chmod(0o644)
    marker = tmp_path / "escaped"
    refused(check(tmp_path, source.format(m=marker, d=tmp_path) + WRONG), marker)
    assert [p.name for p in tmp_path.iterdir() if p.name not in ("attack.py", "data")] == [
        "victim"]
    assert victim.read_text() == "v" and victim.stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------- the audit hook itself
ESCAPES = {
    "disarming the runner's flag": """
        import sys
        state = vars(sys.modules['__main__']).get('_state')
        if isinstance(state, dict):
            state['armed'] = False
    """,
    "emptying the runner's lists": """
        import sys
        m = sys.modules['__main__']
        for name in list(vars(m)):
            value = getattr(m, name)
            if isinstance(value, frozenset):
                setattr(m, name, frozenset())
            elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
                setattr(m, name, ('\\0',))
            elif callable(value) and name.startswith('_') and not isinstance(value, type):
                setattr(m, name, lambda *a, **k: None)
    """,
    "shadowing builtins the hook uses": """
        import builtins
        for name in ('any', 'isinstance', 'str', 'len', 'type', 'PermissionError'):
            setattr(builtins, name, (lambda *a, **k: False))
    """,
    "replacing the hook's code": """
        import gc
        for f in gc.get_objects():
            if type(f).__name__ == 'function' and f.__name__.startswith('_audit'):
                f.__code__ = (lambda event, args, *rest: None).__code__
    """,
    "replacing the hook's defaults": """
        import gc
        for f in gc.get_objects():
            if type(f).__name__ == 'function' and f.__name__.startswith('_audit') \\
                    and f.__defaults__:
                f.__defaults__ = tuple(frozenset() for _ in f.__defaults__)
    """,
}


@pytest.mark.parametrize("source", list(ESCAPES.values()), ids=list(ESCAPES))
def test_the_audit_hook_cannot_be_disarmed(tmp_path: Path, source: str) -> None:
    marker = tmp_path / "escaped"
    attack = (textwrap.dedent(source) + "import os\n"
              f"try:\n    os.system('touch {marker}')\nexcept Exception:\n    pass\n"
              f"open('{marker}', 'w')\n")
    result = check(tmp_path, attack + WRONG)
    assert not marker.exists(), "the audit hook was disarmed"
    assert result.returncode == 1
    assert "Traceback (most recent call last)" not in result.stderr, result.stderr


def test_limits_cannot_be_raised_through_a_module_numpy_left_loaded(tmp_path: Path) -> None:
    attack = """
        import gc
        rs = [m for m in gc.get_objects()
              if type(m).__name__ == 'module' and m.__name__ == 'resource']
        for r in rs:
            r.setrlimit(r.RLIMIT_FSIZE, (r.RLIM_INFINITY, r.RLIM_INFINITY))
    """
    out = refused(check(tmp_path, textwrap.dedent(attack) + WRONG))
    assert "resource.setrlimit" in out


def test_ctypes_kept_alive_by_numpy_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "escaped"
    attack = f"""
        import gc
        for m in gc.get_objects():
            if type(m).__name__ == 'module' and m.__name__ == 'ctypes':
                m.CDLL(None).system(b'touch {marker}')
    """
    refused(check(tmp_path, textwrap.dedent(attack) + WRONG), marker)


@pytest.mark.parametrize("source", [
    "import os\nos.kill(os.getppid(), 9)",
    "import os\nos.killpg(os.getpgid(0), 9)",
    "import signal",
    "import os\nos.kill(os.getpid(), 19)",
], ids=["kill parent", "killpg", "signal", "stop itself"])
def test_signals_are_refused(tmp_path: Path, source: str) -> None:
    refused(check(tmp_path, source + WRONG))


# ---------------------------------------------------------------- faking the result
FORGED = {
    "deep nesting": "b'[' * 1_000_000",
    "a huge integer": "b'{\"status\": \"ok\", \"cases\": [' + b'9' * 5000 + b']}'",
    "an unknown status": "b'{\"status\": \"ok!\", \"cases\": []}'",
    "cases not a list": "b'{\"status\": \"ok\", \"cases\": 7}'",
    "outputs not a list": "b'{\"status\": \"ok\", \"cases\": [{\"outputs\": 7}]}'",
    "a case not a dict": "b'{\"status\": \"ok\", \"cases\": [7, null, \"x\"]}'",
    "a huge number in the data": ("b'{\"status\": \"ok\", \"cases\": [{\"outputs\": "
                                  "[{\"shape\": [], \"data\": [' + b'9' * 400 + b']}]}]}'"),
    "not JSON": "b'\\xff\\xfe'",
    "a list": "b'[]'",
}


@pytest.mark.parametrize("payload", list(FORGED.values()), ids=list(FORGED))
def test_a_forged_result_is_never_a_pass_nor_a_crash_of_the_app(tmp_path: Path,
                                                                payload: str) -> None:
    attack = f"import os\nos.write(3, {payload})\nos._exit(0)\n"
    result = check(tmp_path, attack + WRONG)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout.startswith("NG: ")
    assert "Traceback (most recent call last)" not in result.stderr, result.stderr


LIARS = {
    "__eq__ always true": """
        class Liar(float):
            def __eq__(self, other): return True
            def __ne__(self, other): return False
        def soft_threshold(z, t):
            return [Liar(v + 1) for v in z]
    """,
    "__array__ of the wrong values": """
        import numpy as np
        class Liar:
            def __array__(self, dtype=None, copy=None): return np.full(3, 7.0)
            def tolist(self): return [0.0]
        def soft_threshold(z, t):
            return Liar()
    """,
    "an ndarray subclass with a lying tolist": """
        import numpy as np
        class Liar(np.ndarray):
            def tolist(self): return ['ok']
            def __eq__(self, other): return True
        def soft_threshold(z, t):
            return np.asarray(z + 1).view(Liar)
    """,
    "NaN": "import numpy as np\ndef soft_threshold(z, t):\n    return np.full_like(z, np.nan)",
    "inf": "import numpy as np\ndef soft_threshold(z, t):\n    return np.full_like(z, np.inf)",
    "a generator": "def soft_threshold(z, t):\n    return (v for v in z)",
    "None": "def soft_threshold(z, t):\n    pass",
    "a string": "def soft_threshold(z, t):\n    return 'ok'",
    "a dict": "def soft_threshold(z, t):\n    return {'shape': [1], 'data': [0]}",
    "__float__ raising": """
        class Bad:
            def __float__(self): raise SystemExit(0)
        def soft_threshold(z, t):
            return [Bad() for _ in z]
    """,
    "__array__ raising BaseException": """
        class Bad:
            def __array__(self, *a, **k): raise KeyboardInterrupt
        def soft_threshold(z, t):
            return Bad()
    """,
    "mutating its inputs": """
        def soft_threshold(z, t):
            z[...] = 0
            return z
    """,
    "monkeypatching numpy": """
        import numpy as np, json
        real = np.asarray
        np.asarray = lambda v, *a, **k: real(v, *a, **k) * 0
        np.array = lambda *a, **k: real([0.0])
        json.dumps = lambda *a, **k: '{"status": "ok", "cases": []}'
        def soft_threshold(z, t):
            return z
    """,
    "sys.exit before grading": "import sys\nsys.exit(0)\ndef soft_threshold(z, t):\n    return z",
    "os._exit before grading": "import os\nos._exit(0)\ndef soft_threshold(z, t):\n    return z",
    "printing a passing verdict": """
        import sys, os
        print('OK: 7/7 cases')
        os.write(1, b'{"status": "ok", "cases": []}\\n')
        os.write(2, b'OK: 7/7 cases\\n')
        sys.__stdout__.write('OK: 7/7 cases\\n')
        def soft_threshold(z, t):
            return z
    """,
}


@pytest.mark.parametrize("source", list(LIARS.values()), ids=list(LIARS))
def test_a_wrong_answer_never_passes(tmp_path: Path, source: str) -> None:
    result = check(tmp_path, source)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout.startswith("NG: "), result.stdout
    assert "OK:" not in result.stdout.splitlines()[0]
    assert "Traceback (most recent call last)" not in result.stderr, result.stderr


# ---------------------------------------------------------------- output that explodes
@pytest.mark.parametrize("source", [
    "def soft_threshold(z, t):\n    raise ValueError('x' * 20_000_000)",
    "raise ValueError('y' * 20_000_000)",
    "class Long(Exception):\n    pass\n"
    "Long.__name__ = Long.__qualname__ = 'E' * 1_000_000\nraise Long()",
    "import sys\nsys.setrecursionlimit(200_000)\n"
    "def down(n):\n    return down(n + 1)\n"
    "def soft_threshold(z, t):\n    return down(0)",
    "import sys\nsys.setrecursionlimit(200_000)\n"
    "def down(n):\n    return down(n + 1) if n < 150_000 else 1 / 0\n"
    "def soft_threshold(z, t):\n    return down(0)",
    "class Huge:\n    pass\nHuge.__name__ = 'H' * 1_000_000\n"
    "def soft_threshold(z, t):\n    return Huge()",
], ids=["huge message in a case", "huge message at load", "huge class name",
        "recursion", "deep traceback", "huge class name of a return value"])
def test_a_huge_traceback_is_cut_short(tmp_path: Path, source: str) -> None:
    result = check(tmp_path, source)
    assert result.returncode == 1, (result.stdout[:500], result.stderr[:500])
    assert result.stdout.startswith("NG: ")
    assert len(result.stdout) < 20_000, len(result.stdout)
    assert "Traceback (most recent call last)" not in result.stderr, result.stderr[:2000]


# ---------------------------------------------------------------- resource abuse
LIMITS = sandbox.Limits(cpu_s=2, wall_s=5, output_chars=10_000)
CASES = [{"steps": [{"op": "call", "name": "f", "args": [{"a": [1.0, 2.0]}], "kwargs": {}}]}]


def _run(source: str) -> sandbox.Outcome:
    outcome = sandbox.run(textwrap.dedent(source), "solution.py", CASES, LIMITS)
    assert not Path(outcome.workdir).exists(), "the working folder was left behind"
    with pytest.raises(ProcessLookupError):
        os.killpg(outcome.pgid, 0)  # the whole process group is gone
    return outcome


@pytest.mark.parametrize("source,status", [
    ("import numpy as np\ndef f(x):\n    a = np.random.rand(1500, 1500)\n"
     "    while True:\n        np.linalg.svd(a)\n", sandbox.TIMEOUT),
    ("import numpy as np\ndef f(x):\n    keep = []\n    while True:\n"
     "        keep.append(np.ones(10**7))\n", sandbox.MEMORY),
    ("import threading, time\ndef f(x):\n    for _ in range(100_000):\n"
     "        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n",
     None),
    ("import os\ndef f(x):\n    return os.read(0, 1)\n", None),
    ("import sys\ndef f(x):\n    return sys.stdin.read()\n", None),
    ("import time\ndef f(x):\n    time.sleep(60)\n", sandbox.TIMEOUT),
    ("import os\nfor fd in range(4):\n    os.close(fd)\ndef f(x):\n    return x\n",
     sandbox.CRASHED),
    ("import os\ndef f(x):\n    while True:\n        os.write(2, b'x' * 65536)\n",
     sandbox.OUTPUT),
    ("import sys\ndef f(x):\n    while True:\n        sys.__stdout__.write('y' * 4096)\n",
     sandbox.OUTPUT),
], ids=["C loop in linalg", "numpy allocation", "thread bomb", "read fd 0", "read stdin",
        "sleep holding the pipe", "closing fds 0-3", "flood fd 2", "flood the real stdout"])
def test_resource_abuse_is_stopped_and_cleaned_up(source: str, status: str | None) -> None:
    outcome = _run(source)
    if status is None:
        assert outcome.status != sandbox.OK or "error" in str(outcome.cases), outcome
    else:
        assert outcome.status == status, outcome


def test_a_timeout_kills_every_thread_and_the_group() -> None:
    outcome = _run("import threading\ndef spin():\n    while True:\n        pass\n"
                   "def f(x):\n    for _ in range(4):\n"
                   "        threading.Thread(target=spin, daemon=True).start()\n"
                   "    spin()\n")
    assert outcome.status == sandbox.TIMEOUT
