"""Every screen reads at 80×24: what the learner needs is on the screen, whole.

The checks read the cells the terminal would show (the compositor's lines), not the
widgets' contents, so a value cut to ``0.…`` or a line scrolled out of view fails.
Snapshots of the same screens at 80×24 and 120×40 are at the end.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from textual.geometry import Region

from engine.problems import KINDS
from studyapp.screens.exam import ExamScreen
from studyapp.screens.exam_result import ExamResultScreen
from studyapp.screens.explore import ExploreScreen
from studyapp.screens.practice import PracticeScreen
from studyapp.study.exam import ExamRun, draw_exam
from studyapp.widgets.plots import FigurePlot
from studyapp.widgets.problem_data import cell_text

from .conftest import wait_for

SMALL = (80, 24)
BIG = (120, 40)


# ---------------------------------------------------------------------- what the terminal shows
def screen_lines(app) -> list[str]:
    """The screen as the terminal draws it, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def region_lines(app, region: Region) -> list[str]:
    """The rows of the screen inside ``region`` (clipped to the screen)."""
    strips = app.screen._compositor.render_strips()
    rows = range(max(region.y, 0), min(region.bottom, len(strips)))
    return [strips[y].crop(region.x, region.right).text for y in rows]


def whole(value: str, text: str) -> bool:
    """``value`` appears in ``text`` as a whole number (not a piece of a longer one)."""
    return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d.])", text) is not None


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------- practice
async def open_practice(pilot) -> PracticeScreen:
    await pilot.press("p")
    screen = pilot.app.screen
    assert isinstance(screen, PracticeScreen)
    await wait_for(pilot, lambda: bool(screen.titles))
    return screen


async def pick_kind(pilot, kind: str) -> None:
    await pilot.press("k", "home")
    for _ in range(KINDS.index(kind) + 1):  # option 0 is the due-skills entry
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


def wrong_answer(problem) -> str:
    """An answer of the right shape that is (almost surely) wrong: 97 for each number."""
    value = problem.answer
    return ", ".join("97" for _ in value) if isinstance(value, list) else "97"


async def test_early_stopping_data_wraps_instead_of_truncating(make_app) -> None:
    app = make_app(seed=3)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_practice(pilot)
        await pick_kind(pilot, "early-stopping")
        problem = screen.problem
        assert problem is not None and problem.kind == "early-stopping"
        data = screen.query_one("#problem-data")
        text = "\n".join(region_lines(app, data.region))
        assert "…" not in text
        for value in problem.data["val_losses"]:
            assert whole(cell_text(value), text), (value, text)
        assert f"patience = {problem.data['patience']}" in text


async def test_a_matrix_and_the_scale_flag_read_whole(make_app) -> None:
    app = make_app(seed=1)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_practice(pilot)
        await pick_kind(pilot, "dropconnect")
        problem = screen.problem
        assert problem is not None and problem.kind == "dropconnect"
        text = "\n".join(region_lines(app, screen.query_one("#problem-data").region))
        assert "…" not in text
        for row in problem.data["W"]:
            for value in row:
                assert whole(cell_text(value), text)
        # the flag says what the output is divided by: (1 − p), i.e. multiplied by 1/(1 − p)
        assert "(1−p) で割る" in text
        assert "1/(1−p) で割る" not in text


@pytest.mark.parametrize("kind", ["early-stopping", "lasso", "dropconnect", "weight-decay"])
async def test_problem_and_answer_stay_in_view_above_the_verdict(make_app, kind) -> None:
    app = make_app(seed=2)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_practice(pilot)
        await pick_kind(pilot, kind)
        problem = screen.problem
        assert problem is not None
        typed = wrong_answer(problem)
        await pilot.press(*typed, "enter")
        await pilot.pause()
        await pilot.pause()
        await pilot.pause()
        assert screen.answered
        body = screen.query_one("#practice-body")
        view = body.content_region
        prompt = screen.query_one("#problem-prompt")
        answer = screen.query_one("#answer")
        verdict = screen.query_one("#practice-feedback")
        assert view.contains_region(prompt.region), (view, prompt.region)
        assert view.contains_region(answer.region), (view, answer.region)
        assert verdict.region.y < view.bottom - 2  # the verdict starts on screen
        shown = "\n".join(screen_lines(app))
        assert typed in shown  # what the learner typed
        assert "正答" in shown
        assert squeezed(problem.prompt)[:20] in squeezed(shown)


