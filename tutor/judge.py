"""Judging a short text answer by what it states, clause by clause, against a part's rubric data.

Why this exists: a bag of key words gives full marks to "not overfitting" and to a list of words
copied from the question. A careful grader reads each clause and asks: does it say the rubric's
point, deny it, or say its opposite? This module does that, and says "unsure" when it cannot tell.

What it knows is generic English grammar only: sentence and clause breaks, negation cues and their
scope, counterfactuals ("without padding ...", "otherwise ..."), function words, a crude stemmer that
also reads British spellings (-ise, -isation), and edit distance for typos. What an answer must say
(the concepts, their synonyms, their opposites) is the content's rubric data, compiled by
`compile_rubric`. Standard library only: no Textual, no eval, no NLP library.

Rubric patterns (written in content/*.toml; the fields are documented in tutor.exam):

    pattern     = ["not "] slot {" + " slot}
    slot        = alternative {"|" alternative}
    alternative = "<name>"  (one of the part's `words` classes, which may name other classes)
                | a phrase  (words in a row; "f(x)+x": a "+" without spaces is part of a phrase)

All slots of a pattern must stand in one clause, in any order, within SPAN tokens of each other, on
words no other statement of that clause has used. A phrase matches its words with their inflections
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

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Judgement", "PatternError", "Rubric", "compile_rubric", "judge", "stem", "edit_distance"]

MAX_CHARS = 3000  # what is read of an answer: a paragraph is a few hundred characters
SPAN = 12  # the most tokens from the first to the last slot of one statement
LONG = 12  # content words from which an answer that only echoes the question is "unsure", not wrong
MARK_YOURSELF = " Compare your answer with the model answer and the rubric, and mark yourself."
COPIED = 0.8  # share of an answer's content words found in the prompt that makes it a copy

# Negation cues. A cue negates its "and"-segment of the clause (both ways: "dropout does not help");
# a short cue only the next content word ("without losing the borders": losing).
NEGATIONS = frozenset("not no never none nothing neither nor hardly barely nobody".split())
SHORT_NEGATIONS = frozenset("without unlike except instead rather".split())
NOT_NEGATIONS = {("not", "only"), ("not", "just"), ("not", "merely"), ("no", "matter")}
TWO_WORD_SHORT = {("instead", "of"), ("rather", "than")}  # "rather" and "instead" alone are not cues
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
              (re.compile(r"\b(bc|b/c|coz|cuz|cause)\b"), "because"))


class PatternError(ValueError):
    """A rubric pattern that cannot be read, or names a class the part does not define."""


# ------------------------------------------------------------------------------------------ words


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


def _deletes(word: str, depth: int = 2) -> set[str]:
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
    text = _ASIDE.sub(r"\1, \2 ,", text)  # " (not its values)" is a clause; "H(x)" is not
    return _HYPHEN.sub(" ", text)


def _words(text: str) -> list[str]:
    """The word and symbol tokens of a phrase (for patterns and for vocabularies)."""
    out = []
    for m in _TOKEN.finditer(_normalise(text)):
        if m.lastgroup in ("num", "word", "sym"):
            out.append("-" if m.group() == "−" else m.group())
    return out


def _clauses(text: str) -> list[Clause]:
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


def _scope_cues(clause: Clause) -> None:
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
                if word in ("instead", "rather") and (word, after) not in TWO_WORD_SHORT:
                    continue
                following = segment[k + 1 :]
                reached = []
                for p in following:
                    reached.append(tokens[p].index)
                    if tokens[p].content:
                        break
                clause.cues.append((tokens[pos].index, frozenset(reached)))


def _counterfactual_sentences(clauses: list[Clause], prompt_stems: frozenset[str],
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


# ---------------------------------------------------------------------------------------- rubric


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    forms: frozenset[str]
    size: int  # words, for "the more specific statement first"


@dataclass(frozen=True)
class Pattern:
    source: str
    slots: tuple[tuple[tuple[Phrase, ...], ...], ...]  # slot -> its alternatives -> their phrases
    denied: bool  # "not ...": counts only when its clause denies it
    kind: str  # "any", "opposite", "vague", "no_credit"
    group: int

    @property
    def weight(self) -> float:
        """More slots first: "remove dropout" (opposite) before "dropout" (any). A denial counts
        half a slot: "not <vanish>" after "<prevent> + <vanish>", which reads "does not prevent
        vanishing" as the denial it is."""
        return len(self.slots) + 0.5 * self.denied


