"""The areas of the study tool, one place for each: home's keys and key bar, the command
palette's entries and the screen the app opens all come from :data:`AREAS`.

A new area is one :class:`Area` here and its screen module. The screens are imported when
an area is first opened, so start-up pays for none of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from textual.screen import Screen

    from studyapp.context import StudyContext


class Area(NamedTuple):
    """One area of the app.

    Attributes
    ----------
    name : str
        The id in ``app.open_area(name)``.
    key : str
        Its key on home.
    title : str
        Its Japanese name (the command palette).
    help : str
        What it does (the command palette).
    label : str
        Its short name in home's key bar.
    tooltip : str
        The key bar's tooltip.
    screen : str
        ``module:Class`` of its first screen, built with the study context.
    """

    name: str
    key: str
    title: str
    help: str
    label: str
    tooltip: str
    screen: str

    def make_screen(self, context: StudyContext) -> Screen[None]:
        """The area's first screen (its module is imported now)."""
        module, _, name = self.screen.partition(":")
        screen_class = getattr(import_module(module), name)
        return screen_class(context)  # type: ignore[no-any-return]


#: Every area, in the order of home's keys.
AREAS: tuple[Area, ...] = (
    Area("flashcards", "f", "フラッシュカード", "FSRS で今日の復習カードを学習する",
         "カード", "フラッシュカードの復習", "studyapp.screens.flashcards:FlashcardScreen"),
    Area("quiz", "q", "クイズ", "キーワードや間違いノートから4択・計算・コード問題を解く",
         "クイズ", "4択・計算・コード問題", "studyapp.screens.quiz:QuizSetupScreen"),
    Area("practice", "p", "計算練習", "その場で生成される計算問題を解く",
         "練習", "生成される計算問題", "studyapp.screens.practice:PracticeScreen"),
    Area("exam", "e", "模試", "制限時間つきの本番形式4択セクション",
         "模試", "制限時間つきの本番形式", "studyapp.screens.exam:ExamSetupScreen"),
    Area("stats", "s", "統計", "復習履歴・保持率・キーワード別の正答率",
         "統計", "履歴と正答率", "studyapp.screens.stats:StatsScreen"),
    Area("explore", "x", "図で理解", "L1/L2の制約領域、係数パス、ドロップアウトマスクを図で見る",
         "図解", "L1/L2・係数パス・マスクの図", "studyapp.screens.explore:ExploreScreen"),
    Area("browser", "b", "カードブラウザ",
         "デッキのカードと問題を検索し、休止・フラグ・履歴・間違いノートを見る",
         "一覧", "カードと問題の一覧・検索・休止", "studyapp.screens.browser:BrowserScreen"),
    Area("exercises", "c", "コード演習",
         "NumPy で実装してエンジンの答えと照合する（サンドボックスで実行）",
         "演習", "NumPy のコード演習", "studyapp.screens.exercises:ExercisesScreen"),
)


def area(name: str) -> Area:
    """The area called ``name``.

    Raises
    ------
    ValueError
        No area has that name.
    """
    for candidate in AREAS:
        if candidate.name == name:
            return candidate
    raise ValueError(f"unknown area {name!r}")


__all__ = ["AREAS", "Area", "area"]