async def test_the_kinds_fold_away_at_80_columns_and_k_brings_them_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_practice(pilot)
        kinds = screen.query_one("#kinds")
        assert kinds.display and kinds.region.width > 0  # picking a kind: the list shows
        await pick_kind(pilot, "l1-norm")
        body = screen.query_one("#practice-body")
        assert kinds.region.width == 0  # a problem on screen: the list folds away
        assert body.region.width >= 76
        await pilot.press("k")
        await pilot.pause()
        await pilot.pause()
        assert kinds.region.width > 0 and screen.focused is kinds


async def test_the_kinds_stay_beside_the_problem_at_120_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        screen = await open_practice(pilot)
        await pick_kind(pilot, "l1-norm")
        assert screen.query_one("#kinds").region.width > 0


async def test_the_due_marker_is_explained(make_app, clock) -> None:
    app = make_app()
    store = app.context.store
    store.record_practice("ridge#1", answer=0.0, correct=False)
    clock.now += timedelta(hours=1)
    async with app.run_test(size=SMALL) as pilot:
        await open_practice(pilot)
        lines = screen_lines(app)
        marked = [line for line in lines if "● リッジ回帰" in line]
        assert marked, lines
        legend = [line for line in lines if "●" in line and "期限" in line
                  and "リッジ" not in line]
        assert legend, lines


# ---------------------------------------------------------------------- the mock exam
async def start_section(pilot, length: int = 20):
    app = pilot.app
    context = app.context
    questions = draw_exam(context.deck, length, rng=context.rng)
    run = ExamRun.start(questions, time_limit_s=length * 72, now_ms=context.store.now_ms())
    app.push_screen(ExamScreen(context, run))
    await pilot.pause()
    await pilot.pause()
    return app.screen


