"""Help on the keys of the screen in front (``?`` anywhere; ``escape`` or ``?`` closes it).

What the help lists is read from the screen it opens over, not written out by hand: the
bindings that screen and its focused widget have right now (Textual's ``active_bindings``),
those its ``check_action`` hides for the moment (marked as not usable now), and the app's
own (``?``, ``ctrl+p``, ``ctrl+q``). A short Japanese paragraph per screen says what the
screen is for: a screen's ``HELP`` when it sets one, else :data:`SCREEN_HELP` by class
name, else a general one. So a key added to a screen's ``BINDINGS`` shows up here by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from studyapp.screens.base import ConfirmsLeave
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose

#: What each screen is for, by class name (a screen's own ``HELP`` comes first).
SCREEN_HELP: dict[str, tuple[str, str]] = {
    "HomeScreen": (
        "ホーム",
        "今日の復習枚数、新規カードの残り、連続学習日数、キーワードごとの習熟度を表示します。"
        "下のキーで各エリアを開き、どの画面からでも escape でここに戻れます。"),
    "FlashcardScreen": (
        "フラッシュカード",
        "FSRS（Anki と同じスケジューラ）で今日のカードを復習します。space で答えを表示し、"
        "思い出せた度合いを 1〜4 で評価すると次の間隔が決まります（ボタンに表示）。"
        "評価はすぐ保存され、u で直前の評価を取り消せます。今日の分が終わると結果が出て、"
        "n で新規カードを今日だけ 10 枚追加、r で明日が期日のカードを先取り復習できます。"),
    "QuizSetupScreen": (
        "クイズの設定",
        "出題するキーワードを space で選び（☑ が出題対象、☐ は対象外）、tab で問題数に移って"
        "選び、enter で開始します。a で全選択/全解除、m で間違いノート（間違えた問題）から"
        "出題します。選んだ条件で出る問題数は一覧の下に表示されます。"),
    "QuizScreen": (
        "クイズ",
        "本番と同じ形式（4択・複数選択・正誤・計算・コード穴埋め）で解きます。数字キーで選び、"
        "enter で決定すると正誤、正答、選んだ選択肢が誤りである理由、解説が出ます。"
        "もう一度 enter で次の問題へ。計算問題は数値（0.5、1/2 など）を入力して enter。"
        "最後に結果が出て、r で間違えた問題だけをやり直せます（解答は毎回記録されます）。"),
    "PracticeScreen": (
        "計算練習",
        "その場で生成される計算問題です（毎回数値が変わります）。↑↓ と enter で種類を選び"
        "（★ は復習時期のスキル）、答えを入力して enter。誤答が典型的な誤解に当たるとその説明、"
        "続いて解き方の手順が出ます。n で同じ種類の新しい問題、k で種類の一覧に戻ります。"),
    "ExamSetupScreen": (
        "模試の設定",
        "本番形式の模試の問題数と時間配分を選び、enter で開始します。時間は本番の比率"
        "（1問72秒）が基準です。"),
    "ExamScreen": (
        "模試",
        "制限時間つきの模試です。数字キーで選び enter で次へ。f で見直しの印、← → か [ ] "
        "で移動、s で提出します。時間切れで自動的に提出されます。解答は提出したときに"
        "まとめて記録され、途中で離れると何も記録されません。"),
    "ExamResultScreen": (
        "模試の結果",
        "得点、キーワード別の得点、各問の所要時間（目安 40秒）、選んだ答えと正答、解説です。"),
    "StatsScreen": (
        "統計",
        "1年分の復習のヒートマップ、直近30日の保持率、7日間の予定、キーワード別の正答率と"
        "習熟度、連続学習日数です。"),
    "ExploreScreen": (
        "図で理解",
        "正則化を図で確かめる画面です。数字キーでタブを切り替えます: L1 のひし形と L2 の円に"
        "損失の等高線が最初に触れる点、Lasso と Ridge の係数パス、|w| と w² の勾配、"
        "ドロップアウトのマスク、Elastic Net の制約領域。"),
    "SettingsScreen": (
        "設定",
        "studyapp config と同じ設定をこの場で編集します。入力して enter（一覧は enter で"
        "開いて選ぶ）で保存され、すぐ反映されます。tab で次の項目へ移ります。"),
    "BrowserScreen": (
        "カードブラウザ",
        "今のデッキのカードと問題の一覧です。/ で検索（日本語・English・ID）、k でキーワード、"
        "t で状態（新規・学習中・復習・休止・リーチ・フラグ・間違いノート）、n で間違いノートに"
        "絞り込み、c で解除します。s で選んだカードを休止/再開、m で印、enter で全体と"
        "復習履歴を開きます。何度も忘れるカード（リーチ）はここで見直せます。"),
    "CardDetailsScreen": (
        "カードの詳細",
        "カードや問題の全体（数式も）、スケジュールと印、履歴です。カードは評価の日時・評価・"
        "間隔、問題は解答の履歴（最後の誤答が先頭）を表示します。escape で一覧に戻ります。"),
    "ExercisesScreen": (
        "コード演習",
        "NumPy で関数やクラスを実装し、エンジンの計算と照合して採点する演習の一覧です。"
        "状態は 未着手・挑戦中・正解済み・復習期限（FSRS）。enter で開きます。"),
    "ExerciseScreen": (
        "コード演習の編集",
        "上が課題、中央がエディタ、下が結果です。ctrl+r で採点（コードはサンドボックスで実行され、"
        "ファイル書き込み・プロセス起動・ネットワークはできません）。合わなかった最初のケースと、"
        "よくある誤りならその名前を表示します。ctrl+t でヒントを1つずつ、ctrl+o で模範解答。"
        "一度目の採点で正解なら Good、ヒントや失敗の後なら Hard、解けずに離れると Again です。"),
    "ContentErrorScreen": (
        "デッキの問題",
        "デッキの YAML に問題があり読み込めませんでした。一覧の「ファイル:行: 内容」を直して"
        "起動し直してください（studyapp validate でも同じ一覧が出ます）。"),
}

#: The paragraph of a screen :data:`SCREEN_HELP` does not know.
GENERAL_HELP = ("この画面のキー",
                "この画面で使えるキーの一覧です。どの画面でも escape でホームに戻り、"
                "ctrl+q で終了します（記録は評価・解答のたびに保存済みです）。")

#: Japanese for the actions of Textual's widgets (a focused list, field or scroll area);
#: a widget action not named here is left out of the help.
WIDGET_ACTIONS = {
    "select": "選択を切り替える",
    "select_cursor": "選ぶ・開く",
    "toggle_button": "選ぶ",
    "next_button": "次の選択肢へ",
    "previous_button": "前の選択肢へ",
}

#: Moving and scrolling, shown as one row.
NAV_ACTIONS = {
    "scroll_up", "scroll_down", "scroll_left", "scroll_right", "scroll_home", "scroll_end",
    "page_up", "page_down", "page_left", "page_right", "cursor_up", "cursor_down",
    "cursor_left", "cursor_right", "first", "last", "scroll_top", "scroll_bottom",
}
NAV_TEXT = "移動・スクロール"

#: Japanese for the app's bindings Textual makes (the command palette).
APP_ACTIONS = {
    "command_palette": "コマンドパレット（エリア・テーマ・キー一覧・スクリーンショット）",
}

#: Actions keyed 1, 2, 3 … whose descriptions are only the key: one row for all of them.
NUMBERED_ACTIONS = {
    "pick": "選択肢を選ぶ（複数選択では切り替え）",
}


def _screen_defaults() -> set[tuple[str, str]]:
    """(action, description) of the bindings every Textual screen has (focus, copy)."""
    return {(b.action, b.description) for b in Binding.make_bindings(Screen.BINDINGS)}


class KeyRow(NamedTuple):
    """One row of the help: the keys, what they do, whether they work now, and where
    they come from (``"screen"``: the screen and its focused widget; ``"app"``: anywhere)."""

    keys: str
    text: str
    enabled: bool
    scope: str


def _base(action: str) -> str:
    """An action's name without its namespace and arguments: ``pick(0)`` → ``pick``."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


