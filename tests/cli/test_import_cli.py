"""``studyapp import tsv FILE --deck NAME --content DIR`` as a learner runs it."""

from __future__ import annotations

from pathlib import Path

from studyapp.content import load_content
from tests.running import studyapp

# What Anki 2.1.50+ writes for "Notes in Plain Text" with HTML and tags included.
ANKI_EXPORT = (
    "#separator:tab\n"
    "#html:true\n"
    "#tags column:3\n"
    "L1正則化の罰則項は?\tλ·Σ|w<sub>j</sub>|<br>（重みの絶対値の和）\tE資格 定義\n"
    "ドロップアウトの推論時は?\t<div>何もしない</div><div>（inverted dropout）</div>\t\n"
    "{{c1::早期終了}}は検証損失で止める\t\tE資格\n"
    "\"L2 罰則\"\"二乗\"\"\"\t\\(\\lambda \\|w\\|_2^2\\)\t\n"
)



def test_anki_text_export_becomes_a_valid_deck(tmp_path: Path) -> None:
    source = tmp_path / "anki.txt"
    source.write_text(ANKI_EXPORT, encoding="utf-8")
    decks = tmp_path / "decks"
    result = studyapp("import", "tsv", str(source), "--deck", "from-anki", "--content",
                      str(decks), data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"imported 4 cards (1 cloze) into {decks / 'from-anki'}",
        f"study them with: studyapp --content {decks}",
    ]
    checked = studyapp("validate", "--content", str(decks), data=tmp_path)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines()[0] == "OK: 1 deck, 4 cards, 0 questions, 1 keyword"
    deck = load_content(decks).deck("from-anki")
    cards = {c.id: c for c in deck.cards}
    assert list(cards) == [f"from-anki-000{n}" for n in range(1, 5)]
    first = cards["from-anki-0001"]
    assert (first.front, first.back, first.tags) == (
        "L1正則化の罰則項は?", "λ·Σ|wj|\n（重みの絶対値の和）", ("E資格", "定義"),
    )
    assert cards["from-anki-0002"].back == "何もしない\n（inverted dropout）"
    assert cards["from-anki-0003"].cloze == "{{c1::早期終了}}は検証損失で止める"
    assert cards["from-anki-0004"].front == 'L2 罰則"二乗"'
    assert cards["from-anki-0004"].back == "λ‖w‖₂²"


def test_bad_rows_are_listed_by_line_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "bad.txt"
    source.write_text("#separator:tab\nok\tgood\nno tab here\n\tno front\nno back\t\n",
                      encoding="utf-8")
    decks = tmp_path / "decks"
    decks.mkdir()
    result = studyapp("import", "tsv", str(source), "--deck", "broken", "--content", str(decks),
                      data=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{source}:3: expected 2 columns (front, back) separated by a tab, found 1",
        f"{source}:4: empty front",
        f"{source}:5: empty back",
        f"studyapp: import: 3 bad rows in {source}; nothing was written",
    ]
    assert list(decks.iterdir()) == []


def test_refusals_are_one_line(tmp_path: Path) -> None:
    source = tmp_path / "ok.txt"
    source.write_text("表\t裏\n", encoding="utf-8")
    decks = tmp_path / "decks"
    missing = tmp_path / "missing.txt"
    cases = [
        ([str(source), "--deck", "regularization"], 2,
         "studyapp: import: 'regularization' is the id of a bundled deck"),
        ([str(source), "--deck", "Not Valid", "--content", str(decks)], 2,
         "studyapp: import: deck name 'Not Valid' is not a valid id"),
        ([str(missing), "--deck", "x", "--content", str(decks)], 1,
         f"studyapp: import: file not found: {missing}"),
    ]
    for args, code, start in cases:
        result = studyapp("import", "tsv", *args, data=tmp_path)
        assert result.returncode == code, (args, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(start), result.stderr
    assert not decks.exists()

    assert studyapp("import", "tsv", str(source), "--deck", "x", "--content", str(decks),
                    data=tmp_path).returncode == 0
    again = studyapp("import", "tsv", str(source), "--deck", "x", "--content", str(decks),
                     data=tmp_path)
    assert again.returncode == 1
    assert again.stderr.splitlines() == [
        f"studyapp: import: {decks / 'x'} already exists; choose another --deck name or "
        "remove that folder first"
    ]


def test_without_content_the_deck_joins_the_bundled_ones(tmp_path: Path) -> None:
    """The learner's own decks live in the data folder and the app loads them beside the
    bundled deck: `validate`, `stats` and the app all see both."""
    source = tmp_path / "notes.txt"
    source.write_text("#separator:tab\n日本の首都は？\t東京\nL1正則化の罰則は？\t重みの絶対値の和\n",
                      encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    result = studyapp("import", "tsv", str(source), "--deck", "my-notes", data=data)
    assert result.returncode == 0, result.stderr
    assert (data / "decks" / "my-notes" / "deck.yaml").is_file()
    checked = studyapp("validate", data=data)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    bundled = load_content().decks[0]
    assert checked.stdout.startswith(f"OK: 2 decks, {len(bundled.cards) + 2} cards")
    from studyapp.app import create_app

    app = create_app(None, data)
    assert [d.id for d in app.context.library.decks] == ["regularization", "my-notes"]
    app.context.store.close()
    # the same name again is refused, and nothing is overwritten
    again = studyapp("import", "tsv", str(source), "--deck", "my-notes", data=data)
    assert again.returncode == 1 and "already exists" in again.stderr
