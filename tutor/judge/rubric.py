"""A part's rubric data, compiled: patterns over word classes, in the order they are tried.

The syntax is documented in tutor.judge. A pattern that cannot be read, or names a class the part
does not have, raises PatternError with what is wrong (the loader turns it into a file:line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tutor.judge.reading import FUNCTION, deletes, stem, words_of


class PatternError(ValueError):
    """A rubric pattern that cannot be read, or names a class the part does not define."""


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
    ordered: bool = False  # "a ... b": the slots in this order ("sigmoid ... <saturate>")

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


def forms_of(words: Sequence[str]) -> set[str]:
    """Two spellings of a run of words: the stem of them joined, and their stems joined."""
    return {stem("".join(words)), "".join(stem(w) for w in words)}


def make_phrase(text: str, where: str) -> Phrase:
    words = tuple(words_of(text))
    if not words:
        raise PatternError(f"{where}: '{text}' has no words")
    return Phrase(words, frozenset(forms_of(words)), len(words))


def _expand(alternative: str, words: Mapping[str, Sequence[str]], where: str, seen: tuple[str, ...] = (),
            build: bool = True) -> list[Phrase]:
    """The phrases an alternative stands for; with build=False only checked (no phrases: cheap)."""
    alternative = alternative.strip()
    match = re.fullmatch(r"<\s*([\w-]+)\s*>", alternative)
    if match is None:
        if re.search(r"<\s*[\w-]+\s*>", alternative):
            raise PatternError(f"{where}: a class stands alone in its alternative, not in '{alternative}'")
        if not build:
            return []  # (whether it has words is the phrase's to say: "=" has, read as "equals")
        return [make_phrase(alternative, where)]
    name = match.group(1)
    if name not in words:
        known = ", ".join(sorted(words)) or "none"
        raise PatternError(f"{where}: no class <{name}> in the part's words (it has: {known})")
    if name in seen:
        raise PatternError(f"{where}: the class <{name}> contains itself ({' -> '.join(seen + (name,))})")
    out: list[Phrase] = []
    for entry in words[name]:
        for alt in entry.split("|"):
            out += _expand(alt, words, f"{where} <{name}>", seen + (name,), build)
    return out


def parse_pattern(source: str, words: Mapping[str, Sequence[str]], kind: str = "any", group: int = 0,
                  *, build: bool = True) -> Pattern:
    """Read one pattern (see the module docstring); raises PatternError with what is wrong. With
    build=False the pattern is only checked (its slots stay empty): what loading the content does."""
    text = source.strip()
    denied = False
    if re.match(r"not\s", text):
        denied, text = True, text[3:].strip()
    if not text:
        raise PatternError(f"'{source}' is empty")
    ordered = bool(re.search(r"\s\.\.\.\s", text))
    if ordered and re.search(r"\s\+\s", text):
        raise PatternError(f"'{source}': join its slots with ' + ' (any order) or ' ... ' (in order), not both")
    slots = []
    for slot in re.split(r"\s\+\s|\s\.\.\.\s", text):
        alternatives = [a for a in slot.split("|")]
        if any(not a.strip() for a in alternatives):
            raise PatternError(f"'{source}': an empty alternative in '{slot}'")
        slots.append(tuple(tuple(_expand(alt, words, f"'{source}'", build=build)) for alt in alternatives))
    return Pattern(source, tuple(slots), denied, kind, group, ordered)


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
            raw += words_of(entry.replace("<", " ").replace(">", " "))
    for w in raw:
        spelled.setdefault(stem(w), w)
    rubric_stems = set(spelled)
    prompt_stems = frozenset(stem(w) for w in words_of(prompt) if w not in FUNCTION)
    known = set(rubric_stems) | prompt_stems | {stem(w) for t in texts for w in words_of(t)}
    index: dict[str, set[str]] = {}
    typo_stem: dict[str, str] = {}
    for written in set(rubric_stems) | {w.lower() for w in raw}:
        if written.isalpha() and len(written) >= 4:
            typo_stem.setdefault(written, stem(written))
            for variant in deletes(written):
                index.setdefault(variant, set()).add(written)
    total = float(points) if points is not None else sum(g.points for g in built)
    sequence = tuple(stem(w) for w in words_of(prompt))
    return Rubric(tuple(built), tuple(patterns), prompt_stems, sequence, frozenset(rubric_stems), frozenset(known),
                  {k: frozenset(v) for k, v in index.items()}, typo_stem, spelled, bool(explain),
                  tuple(make_phrase(r, f"restates '{r}'") for r in restates), total)
