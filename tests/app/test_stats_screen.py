"""The stats screen shows what the store recorded: streak, accuracy, retention, the year's
heatmap, the forecast, and progress per keyword, at 120×40 and (scrolling) at 80×24."""

from __future__ import annotations

from datetime import date, timedelta

from studyapp.render.heatmap import SHADES, heatmap_text, level
from studyapp.render.numbers import percent
from studyapp.screens.stats import StatsScreen

from .conftest import shown, study_three_days


def tile(app, key: str) -> str:
    """The text inside a tile's border: ``"正答率 67%"``."""
    widget = app.screen.query_one(f"#stat-{key}")
    region = widget.content_region.translate(-widget.region.offset)
    lines = widget.render_lines(region)
    return " ".join("".join(s.text for s in line).strip() for line in lines).strip()


async def test_stats_show_the_recorded_numbers(make_app, clock) -> None:
    app = make_app()
    study_three_days(app, clock)
    stats = app.context.store.stats()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        text = shown(app)
        assert tile(app, "streak") == "連続学習 3 日"
        assert tile(app, "accuracy") == "正答率 67%"
        assert tile(app, "retention") == f"定着率 {percent(stats.retention.rate)}"
        assert tile(app, "due") == f"復習待ち {stats.due} 枚"
        assert tile(app, "mistakes") == "間違い 1 問"
        assert "学習した日 3 日 · カード評価 2 回 · 解答 3 回" in text
        assert "連続学習: 3 日（最長 3 日）" in text
        assert "正答率: 67%（3 回中 2 回正解）" in text
        # the heatmap: three shaded days, in the last week's columns
        grid = app.screen.query_one("#heatmap").render_lines(
            app.screen.query_one("#heatmap").region.reset_offset)
        rows = ["".join(s.text for s in line) for line in grid][1:8]
        assert sum(ch in SHADES for row in rows for ch in row) == 3
        # the forecast: today and the next seven days, each with its count
        forecast = stats.forecast
        assert len(forecast) == 8
        for k, entry in enumerate(forecast):
            day = entry.day
            label = "今日" if k == 0 else f"{day.month}/{day.day}"
            assert any(line.strip().startswith(label)
                       and line.rstrip().endswith(f"{entry.due:3d} 枚")
                       for line in text.splitlines()), label
        # keywords by name, with the answers of the questions answered
        deck = app.context.deck
        for kw in deck.keywords:
            assert kw.name[:6] in text
        q0 = deck.questions[0]
        progress = {p.keyword: p for p in stats.keywords}
        p = progress[q0.keywords[0]]
        assert f"({p.correct}/{p.attempts})" in text
        assert "\\" not in text


async def test_refresh_picks_up_new_answers(make_app, clock) -> None:
    app = make_app()
    study_three_days(app, clock)
    deck = app.context.deck
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        app.context.store.record_answer(deck.id, deck.questions[5].id, answer=1, correct=True)
        await pilot.press("r")
        await pilot.pause()
        assert tile(app, "accuracy") == "正答率 75%"


async def test_a_new_learner_sees_dashes_not_errors(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        text = shown(app)
        assert tile(app, "accuracy") == "正答率 —" and tile(app, "retention") == "定着率 —"
        assert "直近30日の復習はまだありません" in text
        assert "学習した日 0 日" in text


async def test_stats_fit_80_columns_by_stacking_and_scrolling(make_app, clock) -> None:
    app = make_app()
    study_three_days(app, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#stats-columns").has_class("-narrow")
        body = screen.query_one("#stats-body")
        assert body.max_scroll_y > 0 and body.max_scroll_x == 0
        for widget in screen.query(".stat-tile"):
            assert widget.region.right <= 80
        heatmap = screen.query_one("#heatmap")
        assert heatmap.region.right <= 80
        assert tile(app, "streak") == "連続学習 3 日"
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y


def test_heatmap_shades_and_month_labels() -> None:
    assert [level(n, 8) for n in (0, 1, 2, 3, 4, 5, 8, 9)] == [0, 1, 1, 2, 2, 3, 4, 4]
    today = date(2026, 11, 27)  # a Friday
    text = heatmap_text({today: 4, today - timedelta(days=1): 1}, today, weeks=10).plain
    lines = text.splitlines()
    assert lines[0].split() == ["10", "11"]  # the weeks holding 1 October and 1 November
    assert lines[5] == "金 " + "·" * 9 + "█"  # today, the busiest day
    assert lines[4] == "木 " + "·" * 9 + "░"
    assert lines[6] == "土 " + "·" * 9 + " "  # days after today stay blank
    assert "最多の日 4 回" in lines[8]


def test_percentages_read_the_same_on_the_screen_and_the_command_line() -> None:
    assert percent(None) == "—"
    assert [percent(r) for r in (0.0, 2 / 3, 0.5, 1.0)] == ["0%", "67%", "50%", "100%"]