@dataclass(frozen=True)
class Group:
    name: str
    points: float
    note: str  # said when the answer states an opposite
    no_credit_note: str  # said when the answer has only words of no_credit


@dataclass(frozen=True)
class Rubric:
    groups: tuple[Group, ...]
    patterns: tuple[Pattern, ...]  # most specific first
    prompt_stems: frozenset[str]
    prompt_sequence: tuple[str, ...]  # the prompt's stems in order, function words included
    rubric_stems: frozenset[str]  # the words of its patterns and classes
    known_stems: frozenset[str]
    typo_index: Mapping[str, frozenset[str]]  # a deletion variant -> rubric words and stems
    typo_stem: Mapping[str, str]  # a rubric word -> its stem
    spelled: Mapping[str, str]  # a rubric stem -> the rubric's word, for "read X as Y"
    explain: bool  # the part asks for an explanation: a bare list of terms earns nothing
    restates: tuple[Phrase, ...]  # phrases that restate the question's subject
    points: float


def _forms(words: Sequence[str]) -> set[str]:
    """Two spellings of a run of words: the stem of them joined, and their stems joined."""
    return {stem("".join(words)), "".join(stem(w) for w in words)}


def _phrase(text: str, where: str) -> Phrase:
    words = tuple(_words(text))
    if not words:
        raise PatternError(f"{where}: '{text}' has no words")
    return Phrase(words, frozenset(_forms(words)), len(words))


def _expand(alternative: str, words: Mapping[str, Sequence[str]], where: str, seen: tuple[str, ...] = ()) -> list[Phrase]:
    alternative = alternative.strip()
    match = re.fullmatch(r"<\s*([\w-]+)\s*>", alternative)
    if match is None:
        if re.search(r"<\s*[\w-]+\s*>", alternative):
            raise PatternError(f"{where}: a class stands alone in its alternative, not in '{alternative}'")
        return [_phrase(alternative, where)]
    name = match.group(1)
    if name not in words:
        known = ", ".join(sorted(words)) or "none"
        raise PatternError(f"{where}: no class <{name}> in the part's words (it has: {known})")
    if name in seen:
        raise PatternError(f"{where}: the class <{name}> contains itself ({' -> '.join(seen + (name,))})")
    out: list[Phrase] = []
    for entry in words[name]:
        for alt in entry.split("|"):
            out += _expand(alt, words, f"{where} <{name}>", seen + (name,))
    return out


def parse_pattern(source: str, words: Mapping[str, Sequence[str]], kind: str = "any", group: int = 0) -> Pattern:
    """Read one pattern (see the module docstring); raises PatternError with what is wrong."""
    text = source.strip()
    denied = False
    if re.match(r"not\s", text):
        denied, text = True, text[3:].strip()
    if not text:
        raise PatternError(f"'{source}' is empty")
    slots = []
    for slot in re.split(r"\s\+\s", text):
        alternatives = [a for a in slot.split("|")]
        if any(not a.strip() for a in alternatives):
            raise PatternError(f"'{source}': an empty alternative in '{slot}'")
        slots.append(tuple(tuple(_expand(alt, words, f"'{source}'")) for alt in alternatives))
    return Pattern(source, tuple(slots), denied, kind, group)


KINDS = ("any", "opposite", "vague", "no_credit")


