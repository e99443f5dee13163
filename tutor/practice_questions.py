"""The numbers of the questions that have practice, apart from the practice engine.

The overview's footer asks at start-up whether the highlighted question has practice; importing
`tutor.practice` for that would load numpy and the solver before the first screen is drawn.
`tests/test_startup_imports.py` checks that these are exactly `tutor.practice.PRACTICE_QUESTIONS`
(the questions with a draw). No imports at all.
"""

PRACTICE_QUESTIONS: tuple[int, ...] = (2, 4, 5, 6, 7, 8, 9)
