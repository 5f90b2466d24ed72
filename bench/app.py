"""App benchmark: start-up CPU time against a bare Textual app, and key-to-feedback latency.

Run: ``python -m bench.app`` (``--runs N``). Each start-up is a fresh process that imports
everything, builds the app through the real factory (bundled deck), runs it headless until
the home screen is mounted and idle, and reports its own CPU time (user + system). The
baseline process does the same with a bare Textual app that shows one Static widget. The
rows between show where the cost lies: a title line and six keys, drawn by Textual's
Header and Footer and by the app's own TitleBar and KeyBar; then the same with the store
opened for one number. The data folder is made by one start-up before the timed runs, as
on a learner's second day: later start-ups find the deck files unchanged and read the
decks' index from the store (``studyapp.content.index``).
Targets (issue "The Textual app"): start-up at most 1.3× the baseline; a key press to the
feedback on screen under 50 ms (median, Pilot).

The card browser's search (issue "study flow"): the time from a key typed in its search box
to the repaint that shows the filtered table, on the bundled deck and on a synthetic deck
of 10,000 cards (``bench.content.write_synthetic_deck``), target a median under 50 ms.
``--only browser`` runs that part alone.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._timing import print_table

ROOT = Path(__file__).resolve().parents[1]

# Each case is a script run in a fresh process: its setup imports what it uses and defines
# ``APP``; the shared tail runs it headless until it is idle, then prints the process's CPU
# seconds.
_CASE = """
import resource, sys
from textual.app import App
{setup}
async def done(pilot):
    await pilot.pause()
    {check}
    pilot.app.exit()

APP.run(headless=True, auto_pilot=done)
r = resource.getrusage(resource.RUSAGE_SELF)
print(r.ru_utime + r.ru_stime)
"""

# A title line, one Static and six keys with six actions (keys of one action share one
# place in a footer), like home's.
_CHROME_APP = """
from textual.binding import Binding
{widgets}

class Chrome(App):
    TITLE = "E資格 学習ツール"
    BINDINGS = [Binding(k, f"notify('{{k}}')", f"鍵{{k}}") for k in "fqpesx"]
    def compose(self):
        yield {title}()
        yield Static({text})
        yield {keys}()
"""
_TEXTUAL = {"widgets": "from textual.widgets import Footer, Header, Static",
            "title": "Header", "keys": "Footer"}
_OURS = {"widgets": "from textual.widgets import Static\n"
                    "from studyapp.widgets.key_bar import KeyBar\n"
                    "from studyapp.widgets.title_bar import TitleBar",
         "title": "TitleBar", "keys": "KeyBar"}


def _case(setup: str, check: str = "pass") -> str:
    return _CASE.format(setup=setup, check=check)


BARE = _case("""
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

