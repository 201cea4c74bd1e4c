"""quizgen: turn a study text's key claims into Anki decks and printable quizzes."""

__version__ = "0.2.0"