async def test_exam_header_keeps_each_piece_whole(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await start_section(pilot)
        # every question's header, the generated ones with their long titles too
        for index, q in enumerate(screen.run.questions):
            if index:
                await pilot.press("right")
                await pilot.pause()
            status = screen.query_one("#exam-status")
            lines = region_lines(app, status.region)
            text = "\n".join(lines)
            for piece in (f"問 {q.number} / 20", "（目安 00:40）", "解答済み 0"):
                assert any(piece in line for line in lines), (piece, text)
            assert any(q.title in line for line in lines), (q.title, text)


async def test_exam_result_table_shows_the_answers(make_app, clock) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await start_section(pilot, 10)
        questions = screen.run.questions
        for k, q in enumerate(questions[:6]):
            pick = q.answer_position if k % 2 == 0 else (q.answer_position + 1) % len(q.options)
            await pilot.press(str(pick + 1))
            clock.now += timedelta(seconds=20)
            await pilot.press("right")
        screen.submit()
        await wait_for(pilot, lambda: isinstance(app.screen, ExamResultScreen))
        table = app.screen.query_one("#result-table")
        lines = table.render_lines(Region(0, 0, *table.region.size))
        text = "\n".join("".join(s.text for s in line) for line in lines)
        assert "…" not in text
        flat = squeezed(text)
        for row in app.screen.result.rows:
            q = row.question
            right = squeezed(q.options[q.answer_position])
            assert right in flat, (q.number, right)
            if row.pick is not None:
                assert squeezed(q.options[row.pick]) in flat, (q.number, row.pick)


# ---------------------------------------------------------------------- explore
def frame_rows(lines: list[str]) -> tuple[int, int]:
    """The first and last row of a plot's frame (┌ … └)."""
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return top, bottom


@pytest.mark.parametrize(("tab", "plot_id", "labels"), [
    ("2", "plot-lasso", ["w1", "w2", "w3", "w4", "w5"]),
    ("3", "plot-penalty", ["|w|", "w²"]),
    ("3", "plot-gradient", ["λ·sign(w)", "2λw"]),
])
async def test_plot_legends_sit_outside_the_curves(make_app, tab, plot_id, labels) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("x")
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        await wait_for(pilot, lambda: screen.figures is not None)
        await pilot.press(tab)
        await pilot.pause()
        await pilot.pause()
        plot = screen.query_one(f"#{plot_id}", FigurePlot)
        lines = region_lines(app, plot.region)
        top, bottom = frame_rows(lines)
        inside = "\n".join(lines[top: bottom + 1])
        below = "\n".join(lines[bottom + 1:])
        for label in labels:
            assert label not in inside, (label, inside)
            assert label in below, (label, below)


async def test_the_dropout_tab_shows_x_beside_the_mask(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("x")
        screen = app.screen
        await wait_for(pilot, lambda: screen.dropout is not None)
        await pilot.press("4")
        await pilot.pause()
        await pilot.pause()
        fig = screen.dropout
        x_grid = screen.query_one("#x-grid")
        mask = screen.query_one("#mask-grid")
        assert x_grid.region.width and mask.region.width
        assert x_grid.region.y == mask.region.y  # side by side
        assert x_grid.region.right <= mask.region.x
        lines = region_lines(app, x_grid.region)
        assert "入力 x" in lines[0]
        for i in range(fig.x.shape[0]):
            numbers = lines[1 + i].split()
            assert numbers == [cell_text(float(v)) for v in fig.x[i]], (i, lines)


# ---------------------------------------------------------------------- snapshots
# pytest-textual-snapshot, as in test_snapshots.py: update after an intended change with
# ``pytest tests/app/test_layout80.py --snapshot-update`` and look at the SVGs under
# tests/app/__snapshots__/test_layout80/.
async def _practice_answered(pilot) -> None:
    screen = await open_practice(pilot)
    await pick_kind(pilot, "early-stopping")
    await pilot.press(*wrong_answer(screen.problem), "enter")
    await pilot.pause()
    await pilot.pause()
    await pilot.pause()


async def _exam_open(pilot) -> None:
    await pilot.press("e", "enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExamScreen))
    await pilot.press("2", "enter", "f", "3")


def _exam_submitted(clock):
    async def run_before(pilot) -> None:
        await pilot.press("e", "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExamScreen))
        questions = pilot.app.screen.run.questions
        for k, seconds in enumerate((25, 55, 12, 70)):
            right = questions[k].answer_position
            pick = right if k % 2 == 0 else (right + 1) % 4
            await pilot.press(str(pick + 1))
            clock.now += timedelta(seconds=seconds)
            await pilot.press("enter")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExamResultScreen))
        await pilot.press("pagedown")  # the table of answers
        await pilot.pause()

    return run_before


async def _explore_tab(pilot, tab: str) -> None:
    await pilot.press("x")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "figures", None) is not None)
    await pilot.press(tab)
    await pilot.pause()


@pytest.mark.parametrize("size", [SMALL, BIG], ids=["80x24", "120x40"])
def test_snapshot_practice_verdict(make_app, snap_compare, size) -> None:
    assert snap_compare(make_app(seed=3), run_before=_practice_answered, terminal_size=size)


def test_snapshot_exam_setup_80x24(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["e"], terminal_size=SMALL)


def test_snapshot_exam_question_80x24(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_exam_open, terminal_size=SMALL)


@pytest.mark.parametrize("size", [SMALL, BIG], ids=["80x24", "120x40"])
def test_snapshot_exam_result_answers(make_app, clock, snap_compare, size) -> None:
    assert snap_compare(make_app(), run_before=_exam_submitted(clock), terminal_size=size)


@pytest.mark.parametrize("size", [SMALL, BIG], ids=["80x24", "120x40"])
def test_snapshot_explore_paths_legend(make_app, snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await _explore_tab(pilot, "2")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=size)


def test_snapshot_explore_dropout_80x24(make_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _explore_tab(pilot, "4")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SMALL)
