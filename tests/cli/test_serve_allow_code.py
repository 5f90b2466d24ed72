"""``studyapp serve --allow-code``: learner code runs in served sessions on loopback, and
off loopback only with the flag."""

from __future__ import annotations

from studyapp.cli import build_parser
from studyapp.commands.serve import code_allowed


def test_code_runs_on_loopback_and_elsewhere_only_with_the_flag() -> None:
    assert code_allowed("127.0.0.1", False)
    assert code_allowed("::1", False)
    assert not code_allowed("0.0.0.0", False)
    assert not code_allowed("192.168.1.5", False)
    assert code_allowed("0.0.0.0", True)


def test_the_flag_parses() -> None:
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--allow-code"])
    assert args.allow_code is True
    assert build_parser().parse_args(["serve"]).allow_code is False
