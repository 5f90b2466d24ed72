"""Explore (図で理解): plots that teach why L1 gives zeros and what dropout does.

Four tabs: the L1 diamond and the L2 circle against a least-squares loss's contours; the
Lasso and Ridge coefficient paths against λ; |w| against w² and their gradients; a
dropout mask as a grid (``n`` draws a new one, ``p`` changes the drop probability).
The figures (``studyapp.study.figures``) are computed with the engine in a worker thread
and come back as a message; the plots come from ``textual-plotext`` and are imported only
when this screen is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import Static, TabbedContent, TabPane

from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from studyapp.study.figures import (
        ConstraintFigure,
        DropoutFigure,
        PathFigure,
        PenaltyFigure,
    )

#: Below this width the mask and the output stack.
NARROW = 110
#: tab id -> Japanese title
TABS: dict[str, str] = {
    "constraint": "L1とL2の制約領域",
    "paths": "係数パス",
    "penalty": "|w| と w²",
    "dropout": "ドロップアウトのマスク",
}


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:.0f}"


def constraint_text(fig: ConstraintFigure) -> Text:
    text = Text()
    text.append("灰色の楕円", style="bold")
    text.append(f"は二乗誤差 Σ(yᵢ − wᵀxᵢ)² の等高線、× は最小二乗解 "
                f"({_fmt(fig.ols[0])}, {_fmt(fig.ols[1])})。同じ大きさ t = {_fmt(fig.t)} の")
    text.append("L1の菱形 |w₁|+|w₂| ≤ t", style="bold red")
    text.append(" と ")
    text.append("L2の円 w₁²+w₂² ≤ t²", style="bold cyan")
    text.append(" の中で誤差が最小になるのは、等高線が初めて領域に触れる点（●）です。\n")
    text.append(f"L1: w = ({_fmt(fig.l1[0])}, {_fmt(fig.l1[1])})  ", style="red")
    text.append("菱形の角は軸の上にあるので、接点が角になりやすく w₂ がちょうど 0 になります"
                "（スパース）。")
    text.append(f"\nL2: w = ({_fmt(fig.l2[0])}, {_fmt(fig.l2[1])})  ", style="cyan")
    text.append("円には角がないので、両方の係数が小さく縮むだけで 0 にはなりません。")
    text.append(f"\n制約つきの解は正則化項つきの解と同じです: ラッソ λ = {_fmt(fig.lam_l1)}、"
                f"リッジ λ = {_fmt(fig.lam_l2)}（engine.lasso / engine.ridge で検算）。",
                style="dim")
    return text


def paths_text(fig: PathFigure) -> Text:
    text = Text()
    text.append("横軸は log₁₀λ（右ほど正則化が強い）、縦軸は各係数 w₁…w₅。"
                "データは30サンプル・5特徴で、真の係数は (3, −2, 0, 0, 1.5)。\n")
    text.append("ラッソ: ", style="bold")
    zeros = sorted((lam, j) for j, lam in enumerate(fig.zero_at()) if lam is not None)
    order = " → ".join(f"w{j + 1}（λ≈{_fmt(lam)}）" for lam, j in zeros)
    text.append("λ を大きくすると係数が1つずつ ちょうど 0 になります。0 になる順: "
                f"{order}。役に立たない特徴から先に消えるので、特徴選択として働きます。\n")
    text.append("リッジ: ", style="bold")
    text.append("すべての係数がなめらかに 0 へ近づきますが、どの λ でも 0 にはなりません。")
    return text


def penalty_text(fig: PenaltyFigure) -> Text:
    text = Text()
    text.append("左: 正則化項 ", style="bold")
    text.append("|w|", style="bold red")
    text.append(" と ")
    text.append("w²", style="bold cyan")
    text.append("。0 の近くでは w² のほうがずっと小さく、"
                "小さな重みにはほとんど罰がかかりません。\n")
    text.append("右: 勾配 ", style="bold")
    text.append("λ·sign(w)", style="bold red")
    text.append(" と ")
    text.append("2λw", style="bold cyan")
    text.append("。L1 の勾配は w がどれほど小さくても大きさ λ のままなので、重みを 0 まで"
                "押し切ります（0 で止まるのは劣勾配 [−λ, λ] の中に入るから）。"
                "L2 の勾配は w に比例して弱まるため、重みは縮むだけで 0 にはなりません。")
    return text


def mask_grid(fig: DropoutFigure) -> Text:
    """The mask: kept units ██, dropped ones ··."""
    rows, cols = fig.mask.shape
    text = Text()
    text.append("マスク m（", style="bold")
    text.append("██", style="green")
    text.append(" 残す ", style="bold")
    text.append("··", style="dim")
    text.append(" 落とす）\n", style="bold")
    for i in range(rows):
        if i:
            text.append("\n")
        for j in range(cols):
            if fig.mask[i, j]:
                text.append("██", style="green")
            else:
                text.append("··", style="dim")
    return text


def output_grid(fig: DropoutFigure) -> Text:
    """What the next layer receives while training: x·m/(1−p)."""
    rows, cols = fig.mask.shape
    text = Text()
    text.append("学習時の出力 x·m/(1−p)\n", style="bold")
    for i in range(rows):
        if i:
            text.append("\n")
        for j in range(cols):
            if fig.mask[i, j]:
                text.append(f"{_fmt(fig.out[i, j]):>6}")
            else:
                text.append(f"{'0':>6}", style="dim")
    return text


def dropout_text(fig: DropoutFigure) -> Text:
    total = fig.mask.size
    scale = 1 / (1 - fig.p)
    text = Text()
    text.append(f"マスク #{fig.seed}  p = {_fmt(fig.p)}（落とす確率）", style="bold")
    text.append(f"  ·  残ったユニット {fig.kept} / {total}（期待値 {_fmt((1 - fig.p) * total)}）\n")
    text.append(f"入力 x は 1〜9 の活性。残ったユニットは 1/(1−p) = {_fmt(scale)} 倍されるので、"
                "出力の期待値は x のまま（inverted dropout）。推論時はマスクもスケーリングも"
                f"しません。この1回の出力の平均は {_fmt(float(fig.out.mean()))}、"
                f"x の平均は {_fmt(float(fig.x.mean()))}。\n")
    text.append("n で新しいマスクを引く · p で落とす確率を変える", style="dim")
    return text


@dataclass
class Figures:
    constraint: ConstraintFigure
    paths: PathFigure
    penalty: PenaltyFigure


class ExploreScreen(StudyScreen):
    """Four tabs of plots; 1–4 switch tabs, n and p act on the dropout tab."""

    CSS_PATH = "../styles/explore.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("1", "tab('constraint')", "L1/L2", show=False),
        Binding("2", "tab('paths')", "係数パス", show=False),
        Binding("3", "tab('penalty')", "|w|とw²", show=False),
        Binding("4", "tab('dropout')", "マスク", show=False),
        Binding("n", "new_mask", "新しいマスク", tooltip="ドロップアウトのマスクを引き直す"),
        Binding("p", "next_p", "落とす確率", tooltip="p を 0.5 → 0.2 → 0.8 と切り替える"),
    ]

    #: The tab in front: ``n`` and ``p`` work on the dropout tab only.
    tab: var[str] = var("constraint", bindings=True)

    @dataclass
    class Computed(Message):
        """The figures were computed off the event loop."""

        figures: Figures

    @dataclass
    class Failed(Message):
        """The figures could not be computed (the engine's message)."""

        error: str

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        self.figures: Figures | None = None
        self.mask_seed = 0
        self.p_index = 0
        self.dropout: DropoutFigure | None = None

    def compose(self) -> ComposeResult:
        from studyapp.widgets.plots import FigurePlot

        yield TitleBar()
        with TabbedContent(id="explore-tabs"):
            with TabPane(TABS["constraint"], id="constraint"), VerticalScroll(classes="pane"):
                with Horizontal(classes="plots"):
                    yield FigurePlot(id="plot-l1")
                    yield FigurePlot(id="plot-l2")
                yield Static(Text("計算しています…"), id="text-constraint",
                             classes="explain")
            with TabPane(TABS["paths"], id="paths"), VerticalScroll(classes="pane"):
                with Horizontal(classes="plots"):
                    yield FigurePlot(id="plot-lasso")
                    yield FigurePlot(id="plot-ridge")
                yield Static(Text("計算しています…"), id="text-paths", classes="explain")
            with TabPane(TABS["penalty"], id="penalty"), VerticalScroll(classes="pane"):
                with Horizontal(classes="plots"):
                    yield FigurePlot(id="plot-penalty")
                    yield FigurePlot(id="plot-gradient")
                yield Static(Text("計算しています…"), id="text-penalty", classes="explain")
            with TabPane(TABS["dropout"], id="dropout"), VerticalScroll(classes="pane"):
                with Horizontal(id="dropout-grids"):
                    yield Static(Text("計算しています…"), id="mask-grid")
                    yield Static(id="output-grid")
                yield Static(id="text-dropout", classes="explain")
        yield KeyBar()

    def on_mount(self) -> None:
        self.compute()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#dropout-grids").set_class(event.size.width < NARROW, "-narrow")

    # ------------------------------------------------------------------ figures
    @work(thread=True, exclusive=True, group="figures")
    def compute(self) -> None:
        """Fit the paths and the constrained problems (numpy, the engine) off the loop."""
        from studyapp.study.figures import constraint_figure, path_figure, penalty_figure

        try:
            figures = Figures(constraint_figure(), path_figure(), penalty_figure())
        except Exception as exc:  # an engine fault must not end the app
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Computed(figures))

    @on(Computed)
    def _computed(self, event: Computed) -> None:
        from studyapp.widgets.plots import (
            FigurePlot,
            draw_constraint,
            draw_path,
            draw_penalties,
        )

        figs = self.figures = event.figures
        drawers: dict[str, Any] = {
            "plot-l1": lambda plt, w, h: draw_constraint(plt, figs.constraint, "l1", w, h),
            "plot-l2": lambda plt, w, h: draw_constraint(plt, figs.constraint, "l2", w, h),
            "plot-lasso": lambda plt, w, h: draw_path(plt, figs.paths, "lasso", w, h),
            "plot-ridge": lambda plt, w, h: draw_path(plt, figs.paths, "ridge", w, h),
            "plot-penalty": lambda plt, w, h: draw_penalties(plt, figs.penalty, False, w, h),
            "plot-gradient": lambda plt, w, h: draw_penalties(plt, figs.penalty, True, w, h),
        }
        for plot_id, drawer in drawers.items():
            self.query_one(f"#{plot_id}", FigurePlot).set_drawer(drawer)
        self.query_one("#text-constraint", Static).update(Prose(constraint_text(figs.constraint)))
        self.query_one("#text-paths", Static).update(Prose(paths_text(figs.paths)))
        self.query_one("#text-penalty", Static).update(Prose(penalty_text(figs.penalty)))
        self.draw_dropout()  # numpy is loaded by now: a mask is one small call

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        message = Text(f"図を計算できませんでした: {event.error}", style="bold red")
        for name in ("constraint", "paths", "penalty"):
            self.query_one(f"#text-{name}", Static).update(message)
        self.query_one("#mask-grid", Static).update(message)

    def draw_dropout(self) -> None:
        """Draw the mask of the current seed and p (one small engine.dropout call)."""
        from studyapp.study.figures import DROPOUT_PS, dropout_figure

        fig = self.dropout = dropout_figure(self.mask_seed, DROPOUT_PS[self.p_index])
        self.query_one("#mask-grid", Static).update(mask_grid(fig))
        self.query_one("#output-grid", Static).update(output_grid(fig))
        self.query_one("#text-dropout", Static).update(Prose(dropout_text(fig)))

    # ------------------------------------------------------------------ keys
    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.tab = event.pane.id or ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_mask", "next_p"):
            return self.tab == "dropout"
        return True

    def action_new_mask(self) -> None:
        if self.dropout is None:
            return
        self.mask_seed += 1
        self.draw_dropout()

    def action_next_p(self) -> None:
        from studyapp.study.figures import DROPOUT_PS

        if self.dropout is None:
            return
        self.p_index = (self.p_index + 1) % len(DROPOUT_PS)
        self.draw_dropout()
