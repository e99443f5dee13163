"""The judgement of a whole answer: points per group of the rubric, or "unsure", and the feedback.

A group is met, denied or opposed, vague, or missing; both met and opposed, or only vague (unless
the answer is a bare list of key words), makes the answer unsure; a long answer that only echoes
the question is unsure too, a copy of it is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tutor.judge.matching import Hit, mark_echoes, mark_restated, match_clause, read_typos
from tutor.judge.reading import GRAMMAR, MAX_CHARS, clauses_of, counterfactual_sentences, scope_cues
from tutor.judge.rubric import Rubric

LONG = 12  # content words from which an answer that only echoes the question is "unsure", not wrong
MARK_YOURSELF = " Compare your answer with the model answer and the rubric, and mark yourself."
COPIED = 0.8  # share of an answer's content words found in the prompt that makes it a copy


@dataclass(frozen=True)
class Judgement:
    """What the judge decided: status "correct", "partial", "wrong" or "unsure" (score 0: the
    student marks it), and feedback that quotes the clauses it read."""

    score: float
    status: str
    feedback: str


def _join(items: Sequence[str], word: str = "and") -> str:
    items = list(dict.fromkeys(items))
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def judge(rubric: Rubric, text: str) -> Judgement:
    """Judge `text` against `rubric`. Never raises for any str."""
    clauses = clauses_of(text)
    read_typos(clauses, rubric)
    mark_echoes(clauses, rubric.prompt_sequence)
    mark_restated(clauses, rubric.restates)
    for clause in clauses:
        scope_cues(clause)
    counterfactual = counterfactual_sentences(clauses, rubric.prompt_stems, rubric.rubric_stems)
    hits = [hit for clause in clauses for hit in match_clause(clause, rubric, clause.sentence in counterfactual)]
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
    by_group: dict[int, dict[str, list[Hit]]] = {}
    for hit in hits:
        effect = hit.effect
        if hit.fuzz >= 2:  # a maybe-typo ("produces" two edits from "reduces") decides nothing
            effect = "vague" if effect == "met" else "void" if effect != "vague" else effect
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
