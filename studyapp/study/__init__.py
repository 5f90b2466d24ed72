"""Study sessions without a UI: drawing quizzes and mock exams, grading answers.

No Textual import: the screens hold a session object from here and show its state, so
the rules (what is right, what feedback a wrong pick gets, how an exam is scored) are
tested without a terminal.
"""
