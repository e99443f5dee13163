"""The rubric's statements found in one clause of an answer, and what each one means there.

Typos are read as rubric words first, the question's own phrases are flagged, then every pattern is
tried (more slots first, concepts before the rest, the tightest match), each on words no other
statement has used, and given its effect: met, denied, opposed, vague, no credit, void (a denied
opposite), or an echo of the question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tutor.judge.reading import Clause, Token, deletes, edit_distance, stem
from tutor.judge.rubric import KINDS, Pattern, Phrase, Rubric

SPAN = 12  # the most tokens from the first to the last slot of one statement  # the most tokens from the first to the last slot of one statement


@dataclass
class Hit:
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


def read_typos(clauses: list[Clause], rubric: Rubric) -> None:
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
                    for variant in deletes(typed, limit):
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


def mark_echoes(clauses: list[Clause], prompt: tuple[str, ...]) -> None:
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


def mark_restated(clauses: list[Clause], phrases: tuple[Phrase, ...]) -> None:
    """Flag the words of the part's `restates` phrases ("a larger stride" for "increasing the
    stride") like words copied from the prompt."""
    for clause in clauses:
        for phrase in phrases:
            for run in occurrences(clause, phrase):
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


def occurrences(clause: Clause, phrase: Phrase, index: dict[str, list[tuple[Token, ...]]] | None = None
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


def _assign(slots: list[list[tuple[Token, ...]]], used: set[int], clause: Clause,
            ordered: bool = False) -> list[tuple[Token, ...]]:
    """The ways to take one occurrence per slot, disjoint, unused, within SPAN tokens and, for an
    ordered pattern, in its order: those in one "and"-segment first, then the tightest."""
    ways = list(_ways(slots, used, ordered))
    return sorted(ways, key=lambda w: _spread(w, clause))


def _spread(tokens: tuple[Token, ...], clause: Clause) -> tuple[int, int]:
    indices = [t.index for t in tokens]
    segments = {clause.segment.get(i, 0) for i in indices}
    return (len(segments) > 1, max(indices) - min(indices))


def _ways(slots: list[list[tuple[Token, ...]]], used: set[int], ordered: bool = False) -> Iterable[tuple[Token, ...]]:
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
            if ordered and taken and occurrence[0].index <= taken[-1].index:
                continue
            together = taken + occurrence
            if max(t.index for t in together) - min(t.index for t in together) >= SPAN:
                continue
            yield from walk(k + 1, together)

    return walk(0, ())


def match_clause(clause: Clause, rubric: Rubric, counterfactual: bool) -> list[Hit]:
    """The statements of one clause: patterns with more slots first (of one slot, the longer
    phrase first), then concepts before the rest, then the match within one "and"-segment, then the tighter one. A word serves one
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
                        cache[phrase] = occurrences(clause, phrase, spellings)
                    found_here += cache[phrase]
                occ += _runs(found_here, clause) if found_here else []
            if not occ:
                break
            slots.append(occ)
        else:
            ways = _assign(slots, set(), clause, pattern.ordered)
            if ways:
                longer = -len(ways[0]) if len(pattern.slots) == 1 else 0  # "decrease dropout" before "dropout"
                key = (-pattern.weight, longer, order[pattern.kind], _spread(ways[0], clause), pattern.group)
                found.append((key, pattern, slots))
    found.sort(key=lambda f: f[0])
    used: set[int] = set()  # words of every statement found
    stated: set[int] = set()  # words of the concepts found, which another concept may share
    hits: list[Hit] = []
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
               counterfactual: bool, own: set[int] = frozenset()) -> Hit | None:
    """The first way `pattern` matches on words not in `used`, with at least one word not in `own`
    (a concept may share words with another, never consist of them), and what it means."""
    echo: Hit | None = None
    for tokens in _assign(slots, used, clause, pattern.ordered):
        if all(t.index in own for t in tokens):
            continue
        if pattern.kind != "any" and any(t.echo for t in tokens):
            continue  # the question's own phrase ("increasing the stride") is no claim of the student
        content = [t for t in tokens if t.content or t.fuzz]
        if content and all(t.stem in rubric.prompt_stems and not t.fuzz for t in content):
            shown = " ".join(t.text for t in sorted(tokens, key=lambda t: t.index))
            echo = echo or Hit(pattern, tokens, "prompt", shown)
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
        return Hit(pattern, tokens, effect, shown, tuple(cues))
    return echo
