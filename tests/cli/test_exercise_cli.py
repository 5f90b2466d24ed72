"""``studyapp exercise`` and ``studyapp check`` as a learner runs them: subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from studyapp.exercises.catalog import EXERCISES, get

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=timeout,
    )


def test_list_prints_one_exercise_per_line_id_first() -> None:
    result = run("exercise", "--list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [e.id for e in EXERCISES]
    for pinned in ("soft-threshold", "ridge", "lasso-cd", "dropout-layer", "weight-decay-step",
                   "early-stopping"):
        assert any(line.split()[0] == pinned for line in lines)


def test_exercise_prints_the_task() -> None:
    result = run("exercise", "dropout-layer")
    assert result.returncode == 0, result.stderr
    assert "forward(x, train=True)" in result.stdout
    assert "np.random.rand(*x.shape) > p" in result.stdout
    assert "studyapp check dropout-layer" in result.stdout


def test_write_starter_then_refuse_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "ridge.py"
    first = run("exercise", "ridge", "--write", str(target))
    assert first.returncode == 0, first.stderr
    assert "def ridge(X, y, lam):" in target.read_text(encoding="utf-8")
    target.write_text("# my own work\n", encoding="utf-8")
    second = run("exercise", "ridge", "--write", str(target))
    assert second.returncode == 2
    assert "already exists" in second.stderr and len(second.stderr.splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "# my own work\n"


def test_hints_and_solution_on_request() -> None:
    hints = run("exercise", "lasso-cd", "--hint", "2")
    assert hints.returncode == 0
    assert hints.stdout.count("ヒント") == 2
    solution = run("exercise", "lasso-cd", "--solution")
    assert solution.returncode == 0 and "def lasso(" in solution.stdout


def test_check_correct_file_exits_0_with_ok(tmp_path: Path) -> None:
    exercise = get("early-stopping")
    assert exercise is not None
    path = tmp_path / "es.py"
    path.write_text(exercise.solution, encoding="utf-8")
    result = run("check", "early-stopping", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"OK: {len(exercise.cases())}/{len(exercise.cases())} cases"


def test_check_wrong_file_exits_1_with_first_failing_case_and_mistake(tmp_path: Path) -> None:
    path = tmp_path / "dropout.py"
    path.write_text(
        "import numpy as np\n\nclass Dropout:\n    def __init__(self, p):\n        self.p = p\n"
        "    def forward(self, x, train=True):\n        if not train:\n            return x\n"
        "        self.mask = np.random.rand(*x.shape) > self.p\n        return x * self.mask\n"
        "    def backward(self, dout):\n        return dout * self.mask\n", encoding="utf-8")
    result = run("check", "dropout-layer", str(path))
    assert result.returncode == 1
    out = result.stdout
    assert out.startswith("NG: ")
    assert "最初に合わなかったケース: " in out
    assert "入力: p = " in out and "期待値" in out and "あなたの値" in out
    assert "よくある誤り: 1/(1−p) のスケーリング忘れ" in out


def test_check_stopped_code_exits_1_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "evil.py"
    path.write_text("import os\nos.system('true')\n", encoding="utf-8")
    result = run("check", "ridge", str(path))
    assert result.returncode == 1
    assert "禁止された操作: os.system" in result.stdout


def test_check_unknown_id_or_missing_file_exits_2(tmp_path: Path) -> None:
    unknown = run("check", "ridgee", str(tmp_path / "x.py"))
    assert unknown.returncode == 2
    assert "unknown exercise 'ridgee'" in unknown.stderr and "ridge" in unknown.stderr
    missing = run("check", "ridge", str(tmp_path / "nope.py"))
    assert missing.returncode == 2
    assert "not found" in missing.stderr and "Traceback" not in missing.stderr
    assert run("exercise", "nope").returncode == 2


def test_watch_checks_again_after_a_save(tmp_path: Path) -> None:
    exercise = get("l2-grad")
    assert exercise is not None
    path = tmp_path / "l2.py"
    path.write_text(exercise.starter, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "studyapp", "check", "l2-grad", str(path), "--watch"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        seen = []
        while not any(line.startswith("NG:") for line in seen):
            seen.append(proc.stdout.readline())
        time.sleep(0.05)
        path.write_text(exercise.solution + "\n", encoding="utf-8")
        line = ""
        while not line.startswith("OK:"):
            line = proc.stdout.readline()
            assert line, "the watcher ended without checking again"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)


def _data_dir() -> Path:
    return Path(os.environ["STUDYAPP_DATA_DIR"])  # each test's own (tests/conftest.py)


def test_check_records_the_attempt_in_the_data_folder(tmp_path: Path) -> None:
    from studyapp.store import open_store

    exercise = get("ridge")
    assert exercise is not None
    path = tmp_path / "ridge.py"
    path.write_text(exercise.starter, encoding="utf-8")
    assert run("check", "ridge", str(path)).returncode == 1
    path.write_text(exercise.solution, encoding="utf-8")
    result = run("check", "ridge", str(path))
    assert result.returncode == 0 and result.stderr == ""
    with open_store(_data_dir()) as store:
        kept = store.exercise_attempts("ridge")
        status = store.exercise_statuses(["ridge"])[0]
    assert [(a.passed == a.total, a.code) for a in kept] == [
        (False, exercise.starter), (True, exercise.solution)]
    assert kept[1].result["summary"].startswith("OK: ")
    assert kept[0].result["failure"]["error"]
    assert status.status == "solved"


def test_check_still_grades_when_the_store_cannot_open(tmp_path: Path) -> None:
    (_data_dir() / "progress.sqlite3").write_bytes(b"not a database at all" * 100)
    exercise = get("l1-grad")
    assert exercise is not None
    path = tmp_path / "l1.py"
    path.write_text(exercise.solution, encoding="utf-8")
    result = run("check", "l1-grad", str(path))
    assert result.returncode == 0
    assert result.stdout.startswith("OK: ")
    warning = result.stderr.splitlines()
    assert len(warning) == 1 and warning[0].startswith("studyapp: warning: ")
    assert "Traceback" not in result.stderr
    failing = run("check", "l1-grad", str(tmp_path / "nope.py"))  # usage errors stay as they were
    assert failing.returncode == 2 and "warning" not in failing.stderr


def test_check_grades_without_numpy_or_the_engine_in_the_parent(tmp_path: Path) -> None:
    exercise = get("dropout-layer")
    assert exercise is not None
    path = tmp_path / "dropout.py"
    path.write_text(exercise.mistakes[0].example, encoding="utf-8")
    probe = ("import sys\nfrom studyapp.cli import main\ncode = main(sys.argv[1:])\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'engine'))\n"
             "print('HEAVY', heavy, file=sys.stderr)\nsys.exit(code)\n")
    cmd = [sys.executable, "-c", probe, "check", "dropout-layer", str(path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 1  # computes and caches the cases (the engine is used here)
    assert list((_data_dir() / "cache").glob("exercises-*.json"))
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env,
                            timeout=120)
    assert second.returncode == 1
    assert second.stdout == first.stdout  # the same verdict, mistake named, from the cache
    assert "よくある誤り: " in second.stdout
    assert "HEAVY []" in second.stderr, second.stderr


def test_a_usage_error_leaves_no_child_and_no_working_folder(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)}
    for args in (["check"], ["check", "ridge"], ["check", "nope", "x.py"],
                 ["check", "ridge", str(tmp_path / "missing.py")]):
        done = subprocess.run([sys.executable, "-m", "studyapp", *args], cwd=ROOT,
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert list(tmp.iterdir()) == []  # every early child's working folder removed


def test_the_command_word_is_found_before_parsing() -> None:
    from studyapp.cli import _command_word

    assert _command_word(["check", "ridge", "f.py"]) == "check"
    assert _command_word(["--data-dir", "check", "stats"]) == "stats"
    assert _command_word(["--content=x", "--data-dir", "d", "check", "a", "b"]) == "check"
    assert _command_word(["--version"]) is None


def _cached(tmp_path: Path) -> None:
    """Check a right answer once, so the graded-case cache holds the exercise and the next
    check takes the fast path (the file read before the id and the file are looked at)."""
    exercise = get("ridge")
    assert exercise is not None
    path = tmp_path / "right.py"
    path.write_text(exercise.solution, encoding="utf-8")
    assert run("check", "ridge", str(path)).returncode == 0


def _refused(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert result.stdout == ""


def test_check_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: the check waited for ever."""
    _cached(tmp_path)
    fifo = tmp_path / "answer.py"
    os.mkfifo(fifo)
    _refused(run("check", "ridge", str(fifo), timeout=60), "is not a file")


