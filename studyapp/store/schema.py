"""The database schema and its migrations.

``PRAGMA user_version`` holds the schema version; ``MIGRATIONS[i]`` takes a database from
version ``i`` to ``i + 1``. A migration runs inside one ``BEGIN IMMEDIATE`` transaction
together with the new ``user_version``, so a crash leaves either the old or the new schema,
and two processes opening a fresh file at once migrate it once. Never edit a published
migration: append a new one.

Times are integer milliseconds since the Unix epoch (UTC). Every item (card, question,
skill) is keyed by ``(kind, deck, item)``; skills have ``deck = ''`` and ``item`` = the
generator kind. ``docs/store.md`` describes every table.
"""

from __future__ import annotations

#: ``PRAGMA application_id`` of a studyapp database ("ESKK" in ASCII).
APPLICATION_ID = 0x45534B4B

_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('card', 'question', 'skill')),
    deck TEXT NOT NULL,
    item TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    added_at INTEGER NOT NULL,
    UNIQUE (kind, deck, item)
);

CREATE TABLE item_keywords (
    item_id INTEGER NOT NULL REFERENCES items (id),
    keyword TEXT NOT NULL,
    PRIMARY KEY (item_id, keyword)
) WITHOUT ROWID;
CREATE INDEX item_keywords_keyword ON item_keywords (keyword);

CREATE TABLE srs_state (
    item_id INTEGER PRIMARY KEY REFERENCES items (id),
    state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
    step INTEGER,
    stability REAL NOT NULL,
    difficulty REAL NOT NULL,
    due INTEGER NOT NULL,
    last_review INTEGER NOT NULL,
    reps INTEGER NOT NULL,
    lapses INTEGER NOT NULL,
    review_id INTEGER NOT NULL
);
CREATE INDEX srs_state_due ON srs_state (due);

CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    variant TEXT,
    answered_at INTEGER NOT NULL,
    answer TEXT,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    duration_ms INTEGER,
    session TEXT,
    mode TEXT NOT NULL
);
CREATE INDEX attempts_item ON attempts (item_id, answered_at);
CREATE INDEX attempts_session ON attempts (session);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    reviewed_at INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms INTEGER,
    session TEXT,
    attempt_id INTEGER REFERENCES attempts (id),
    state_before INTEGER,
    step_before INTEGER,
    stability_before REAL,
    difficulty_before REAL,
    due_before INTEGER,
    last_review_before INTEGER,
    state_after INTEGER NOT NULL,
    step_after INTEGER,
    stability_after REAL NOT NULL,
    difficulty_after REAL NOT NULL,
    due_after INTEGER NOT NULL
);
CREATE INDEX reviews_item ON reviews (item_id, id);

CREATE TABLE item_stats (
    item_id INTEGER PRIMARY KEY REFERENCES items (id),
    attempts INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    last_correct INTEGER NOT NULL,
    last_answered_at INTEGER NOT NULL
);

CREATE TABLE mistakes (
    item_id INTEGER PRIMARY KEY REFERENCES items (id),
    added_at INTEGER NOT NULL,
    wrong INTEGER NOT NULL,
    right_streak INTEGER NOT NULL
);

CREATE TABLE activity (
    bucket INTEGER PRIMARY KEY,
    card_reviews INTEGER NOT NULL DEFAULT 0,
    card_new INTEGER NOT NULL DEFAULT 0,
    recall_reviews INTEGER NOT NULL DEFAULT 0,
    recall_passed INTEGER NOT NULL DEFAULT 0,
    skill_reviews INTEGER NOT NULL DEFAULT 0,
    answers INTEGER NOT NULL DEFAULT 0,
    answers_correct INTEGER NOT NULL DEFAULT 0,
    study_ms INTEGER NOT NULL DEFAULT 0
);
"""

# v2: per-day totals for each calendar (time zone, day-start hour) a store has used, so
# statistics read a few hundred rows instead of every quarter hour of history. Filled from
# ``activity`` when a store first opens with a calendar, then kept by every write.
_V2 = """
CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    timezone TEXT NOT NULL,
    day_start_hour INTEGER NOT NULL,
    UNIQUE (timezone, day_start_hour)
);

