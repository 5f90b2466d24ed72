"""Explore (図で理解): plots that teach why L1 gives zeros and what dropout does.

Five tabs: the L1 diamond and the L2 circle against a least-squares loss's contours; the
Lasso and Ridge coefficient paths against λ; |w| against w² and their gradients; a
dropout mask as a grid beside the input x it multiplies, and the output below (``n`` draws
a new one, ``p`` changes the drop probability); the
Elastic Net region between the diamond and the circle (``a`` changes the mix α).
The figures (``studyapp.study.figures``) are computed with the engine in a worker thread
and come back as a message; the plots come from ``textual-plotext`` and are imported only
when this screen is built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import Static, TabbedContent, TabPane

from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from textual_plotext.plot import Plot

    from studyapp.study.figures import (
        ConstraintFigure,
        DropoutFigure,
        ElasticNetFigure,
        PathFigure,
        PenaltyFigure,
    )

#: Below this width the dropout tab's input x and mask stack (the output is always below).
NARROW = 70
#: The Elastic Net region's colour (RGB), beside the plots' L1 red and L2 cyan.
ENET_COLOR = (90, 200, 90)
#: tab id -> Japanese title
TABS: dict[str, str] = {
    "constraint": "L1とL2の制約領域",
    "paths": "係数パス",
    "penalty": "|w| と w²",
    "dropout": "ドロップアウトのマスク",
    "enet": "Elastic Net",
}


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:.0f}"


def constraint_text(fig: ConstraintFigure) -> Text:
    text = Text()
    text.append("灰色の楕円", style="bold")
    text.append(f"は二乗誤差 Σ(yᵢ − wᵀxᵢ)² の等高線、× は最小二乗解 "
                f"({_fmt(fig.ols[0])}, {_fmt(fig.ols[1])})。同じ大きさ t = {_fmt(fig.t)} の")
    text.append("L1のひし形 |w₁|+|w₂| ≤ t", style="bold red")
    text.append(" と ")
    text.append("L2の円 w₁²+w₂² ≤ t²", style="bold cyan")
    text.append(" の中で誤差が最小になるのは、等高線が初めて領域に触れる点（●）です。\n")
    text.append(f"L1: w = ({_fmt(fig.l1[0])}, {_fmt(fig.l1[1])})  ", style="red")
    text.append("ひし形の角は軸の上にあるので、接点が角になりやすく w₂ がちょうど 0 になります"
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
                "小さな重みにはほとんど罰則がかかりません。\n")
    text.append("右: 勾配 ", style="bold")
    text.append("λ·sign(w)", style="bold red")
    text.append(" と ")
    text.append("2λw", style="bold cyan")
    text.append("。L1 の勾配は w がどれほど小さくても大きさ λ のままなので、重みを 0 まで"
                "押し切ります（0 で止まるのは劣勾配 [−λ, λ] の中に入るから）。"
                "L2 の勾配は w に比例して弱まるため、重みは縮むだけで 0 にはなりません。")
    return text


def input_grid(fig: DropoutFigure) -> Text:
    """The activations x the mask multiplies, beside it (single digits: the mask's pitch
    of two cells a unit)."""
    rows, cols = fig.x.shape
    pitch = max(len(_fmt(v)) for v in fig.x.flat) + 1
    text = Text()
    text.append("入力 x\n", style="bold")
    for i in range(rows):
        if i:
            text.append("\n")
        for j in range(cols):
            text.append(f"{_fmt(fig.x[i, j]):>{pitch}}")
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


def enet_text(fig: ElasticNetFigure) -> Text:
    """What the Elastic Net tab teaches, with this mix's numbers."""
    a = _fmt(fig.alpha)
    lasso = f"w = ({_fmt(fig.group_lasso[0])}, {_fmt(fig.group_lasso[1])})"
    mixed = f"w = ({_fmt(fig.group_enet[0])}, {_fmt(fig.group_enet[1])})"
    text = Text()
    text.append(f"α = {a}", style="bold green")
    text.append(f"  罰則 α‖w‖₁ + (1 − α)‖w‖₂² ≤ t（t = {_fmt(fig.t)}）の領域は、")
    text.append("L1 のひし形（α = 1）", style="bold red")
    text.append(" と ")
    text.append("L2 の円（α = 0）", style="bold cyan")
    text.append(" の間にあり、α を上げるほどひし形に近づきます。どの α でも軸とは "
                f"(±{_fmt(fig.axis_point)}, 0), (0, ±{_fmt(fig.axis_point)}) で交わります。\n")
    text.append("角: ", style="bold")
    if fig.alpha == 0:
        text.append("α = 0 は円そのもの（リッジ）で角がなく、係数は縮むだけで 0 にはなりません。")
    else:
        text.append(f"軸の上の角の内角は {fig.corner_angle:.0f}°（ひし形 90°、円 180°）。"
                    "α > 0 なら角は軸の上に残るので、等高線が角で接すると片方の係数が"
                    "ちょうど 0 になります（スパース）。")
    text.append(f"\n右の図: w = ({_fmt(fig.solution[0])}, {_fmt(fig.solution[1])})  ",
                style="green")
    if fig.sparse:
        text.append("接点が角 → w₂ = 0。")
    elif fig.alpha == 0:
        text.append("接点は円周の上 → どちらも 0 ではありません。")
    else:
        text.append("この α では角が鈍く、接点は辺の上 → どちらも 0 ではありません"
                    "（α を上げると角が鋭くなり 0 が出ます）。")
    text.append("\n辺: ", style="bold")
    if fig.alpha == 1:
        text.append("α = 1 では辺がまっすぐです（L2 の項がない）。ほぼ同じ2特徴のどちらに重みを"
                    "置いても ‖w‖₁ は同じなので、ラッソは片方だけを選びがちです。相関係数 "
                    f"{fig.group_corr:.3f} の2特徴（y = x₁ + x₂）で ")
        text.append(lasso, style="red")
        text.append("。α を下げると重みを分け合います（グループ効果）。\n")
    else:
        text.append("L2 の項で外にふくらんだ曲線です。ほぼ同じ2特徴なら、和 w₁ + w₂ が同じでも"
                    "等しく分けたほうが ‖w‖₂² が小さい（‖w‖₁ は分け方で変わらない）ので、"
                    "相関の強い特徴は一緒に選ばれます（グループ効果）。相関係数 "
                    f"{fig.group_corr:.3f} の2特徴（y = x₁ + x₂）で、")
        text.append(f"ラッソ {lasso}", style="red")
        text.append(" は片方だけを選び、")
        text.append(f"α = {a} では {mixed}", style="green")
        text.append(" と2つに分けます。\n")
    text.append(f"制約つきの解は罰則つきの解と同じです: λ₁ = {_fmt(fig.lam1)}、"
                f"λ₂ = {_fmt(fig.lam2)}（engine.elastic_net で検算）。", style="dim")
    text.append("\na で α を変える（0 → 0.25 → 0.5 → 0.75 → 1）", style="dim")
    return text


