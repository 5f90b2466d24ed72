"""The card browser: the current deck's cards and questions in a table, searched as you
type, filtered, suspended, flagged, and opened for their details and history.

The rules (the rows, the search, the filters) live in :mod:`studyapp.study.browse`; this
screen shows them and turns keys into the store's calls. Each row's searchable text is
normalised once when the browser opens, so a key typed in the search box costs a
substring test per row and one batch of table rows (:data:`PAGE`; more are added as the
cursor or the scrolling nears the end).
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.widgets import DataTable, Input, Static

from studyapp.content import Card, Question
from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.store import AnswerEntry, StoreError
from studyapp.study.browse import (
    STATE_FILTERS,
    STATE_LABELS,
    TYPE_LABELS,
    BrowseFilter,
    BrowseRow,
    RowSearch,
    answer_text,
    build_rows,
    cycle,
    last_wrong,
    picked_whys,
    right_answer_text,
)
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

#: Rows added to the table at a time (or twice the rows the table shows, if more): the
#: table measures every row added, so a key in the search box costs one page, whatever
#: the deck's size.
PAGE = 60
#: Rows left below the cursor (or the scrolled view) when the next page is added.
AHEAD = 20

#: The table's columns: key, header, fixed width in cells (``None``: shares the rest).
COLUMNS = (
    ("flag", "印", 2),
    ("type", "種類", 6),
    ("summary", "内容", None),
    ("keyword", "キーワード", None),
    ("state", "状態", 6),
    ("due", "期日", 5),
    ("lapses", "失敗", 4),
    ("last", "最終", 8),
)
#: Cells of space on each side of a column, and of the vertical scrollbar (browser.tcss).
_SPACE = 1
_SCROLLBAR = 1
#: The keyword column's share of the free width, and its bounds (it truncates first).
KEYWORD_SHARE = 0.4
KEYWORD_WIDTH = (8, 24)
#: The table's one column (see :class:`BrowserTable`).
LINE = "line"

_STATE_STYLES = {"suspended": "yellow", "leech": "bold red", "mistake": "red",
                 "new": "cyan", "unanswered": "cyan"}


def column_widths(width: int) -> dict[str, int]:
    """The width of each column for a table ``width`` cells wide: the fixed columns keep
    theirs (the state never truncates); the keyword takes a share of the rest, within
    :data:`KEYWORD_WIDTH`, and the summary what is left (at least 4)."""
    fixed = sum(w for _, _, w in COLUMNS if w is not None)
    free = width - _SCROLLBAR - fixed - 2 * _SPACE * len(COLUMNS)
    keyword = max(KEYWORD_WIDTH[0], min(KEYWORD_WIDTH[1], int(free * KEYWORD_SHARE)))
    widths = {key: w for key, _, w in COLUMNS if w is not None}
    widths["keyword"] = keyword
    widths["summary"] = max(4, free - keyword)
    return widths


def row_cells(row: BrowseRow) -> dict[str, Text]:
    """What each column of the table shows for ``row``."""
    shown = row.shown_state
    return {
        "flag": Text("*" if row.flagged else "", "bold yellow"),
        "type": Text(TYPE_LABELS.get(row.type, row.type), "dim"),
        "summary": Text(row.summary),
        "keyword": Text(row.keyword),
        "state": Text(STATE_LABELS.get(shown, shown), _STATE_STYLES.get(shown, "")),
        "due": Text(row.due_text),
        "lapses": Text(str(row.lapses) if row.lapses or row.kind == "card" else "",
                       "red" if row.leech else ""),
        "last": Text(row.last),
    }


def draw_line(cells: dict[str, Text], widths: dict[str, int]) -> Text:
    """The columns side by side on one line, each cut to its width (ending with …) or
    padded to it, a space on both sides."""
    line = Text(no_wrap=True, end="")
    space = " " * _SPACE
    for key, _, _ in COLUMNS:
        cell = cells[key].copy()
        cell.truncate(widths[key], overflow="ellipsis", pad=True)
        line.append(space)
        line.append_text(cell)
        line.append(space)
    return line


def header_line(widths: dict[str, int]) -> Text:
    """The headers of :data:`COLUMNS` on one line, as :func:`draw_line` places them."""
    return draw_line({key: Text(label) for key, label, _ in COLUMNS}, widths)


def drawn_cells(line: str, widths: dict[str, int]) -> dict[str, str]:
    """What each column shows in a line drawn by :func:`draw_line` (its text, stripped)."""
    from rich.cells import cell_len

    out: dict[str, str] = {}
    rest = line
    for key, _, _ in COLUMNS:
        size = widths[key] + 2 * _SPACE
        taken, used = "", 0
        while rest and used + cell_len(rest[0]) <= size:
            used += cell_len(rest[0])
            taken, rest = taken + rest[0], rest[1:]
        out[key] = taken.strip()
    return out


class BrowserTable(DataTable[Text]):
    """The browser's table: a row cursor (``enter`` opens the row's details, shown in the
    key bar), and a message when the view nears the last row added, so the screen adds
    the next page.

    Each row is one cell holding the line :func:`draw_line` draws, under one header
    (:func:`header_line`): the DataTable renders each cell through Rich's whole pipeline,
    and one cell a row repaints the table in about a third of the time eight cells take
    (9 ms against 27 ms for a 120×40 screen), which a key in the search box pays.
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "詳細", tooltip="カードの全体と復習履歴"),
        Binding("home", "scroll_top", show=False),  # the first and last row, not column
        Binding("end", "scroll_bottom", show=False),
    ]

    class NearEnd(Message):
        """The cursor or the scrolled view is within :data:`AHEAD` rows of the end."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.row_count and new_value + self.size.height >= self.row_count - AHEAD:
            self.post_message(self.NearEnd())


class BrowserScreen(StudyScreen):
    """The current deck's cards and questions; ``/`` search, ``s`` suspend, ``m`` flag,
    ``enter`` details and history, ``k``/``t``/``n`` filters, ``escape`` back."""

    CSS_PATH = "../styles/browser.tcss"
    AUTO_FOCUS = "#table"
    BINDINGS = [
        Binding("escape", "back", "ホーム", tooltip="ホームに戻る（検索中は表に戻る）"),
        Binding("slash", "search", "検索", tooltip="日本語・English・ID で絞り込む"),
        Binding("s", "suspend", "休止", tooltip="選んだカードを休止する／戻す"),
        Binding("m", "flag", "印", tooltip="フラグ（印）を付ける／外す"),
        Binding("k", "keyword", "語", tooltip="キーワードで絞り込む（押すたびに次へ）"),
        Binding("t", "state", "状態", tooltip="状態で絞り込む（新規・学習中・復習・休止・"
                "リーチ・フラグ・間違いノート）"),
        Binding("n", "mistakes", "間違い", tooltip="間違いノート: 間違えた問題と最後の誤答"),
        Binding("c", "clear", "解除", tooltip="検索と絞り込みを解除する"),
    ]

    #: The search and the filters in force; their watcher redraws the table.
    browse_filter: var[BrowseFilter] = var(BrowseFilter(), init=False, bindings=True)

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        self.rows: list[BrowseRow] = []
        self.search = RowSearch(self.rows)
        #: The rows the filter lets through, in order; the first ``loaded`` are in the table.
        self.shown: list[BrowseRow] = []
        self.loaded = 0
        self._widths: dict[str, int] = {}
        self._lines: dict[str, Text] = {}
        #: Each mistake's last wrong answer, read once (the rows too are read at mount).
        self._last_wrong: dict[str, AnswerEntry | None] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder="/ で検索（日本語・English・ID、全角半角は同じ）",
                    id="search")
        yield Static(id="filters")
        yield BrowserTable(id="table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(id="preview")
        yield KeyBar()

    def on_mount(self) -> None:
        store = self.context.store
        deck = self.context.deck
        self.rows = build_rows(deck, store.item_statuses(deck.id), now_ms=store.now_ms(),
                               calendar=store.calendar)
        self.search = RowSearch(self.rows)
        self._set_columns(self.app.size.width)
        self.redraw()

    # ------------------------------------------------------------------ the table
    def _set_columns(self, width: int) -> None:
        widths = column_widths(width)
        if widths == self._widths:
            return
        self._widths = widths
        self._lines.clear()
        table = self.query_one(BrowserTable)
        table.clear(columns=True)
        table.add_column(header_line(widths), width=sum(widths.values()) + 2 * _SPACE * len(
            widths), key=LINE)
        self.loaded = 0

    def on_resize(self, event: events.Resize) -> None:
        if not self._widths or column_widths(event.size.width) == self._widths:
            return
        table = self.query_one(BrowserTable)
        cursor = table.cursor_row
        self._set_columns(event.size.width)
        self.load_more(until=cursor + 1)
        if self.shown:
            table.move_cursor(row=min(cursor, len(self.shown) - 1))

    def watch_browse_filter(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Filter the rows again and show the first page, the first row highlighted."""
        table = self.query_one(BrowserTable)
        self.shown = self.search(self.browse_filter)
        table.clear()
        self.loaded = 0
        self.load_more()
        if self.shown:
            table.move_cursor(row=0, animate=False)
        self._show_filters()
        self._show_preview()

    def load_more(self, until: int = 0) -> None:
        """Add the next page of rows to the table (or as many pages as reach ``until``)."""
        table = self.query_one(BrowserTable)
        end = min(len(self.shown), max(self.loaded + self.page_size(), until))
        for row in self.shown[self.loaded:end]:
            table.add_row(self._line(row), key=row.key)
        self.loaded = max(self.loaded, end)

    def _line(self, row: BrowseRow) -> Text:
        """The row's line, drawn once for the current widths."""
        line = self._lines.get(row.key)
        if line is None:
            line = self._lines[row.key] = draw_line(row_cells(row), self._widths)
        return line

    def drawn(self, key: str) -> dict[str, str]:
        """What each column shows for the row ``key`` (``kind:item``) as drawn now."""
        line = self.query_one(BrowserTable).get_row(key)[0]
        return drawn_cells(line.plain, self._widths)

    def page_size(self) -> int:
        """Rows added at a time: :data:`PAGE`, or twice the rows the table shows."""
        return max(PAGE, 2 * self.query_one(BrowserTable).size.height)

    @on(BrowserTable.NearEnd)
    def _near_end(self) -> None:
        table = self.query_one(BrowserTable)
        near = table.scroll_y + table.size.height >= self.loaded - AHEAD
        if near and self.loaded < len(self.shown):  # (a page may have come meanwhile)
            self.load_more()

    @on(DataTable.RowHighlighted, "#table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.loaded - AHEAD and self.loaded < len(self.shown):
            self.load_more()
        self._show_preview()

    @on(DataTable.RowSelected, "#table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_details()

    @property
    def current(self) -> BrowseRow | None:
        """The highlighted row (``None`` when nothing is shown)."""
        table = self.query_one(BrowserTable)
        if not self.shown or not 0 <= table.cursor_row < min(self.loaded, len(self.shown)):
            return None
        return self.shown[table.cursor_row]

    def _replace(self, old: BrowseRow, new: BrowseRow) -> None:
        """Put ``new`` in the place of ``old`` (the same item) and redraw its cells."""
        self.search.replace(old, new)  # (self.rows is its list)
        index = self.shown.index(old)
        self.shown[index] = new
        self._lines.pop(new.key, None)
        self.query_one(BrowserTable).update_cell(new.key, LINE, self._line(new))
        self._show_filters()
        self._show_preview()

    # ------------------------------------------------------------------ what is shown
    def _show_filters(self) -> None:
        f = self.browse_filter
        keyword = "すべて" if f.keyword is None else self.context.keyword_name(f.keyword)
        state = "すべて" if f.state is None else STATE_FILTERS[f.state]
        text = Text()
        text.append("キーワード ", style="dim")
        text.append(keyword, style="bold" if f.keyword else "")
        text.append("  状態 ", style="dim")
        text.append(state, style="bold" if f.state else "")
        text.append(f"  {len(self.shown)} / {len(self.rows)} 件", style="dim")
        self.query_one("#filters", Static).update(text)

    def _show_preview(self) -> None:
        """The highlighted item in a few lines: a card's front and back; a question's
        prompt and answer, and on the mistake list the learner's last wrong answer."""
        preview = self.query_one("#preview", Static)
        row = self.current
        if row is None:
            preview.update(Text("該当するカードはありません（c で解除）", style="dim"))
            return
        try:
            item = self.context.deck.item(row.item)
        except KeyError:
            preview.update("")
            return
        text = Text()
        if isinstance(item, Card):
            text.append(row.summary)
            if item.back:
                text.append("\n→ ", style="dim")
                text.append(" ".join(item.back.split()))
        elif isinstance(item, Question):
            text.append(row.summary)
            if row.in_mistakes:
                wrong = self._wrong_answer(item.id)
                if wrong is not None:
                    text.append("\n最後の誤答: ", style="red")
                    text.append(answer_text(item, wrong.answer))
            text.append("\n正答: ", style="green")
            text.append(right_answer_text(item))
            if row.in_mistakes:
                for why in picked_whys(item, wrong.answer if wrong else None):
                    text.append(f"\n{why}", style="yellow")
                text.append("\n" + " ".join(item.explanation.split()), style="dim")
        preview.update(Prose(text))

    def _wrong_answer(self, question: str) -> AnswerEntry | None:
        """The question's last wrong answer: its history is read the first time the cursor
        reaches it, not on every move back onto it."""
        if question not in self._last_wrong:
            self._last_wrong[question] = last_wrong(
                self.context.store.answer_history(self.context.deck.id, question))
        return self._last_wrong[question]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("suspend", "flag", "details"):
            return True if self.shown else None
        if action == "clear":  # shown only while there is something to clear
            return self.browse_filter != BrowseFilter()
        return True

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        """``escape``: from the search box back to the table, else home."""
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.query_one(BrowserTable).focus()
            return
        self.app.action_home()  # type: ignore[attr-defined]

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self.browse_filter = self.browse_filter._replace(query=event.value)

    @on(Input.Submitted, "#search")
    def _searched(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(BrowserTable).focus()

    def _toggle(self, mark: str) -> tuple[BrowseRow, bool] | None:
        """Turn the highlighted row's ``suspended`` or ``flagged`` mark over in the store,
        then in the table: (the row, the mark now), or None when nothing was changed."""
        row = self.current
        if row is None:
            return None
        setter = {"suspended": self.context.store.set_suspended,
                  "flagged": self.context.store.set_flagged}[mark]
        try:
            now = setter(row.kind, self.context.deck.id, row.item, not getattr(row, mark))
        except StoreError as exc:
            self.notify_store_error(exc)
            return None
        self._replace(row, row._replace(**{mark: now}))
        return row, now

    def action_suspend(self) -> None:
        toggled = self._toggle("suspended")
        if toggled is None:
            return
        row, now = toggled
        where = "フラッシュカード" if row.kind == "card" else "クイズ"
        self.notify(f"{row.item} を休止しました（{where}に出ません。s で戻す）" if now
                    else f"{row.item} の休止を解除しました", timeout=3)

    def action_flag(self) -> None:
        self._toggle("flagged")

    def action_details(self) -> None:
        row = self.current
        if row is None:
            return
        from studyapp.screens.card_details import CardDetailsScreen

        self.app.push_screen(CardDetailsScreen(self.context, row))

    def action_keyword(self) -> None:
        ids = [k.id for k in self.context.deck.keywords]
        self.browse_filter = self.browse_filter._replace(
            keyword=cycle(ids, self.browse_filter.keyword))

    def action_state(self) -> None:
        self.browse_filter = self.browse_filter._replace(
            state=cycle(list(STATE_FILTERS), self.browse_filter.state))

    def action_mistakes(self) -> None:
        """The mistake notebook (間違いノート): the questions answered wrong; again: all."""
        state = None if self.browse_filter.state == "mistakes" else "mistakes"
        self.browse_filter = self.browse_filter._replace(state=state)

    def action_clear(self) -> None:
        self.query_one("#search", Input).value = ""  # its Changed clears the query
        self.browse_filter = BrowseFilter()
