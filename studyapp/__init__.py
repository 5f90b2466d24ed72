"""E資格 study tool: flashcards, quizzes and live-generated practice problems in the terminal."""

__version__ = "0.1.0"
