"""Stats (統計): streak, retention, accuracy, the year's activity, the week ahead, and
progress per keyword — all from :meth:`studyapp.store.Store.stats`."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from studyapp.context import StudyContext
from studyapp.render.bars import EMPTY, bar, pad
from studyapp.render.numbers import percent
from studyapp.screens.base import StudyScreen
from studyapp.store import ForecastDay, Stats
from studyapp.store.exam import HistoryPoint
from studyapp.study.ordering import keyword_order, sort_by_keyword_order
from studyapp.widgets.heatmap import Heatmap
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

#: Below this width the two columns stack (the screen scrolls).
NARROW = 110
FORECAST_BAR = 24


def forecast_text(forecast: list[ForecastDay]) -> Text:
    """One bar per day: today, then the next seven days."""
    peak = max([f.due for f in forecast] + [1])
    text = Text()
    for k, entry in enumerate(forecast):
        label = "今日" if k == 0 else f"{entry.day.month}/{entry.day.day}"
        if k:
            text.append("\n")
        text.append(pad(label, 6), style="bold" if k == 0 else "")
        text.append(bar(entry.due / peak, FORECAST_BAR).replace(EMPTY, " "), style="cyan")
        text.append(f" {entry.due:3d} 枚")
    return text


#: The study days the exam history shows.
HISTORY_DAYS = 14


class StatsScreen(StudyScreen):
    """Everything the store knows about the learner's progress, refreshed on return."""

    CSS_PATH = "../styles/stats.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("r", "refresh", "更新", tooltip="最新の記録で描き直す"),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        self.stats: Stats | None = None
        self._shown = False
        #: The exam history's days before today, kept through the study day: what they
        #: were read for (exam date, today, settings) and the points.
        self._exam_past: tuple[tuple[object, ...], list[HistoryPoint]] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="stats-body"):
            with Horizontal(id="stats-tiles"):
                for tile in ("streak", "retention", "accuracy", "due", "mistakes"):
                    yield Static(id=f"stat-{tile}", classes="stat-tile")
            with Horizontal(id="stats-columns"):
                with Vertical(id="stats-left"):
                    yield Static("学習の記録（過去1年・カード評価と解答の回数）",
                                 classes="section-title")
                    yield Heatmap(id="heatmap")
                    yield Static(id="activity-total")
                    yield Static("今後7日の復習予定", classes="section-title")
                    yield Static(id="forecast")
                    # with an exam date: the predicted exam-day recall over time beside
                    # the mock exams, and per keyword
                    yield Static("試験日の予測想起率と模試", classes="section-title",
                                 id="exam-title")
                    yield Static(id="exam-history")
                with Vertical(id="stats-right"):
                    yield Static("キーワード別", classes="section-title")
                    yield Static(id="keyword-table")
                    yield Static("記録の内訳", classes="section-title")
                    yield Static(id="stats-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self._shown:  # the first showing was drawn on mount
            self.action_refresh()
        self._shown = True

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#stats-columns").set_class(event.size.width < NARROW, "-narrow")

    def action_refresh(self) -> None:
        self.stats = self.context.store.stats()
        self.show(self.stats)

    # ------------------------------------------------------------------ drawing
    def show(self, stats: Stats) -> None:
        streak = stats.streak
        retention = stats.retention
        accuracy = stats.accuracy
        tiles = {
            "streak": ("連続学習", f"{streak.current}", "日"),
            "retention": ("定着率", percent(retention.rate), ""),
            "accuracy": ("正答率", percent(accuracy.rate), ""),
            "due": ("復習待ち", f"{stats.due}", "枚"),
            "mistakes": ("間違い", f"{stats.mistakes}", "問"),
        }
        for key, (label, value, unit) in tiles.items():
            text = Text()
            text.append(label + "\n", style="dim")
            text.append(value, style="bold")
            if unit:
                text.append(f" {unit}")
            self.query_one(f"#stat-{key}", Static).update(text)
        counts = {d.day: d.reviews + d.answers for d in stats.reviews_per_day}
        self.query_one(Heatmap).show(counts, stats.today.day)
        self.query_one("#activity-total", Static).update(Prose(self._activity(stats)))
        self.query_one("#forecast", Static).update(forecast_text(stats.forecast))
        self.query_one("#keyword-table", Static).update(self._keywords(stats))
        self.query_one("#stats-detail", Static).update(Prose(self._detail(stats)))
        exam = self.context.store.config.exam_date
        for widget_id in ("#exam-title", "#exam-history"):
            self.query_one(widget_id, Static).display = exam is not None
        if exam is not None:
            self.query_one("#exam-history", Static).update(self._exam(exam))

    def _exam(self, exam: date) -> Text:
        """Each recent study day's predicted exam-day recall with that day's mock-exam
        score, then per keyword the prediction beside the mock-exam answers."""
        points, mocks = self._exam_history(exam)
        text = Text()
        for i, point in enumerate(points):
            if i:
                text.append("\n")
            text.append(f"{point.day.month:>2}/{point.day.day:<2} ")
            text.append(bar(point.predicted_recall, 8), style="green")
            text.append(f" {percent(point.predicted_recall):>4}")
            if point.mock_score is not None:
                text.append(f"  模試 {percent(point.mock_score)}", style="bold")
        outlook = {k.keyword: k for k in self.context.store.exam_keywords(exam)}
        by_keyword = {m.keyword: m for m in mocks}
        for keyword in sort_by_keyword_order(list(outlook), keyword_order([self.context.deck]),
                                             key=lambda k: k):
            mock = by_keyword.get(keyword)
            text.append(f"\n{pad(self.context.keyword_name(keyword), 18)} 予測 "
                        f"{percent(outlook[keyword].predicted_recall):>4}")
            text.append(" · 模試 " + (f"{mock.correct}/{mock.answers}" if mock else "—"),
                        style="dim")
        return text

    def _exam_history(self, exam: date) -> tuple[list[HistoryPoint], list]:
        """The last 14 study days' points and the mock exams per keyword: the days before
        today are read once per study day (they no longer change), today's each time."""
        store = self.context.store
        today = store.today()
        key = (exam, today, store.config)
        if self._exam_past is not None and self._exam_past[0] == key:
            points, mocks = store.exam_history(exam, days=HISTORY_DAYS, since=today)
            return self._exam_past[1] + points, mocks
        points, mocks = store.exam_history(exam, days=HISTORY_DAYS)
        self._exam_past = (key, [p for p in points if p.day < today])
        return points, mocks

    def _activity(self, stats: Stats) -> Text:
        days = [d for d in stats.reviews_per_day if d.reviews or d.answers]
        reviews = sum(d.reviews for d in stats.reviews_per_day)
        answers = sum(d.answers for d in stats.reviews_per_day)
        text = Text()
        text.append(f"学習した日 {len(days)} 日", style="bold")
        text.append(f" · カード評価 {reviews} 回 · 解答 {answers} 回")
        if not stats.streak.studied_today and stats.streak.current:
            text.append("\n今日はまだ学習していません（連続記録が途切れます）", style="yellow")
        return text

    def _keywords(self, stats: Stats) -> Table:
        rows = sort_by_keyword_order(stats.keywords, keyword_order([self.context.deck]),
                                     key=lambda p: p.keyword)
        table = Table(box=None, pad_edge=False, header_style="bold", expand=True)
        table.add_column("キーワード", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("習熟度", no_wrap=True)
        table.add_column("正答率", no_wrap=True, justify="right")
        table.add_column("カード", no_wrap=True, justify="right")
        for p in rows:
            mastery = Text(bar(p.mastery, 8), style="green")
            mastery.append(f" {round(p.mastery * 100):3d}%")
            acc = Text(percent(p.accuracy))
            if p.attempts:
                acc.append(f" ({p.correct}/{p.attempts})", style="dim")
            table.add_row(Text(self.context.keyword_name(p.keyword)), mastery, acc,
                          Text(f"{p.cards_studied}/{p.cards}"))
        return table

    def _detail(self, stats: Stats) -> Text:
        retention = stats.retention
        accuracy = stats.accuracy
        cards = stats.cards
        today = stats.today
        text = Text()
        text.append("連続学習: ", style="bold")
        text.append(f"{stats.streak.current} 日（最長 {stats.streak.longest} 日）")
        text.append("\n定着率: ", style="bold")
        if retention.reviews:
            text.append(f"{percent(retention.rate)}（直近{retention.days}日の復習 "
                        f"{retention.reviews} 回中 {retention.passed} 回思い出せた）")
        else:
            text.append(f"直近{retention.days}日の復習はまだありません", style="dim")
        text.append(f" · 目標 {percent(self.context.store.config.desired_retention)}",
                    style="dim")
        text.append("\n正答率: ", style="bold")
        text.append(f"{percent(accuracy.rate)}（{accuracy.attempts} 回中 "
                    f"{accuracy.correct} 回正解）· 直近{accuracy.recent_days}日 "
                    f"{percent(accuracy.recent_rate)}")
        text.append("\n今日: ", style="bold")
        text.append(f"評価 {today.reviews} 回 · 解答 {today.answers} 回 · "
                    f"{today.study_minutes:g} 分 · 新規の残り {today.new_left} 枚")
        text.append("\nカード: ", style="bold")
        text.append(f"{cards.total} 枚（新規 {cards.new} · 学習中 "
                    f"{cards.learning + cards.relearning} · 復習 {cards.review}、"
                    f"うち成熟 {cards.mature}）")
        skills = stats.skills
        text.append("\n計算スキル: ", style="bold")
        text.append(f"{skills.total} 種 · 期限 {len(skills.due)} · 未練習 {skills.new}")
        return text