def compile_rubric(
    groups: Iterable[Any], words: Mapping[str, Sequence[str]] | None = None, prompt: str = "",
    texts: Iterable[str] = (), points: float | None = None, explain: bool = False,
    restates: Iterable[str] = (),
) -> Rubric:
    """A part's rubric, ready to judge answers. `groups`: objects with name, points, any and,
    optionally, opposite, vague, no_credit and note (tutor.exam.TermGroup). `words`: the part's
    classes. `prompt`: the question, whose words earn nothing. `texts`: the model answer,
    explanation and rubric, whose words are known (never read as a typo of a rubric word).
    `explain`: the part asks why or how, so a bare list of terms earns nothing. `restates`:
    phrases (no classes) that say the question's own subject in other words ("a larger stride"):
    like the prompt's own phrases they never count against an answer."""
    words = dict(words or {})
    built: list[Group] = []
    patterns: list[Pattern] = []
    for g, group in enumerate(groups):
        built.append(Group(getattr(group, "name", "") or "a key point of the rubric", float(group.points),
                           getattr(group, "note", "") or "", getattr(group, "no_credit_note", "") or ""))
        for kind in KINDS:
            for source in getattr(group, kind, ()) or ():
                patterns.append(parse_pattern(source, words, kind, g))
    order = {kind: i for i, kind in enumerate(KINDS)}
    patterns.sort(key=lambda p: (-p.weight, order[p.kind], p.group))
    spelled: dict[str, str] = {}
    raw = [w for p in patterns for slot in p.slots for alt in slot for ph in alt for w in ph.words]
    for entries in words.values():
        for entry in entries:
            raw += _words(entry.replace("<", " ").replace(">", " "))
    for w in raw:
        spelled.setdefault(stem(w), w)
    rubric_stems = set(spelled)
    prompt_stems = frozenset(stem(w) for w in _words(prompt) if w not in FUNCTION)
    known = set(rubric_stems) | prompt_stems | {stem(w) for t in texts for w in _words(t)}
    index: dict[str, set[str]] = {}
    typo_stem: dict[str, str] = {}
    for written in set(rubric_stems) | {w.lower() for w in raw}:
        if written.isalpha() and len(written) >= 4:
            typo_stem.setdefault(written, stem(written))
            for variant in _deletes(written):
                index.setdefault(variant, set()).add(written)
    total = float(points) if points is not None else sum(g.points for g in built)
    sequence = tuple(stem(w) for w in _words(prompt))
    return Rubric(tuple(built), tuple(patterns), prompt_stems, sequence, frozenset(rubric_stems), frozenset(known),
                  {k: frozenset(v) for k, v in index.items()}, typo_stem, spelled, bool(explain),
                  tuple(_phrase(r, f"restates '{r}'") for r in restates), total)


# ------------------------------------------------------------------------------------------ judging


@dataclass(frozen=True)
class Judgement:
    """What the judge decided: status "correct", "partial", "wrong" or "unsure" (score 0: the
    student marks it), and feedback that quotes the clauses it read."""

    score: float
    status: str
    feedback: str


@dataclass
class _Hit:
    pattern: Pattern
    tokens: tuple[Token, ...]
    effect: str  # "met", "opposed", "denied", "vague", "no_credit", "void", "prompt"
    shown: str = ""  # the words of the clause from the first to the last token (or cue) of the hit
    cues: tuple[int, ...] = ()  # the negation cues that reached it

    def quote(self) -> str:
        return self.shown if len(self.shown) <= 48 else self.shown[:45] + "…"

    @property
    def fuzz(self) -> int:
        return max((t.fuzz for t in self.tokens), default=0)


TYPO_1 = 6  # letters from which a word one edit away from a rubric word is read as it
TYPO_2 = 8  # letters from which a word two edits away is a weak match (unsure)


