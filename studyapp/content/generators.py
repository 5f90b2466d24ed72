"""The practice problem generators a deck may name in ``deck.yaml``'s ``skills:``.

A generator is named by its kind in ``engine.problems`` (``studyapp generate --list``
prints them). Importing the engine imports numpy, which neither the app's start-up (it
validates changed decks without evaluating anything) nor the validator of names may do;
so the names are kept here as plain data, and a test checks that they are exactly
``engine.problems.KINDS``, in its order.
"""

from __future__ import annotations

#: The generators' kinds, in ``engine.problems.KINDS`` order.
GENERATORS: tuple[str, ...] = (
    "l1-norm",
    "l2-norm",
    "l1-penalty",
    "l2-penalty",
    "soft-threshold",
    "lasso",
    "ridge",
    "weight-decay",
    "dropout",
    "dropconnect",
    "early-stopping",
    "linf-norm",
    "penalty-gradient",
    "weight-decay-lambda",
    "dropout-inference",
    "elastic-net",
    "label-smoothing",
    "max-norm",
    "noise-injection",
)