def _is_japanese(text: str) -> bool:
    """Whether ``text`` has kana or kanji (a description this project wrote)."""
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


def _describe(binding: Binding) -> str:
    text = binding.description
    tip = binding.tooltip
    if tip and tip != text:
        return f"{text} — {tip}" if text else tip
    return text


def _key_range(keys: list[str]) -> str:
    """``1–4`` for consecutive digits, else the keys one after another."""
    if len(keys) > 2 and all(k.isdigit() and len(k) == 1 for k in keys) and \
            [int(k) for k in keys] == list(range(int(keys[0]), int(keys[0]) + len(keys))):
        return f"{keys[0]}–{keys[-1]}"
    return " ".join(keys)


def _bindings_of(screen: Screen[object]) -> list[tuple[DOMNode, Binding, bool]]:
    """(namespace, binding, usable now) for the keys of ``screen``: its active bindings in
    Textual's order (focused widget, screen, app), then its own bindings its
    ``check_action`` hides for now."""
    found: list[tuple[DOMNode, Binding, bool]] = []
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        found.append((active.node, active.binding, active.enabled))
        seen.add((active.binding.key, active.binding.action))
    app = screen.app
    for key, binding in screen._bindings:  # the screen's own, those hidden for now too
        if (key, binding.action) in seen:
            continue
        state = app._check_action_state(binding.action, screen)
        if state is False:
            found.append((screen, binding, False))
    return found