def _read_typos(clauses: list[Clause], rubric: Rubric) -> None:
    """Replace a word that is not known but is a typo of exactly one rubric word by that word."""
    cache: dict[str, tuple[str, int]] = {}
    for clause in clauses:
        for pos, token in enumerate(clause.tokens):
            s = token.stem
            if not token.content or len(token.text) < TYPO_1 or not s.isalpha() or s in rubric.known_stems:
                continue
            if s not in cache:
                limit = 2 if len(token.text) >= TYPO_2 else 1
                best: dict[str, int] = {}
                for typed in {s, token.text}:
                    for variant in _deletes(typed, limit):
                        for written in rubric.typo_index.get(variant, frozenset()):
                            d = edit_distance(typed, written, limit)
                            target = rubric.typo_stem.get(written, written)
                            if d <= limit and d < best.get(target, limit + 1):
                                best[target] = d
                ranked = sorted((d, c) for c, d in best.items())
                one = ranked and (len(ranked) == 1 or ranked[1][0] > ranked[0][0])
                cache[s] = (ranked[0][1], ranked[0][0]) if one else ("", 0)
            read_as, distance = cache[s]
            if read_as:
                shown = rubric.spelled.get(read_as, read_as)
                clause.tokens[pos] = Token(token.text, read_as, token.index, True, distance, shown)


def _mark_echoes(clauses: list[Clause], prompt: tuple[str, ...]) -> None:
    """Flag the tokens of every run of words with two or more content words ("increasing the
    stride") that stands, word for word, in the prompt."""
    if len(prompt) < 2:
        return
    pairs = {(prompt[i], prompt[i + 1]) for i in range(len(prompt) - 1)}
    for clause in clauses:
        tokens = clause.tokens
        flagged: set[int] = set()
        start = 0
        while start < len(tokens) - 1:
            end = start
            while end + 1 < len(tokens) and (tokens[end].stem, tokens[end + 1].stem) in pairs:
                end += 1
            run = tokens[start : end + 1]
            if sum(t.content for t in run) >= 2 and _in_sequence(run, prompt):
                flagged |= set(range(start, end + 1))
            start = end + 1 if end > start else start + 1
        for pos in flagged:
            t = tokens[pos]
            tokens[pos] = Token(t.text, t.stem, t.index, t.content, t.fuzz, t.read_as, True)


def _mark_restated(clauses: list[Clause], phrases: tuple[Phrase, ...]) -> None:
    """Flag the words of the part's `restates` phrases ("a larger stride" for "increasing the
    stride") like words copied from the prompt."""
    for clause in clauses:
        for phrase in phrases:
            for run in _occurrences(clause, phrase):
                for token in run:
                    pos = next(k for k, t in enumerate(clause.tokens) if t.index == token.index)
                    t = clause.tokens[pos]
                    clause.tokens[pos] = Token(t.text, t.stem, t.index, t.content, t.fuzz, t.read_as, True)


def _in_sequence(run: list[Token], prompt: tuple[str, ...]) -> bool:
    stems = tuple(t.stem for t in run)
    n = len(stems)
    return any(prompt[i : i + n] == stems for i in range(len(prompt) - n + 1))


LONGEST_RUN = 8  # words of an answer one phrase may cover (its own words, or them split: "drop out")


def _spellings(clause: Clause) -> dict[str, list[tuple[Token, ...]]]:
    """Every run of up to LONGEST_RUN words of the clause, by its two spellings (see _forms)."""
    tokens = clause.tokens
    index: dict[str, list[tuple[Token, ...]]] = {}
    for i in range(len(tokens)):
        for j in range(i + 1, min(i + LONGEST_RUN, len(tokens)) + 1):
            run = tuple(tokens[i:j])
            if j - i == 1:
                forms = {run[0].stem}
            else:
                forms = {stem("".join(t.stem if t.fuzz else t.text for t in run)), "".join(t.stem for t in run)}
            for form in forms:
                index.setdefault(form, []).append(run)
    return index


