"""The few words every one-line error message ends with when the system refuses."""

import errno

from studyapp.errors import os_reason


def test_the_systems_words_in_lowercase() -> None:
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "permission denied"


def test_the_common_errors_read_the_same_on_every_system() -> None:
    assert os_reason(OSError(errno.EDQUOT, "Disc quota exceeded")) == "disk quota exceeded"
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "no space left on device"


def test_no_words_gives_the_type_name() -> None:
    assert os_reason(BrokenPipeError()) == "BrokenPipeError"
