"""The learner's settings: ``settings.json`` beside ``progress.sqlite3`` in the data folder.

``studyapp config [KEY [VALUE]]`` and the app's settings screen read and write the same
file through this module, with the same rules and the same messages:

=====================  ===================================  ==============
key                    value                                default
=====================  ===================================  ==============
``new_per_day``        new cards a study day, 0–99999        20
``new_order``          ``deck`` (teaching order) | ``random``  ``deck``
``reviews_per_day``    review cards a study day, 0–99999     200
``desired_retention``  FSRS target recall, 0.70–0.97         0.9
``exam_date``          ``YYYY-MM-DD`` (≤ 10 years on) | none  ``none``
``theme``              a Textual theme name                  ``textual-dark``
``leech_action``       ``tag`` | ``suspend``                 ``tag``
=====================  ===================================  ==============

The file is written whole (a temporary file in the same folder, flushed to disk, then
renamed over the old one), so a crash leaves the old settings or the new ones, never half
a file. A file that cannot be read, is not JSON, or holds a value no rule accepts is
reported in one line naming it (:class:`SettingsFileError`) and is never overwritten:
nothing is saved until the learner fixes or moves it. Keys this version does not know
(from a newer one) are kept as they are. The file is read without waiting (a FIFO or a
device at its path is refused) and no further than 1 MiB; a save holds a lock on the
folder while it reads and rewrites the file, so two copies saving at once keep both
changes; through a symlink the link's target is rewritten and the link kept.

No Textual import: the theme rule imports ``textual.theme`` only when a theme is set.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from studyapp.errors import UserError, os_reason
from studyapp.store.config import LEECH_ACTIONS, NEW_ORDERS

if TYPE_CHECKING:
    from studyapp.store import StoreConfig

SETTINGS_FILENAME = "settings.json"

#: The bounds of the per-day limits (a limit beyond any real day; SQLite takes it whole).
MAX_PER_DAY = 99_999
#: The range of ``desired_retention`` (FSRS's useful range: below, reviews come too late to
#: teach anything; above, the workload explodes).
RETENTION_RANGE = (0.70, 0.97)
#: How far ahead an exam date may be (the plan and home's exam panel compute every day up
#: to it: year 9999 would be millions of days).
MAX_EXAM_YEARS_AHEAD = 10
#: The largest settings file read (it holds a few hundred bytes; anything far larger is
#: not one).
MAX_FILE_BYTES = 1024 * 1024


class SettingsError(UserError):
    """An unknown key or a value its rule refuses (exit status 2; nothing saved)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 2)


class SettingsFileError(UserError):
    """The settings file cannot be read, is damaged, or cannot be written (left as it is)."""


class Settings(NamedTuple):
    """Every setting, with its default (a named tuple: cheap to build at start-up)."""

    new_per_day: int = 20
    new_order: str = "deck"
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    exam_date: date | None = None
    theme: str = "textual-dark"
    leech_action: str = "tag"

    def text(self, key: str) -> str:
        """The value of ``key`` as ``studyapp config KEY`` prints it."""
        return setting(key).show(getattr(self, key))

    def lines(self) -> list[str]:
        """``key = value`` for every setting, in the order of :data:`SETTINGS`."""
        return [f"{s.key} = {self.text(s.key)}" for s in SETTINGS]

    def store_config(self, base: StoreConfig | None = None) -> StoreConfig:
        """``base`` (default: the store's defaults) with the new-card and review limits,
        the new-card order, the target retention, the leech action and the exam date (the
        final-week policy) of these settings."""
        from dataclasses import replace

        from studyapp.store.config import StoreConfig

        return replace(base if base is not None else StoreConfig(),
                       new_cards_per_day=self.new_per_day, new_order=self.new_order,
                       reviews_per_day=self.reviews_per_day,
                       desired_retention=self.desired_retention,
                       leech_action=self.leech_action, exam_date=self.exam_date)