def _occurrences(clause: Clause, phrase: Phrase, index: dict[str, list[tuple[Token, ...]]] | None = None
                 ) -> list[tuple[Token, ...]]:
    """The runs of the clause that spell `phrase` (split into at most two words more than it has)."""
    index = _spellings(clause) if index is None else index
    found = {run for form in phrase.forms for run in index.get(form, ()) if len(run) <= phrase.size + 2}
    return sorted(found, key=lambda run: run[0].index)


def _runs(occurrences: list[tuple[Token, ...]], clause: Clause) -> list[tuple[Token, ...]]:
    """Occurrences of one slot that touch or overlap, merged: "output feature map" is one noun."""
    position = {t.index: k for k, t in enumerate(clause.tokens)}
    spans = sorted({(position[o[0].index], position[o[-1].index]) for o in occurrences})
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(clause.tokens[a : b + 1]) for a, b in merged]


def _negations(clause: Clause, tokens: tuple[Token, ...]) -> list[int]:
    own = {t.index for t in tokens}
    return [cue for cue, scope in clause.cues if cue not in own and cue not in clause.consumed and own & scope]


MAX_WAYS = 200  # assignments of one pattern looked at in one clause


def _assign(slots: list[list[tuple[Token, ...]]], used: set[int], clause: Clause) -> list[tuple[Token, ...]]:
    """The ways to take one occurrence per slot, disjoint, unused and within SPAN tokens: those in
    one "and"-segment first, then the tightest."""
    ways = list(_ways(slots, used))
    return sorted(ways, key=lambda w: _spread(w, clause))


def _spread(tokens: tuple[Token, ...], clause: Clause) -> tuple[int, int]:
    indices = [t.index for t in tokens]
    segments = {clause.segment.get(i, 0) for i in indices}
    return (len(segments) > 1, max(indices) - min(indices))


def _ways(slots: list[list[tuple[Token, ...]]], used: set[int]) -> Iterable[tuple[Token, ...]]:
    count = 0

    def walk(k: int, taken: tuple[Token, ...]) -> Iterable[tuple[Token, ...]]:
        nonlocal count
        if count >= MAX_WAYS:
            return
        if k == len(slots):
            count += 1
            yield taken
            return
        for occurrence in slots[k]:
            indices = {t.index for t in occurrence}
            if indices & used or indices & {t.index for t in taken}:
                continue
            together = taken + occurrence
            if max(t.index for t in together) - min(t.index for t in together) >= SPAN:
                continue
            yield from walk(k + 1, together)

    return walk(0, ())


def _match(clause: Clause, rubric: Rubric, counterfactual: bool) -> list[_Hit]:
    """The statements of one clause: patterns with more slots first, then concepts before the
    rest, then the match within one "and"-segment, then the tighter one. A word serves one
    statement, except that two concepts may share words ("maximum likelihood is the same as least
    squares" says two points of 2(b)); an opposite never uses a word already read."""
    cache: dict[Phrase, list[tuple[Token, ...]]] = {}
    spellings = _spellings(clause)
    found: list[tuple[tuple, Pattern, list]] = []
    order = {kind: i for i, kind in enumerate(KINDS)}
    for pattern in rubric.patterns:
        slots = []
        for slot in pattern.slots:
            occ = []
            for alternative in slot:  # one class: "output feature map" is one run of <output>
                found_here = []
                for phrase in alternative:
                    if phrase not in cache:
                        cache[phrase] = _occurrences(clause, phrase, spellings)
                    found_here += cache[phrase]
                occ += _runs(found_here, clause) if found_here else []
            if not occ:
                break
            slots.append(occ)
        else:
            ways = _assign(slots, set(), clause)
            if ways:
                key = (-pattern.weight, order[pattern.kind], _spread(ways[0], clause), pattern.group)
                found.append((key, pattern, slots))
    found.sort(key=lambda f: f[0])
    used: set[int] = set()  # words of every statement found
    stated: set[int] = set()  # words of the concepts found, which another concept may share
    hits: list[_Hit] = []
    for _, pattern, slots in found:
        free = used - stated if pattern.kind == "any" else used
        hit = _first_hit(pattern, slots, free, clause, rubric, counterfactual, own=stated)
        if hit is None:
            continue
        hits.append(hit)
        if hit.effect not in ("void", "prompt"):
            used |= {t.index for t in hit.tokens}
        if hit.effect == "met":
            stated |= {t.index for t in hit.tokens}
        if hit.effect == "met" and pattern.kind == "any" and pattern.denied:
            clause.consumed |= set(hit.cues)  # "does not depend on σ": the "not" is explained
    return hits


