"""The command line as a learner runs it: a subprocess, one line per error, no traceback."""

from __future__ import annotations

import subprocess

from tests.running import studyapp


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return studyapp(*args, env=env)


def test_help_lists_every_pinned_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "generate", "stats", "export", "import", "serve"):
        assert command in result.stdout
    assert "--content" in result.stdout and "--data-dir" in result.stdout


def test_unknown_flag_is_one_line_and_exit_2() -> None:
    result = run("--no-such-flag")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unrecognized arguments: --no-such-flag" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_number_is_one_line() -> None:
    result = run("generate", "l1-norm", "--count", "-3")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "studyapp generate: error: argument --count: expected a number of at least 1, "
        "got -3 (see 'studyapp generate --help')"
    ]


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("studyapp ")
