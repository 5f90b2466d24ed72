"""Learner code that misbehaves is stopped with the message a learner understands, within
the limits, and nothing is left behind (no working folder, no process)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studyapp.exercises import sandbox

LIMITS = sandbox.Limits(cpu_s=1, wall_s=4, output_chars=10_000)
CASES = [{"steps": [{"op": "call", "name": "f", "args": [{"a": [1.0, 2.0]}], "kwargs": {}}]}]


def _run(source: str) -> sandbox.Outcome:
    outcome = sandbox.run(source, "solution.py", CASES, LIMITS)
    assert not Path(outcome.workdir).exists(), "the working folder was left behind"
    with pytest.raises(ProcessLookupError):
        os.killpg(outcome.pgid, 0)  # the whole process group is gone
    return outcome


def test_plain_code_runs_and_returns_json_outputs() -> None:
    outcome = _run("def f(x):\n    return x * 2\n")
    assert outcome.status == sandbox.OK
    assert outcome.cases == [{"outputs": [{"shape": [2], "data": [2.0, 4.0]}]}]


def test_endless_loop_is_stopped_as_time_out() -> None:
    outcome = _run("def f(x):\n    while True:\n        pass\n")
    assert outcome.status == sandbox.TIMEOUT
    assert outcome.message().startswith("時間切れ")


def test_sleeping_is_stopped_by_the_wall_clock() -> None:
    outcome = _run("import time\ndef f(x):\n    time.sleep(60)\n")
    assert outcome.status == sandbox.TIMEOUT


@pytest.mark.parametrize("source", [
    "import numpy as np\ndef f(x):\n    return np.ones(10**10)\n",
    "def f(x):\n    return [0] * (10**10)\n",
])
def test_memory_hog_hits_the_memory_limit(source: str) -> None:
    outcome = _run(source)
    assert outcome.status == sandbox.MEMORY
    assert outcome.message().startswith("メモリ上限")


@pytest.mark.parametrize("source,what", [
    ("def f(x):\n    open('out.txt', 'w').write('x')\n", "ファイルへの書き込み"),
    ("import numpy as np\ndef f(x):\n    np.save('out.npy', x)\n", "ファイルへの書き込み"),
    ("import os\ndef f(x):\n    os.system('touch {marker}')\n", "os.system"),
    ("import subprocess\ndef f(x):\n    subprocess.run(['touch', '{marker}'])\n",
     "subprocess"),
    ("import os\ndef f(x):\n    os.execv('/bin/touch', ['touch', '{marker}'])\n", "os.exec"),
    ("def f(x):\n    import socket\n    socket.socket().connect(('127.0.0.1', 9))\n",
     "socket"),
    ("import os\ndef f(x):\n    if os.fork() == 0:\n        open('{marker}', 'w')\n    return x\n",
     "os.fork"),
    ("import ctypes\n", "ctypes"),
    ("import numpy\ndef f(x):\n    return numpy._core._internal.ctypes.CDLL(None)\n", "ctypes"),
])
def test_refused_operations_are_named(tmp_path: Path, source: str, what: str) -> None:
    marker = tmp_path / "escaped"
    outcome = _run(source.format(marker=marker))
    assert outcome.status == sandbox.REFUSED, outcome
    assert what in outcome.refused
    assert outcome.message().startswith("禁止された操作")
    assert what in outcome.message()
    assert not marker.exists(), "the refused operation still happened"


def test_refusal_is_reported_even_when_the_code_catches_it() -> None:
    outcome = _run("import os\ndef f(x):\n    try:\n        os.system('true')\n"
                   "    except Exception:\n        pass\n    return x\n")
    assert outcome.status == sandbox.REFUSED
    assert outcome.refused == "os.system"


@pytest.mark.parametrize("source", [
    "def f(x):\n    while True:\n        print('x' * 100)\n",
    "import os\ndef f(x):\n    while True:\n        os.write(1, b'x' * 10000)\n",
    "import sys\ndef f(x):\n    while True:\n        sys.__stderr__.write('y' * 1000)\n",
])
def test_a_flood_of_output_is_cut(source: str) -> None:
    outcome = _run(source)
    assert outcome.status == sandbox.OUTPUT
    assert outcome.message().startswith("出力が多すぎます")
    assert len(outcome.output) <= 2000


def test_traceback_is_trimmed_to_the_learners_file() -> None:
    outcome = _run("def helper(x):\n    return 1 / 0\n\ndef f(x):\n    return helper(x)\n")
    assert outcome.status == sandbox.OK
    error = outcome.cases[0]["error"]
    assert 'File "solution.py", line 2, in helper' in error
    assert 'File "solution.py", line 5, in f' in error
    assert "runner.py" not in error
    assert error.rstrip().endswith("ZeroDivisionError: division by zero")


def test_syntax_error_is_an_error_with_the_line() -> None:
    outcome = _run("def f(x)\n    return x\n")
    assert outcome.status == sandbox.ERROR
    assert "SyntaxError" in outcome.traceback and "line 1" in outcome.traceback


def test_the_child_sees_an_empty_folder_and_no_environment(monkeypatch) -> None:
    monkeypatch.setenv("STUDYAPP_SECRET", "x")
    outcome = _run("import os\ndef f(x):\n"
                   "    return [len(os.listdir('.')), int('STUDYAPP_SECRET' in os.environ)]\n")
    assert outcome.cases[0]["outputs"][0]["data"] == [0.0, 0.0]


def test_the_child_works_in_its_own_folder_and_inherits_no_descriptor(tmp_path: Path) -> None:
    leaked = os.open(tmp_path / "open.txt", os.O_RDWR | os.O_CREAT)
    os.set_inheritable(leaked, True)  # as a shell's extra descriptor would be
    try:
        outcome = _run("import os\ndef f(x):\n"
                       "    here = os.path.basename(os.getcwd())\n"
                       "    try:\n"
                       f"        os.fstat({leaked})\n"
                       "        inherited = 1\n"
                       "    except OSError:\n"
                       "        inherited = 0\n"
                       "    return [int(here.startswith('studyapp-exercise-')), inherited]\n")
    finally:
        os.close(leaked)
    assert outcome.status == sandbox.OK, outcome
    assert outcome.cases[0]["outputs"][0]["data"] == [1.0, 0.0]
    assert Path(outcome.workdir).name.startswith("studyapp-exercise-")


def test_a_child_started_early_is_adopted_and_cleaned_up() -> None:
    from studyapp.exercises import spawn

    child = spawn.spawn()
    outcome = sandbox.adopt(child).run("def f(x):\n    return x + 1\n", "solution.py", CASES)
    assert outcome.cases == [{"outputs": [{"shape": [2], "data": [2.0, 3.0]}]}]
    assert not Path(child.workdir).exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(child.pid, 0)
    cancelled = spawn.spawn()
    sandbox.adopt(cancelled).cancel()
    assert not Path(cancelled.workdir).exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(cancelled.pid, 0)
