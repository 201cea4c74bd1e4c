"""Grading: a group's answers to a printed quiz in, scores and item analysis out, and the facts
the group missed most back into the knowledge base for the next deck and quiz.

    quiz = read_quiz_json(path)              # what the papers were (quizgen.exports)
    sheet = read_answers(csv_path, quiz)     # located errors for anything that does not fit
    result = grade(sheet, quiz)              # scores, item statistics, KR-20
"""

from .answers import AnswerSheet, answers_template, quiz_fingerprint, read_answers
from .stats import Grades, grade

__all__ = ["AnswerSheet", "Grades", "answers_template", "grade", "quiz_fingerprint",
           "read_answers"]
