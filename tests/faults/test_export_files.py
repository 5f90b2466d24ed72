"""What ``studyapp export`` does to the file it is given: links, special files, modes.

An export is written through a temporary file that then replaces the file, so a reader
never sees half of it. That must not turn a symlink into a regular file (the link's
target gets the export, atomically, and the link stays), must not replace a FIFO, a
device or a socket (one line instead; as root the old code replaced ``/dev/full``
itself), and must give the file the mode a shell's ``>`` would: the umask's for a new
file (``mkstemp`` made every export 0600), the old mode for an existing one.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OLD = "an older sheet\n"


def studyapp(*args: str, data: Path,
             preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args], cwd=ROOT,
        env={**os.environ, "STUDYAPP_DATA_DIR": str(data)}, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, encoding="utf-8", timeout=180,
        preexec_fn=preexec_fn,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("studyapp: ")
    assert result.returncode == 1
    return lines[0]


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The study sheet of the bundled decks, as ``export md -`` prints it."""
    result = studyapp("export", "md", "-", data=tmp_path_factory.mktemp("data"))
    assert result.returncode == 0, result.stderr
    return result.stdout


def leftovers(*folders: Path) -> list[str]:
    """Temporary files an export left behind."""
    return [p.name for folder in folders for p in folder.iterdir() if p.name.startswith(".")]


# --- symlinks ----------------------------------------------------------------------------

def test_a_link_stays_a_link_and_its_target_is_replaced_whole(tmp_path: Path,
                                                              sheet: str) -> None:
    real, links = tmp_path / "real", tmp_path / "links"
    real.mkdir()
    links.mkdir()
    target = real / "sheet.md"
    target.write_text(OLD, encoding="utf-8")
    old_inode = target.stat().st_ino
    link = links / "sheet.md"
    link.symlink_to(Path("..") / "real" / "sheet.md")
    result = studyapp("export", "md", str(link), data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("..") / "real" / "sheet.md")
    assert target.read_text(encoding="utf-8") == sheet
    # a new file renamed over the target, not the old one rewritten in place: a reader
    # of the target sees the old sheet or the new one, never half of it
    assert target.stat().st_ino != old_inode
    assert leftovers(real, links) == []
    assert result.stdout.startswith(f"wrote {link}: ")


def test_a_chain_of_links_to_a_new_file_creates_the_file(tmp_path: Path) -> None:
    first, second = tmp_path / "deck.apkg", tmp_path / "second.apkg"
    second.symlink_to("made.apkg")  # a dangling link: the export makes its target
    first.symlink_to(second)
    result = studyapp("export", "anki", str(first), data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert first.is_symlink()
    assert second.is_symlink()
    with zipfile.ZipFile(tmp_path / "made.apkg") as package:
        assert "collection.anki2" in package.namelist()


def test_a_link_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    link = tmp_path / "sheet.md"
    link.symlink_to(tmp_path / "gone" / "sheet.md")
    line = one_error_line(studyapp("export", "md", str(link), data=tmp_path))
    assert line == (f"studyapp: export md: cannot write {link}: "
                    f"folder {tmp_path / 'gone'} does not exist")
    assert link.is_symlink()
    assert not (tmp_path / "gone").exists()


def test_a_link_to_itself_is_one_line_and_stays(tmp_path: Path) -> None:
    link = tmp_path / "loop.md"
    link.symlink_to("loop.md")
    line = one_error_line(studyapp("export", "md", str(link), data=tmp_path))
    assert line == (f"studyapp: export md: cannot write {link}: "
                    "too many levels of symbolic links")
    assert link.is_symlink()
    assert os.readlink(link) == "loop.md"


# --- special files ------------------------------------------------------------------------

def _fifo(folder: Path) -> Path:
    path = folder / "pipe.md"
    os.mkfifo(path)
    return path


def _device(folder: Path) -> Path:
    """A character device like /dev/null. As root, one made in ``folder`` (a regression
    must not replace the machine's /dev/null); otherwise /dev/null itself, which a
    non-root export could not replace anyway."""
    if os.geteuid() != 0:
        return Path(os.devnull)
    path = folder / "null.md"
    null = os.stat(os.devnull)
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, null.st_rdev)
    except PermissionError:
        pytest.skip("root without CAP_MKNOD cannot make a device to test with")
    return path