CREATE TABLE daily (
    calendar_id INTEGER NOT NULL REFERENCES calendars (id),
    day INTEGER NOT NULL,
    card_reviews INTEGER NOT NULL DEFAULT 0,
    card_new INTEGER NOT NULL DEFAULT 0,
    recall_reviews INTEGER NOT NULL DEFAULT 0,
    recall_passed INTEGER NOT NULL DEFAULT 0,
    skill_reviews INTEGER NOT NULL DEFAULT 0,
    answers INTEGER NOT NULL DEFAULT 0,
    answers_correct INTEGER NOT NULL DEFAULT 0,
    study_ms INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (calendar_id, day)
) WITHOUT ROWID;
"""

# v3: the decks' index a start-up reads instead of the YAML (``meta`` keys
# ``content_fingerprint`` and ``content_index``) describes the items this file holds; any
# change to the items or their keywords, by any copy of the app, deletes it. (A copy
# older than v3 refuses the file rather than sync it behind the index's back.)
#: ``meta`` keys of the saved deck index: the fingerprint of the deck files, the index.
INDEX_KEYS = ("content_fingerprint", "content_index")
# INDEX_KEYS written out: a published migration never changes.
_FORGET_INDEX = "DELETE FROM meta WHERE key IN ('content_fingerprint', 'content_index');"
_V3 = "\n".join(
    f"CREATE TRIGGER {table}_{event.lower()}_forgets_index AFTER {event} ON {table} "
    f"BEGIN {_FORGET_INDEX} END;"
    for table in ("items", "item_keywords") for event in ("INSERT", "UPDATE", "DELETE")
)

# v4: each item's place in the order new ones are shown, kept by every sync: ``position``
# is its index in the list the content gave (the decks' teaching order: a card's first
# keyword as deck.yaml lists the keywords, then file order), ``shuffle`` a fixed number
# drawn from the item's key and the file's own salt (``meta`` key ``new_order_salt``),
# the order of ``new_order = random``. An item without a row (a file not synced since it
# was migrated) comes after the others, in the order it was added.
_V4 = """
CREATE TABLE item_order (
    item_id INTEGER PRIMARY KEY REFERENCES items (id),
    position INTEGER NOT NULL,
    shuffle INTEGER NOT NULL
);
"""

# v5: what a learner marks on an item in the card browser, and the leeches. A row exists
# while something is marked (it is deleted once nothing is): ``suspended_at`` (never
# offered while set), ``flagged_at``, ``leech_at`` (the card first lapsed as often as
# ``leech_threshold``); ``suspended_review`` and ``leech_review`` are the ``reviews.id``
# of the rating that suspended it or made it a leech (``NULL`` when the learner suspended
# it), so undoing that rating takes them back. No foreign key to ``reviews``: an undo
# deletes the review row.
_V5 = """
CREATE TABLE item_marks (
    item_id INTEGER PRIMARY KEY REFERENCES items (id),
    suspended_at INTEGER,
    suspended_review INTEGER,
    flagged_at INTEGER,
    leech_at INTEGER,
    leech_review INTEGER
);
"""

# v6: the numpy exercises. Each check of a learner's code is an ``attempts`` row of the
# exercise's skill item (kind 'skill', deck 'exercise', item = the exercise id; its FSRS
# schedule in ``srs_state`` like a practice skill's); this table keeps what was checked:
# the code, the result as JSON (passed/total cases, the first failing case, the named
# mistake or why the run was stopped) and how many hints the learner had seen.
_V6 = """
CREATE TABLE exercise_attempts (
    attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id),
    exercise TEXT NOT NULL,
    code TEXT NOT NULL,
    result TEXT NOT NULL,
    passed INTEGER NOT NULL,
    total INTEGER NOT NULL,
    hints INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX exercise_attempts_exercise ON exercise_attempts (exercise, attempt_id);
"""

#: ``MIGRATIONS[i]`` upgrades schema version ``i`` to ``i + 1`` (SQL run as one script).
MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6]

#: The schema version this code writes.
SCHEMA_VERSION = len(MIGRATIONS)

#: Tables of the current schema (a database at version 0 must hold none of them).
TABLES = (
    "meta", "items", "item_keywords", "srs_state", "attempts", "reviews",
    "item_stats", "mistakes", "activity", "calendars", "daily", "item_order", "item_marks",
    "exercise_attempts",
)

#: ``meta`` key of the random salt of the ``shuffle`` order (made by the first sync).
SALT_KEY = "new_order_salt"

#: Counters kept per quarter hour (``activity``) and per study day (``daily``).
COUNTERS = (
    "card_reviews", "card_new", "recall_reviews", "recall_passed",
    "skill_reviews", "answers", "answers_correct", "study_ms",
)

#: Length of an ``activity`` bucket in milliseconds (a quarter hour: every real time zone
#: offset is a whole number of quarter hours, so buckets never straddle a day boundary).
BUCKET_MS = 15 * 60 * 1000