def _first_hit(pattern: Pattern, slots: list, used: set[int], clause: Clause, rubric: Rubric,
               counterfactual: bool, own: set[int] = frozenset()) -> _Hit | None:
    """The first way `pattern` matches on words not in `used`, with at least one word not in `own`
    (a concept may share words with another, never consist of them), and what it means."""
    echo: _Hit | None = None
    for tokens in _assign(slots, used, clause):
        if all(t.index in own for t in tokens):
            continue
        if pattern.kind != "any" and any(t.echo for t in tokens):
            continue  # the question's own phrase ("increasing the stride") is no claim of the student
        content = [t for t in tokens if t.content or t.fuzz]
        if content and all(t.stem in rubric.prompt_stems and not t.fuzz for t in content):
            shown = " ".join(t.text for t in sorted(tokens, key=lambda t: t.index))
            echo = echo or _Hit(pattern, tokens, "prompt", shown)
            continue
        cues = _negations(clause, tokens) if any(t.text.isalpha() for t in tokens) else []
        negated = len(cues) % 2 == 1
        span = [t.index for t in tokens] + cues
        last = max(span) + (1 if cues and max(cues) > max(t.index for t in tokens) else 0)
        shown = " ".join(t.text for t in clause.tokens if min(span) <= t.index <= last)
        if pattern.denied:
            if not negated:
                continue
            negated = False
        kind = pattern.kind
        if kind == "any":
            effect = "denied" if negated else "met"
        elif kind == "opposite":
            effect = "void" if negated else ("met" if counterfactual else "opposed")
        elif kind == "vague":
            effect = "void" if negated else "vague"
        else:
            effect = "void" if negated else "no_credit"
        return _Hit(pattern, tokens, effect, shown, tuple(cues))
    return echo