def _enet_title(alpha: float, t: float) -> str:
    """The region as plain text for the plot's title (plotext draws ASCII best)."""
    if alpha == 1:
        return f"|w1| + |w2| <= {_fmt(t)}"
    if alpha == 0:
        return f"w1^2 + w2^2 <= {_fmt(t)}"
    return f"{_fmt(alpha)}(|w1|+|w2|) + {_fmt(1 - alpha)}(w1^2+w2^2) <= {_fmt(t)}"


def _whole_ticks(plt: Plot, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
    for axis, (low, high) in ((plt.xticks, x_range), (plt.yticks, y_range)):
        whole = list(range(math.ceil(low), math.floor(high) + 1))
        axis(whole, [str(v) for v in whole])


def draw_enet_regions(plt: Plot, fig: ElasticNetFigure, width: int, height: int) -> None:
    """The three regions of the same t: the ひし形, the circle and the Elastic Net region."""
    from studyapp.study.figures import elastic_net_outline
    from studyapp.widgets.plots import L1_COLOR, L2_COLOR, _axes, _equal_aspect

    x_range, y_range = _equal_aspect((-1.3, 1.3), (-1.3, 1.3), width, height)
    _axes(plt, x_range, y_range)
    for alpha, color in ((1.0, L1_COLOR), (0.0, L2_COLOR)):  # named in the text below
        xs, ys = elastic_net_outline(alpha, fig.t)
        plt.plot(xs.tolist(), ys.tolist(), marker="braille", color=color)
    xs, ys = fig.outline()
    plt.plot(xs.tolist(), ys.tolist(), marker="braille", color=ENET_COLOR)
    plt.xlim(*x_range)
    plt.ylim(*y_range)
    _whole_ticks(plt, x_range, y_range)
    plt.xlabel("w1")
    plt.ylabel("w2")
    plt.title(_enet_title(fig.alpha, fig.t))


def draw_enet_solution(plt: Plot, fig: ElasticNetFigure, width: int, height: int) -> None:
    """The loss's contours first touching the Elastic Net region."""
    from studyapp.widgets.plots import LOSS_COLOR, OLS_COLOR, _axes, _equal_aspect

    x_range, y_range = _equal_aspect((-1.6, 2.6), (-1.5, 1.5), width, height)
    _axes(plt, x_range, y_range)
    touch = fig.rss(fig.solution)
    for level in (fig.rss_min + (touch - fig.rss_min) * f for f in (0.15, 0.5, 1.0, 1.8)):
        xs, ys = fig.contour(level)
        plt.plot(xs.tolist(), ys.tolist(), marker="braille", color=LOSS_COLOR)
    xs, ys = fig.outline()
    plt.plot(xs.tolist(), ys.tolist(), marker="braille", color=ENET_COLOR)
    plt.scatter([float(fig.ols[0])], [float(fig.ols[1])], marker="x", color=OLS_COLOR)
    plt.scatter([float(fig.solution[0])], [float(fig.solution[1])], marker="●",
                color=ENET_COLOR)
    plt.xlim(*x_range)
    plt.ylim(*y_range)
    _whole_ticks(plt, x_range, y_range)
    plt.xlabel("w1")
    plt.ylabel("w2")
    plt.title(f"loss contours, a = {_fmt(fig.alpha)}")


@dataclass
class Figures:
    constraint: ConstraintFigure
    paths: PathFigure
    penalty: PenaltyFigure
    enet: tuple[ElasticNetFigure, ...]


class ExploreScreen(StudyScreen):
    """Five tabs of plots; 1–5 switch tabs, n and p act on the dropout tab, a and A on the
    Elastic Net tab."""

    CSS_PATH = "../styles/explore.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("1", "tab('constraint')", "L1/L2", show=False),
        Binding("2", "tab('paths')", "係数パス", show=False),
        Binding("3", "tab('penalty')", "|w|とw²", show=False),
        Binding("4", "tab('dropout')", "マスク", show=False),
        Binding("5", "tab('enet')", "Elastic Net", show=False),
        Binding("n", "new_mask", "新しいマスク", tooltip="ドロップアウトのマスクを引き直す"),
        Binding("p", "next_p", "落とす確率", tooltip="p を 0.5 → 0.2 → 0.8 と切り替える"),
        Binding("a", "alpha(1)", "α を変える",
                tooltip="Elastic Net の混合 α を 0 → 0.25 → 0.5 → 0.75 → 1 と切り替える"),
        Binding("A", "alpha(-1)", "α を戻す", show=False),
    ]

    #: The tab in front: ``n`` and ``p`` work on the dropout tab only, ``a`` on Elastic Net.
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
        from studyapp.study.figures import ENET_FIRST

        self.alpha_index = ENET_FIRST

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
                with Vertical(id="dropout-grids"):
                    with Horizontal(id="dropout-input"):
                        yield Static(id="x-grid")
                        yield Static(Text("計算しています…"), id="mask-grid")
                    yield Static(id="output-grid")
                yield Static(id="text-dropout", classes="explain")
            with TabPane(TABS["enet"], id="enet"), VerticalScroll(classes="pane"):
                with Horizontal(classes="plots"):
                    yield FigurePlot(id="plot-enet-regions")
                    yield FigurePlot(id="plot-enet-solution")
                yield Static(Text("計算しています…"), id="text-enet", classes="explain")
        yield KeyBar()

    def on_mount(self) -> None:
        self.compute()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#dropout-input").set_class(event.size.width < NARROW, "-narrow")

    # ------------------------------------------------------------------ figures
    @work(thread=True, exclusive=True, group="figures")
    def compute(self) -> None:
        """Fit the paths and the constrained problems (numpy, the engine) off the loop."""
        from studyapp.study.figures import (
            constraint_figure,
            elastic_net_figures,
            path_figure,
            penalty_figure,
        )

        try:
            figures = Figures(constraint_figure(), path_figure(), penalty_figure(),
                              elastic_net_figures())
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
        self.draw_enet()

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        message = Text(f"図を計算できませんでした: {event.error}", style="bold red")
        for name in ("constraint", "paths", "penalty", "enet"):
            self.query_one(f"#text-{name}", Static).update(message)
        self.query_one("#mask-grid", Static).update(message)

    def draw_dropout(self) -> None:
        """Draw the mask of the current seed and p (one small engine.dropout call)."""
        from studyapp.study.figures import DROPOUT_PS, dropout_figure

        fig = self.dropout = dropout_figure(self.mask_seed, DROPOUT_PS[self.p_index])
        self.query_one("#x-grid", Static).update(input_grid(fig))
        self.query_one("#mask-grid", Static).update(mask_grid(fig))
        self.query_one("#output-grid", Static).update(output_grid(fig))
        self.query_one("#text-dropout", Static).update(Prose(dropout_text(fig)))

    @property
    def enet(self) -> ElasticNetFigure | None:
        """The Elastic Net figure of the current α (None until the figures are computed)."""
        return None if self.figures is None else self.figures.enet[self.alpha_index]

    def draw_enet(self) -> None:
        """Point both Elastic Net plots and the text at the current α's figure."""
        from studyapp.widgets.plots import FigurePlot

        fig = self.enet
        if fig is None:
            return
        self.query_one("#plot-enet-regions", FigurePlot).set_drawer(
            lambda plt, w, h: draw_enet_regions(plt, fig, w, h))
        self.query_one("#plot-enet-solution", FigurePlot).set_drawer(
            lambda plt, w, h: draw_enet_solution(plt, fig, w, h))
        self.query_one("#text-enet", Static).update(Prose(enet_text(fig)))

    # ------------------------------------------------------------------ keys
    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.tab = event.pane.id or ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_mask", "next_p"):
            return self.tab == "dropout"
        if action == "alpha":
            return self.tab == "enet"
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

    def action_alpha(self, step: int) -> None:
        if self.figures is None:
            return
        self.alpha_index = (self.alpha_index + step) % len(self.figures.enet)
        self.draw_enet()