def key_rows(screen: Screen[object]) -> list[KeyRow]:
    """The help's rows for ``screen``, in the order its bindings come, grouped: keys of one
    action (``←`` and ``[``), numbered picks (``1–4``), and moving/scrolling (one row)."""
    app = screen.app
    defaults = _screen_defaults()
    rows: list[KeyRow] = []
    actions: list[str] = []  # the action of each row, to group keys of the same one
    nav_keys: list[str] = []
    for node, binding, enabled in _bindings_of(screen):
        action = _base(binding.action)
        key = app.get_key_display(binding)
        if (binding.action, binding.description) in defaults:
            continue  # focus and copy: what every screen has
        if action in NAV_ACTIONS:
            if key not in nav_keys:
                nav_keys.append(key)
            continue
        scope = "app" if node is app else "screen"
        numbered = action in NUMBERED_ACTIONS and binding.description == key
        if numbered:
            text = NUMBERED_ACTIONS[action]
        elif node is not screen and node is not app and not _is_japanese(binding.description):
            # a key of Textual's widget (a list, a field): in Japanese, or left out
            if action not in WIDGET_ACTIONS:
                continue
            text = WIDGET_ACTIONS[action]
        elif node is app and action in APP_ACTIONS:
            text = APP_ACTIONS[action]
        else:
            text = _describe(binding)
        same = next((i for i, row in enumerate(rows)
                     if actions[i] == action and row.scope == scope and row.text == text),
                    None)
        if same is None:
            rows.append(KeyRow(key, text, enabled, scope))
            actions.append(action)
        else:
            row = rows[same]
            joined = f"{row.keys} {key}" if numbered else f"{row.keys} / {key}"
            rows[same] = row._replace(keys=joined, enabled=row.enabled or enabled)
    rows = [row._replace(keys=_key_range(row.keys.split()))
            if actions[i] in NUMBERED_ACTIONS else row for i, row in enumerate(rows)]
    if isinstance(screen.focused, Input):
        rows.insert(0, KeyRow("文字", "入力欄に入力（enter で決定）", True, "screen"))
    if nav_keys:  # the keys in the text: a long key column would squeeze every row
        rows.append(KeyRow(nav_keys[0], f"{NAV_TEXT}（{' '.join(nav_keys)}）", True, "screen"))
    return rows


def screen_help(screen: Screen[object]) -> tuple[str, str]:
    """(title, paragraph) of ``screen``: its ``HELP``, or :data:`SCREEN_HELP`, or general."""
    own = getattr(type(screen), "HELP", None)
    known = SCREEN_HELP.get(type(screen).__name__)
    if own:
        return (known[0] if known else GENERAL_HELP[0], own.strip())
    return known or GENERAL_HELP


def keys_table(rows: Iterable[KeyRow]) -> RenderableType:
    """The rows as two columns (keys, what they do), this screen's first, then anywhere's;
    a key not usable right now is dimmed and says so."""
    rows = list(rows)
    parts: list[RenderableType] = []
    for scope, title in (("screen", "この画面のキー"), ("app", "どこでも")):
        chosen = [r for r in rows if r.scope == scope]
        if not chosen:
            continue
        parts.append(Text(title, style="bold"))
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for row in chosen:
            text = Text(row.text)
            if not row.enabled:
                text.append("（今は使えません）")
            style = "" if row.enabled else "dim"
            table.add_row(Text(row.keys, style=style), Prose(Text(text.plain, style=style)))
        parts.append(table)
        parts.append(Text(""))
    return Group(*parts[:-1]) if parts else Text("")


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below (``target``) and what the screen is for."""

    CSS_PATH = "../styles/help.tcss"
    AUTO_FOCUS = "#help-body"
    BINDINGS = [
        Binding("escape", "close", "閉じる"),
        Binding("question_mark", "close", "閉じる", key_display="?", show=False),
    ]

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        #: The screen the help explains, below it.
        self.target = target
        self.target_name = type(target).__name__
        self.title_text, self.paragraph = screen_help(target)
        self.rows = key_rows(target)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text(f"ヘルプ — {self.title_text}", style="bold"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(Prose(self.paragraph), id="help-paragraph")
                yield Static(keys_table(self.rows), id="help-keys")
                yield Static(Prose("? でいつでもこのヘルプ、escape で閉じます。"),
                             id="help-footnote")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)

    def confirm_leave(self, then: Callable[[], None]) -> None:
        """``ctrl+q`` or an area from the palette while the help is open: the screen below
        asks first when it has work not recorded yet (a running mock exam), as it would
        without the help (:class:`ConfirmsLeave`)."""
        if isinstance(self.target, ConfirmsLeave):
            self.dismiss(None)
            self.target.confirm_leave(then)
        else:
            then()


__all__ = ["GENERAL_HELP", "SCREEN_HELP", "HelpScreen", "KeyRow", "key_rows", "screen_help"]