def test_check_refuses_a_device_without_reading_it(tmp_path: Path) -> None:
    """/dev/zero never ends: the fast path read it until memory ran out."""
    _cached(tmp_path)
    _refused(run("check", "ridge", "/dev/zero", timeout=60), "is not a file")


def test_check_refuses_a_file_over_the_limit_in_one_line(tmp_path: Path) -> None:
    from studyapp.commands.check import MAX_SOURCE_BYTES

    _cached(tmp_path)
    big = tmp_path / "big.py"
    big.write_text("# " + "x" * MAX_SOURCE_BYTES + "\n", encoding="utf-8")
    _refused(run("check", "ridge", str(big), timeout=60), "larger than")
    with _open_store() as store:  # nothing of it was kept
        assert all(len(a.code) <= MAX_SOURCE_BYTES for a in store.exercise_attempts("ridge"))


def test_check_reads_a_file_at_the_limit(tmp_path: Path) -> None:
    from studyapp.commands.check import MAX_SOURCE_BYTES

    exercise = get("ridge")
    assert exercise is not None
    body = exercise.solution + "\n"
    path = tmp_path / "padded.py"
    path.write_text(body + "#" * (MAX_SOURCE_BYTES - len(body.encode()) - 1) + "\n",
                    encoding="utf-8")
    assert path.stat().st_size == MAX_SOURCE_BYTES
    result = run("check", "ridge", str(path))
    assert result.returncode == 0 and result.stdout.startswith("OK: ")


def _open_store():  # type: ignore[no-untyped-def]
    from studyapp.store import open_store

    return open_store(_data_dir())