def _join(items: Sequence[str], word: str = "and") -> str:
    items = list(dict.fromkeys(items))
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def judge(rubric: Rubric, text: str) -> Judgement:
    """Judge `text` against `rubric`. Never raises for any str."""
    clauses = _clauses(text)
    _read_typos(clauses, rubric)
    _mark_echoes(clauses, rubric.prompt_sequence)
    _mark_restated(clauses, rubric.restates)
    for clause in clauses:
        _scope_cues(clause)
    counterfactual = _counterfactual_sentences(clauses, rubric.prompt_stems, rubric.rubric_stems)
    hits = [hit for clause in clauses for hit in _match(clause, rubric, clause.sentence in counterfactual)]
    content = [t for c in clauses for t in c.tokens if t.content]
    grammar = any(t.text in GRAMMAR for c in clauses for t in c.tokens)
    notes: list[str] = []
    if len(text) > MAX_CHARS:
        notes.append(f"Only the first {MAX_CHARS:,} characters were read.")
    typos = {(t.text, t.read_as) for h in hits if h.effect in ("met", "opposed", "denied")
             for t in h.tokens if t.fuzz == 1}
    if typos:
        notes.append("Read " + _join([f"“{a}” as “{b}”" for a, b in sorted(typos)]) + ".")

    hit_groups = {h.pattern.group for h in hits if h.effect in ("met", "vague")}
    own_words = [t for t in content if t.stem not in rubric.rubric_stems and t.stem not in rubric.prompt_stems
                 and t.text.isalpha()]
    short_items = len(clauses) >= 3 and all(len(c.tokens) <= 3 for c in clauses)
    bare_list = not grammar and (short_items or not own_words and (len(hit_groups) >= 2 or len(clauses) >= 2))
    by_group: dict[int, dict[str, list[_Hit]]] = {}
    for hit in hits:
        effect = hit.effect
        if effect == "met" and hit.fuzz >= 2:
            effect = "vague"
        if effect == "met" and bare_list and rubric.explain and hit.pattern.weight == 1:  # one bare term
            effect = "vague"  # a term in a list of terms: no statement, and a list earns nothing
        by_group.setdefault(hit.pattern.group, {}).setdefault(effect, []).append(hit)

    score = 0.0
    found, missing, unsure, wrong = [], [], [], []
    for g, group in enumerate(rubric.groups):
        effects = by_group.get(g, {})
        met, opposed = effects.get("met", []), effects.get("opposed", []) + effects.get("denied", [])
        vague, nothing = effects.get("vague", []), effects.get("no_credit", [])
        if met and opposed:
            unsure.append(f"“{met[0].quote()}” says {group.name}, but “{opposed[0].quote()}” says the opposite")
        elif met:
            score += group.points
            found.append(f"{group.name} (“{met[0].quote()}”)")
        elif opposed:
            if opposed[0].effect == "denied":
                wrong.append(f"“{opposed[0].quote()}” denies {group.name}")
            else:
                wrong.append(f"“{opposed[0].quote()}” says the opposite of {group.name}"
                             + (f": {group.note}" if group.note else ""))
            missing.append(group.name)
        elif vague and not bare_list:
            hit = vague[0]
            if hit.fuzz >= 2:
                spelled = next(t for t in hit.tokens if t.fuzz >= 2)
                unsure.append(f"“{spelled.text}” may be a misspelling of “{spelled.read_as}” ({group.name})")
            else:
                unsure.append(f"“{hit.quote()}” alone does not say {group.name}")
        else:
            if nothing:
                note = group.no_credit_note
                wrong.append(f"“{nothing[0].quote()}” earns nothing" + (f": {note}" if note else ""))
            missing.append(group.name)
    score = min(score, rubric.points)
    echoes = sorted({h.quote() for h in hits if h.effect == "prompt"})
    echo_note = f"{_join([f'“{e}”' for e in echoes[:3]])} {'is' if len(echoes) == 1 else 'are'} the question's own words"
    vague_any = any("vague" in e for e in by_group.values())

    if unsure:
        reason = "; ".join(unsure)
        partial = f" It found {_join(found)}." if found else ""
        return Judgement(0.0, "unsure", f"The grader cannot decide: {reason}.{partial}{MARK_YOURSELF}" + _tail(notes))
    copied = content and sum(t.stem in rubric.prompt_stems for t in content) >= COPIED * len(content)
    if not found and not wrong and echoes and len(content) >= LONG and not copied:
        return Judgement(0.0, "unsure", f"The grader cannot decide: {echo_note}, and nothing else of the "
                         f"rubric is there.{MARK_YOURSELF}" + _tail(notes))
    lines = []
    if found:
        lines.append(f"Found: {_join(found)}.")
    for line in wrong:
        lines.append(line[0].upper() + line[1:] + ("" if line.endswith((".", "!", "?")) else "."))
    if not found and copied and len(content) >= 3:
        lines.append("That repeats the question: it earns nothing.")
    elif echoes and not found:
        lines.append(f"{echo_note[0].upper()}{echo_note[1:]}: they earn nothing.")
    if bare_list and vague_any and not found:
        lines.append("A list of key words is not an explanation: say what happens and why.")
    if missing and (score > 0 or not lines):
        lines.append(("Missing: " if score > 0 else "The answer needs ") + _join(missing, "and") + ".")
    status = "correct" if score >= rubric.points else "partial" if score > 0 else "wrong"
    return Judgement(score, status, " ".join(lines) + _tail(notes))


def _tail(notes: list[str]) -> str:
    return (" " + " ".join(notes)) if notes else ""
