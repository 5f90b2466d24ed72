"""Home's exam panel: 「試験まで N 日」, today's plan, the predicted exam-day recall with
the weakest keywords, and the offer to raise ``new_per_day`` when it cannot finish."""

from __future__ import annotations

from collections.abc import Callable, Collection

from rich.text import Text
from textual.widgets import Static

from studyapp.render.numbers import percent
from studyapp.study.plan import StudyPlan


def exam_text(plan: StudyPlan, keyword_name: Callable[[str], str],
              keywords: Collection[str] | None = None) -> Text:
    """The panel's lines for a plan (the exam today or ahead); the weakest keywords are
    among ``keywords`` when given (the current deck's, the plan covering every deck)."""
    text = Text()
    if plan.days_left == 0:
        text.append("試験は今日です", style="bold")
    else:
        text.append(f"試験まで {plan.days_left} 日", style="bold")
    text.append(f"  ({plan.exam_date.isoformat()})", style="dim")
    if plan.days:
        today = plan.days[0]
        text.append(f"\n今日の計画: 新規 {today.new} 枚 · 復習 {today.reviews} 枚")
    text.append(f"\n試験日の予測想起率 {percent(plan.predicted_recall)}"
                f"（計画どおりなら {percent(plan.planned_recall)}）")
    weakest = plan.weakest(among=keywords)
    if weakest:
        text.append("\n弱いキーワード: ", style="dim")
        text.append(" · ".join(f"{keyword_name(k.keyword)} {percent(k.predicted_recall)}"
                               for k in weakest))
    if plan.asap and plan.days_left > 0 and plan.new_left:
        text.append("\n試験まで7日を切りました: 新規カードはできるだけ早く", style="bold")
    if plan.new_needed_per_day is not None:
        text.append(f"\n今の new_per_day ({plan.new_per_day}) では間に合いません: "
                    f"1日 {plan.new_needed_per_day} 枚必要です", style="bold")
        text.append(f"（+ で {plan.new_needed_per_day} 枚に上げる）")
    return text


class ExamPanel(Static):
    """Drawn by home from a :class:`StudyPlan`; hidden without an exam date."""

    def show(self, plan: StudyPlan | None, keyword_name: Callable[[str], str],
             keywords: Collection[str] | None = None) -> None:
        """Draw ``plan`` (``None``: no exam date, the panel is hidden); the weakest keywords
        named are among ``keywords`` when given."""
        self.display = plan is not None
        self.update(exam_text(plan, keyword_name, keywords) if plan is not None else "")