APP = Bare()
""")

TEXTUAL_CHROME = _case(_CHROME_APP.format(text='"hello"', **_TEXTUAL) + "\nAPP = Chrome()\n")
CHROME = _case(_CHROME_APP.format(text='"hello"', **_OURS) + "\nAPP = Chrome()\n")

FLOOR = _case("from studyapp.store import open_store\n"
              "store = open_store(sys.argv[1])\n"
              + _CHROME_APP.format(text='str(store.home("regularization").due_now)', **_OURS)
              + "\nAPP = Chrome()\n")

STUDY = _case(
    "from studyapp.app import create_app\nAPP = create_app(None, sys.argv[1])\n",
    check='assert type(pilot.app.screen).__name__ == "HomeScreen", pilot.app.screen',
)


def cpu_seconds(code: str, *args: str) -> float:
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def compile_sources() -> None:
    """Write the bytecode of our packages, as ``pip install`` does for an installed app.

    Without it a checkout run under ``PYTHONDONTWRITEBYTECODE`` compiles every module of
    ours from source in every start-up, while Textual's installed modules load compiled.
    """
    import compileall

    for package in ("studyapp", "engine"):
        compileall.compile_dir(ROOT / package, quiet=1)


#: row label -> (script, needs the data folder)
CASES: dict[str, tuple[str, bool]] = {
    "bare Textual app (one Static)": (BARE, False),
    "+ Textual's Header and Footer (6 keys)": (TEXTUAL_CHROME, False),
    "+ the app's TitleBar and KeyBar (6 keys)": (CHROME, False),
    "  same, opening the store for one number": (FLOOR, True),
    "studyapp to home (decks unchanged)": (STUDY, True),
}
FIRST_START = "studyapp to home, first start (validates, syncs)"


def startup(runs: int) -> tuple[dict[str, list[float]], list[str]]:
    """CPU seconds of each case, runs interleaved so all see the same machine load; and
    the heavy modules a start-up imported."""
    compile_sources()
    times: dict[str, list[float]] = {name: [] for name in [*CASES, FIRST_START]}
    with tempfile.TemporaryDirectory() as data:
        # The first start-up creates the database and validates and syncs the decks;
        # later ones find the deck files unchanged, as a learner's daily start does.
        cpu_seconds(STUDY, data)
        for _ in range(runs):
            for name, (code, needs_data) in CASES.items():
                times[name].append(cpu_seconds(code, data) if needs_data else cpu_seconds(code))
            with tempfile.TemporaryDirectory() as fresh:
                times[FIRST_START].append(cpu_seconds(STUDY, fresh))
        probe = subprocess.run(
            [sys.executable, "-c", "import sys; from studyapp.app import create_app; "
             f"create_app(None, {data!r}); "
             "print(' '.join(m for m in ('numpy', 'fsrs', 'plotext', 'engine', 'yaml') "
             "if m in sys.modules))"],
            cwd=ROOT, check=True, capture_output=True, text=True)
    return times, probe.stdout.split()


async def key_latency(presses: int) -> list[float]:
    """Wall time from pressing enter on an answer to the repaint that shows the feedback.

    The quiz screen's ``show_feedback`` is wrapped to ask for a callback after the next
    refresh; that callback stamps the time the feedback is on screen. (Pilot's own
    ``press`` also waits for the whole process to go idle, which is not latency.)
    """
    from studyapp.app import create_app
    from studyapp.screens.quiz import QuizScreen

    shown: list[float] = []
    original = QuizScreen.show_feedback

    def stamped(self: QuizScreen, grade: object) -> None:
        original(self, grade)  # type: ignore[arg-type]
        self.call_after_refresh(lambda: shown.append(time.perf_counter()))

    QuizScreen.show_feedback = stamped  # type: ignore[method-assign]
    samples: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as data:
            app = create_app(None, data, seed=0)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("q", "enter")
                screen = app.screen
                assert isinstance(screen, QuizScreen)
                while len(samples) < presses:
                    item = screen.run.current
                    if item is None:
                        await pilot.press("escape", "q", "enter")
                        screen = app.screen
                        continue
                    if item.question.type == "numeric":
                        await pilot.press(*item.question.answer_text().strip("[]"))
                    else:
                        await pilot.press("1")
                    shown.clear()
                    start = time.perf_counter()
                    await pilot.press("enter")
                    await pilot.pause()
                    if shown:
                        samples.append(shown[0] - start)
                    await pilot.press("enter")
    finally:
        QuizScreen.show_feedback = original  # type: ignore[method-assign]
    return samples


#: What is typed in the browser's search box, one key at a time, each word then erased
#: again: Japanese, half-width kana, English, an id, words of the synthetic deck.
SEARCHES = ("ノルム", "ﾄﾞﾛｯﾌﾟｱｳﾄ", "dropout", "l2 λ", "正則化", "問 12")


def _search_keys() -> list[str]:
    keys: list[str] = []
    for word in SEARCHES:
        keys += ["space" if ch == " " else ch for ch in word]
        keys += ["backspace"] * len(word)
    return keys


async def browser_search_latency(
    content: Path | None, presses: int
) -> tuple[list[float], list[float], int]:
    """Wall time from a key typed in the card browser's search box to the repaint that
    shows the table filtered by it, the process's CPU time over the same span, and the
    number of rows the browser holds.

    ``BrowserScreen.redraw`` (what a change of the search runs: filter, then the table's
    first page) is wrapped to ask for a callback after the next refresh, which stamps the
    time the table is on screen, as :func:`key_latency` does for the quiz. The CPU time
    is what the wall time would be on an idle machine (the app runs in one thread).
    """
    import itertools

    from studyapp.app import create_app
    from studyapp.screens.browser import BrowserScreen

    shown: list[tuple[float, float]] = []
    original = BrowserScreen.redraw

    def stamped(self: BrowserScreen) -> None:
        original(self)
        self.call_after_refresh(
            lambda: shown.append((time.perf_counter(), time.process_time())))

    BrowserScreen.redraw = stamped  # type: ignore[method-assign]
    samples: list[float] = []
    cpu: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as data:
            app = create_app(content, data, seed=0)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("b")
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, BrowserScreen), screen
                rows = len(screen.rows)
                await pilot.press("slash")
                keys = itertools.cycle(_search_keys())
                while len(samples) < presses:
                    shown.clear()
                    start, start_cpu = time.perf_counter(), time.process_time()
                    await pilot.press(next(keys))
                    await pilot.pause()
                    if shown:
                        samples.append(shown[0][0] - start)
                        cpu.append(shown[0][1] - start_cpu)
    finally:
        BrowserScreen.redraw = original  # type: ignore[method-assign]
    return samples, cpu, rows


def browser_rows(presses: int) -> list[list[str]]:
    """The browser-search table: the bundled deck, then 10,000 synthetic cards."""
    from bench.content import write_synthetic_deck

    rows = []
    with tempfile.TemporaryDirectory() as root:
        write_synthetic_deck(Path(root), 10_000, 0)
        for name, content in (("bundled deck", None), ("10,000-card deck", Path(root))):
            samples, cpu, size = asyncio.run(browser_search_latency(content, presses))
            rows.append([f"{name} ({size:,} rows)", f"{statistics.median(samples) * 1e3:.1f} ms",
                         f"{statistics.quantiles(samples, n=10)[-1] * 1e3:.1f} ms",
                         f"{max(samples) * 1e3:.1f} ms", f"{statistics.median(cpu) * 1e3:.1f} ms",
                         str(len(samples))])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--browser-presses", type=int, default=60)
    parser.add_argument("--only", choices=("browser",), default=None,
                        help="run one part alone: the card browser's search")
    args = parser.parse_args(argv)
    if args.only == "browser":
        _print_browser(args.browser_presses)
        return
    times, heavy = startup(args.runs)
    latency = asyncio.run(key_latency(args.presses))
    b = statistics.median(times[next(iter(CASES))])
    print(f"start-up: median of {args.runs} interleaved runs (CPU seconds, user+system)")
    rows = []
    for name, runs in times.items():
        m = statistics.median(runs)
        rows.append([name, f"{m * 1e3:.0f} ms", f"{min(runs) * 1e3:.0f} ms",
                     f"{max(runs) * 1e3:.0f} ms", f"{m / b:.2f}"])
    print_table(["case", "median CPU", "min", "max", "ratio to bare"], rows)
    print(f"heavy modules imported by a start-up with unchanged decks: "
          f"{', '.join(heavy) or 'none'}")
    print()
    print(f"key press → feedback on screen (quiz answer, Pilot), {len(latency)} presses")
    print_table(["median", "p90", "max"], [[
        f"{statistics.median(latency) * 1e3:.1f} ms",
        f"{statistics.quantiles(latency, n=10)[-1] * 1e3:.1f} ms",
        f"{max(latency) * 1e3:.1f} ms"]])
    print()
    _print_browser(args.browser_presses)


def _print_browser(presses: int) -> None:
    print("key press → filtered table on screen (card browser search, Pilot, 120×40)")
    print_table(["deck", "median", "p90", "max", "median CPU", "presses"],
                browser_rows(presses))


if __name__ == "__main__":
    main()
