"""Judging a short text answer by what it states, clause by clause, against a part's rubric data.

Why this exists: a bag of key words gives full marks to "not overfitting" and to a list of words
copied from the question. A careful grader reads each clause and asks: does it say the rubric's
point, deny it, or say its opposite? This package does that, and says "unsure" when it cannot tell:
`reading` (English, generically), `rubric` (a part's patterns, compiled), `matching` (the
statements of one clause), `verdict` (points or "unsure", and the feedback).

What it knows is generic English grammar only: sentence and clause breaks, negation cues and their
scope, counterfactuals ("without padding ...", "otherwise ..."), function words, a crude stemmer that
also reads British spellings (-ise, -isation), and edit distance for typos. What an answer must say
(the concepts, their synonyms, their opposites) is the content's rubric data, compiled by
`compile_rubric`. Standard library only: no Textual, no eval, no NLP library.

Rubric patterns (written in content/*.toml; the fields are documented in docs/CONTENT.md):

    pattern     = ["not "] slot {" + " slot}  |  ["not "] slot {" ... " slot}
    slot        = alternative {"|" alternative}
    alternative = "<name>"  (one of the part's `words` classes, which may name other classes)
                | a phrase  (words in a row; "f(x)+x": a "+" without spaces is part of a phrase)

All slots of a pattern must stand in one clause, in any order (" + ") or in the order written
(" ... ": "sigmoid ... <saturate>" is the sigmoid saturating, not "ReLU saturates more than the
sigmoid"), within SPAN tokens of each other, on words no other statement of that clause has used. A phrase matches its words with their inflections
(reduce, reduces, reduced), joined or split ("dropout" = "drop out", "weightdecay"), and typos:
a word of 6+ letters at edit distance 1 from one rubric word is read as it (with a note); a word of
8+ letters at distance 2 is only a weak match, which makes the judgement unsure (at 6 or 7 letters
two edits turn too many real words into others: faster/farther, larger/longer). "not " before a pattern: the statement
counts only when its clause denies it ("not <shrink>" for "the output does not shrink").

How a statement counts, by the list it is in (see `judge`):
  any        earns the group's points; denied ("does not prevent ...") it counts as the opposite
  opposite   earns nothing; with a right statement of the same group the judgement is unsure;
             denied it is void; stated as a counterfactual ("without padding the output shrinks")
             it is the group's point
  vague      says too little to decide (a direction word alone, a bare term): unsure, unless the
             answer is a bare list of key words, which is no explanation and earns nothing
  no_credit  words the key gives no score for (3(b)'s bare "regularization"): nothing, said why
A statement made only of the question's own words earns nothing, and the question's own phrases
("increasing the stride") never count against an answer. On a part that asks for an explanation
(`explain`), a bare list of key words (nothing but the rubric's and the question's words, with no
article, auxiliary, preposition or pronoun) earns nothing: only its statements of two or more slots
count ("identity mapping, residual learning"). A word of the student's own makes a clause a
statement ("kernel skips pixels"), unless the answer is three or more items of at most three words.
"""

from tutor.judge.reading import MAX_CHARS, edit_distance, stem
from tutor.judge.rubric import PatternError, Rubric, compile_rubric, parse_pattern
from tutor.judge.verdict import Judgement, judge

__all__ = ["MAX_CHARS", "Judgement", "PatternError", "Rubric", "compile_rubric", "edit_distance", "judge",
           "parse_pattern", "stem"]