# ---------------------------------------------------------------------- the rules
def _whole(key: str) -> tuple[Callable[[str], Any], Callable[[Any], Any]]:
    message = f"{key} は 0〜{MAX_PER_DAY} の整数で指定してください"

    def parse(text: str) -> int:
        # at most 12 digits: Python refuses thousands with its own message, and no limit
        # needs more
        if not re.fullmatch(r"\s*\+?0{0,12}[0-9]{1,12}\s*", text, re.ASCII):
            raise ValueError(message)
        return check(int(text))

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) \
                or not 0 <= value <= MAX_PER_DAY:
            raise ValueError(message)
        return value

    return parse, check


def _one_of(key: str, choices: Mapping[str, str]) -> tuple[Callable[[str], Any],
                                                           Callable[[Any], Any]]:
    message = f"{key} は " + " か ".join(f"{c} ({what})" for c, what in choices.items()) \
        + " です"

    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(message)
        return str(value)

    return (lambda text: check(text.strip())), check


def _retention_check(value: Any) -> float:
    low, high = RETENTION_RANGE
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"desired_retention は {low:g}〜{high:g} の数で指定してください"
                         "(例: 0.9 は90%を思い出せる間隔)")
    return float(value)


def _retention_parse(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    return _retention_check(value)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DATE_MESSAGE = "exam_date は YYYY-MM-DD の日付 (例: 2026-02-21) か none です"


def _date_check(value: Any) -> date | None:
    if value is None:
        return None
    day = value if type(value) is date else None
    if isinstance(value, str) and _DATE.fullmatch(value):
        with suppress(ValueError):  # 2026-02-30
            day = date.fromisoformat(value)
    if day is None:
        raise ValueError(_DATE_MESSAGE)
    if day > _latest_exam_date():
        raise ValueError(f"exam_date は今日から {MAX_EXAM_YEARS_AHEAD} 年以内の日付にしてください")
    return day


def _latest_exam_date() -> date:
    return date.today() + timedelta(days=round(365.25 * MAX_EXAM_YEARS_AHEAD))


def _date_parse(text: str) -> date | None:
    text = text.strip()
    return None if text.lower() == "none" else _date_check(text)


def _date_show(value: date | None) -> str:
    return "none" if value is None else value.isoformat()


def theme_names() -> list[str]:
    """The names of Textual's themes (imports ``textual.theme``: only when asked)."""
    from textual.theme import BUILTIN_THEMES

    return list(BUILTIN_THEMES)


def _theme_parse(text: str) -> str:
    import difflib

    name = text.strip()
    names = theme_names()
    if name in names:
        return name
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = (f"もしかして {' / '.join(close)}?" if close
            else "テーマ: " + ", ".join(names))
    raise ValueError(f"theme {name!r} は Textual のテーマにありません。{hint}")


def _theme_check(value: Any) -> str:
    # a name from the file is not checked against Textual here (``stats`` would import it
    # for nothing); the app falls back to its default theme if the name is unknown
    if not isinstance(value, str) or not value.strip():
        raise ValueError("theme は Textual のテーマ名です")
    return value


class Setting(NamedTuple):
    """One setting: its key, default, Japanese label and help, and its rules.

    ``parse`` reads text (the command line, the settings screen); ``check`` a value read
    from the JSON file; both raise ``ValueError`` with the one-line message a learner
    sees. ``show`` writes the value as ``config`` prints it; ``choices`` lists the values
    of a setting that has a fixed few (``None`` otherwise).
    """

    key: str
    label: str
    help: str
    parse: Callable[[str], Any]
    check: Callable[[Any], Any]
    show: Callable[[Any], str]
    choices: tuple[tuple[str, str], ...] | None = None

    @property
    def default(self) -> Any:
        """The value when the file does not set it."""
        return Settings._field_defaults[self.key]


# the values are the store's (a value added there without a label here fails at import)
_NEW_ORDER_LABELS = {"deck": "デッキの学習順", "random": "ランダム"}
_LEECH_ACTION_LABELS = {"tag": "タグを付ける", "suspend": "休止する"}
_NEW_ORDERS = {value: _NEW_ORDER_LABELS[value] for value in NEW_ORDERS}
_LEECH_ACTIONS = {value: _LEECH_ACTION_LABELS[value] for value in LEECH_ACTIONS}

#: Every setting, in the order ``config`` lists them and the settings screen shows them.
SETTINGS: tuple[Setting, ...] = (
    Setting("new_per_day", "1日の新規カード", "1日に初めて学ぶカードの上限 (0: 新規なし)",
            *_whole("new_per_day"), str),
    Setting("new_order", "新規カードの順番",
            "deck: deck.yaml のキーワード順 / random: 固定のランダム順",
            *_one_of("new_order", _NEW_ORDERS), str, tuple(_NEW_ORDERS.items())),
    Setting("reviews_per_day", "1日の復習上限", "1日に出す復習カードの上限 (Anki の最大復習数/日)",
            *_whole("reviews_per_day"), str),
    Setting("desired_retention", "目標保持率",
            "思い出せる確率の目標 0.70〜0.97 (高いほど復習が増える)",
            _retention_parse, _retention_check, lambda v: f"{v:g}"),
    Setting("exam_date", "試験日", "YYYY-MM-DD か none。統計に残り日数と予測想起率が出る",
            _date_parse, _date_check, _date_show),
    Setting("theme", "テーマ", "画面の配色 (コマンドパレットで選んだテーマも保存)",
            _theme_parse, _theme_check, str),
    Setting("leech_action", "リーチの扱い",
            "何度も忘れるカードに tag: タグを付ける / suspend: 休止",
            *_one_of("leech_action", _LEECH_ACTIONS), str, tuple(_LEECH_ACTIONS.items())),
)

_BY_KEY = {s.key: s for s in SETTINGS}
assert tuple(_BY_KEY) == Settings._fields


def setting(key: str) -> Setting:
    """The setting called ``key``.

    Raises
    ------
    SettingsError
        No setting has that name; the message suggests the closest one.
    """
    found = _BY_KEY.get(key)
    if found is not None:
        return found
    import difflib

    close = difflib.get_close_matches(key, list(_BY_KEY), n=1, cutoff=0.5)
    if not close:  # a part of a key ("retention") is a good guess too
        close = [k for k in _BY_KEY if key and key.lower() in k][:1]
    hint = f"もしかして {close[0]}?" if close else f"キー: {', '.join(_BY_KEY)}"
    raise SettingsError(f"不明な設定です: {key!r}。{hint}")


def parse_value(key: str, text: str) -> Any:
    """The value of ``key`` written as ``text``.

    Raises
    ------
    SettingsError
        An unknown key, or a value its rule refuses (the message says what is accepted).
    """
    rule = setting(key)
    shown = text if len(text) <= 40 else f"{text[:40]}…"
    try:
        return rule.parse(text)
    except ValueError as exc:
        raise SettingsError(f"{exc} (指定: {shown!r})") from None


# ---------------------------------------------------------------------- the file
def settings_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """``settings.json`` in the data folder (``--data-dir``, ``$STUDYAPP_DATA_DIR`` or the
    platform's user data folder, as for the progress database)."""
    from studyapp.paths import data_dir as resolve

    return resolve(data_dir) / SETTINGS_FILENAME


_RECOVER = "直すか別の名前に移すと既定の設定で始まります (進捗には影響しません)"


def _damaged(path: Path, detail: str) -> SettingsFileError:
    return SettingsFileError(f"設定ファイルが壊れています: {path} ({detail})。"
                             f"ファイルは変更していません。{_RECOVER}")


def _read_raw(path: Path) -> dict[str, Any]:
    """The JSON object of the file (empty when there is no file).

    The file is opened without waiting (a FIFO at its path would wait for a writer for
    ever), must be a regular file, and is read no further than :data:`MAX_FILE_BYTES`.
    """
    import json

    from studyapp.files import NotRegularFile, TooLarge, read_limited

    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise _unreadable(path, "フォルダです") from None
    except NotRegularFile:
        raise _unreadable(path, "FIFO や装置などの通常のファイルではありません") from None
    except TooLarge:
        raise _damaged(path, f"{MAX_FILE_BYTES // 2**20} MiB を超えています") from None
    except OSError as exc:
        raise _unreadable(path, os_reason(exc)) from None
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _damaged(path, "UTF-8 のテキストではありません") from None
    except json.JSONDecodeError as exc:
        raise _damaged(path, f"JSON: {exc.msg}, {exc.lineno}行{exc.colno}列") from None
    except ValueError:  # a number of thousands of digits (Python's limit on int())
        raise _damaged(path, "JSON の数が長すぎます") from None
    except RecursionError:
        raise _damaged(path, "JSON の入れ子が深すぎます") from None
    if not isinstance(raw, dict):
        raise _damaged(path, "JSON のオブジェクト {...} ではありません")
    return raw


def _unreadable(path: Path, reason: str) -> SettingsFileError:
    return SettingsFileError(f"設定ファイルを読めません: {path} ({reason})。{_RECOVER}")


def _settings_of(path: Path, raw: Mapping[str, Any]) -> Settings:
    values = {}
    for key, value in raw.items():
        rule = _BY_KEY.get(key)
        if rule is None:
            continue  # a newer version's setting: kept in the file, not used here
        try:
            values[key] = rule.check(value)
        except ValueError as exc:
            raise _damaged(path, f"{exc}; 書かれている値: {value!r}") from None
    return Settings(**values)


def load_settings(data_dir: str | os.PathLike[str] | None = None) -> Settings:
    """The learner's settings (the defaults where the file sets nothing, or without one).

    Parameters
    ----------
    data_dir : path, optional
        ``--data-dir`` as given (else ``$STUDYAPP_DATA_DIR``, else the platform's folder).

    Raises
    ------
    SettingsFileError
        The file cannot be read, is not a JSON object, or holds a value no rule accepts.
    """
    path = settings_path(data_dir)
    return _settings_of(path, _read_raw(path))


def save_setting(data_dir: str | os.PathLike[str] | None, key: str, value: Any) -> Settings:
    """Set one setting in the file and return the settings now in force.

    The file is read again first, so what another copy of the app saved meanwhile is
    kept, and a damaged file is reported instead of replaced.

    Parameters
    ----------
    data_dir : path or None
        As for :func:`load_settings`.
    key : str
        A key of :data:`SETTINGS`.
    value : object
        Its value, as :func:`parse_value` gives it (checked again here).

    Raises
    ------
    SettingsError
        An unknown key or a refused value.
    SettingsFileError
        The file is damaged or unreadable (it is left as it is), or cannot be written.
    DataDirError
        A data folder named with ``--data-dir``/``STUDYAPP_DATA_DIR`` does not exist (it
        is not created: a typo must not start a second set of settings).
    """
    import json

    from studyapp.paths import data_dir_is_named

    rule = setting(key)
    try:
        value = rule.check(value)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    path = settings_path(data_dir)
    from studyapp.store.db import prepare_folder

    prepare_folder(path.parent, create=not data_dir_is_named(data_dir))
    with _saving_lock(path):  # another copy's read-change-write waits for this one's
        raw = _read_raw(path)
        settings = _settings_of(path, raw)._replace(**{key: value})
        raw[key] = value.isoformat() if isinstance(value, date) else value
        text = json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
        # through a symlink (settings kept with the learner's dotfiles): its target is
        # replaced, and the link kept
        _write_whole(Path(os.path.realpath(path)), text.encode("utf-8"))
    return settings


@contextmanager
def _saving_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folder of ``path`` (no lock file left beside
    the settings); where the system has no ``flock`` or the folder cannot be opened,
    saving goes on unlocked."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    try:
        fd = os.open(path.parent, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        yield
        return
    try:
        with suppress(OSError):  # a file system without locks
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the folder releases the lock


def _write_whole(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` at once (a temporary file beside it, flushed to disk,
    renamed over it; the file keeps its mode)."""
    from studyapp.files import replace_file

    try:
        replace_file(path, data, sync=True)
    except OSError as exc:
        raise SettingsFileError(f"設定ファイルを書き込めません: {path} ({os_reason(exc)})。"
                                "設定は変わっていません") from None


__all__ = [
    "SETTINGS",
    "SETTINGS_FILENAME",
    "Setting",
    "Settings",
    "SettingsError",
    "SettingsFileError",
    "load_settings",
    "parse_value",
    "save_setting",
    "setting",
    "settings_path",
    "theme_names",
]
