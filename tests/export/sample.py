"""A small deck with every card and question type, for the export and import tests.

Its text holds what exporters must escape (``<``, ``*``, ``_``, ``|``), a title and a tag
with a space (Anki tags cannot hold one), a cloze gap with a hint and one that starts
with punctuation (Markdown bold), a ``tex`` formula and a numeric question with named
wrong answers.
"""

from __future__ import annotations

from pathlib import Path

DECK_ID = "sample"
TITLE = "正則化 ミニ"

DECK = """\
id: sample
title: 正則化 ミニ
title_en: Sample deck
description: テスト用の小さなデッキ。
keywords:
  - {id: l1-regularization, name: L1正則化, en: L1 regularization}
  - {id: norm, name: ノルム, en: norm}
  - {id: dropout, name: ドロップアウト, en: dropout}
"""

CARDS = """\
cards:
  - id: l1-def
    keywords: [norm, l1-regularization]
    tags: [定義, 重要 概念]
    front: "L1ノルム ‖x‖₁ とは? (x < 0 なら |x| = −x)"
    back: 成分の絶対値の和 Σ|xᵢ|
    tex: '\\|x\\|_1 = \\sum_{i} |x_i| < \\infty'
  - id: l1-cloze
    keywords: [l1-regularization]
    cloze: L1正則化は解を{{c1::スパース}}にし、重みの{{c2::（絶対値の和）::何の和?}}に罰則を課す。
    back: 原点に角があるため。
  - id: star-underscore
    keywords: [norm]
    front: w* と w_0 の違いは?
    back: "*w* は最適解、w_0 は初期値。"
"""

QUESTIONS = """\
questions:
  - id: norm-choice
    type: choice
    keywords: [norm]
    prompt: x = (3, −4) の L1 ノルムはどれか。
    choices:
      - {text: "1", why: 符号を残して足した値。}
      - {text: "5", why: L2 ノルム。}
      - "7"
      - {text: "25", why: L2 ノルムの2乗。}
    answer: 2
    explanation: "|3| + |−4| = 7。"
  - id: norm-multi
    type: multi
    keywords: [norm]
    prompt: ノルムについて正しいものをすべて選べ。
    choices:
      - L1 ノルムは成分の絶対値の和
      - L2 ノルムは成分の2乗和の平方根
      - {text: L2 ノルムは成分の2乗和, why: それは L2 ノルムの2乗。}
    answer: [1, 0]
    explanation: 3番目は ‖x‖₂² のこと。
  - id: dropout-tf
    type: truefalse
    keywords: [dropout]
    prompt: inverted dropout では推論時に出力へ (1−p) を掛ける。
    answer: false
    explanation: 訓練時に 1/(1−p) 倍しておくので、推論時には何もしない。
  - id: norm-numeric
    type: numeric
    keywords: [norm]
    prompt: x = (3, 4) の L2 ノルムを求めよ。
    tex: '\\|x\\|_2 = \\sqrt{x_1^2 + x_2^2}'
    compute: {fn: l2_norm, args: {x: [3, 4]}}
    decimals: 1
    misconceptions:
      - {compute: {fn: l1_norm, args: {x: [3, 4]}}, why: それは L1 ノルム。}
      - {value: 25, why: 平方根を取り忘れている。}
    explanation: √(3² + 4²) = 5。
  - id: dropout-code
    type: code
    keywords: [dropout]
    prompt: 訓練時の inverted dropout の順伝播はどれか。
    choices:
      - "out = x * mask / (1 - p)"
      - {text: "out = x * mask", why: 1/(1−p) の補正を忘れている。}
      - {text: "out = x * mask * (1 - p)", why: 推論時に補正する旧来の方式の係数。}
      - {text: "out = x * (1 - mask) / (1 - p)", why: mask=1 が残すユニット。}
    answer: 0
    check:
      given: {x: [1.0, 2.0, 3.0, 4.0], mask: [1, 0, 1, 1], p: 0.25}
      expect: {fn: dropout_apply, args: {x: [1.0, 2.0, 3.0, 4.0], mask: [1, 0, 1, 1], p: 0.25}}
    explanation: 残した出力を 1/(1−p) 倍する。
  - id: dropout-listing
    type: code
    keywords: [dropout]
    prompt: 【ア】に入るものはどれか。
    listing: |
      class Dropout:
          def __init__(self, p):
              self.p = p

          def forward(self, x, mask):
              【ア】
              return out
    choices:
      - "out = x * mask / (1 - self.p)"
      - {text: "out = x * mask", why: 1/(1−p) の補正を忘れている。}
      - {text: "out = x * mask * (1 - self.p)", why: 推論時に補正する旧来の方式の係数。}
      - {text: "out = x * (1 - mask) / (1 - self.p)", why: mask=1 が残すユニット。}
    answer: 0
    check:
      given: {x: [1.0, 2.0], mask: [1, 0]}
      run: |
        out = Dropout(0.5).forward(x, mask)
      expect: {fn: dropout_apply, args: {x: [1.0, 2.0], mask: [1, 0], p: 0.5}}
    explanation: 残した出力を 1/(1−p) 倍する。
"""

CARD_IDS = ["l1-def", "l1-cloze", "star-underscore"]
QUESTION_IDS = ["norm-choice", "norm-multi", "dropout-tf", "norm-numeric", "dropout-code",
                "dropout-listing"]


def write_sample(root: Path) -> Path:
    """Write the sample deck as ``root/sample`` and return ``root`` (a content folder)."""
    deck = root / DECK_ID
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(DECK, encoding="utf-8")
    (deck / "cards.yaml").write_text(CARDS, encoding="utf-8")
    (deck / "questions.yaml").write_text(QUESTIONS, encoding="utf-8")
    return root
