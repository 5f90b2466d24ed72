"""Numpy exercises graded against the engine: the learner writes the code, a sandboxed
child process runs it, the engine (in this process) says what it should have returned.

- ``model``: what an exercise is (task, starter, cases, named mistakes, hints, solution);
- ``catalog``: the exercises (``EXERCISES``, ``get(id)``);
- ``graded``: the graded cases as JSON data (the engine's expected outputs), and their
  cache in the data folder;
- ``grading``: run a file in the sandbox and compare with the engine in pure Python
  (``check_source``);
- ``spawn``: start the sandbox's child with nothing but ``os``;
- ``sandbox``: the parent side of the sandbox (limits, timeouts, JSON over a pipe);
- ``runner``: the child side, run as a script (audit hook, limits); never imported here.

No Textual import in this package; numpy and the engine are imported only when cases are
built, so listing the exercises stays fast.
"""
