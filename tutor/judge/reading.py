"""Reading an answer as English, generically: no rubric, no exam, standard library only.

Normalising (Unicode, contractions, shorthand, thousands, hyphens, asides in parentheses), words
and their crude stems (British spellings read as American), edit distance for typos, sentences and
clauses, the scope of each negation cue, and the sentences that are counterfactuals ("without
padding ..."). tutor.judge.matching finds the rubric's statements in what this produces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_CHARS = 3000  # what is read of an answer: a paragraph is a few hundred characters

# Negation cues. A cue negates its "and"-segment of the clause (both ways: "dropout does not help");
# a short cue only the next content word ("without losing the borders": losing).
NEGATIONS = frozenset("not no never none nothing neither nor hardly barely nobody".split())
SHORT_NEGATIONS = frozenset("without unlike except instead rather opposite contrary".split())
NOT_NEGATIONS = {("not", "only"), ("not", "just"), ("not", "merely"), ("no", "matter")}
# "rather", "instead", "opposite", "contrary" are cues only in these pairs ("the opposite of overfitting")
TWO_WORD_SHORT = {("instead", "of"), ("rather", "than"), ("opposite", "of"), ("contrary", "to")}
COUNTERFACTUAL = frozenset("otherwise else unless".split())
ARTICLES = frozenset("a an the such any".split())
PRONOUNS = frozenset("it this that them these those one".split())
CONDITIONS = frozenset("if when".split())
CLAUSE_WORDS = frozenset(
    "but because since whereas while although though however which therefore thus hence so whereby "
    "otherwise".split()
)
SEGMENT_WORDS = frozenset({"and", "&", "→"})  # negation stops here; a statement may go on ("sigmoid → vanishing")
# Function words: they carry grammar, not content. An answer with none of GRAMMAR is a bare list.
GRAMMAR = frozenset(
    """a an the this that these those it its they them their there here is are was were be been being
    am do does did has have had will would can could should may might must shall to of in on at by for
    with from into onto as than then so if when while because since which who whom whose what why how
    where we you i he she one our your my us me him her lets let makes make made allows allow
    helps help""".split()
)
FUNCTION = GRAMMAR | NEGATIONS | SHORT_NEGATIONS | frozenset(
    """→ and or but also just only very more most less much many some any all each every other such
    same own too quite rather instead about up down out over under again further once e g i.e eg ie
    etc vs""".split()
)

_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"\b(does|do|did|is|are|was|were|has|have|had|could|would|should|must|need)nt\b"), r"\1 not"),
    (re.compile(r"\bcant\b"), "can not"),
    (re.compile(r"\bwont\b"), "will not"),
    (re.compile(r"'(s|re|ve|ll|d|m)\b"), ""),
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_THOUSANDS = re.compile(r"(?<=\d)[,  ](?=\d{3}(?!\d))")
_ASIDE = re.compile(r"(^|\s)\(([^()]*)\)")
_HYPHEN = re.compile(r"(?<=[^\W\d_])[-‐‑_](?=[^\W\d_])")
_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)|(?P<word>[^\W_]+)|(?P<comma>[,;:–—\"])|(?P<arrow>[→⇒]|->|=>)|(?P<sym>[+=<>≈×−-])"
    r"|(?P<stop>[.!?]+(?=\s|$)|\n\s*\n|\n\s*[-•*]\s|[…•])"
)
_SHORTHAND = ((re.compile(r"\bw/o\b"), "without"), (re.compile(r"\bw/(?=\s)"), "with"),
              (re.compile(r"\b(bc|b/c|coz|cuz)\b"), "because"))


class PatternError(ValueError):
    """A rubric pattern that cannot be read, or names a class the part does not define."""


def stem(word: str) -> str:
    """A crude stem that only has to agree with itself: reduce/reduces/reduced/reducing -> reduc,
    overfitting/overfits -> overfit, normalisation -> normalization, minimising -> minimiz."""
    w = word.lower()
    if not w.isalpha():
        return w
    w = re.sub(r"(?<=[a-z]{2})is(ation|ations|e|es|ed|ing|er|ers)$", r"iz\1", w)
    w = re.sub(r"(?<=[a-z]{2})ys(e|es|ed|ing)$", r"yz\1", w)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (a swap of two letters is one edit), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return min(previous[-1], limit + 1)


def deletes(word: str, depth: int = 2) -> set[str]:
    out, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


@dataclass(frozen=True)
class Token:
    text: str  # as typed (lower case, after normalising)
    stem: str
    index: int  # position in the whole answer
    content: bool  # not a function word
    fuzz: int = 0  # 0, or the edit distance at which a typo was read as `stem`
    read_as: str = ""  # the rubric word a typo was read as
    echo: bool = False  # part of a phrase of two or more words copied from the prompt


@dataclass
class Clause:
    tokens: list[Token]
    sentence: int
    cues: list[tuple[int, frozenset[int]]] = field(default_factory=list)  # (cue index, indices it negates)
    consumed: set[int] = field(default_factory=set)  # cues a "not ..." statement has explained
    segment: dict[int, int] = field(default_factory=dict)  # token index -> its "and"-segment


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])[: 2 * MAX_CHARS]
    text = text.casefold().translate(_APOSTROPHES)
    for pattern, replacement in _CONTRACTIONS + _SHORTHAND:
        text = pattern.sub(replacement, text)
    text = _THOUSANDS.sub("", text)
    text = _ASIDE.sub(_aside, text)  # " (not its values)" is a clause; "H(x)", " (1/2σ²)" are not
    return _HYPHEN.sub(" ", text)


def _aside(m: re.Match[str]) -> str:
    """A remark in parentheses of two or more words becomes a clause of its own."""
    inner = m.group(2)
    return f"{m.group(1)}, {inner} ," if len(re.findall(r"[^\W\d_]{2,}", inner)) >= 2 else m.group(0)


def words_of(text: str) -> list[str]:
    """The word and symbol tokens of a phrase (for patterns and for vocabularies)."""
    out = []
    for m in _TOKEN.finditer(_normalise(text)):
        if m.lastgroup in ("num", "word", "sym"):
            out.append("-" if m.group() == "−" else m.group())
    return out


def clauses_of(text: str) -> list[Clause]:
    """Sentences split into clauses at punctuation and at clause words ("because", "which", ...)."""
    clauses: list[Clause] = []
    current: list[Token] = []
    sentence = index = 0

    def close(new_sentence: bool = False) -> None:
        nonlocal current, sentence
        if current:
            clauses.append(Clause(current, sentence))
            current = []
        if new_sentence:
            sentence += 1

    for m in _TOKEN.finditer(_normalise(text)):
        kind, value = m.lastgroup, m.group()
        if kind == "stop":
            close(new_sentence=True)
        elif kind == "comma":
            close()
        else:
            value = "→" if kind == "arrow" else "-" if value == "−" else value
            if value in CLAUSE_WORDS and current:
                close()
            current.append(Token(value, stem(value), index, value not in FUNCTION))
            index += 1
    close()
    return clauses


def scope_cues(clause: Clause) -> None:
    """Find each negation cue of the clause and the token indices it negates."""
    tokens = clause.tokens
    segments: list[list[int]] = [[]]
    for pos, token in enumerate(tokens):
        if token.text in SEGMENT_WORDS:
            segments.append([])
        else:
            segments[-1].append(pos)
    for number, segment in enumerate(segments):
        for pos in segment:
            clause.segment[tokens[pos].index] = number
    for segment in segments:
        for k, pos in enumerate(segment):
            word = tokens[pos].text
            after = tokens[segment[k + 1]].text if k + 1 < len(segment) else ""
            if (word, after) in NOT_NEGATIONS:
                continue
            if word in NEGATIONS:
                scope = frozenset(tokens[p].index for p in segment if p != pos)
                clause.cues.append((tokens[pos].index, scope))
            elif word in SHORT_NEGATIONS:
                if word in {w for w, _ in TWO_WORD_SHORT} and (word, after) not in TWO_WORD_SHORT:
                    continue
                following = segment[k + 1 :]
                reached = []
                for p in following:
                    reached.append(tokens[p].index)
                    if tokens[p].content:
                        break
                clause.cues.append((tokens[pos].index, frozenset(reached)))


def counterfactual_sentences(clauses: list[Clause], prompt_stems: frozenset[str],
                              rubric_stems: frozenset[str]) -> set[int]:
    """Sentences that describe what happens without the thing asked about: "without padding ...",
    "without it ...", "otherwise ...", "if we do not pad, ...". ("without losing the borders" is a
    negation of a rubric word instead, and "without dropout" denies a remedy.)"""
    out: set[int] = set()
    for clause in clauses:
        words = [t.text for t in clause.tokens]
        if COUNTERFACTUAL & set(words):
            out.add(clause.sentence)
        if words and words[0] in CONDITIONS and NEGATIONS & set(words):
            out.add(clause.sentence)
        for k, word in enumerate(words):
            if word != "without":
                continue
            nxt = next((t for t in clause.tokens[k + 1 :] if t.text not in ARTICLES), None)
            if nxt is None:
                continue
            if nxt.text in PRONOUNS or (nxt.content and (nxt.stem in prompt_stems or nxt.stem not in rubric_stems)):
                out.add(clause.sentence)
    return out