def _socket(folder: Path) -> Path:
    path = folder / "s.md"
    if len(str(path)) >= 100:  # AF_UNIX paths are short (108 bytes with the NUL)
        pytest.skip("the test folder's path is too long for a socket")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    return path


def _folder(folder: Path) -> Path:
    path = folder / "sheet.md"
    path.mkdir()
    return path


SPECIAL = {
    "fifo": (_fifo, "it is a FIFO (named pipe), not a regular file"),
    "device": (_device, "it is a device, not a regular file"),
    "socket": (_socket, "it is a socket, not a regular file"),
}


def _identity(path: Path) -> tuple[int, int, int, int]:
    info = path.lstat()
    return info.st_mode, info.st_rdev, info.st_ino, info.st_dev


@pytest.mark.parametrize("fmt", ["md", "anki"])
@pytest.mark.parametrize("kind", list(SPECIAL))
def test_a_special_file_is_refused_and_left_alone(tmp_path: Path, kind: str,
                                                  fmt: str) -> None:
    make, reason = SPECIAL[kind]
    special = make(tmp_path)
    if fmt == "anki":
        link = tmp_path / "out.apkg"
        link.symlink_to(special)  # anki wants .apkg: reach the special file by a link
        out = link
    else:
        out = special
    before = _identity(special)
    line = one_error_line(studyapp("export", fmt, str(out), data=tmp_path))
    if out == special:
        assert line == f"studyapp: export {fmt}: cannot write {out}: {reason}"
    else:
        assert line == (f"studyapp: export {fmt}: cannot write {out} (a link to "
                        f"{special}): {reason}")
        assert out.is_symlink()
    assert _identity(special) == before
    assert leftovers(tmp_path) == []


def test_a_link_to_a_folder_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    link = tmp_path / "link.md"
    link.symlink_to(folder)
    line = one_error_line(studyapp("export", "md", str(link), data=tmp_path))
    assert line == (f"studyapp: export md: cannot write {link} (a link to {folder}): "
                    "it is a folder; give a file name")
    assert link.is_symlink()
    assert list(folder.iterdir()) == []


# --- modes --------------------------------------------------------------------------------

def _umask(mask: int) -> Callable[[], None]:
    """Set the umask in the child before it runs (as a login shell's profile does)."""
    def set_mask() -> None:
        os.umask(mask)
    return set_mask


@pytest.mark.parametrize("fmt", ["md", "anki"])
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)],
                         ids=["umask-022", "umask-077", "umask-002"])
def test_a_new_export_has_the_mode_the_umask_gives(tmp_path: Path, fmt: str, mask: int,
                                                   mode: int) -> None:
    out = tmp_path / ("sheet.md" if fmt == "md" else "deck.apkg")
    result = studyapp("export", fmt, str(out), data=tmp_path, preexec_fn=_umask(mask))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode


@pytest.mark.parametrize("fmt", ["md", "anki"])
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o600], ids=oct)
def test_an_existing_export_keeps_its_mode(tmp_path: Path, fmt: str, mode: int) -> None:
    out = tmp_path / ("sheet.md" if fmt == "md" else "deck.apkg")
    out.write_text(OLD, encoding="utf-8")
    out.chmod(mode)
    result = studyapp("export", fmt, str(out), data=tmp_path, preexec_fn=_umask(0o022))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8", errors="replace") != OLD
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_a_linked_export_keeps_its_targets_mode(tmp_path: Path) -> None:
    target = tmp_path / "sheet.md"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    result = studyapp("export", "md", str(link), data=tmp_path, preexec_fn=_umask(0o077))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert link.is_symlink()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_root_replacing_a_learners_export_keeps_its_owner(tmp_path: Path) -> None:
    out = tmp_path / "sheet.md"
    out.write_text(OLD, encoding="utf-8")
    os.chown(out, 4321, 4322)
    out.chmod(0o640)
    result = studyapp("export", "md", str(out), data=tmp_path)
    assert result.returncode == 0, result.stderr
    info = out.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4322, 0o640)
