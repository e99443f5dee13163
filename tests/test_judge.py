"""tutor.judge through tutor.grading.grade on the exam's real text parts: meaning, not key words.

The corpus tests/fixtures/text_answers.toml holds answers students write, each with what a teacher
would give; `corpus_figures` grades them all and the thresholds below are what the judge must keep.
`python tests/test_judge.py` prints the figures. The rest: the issue's examples, every negation cue,
British spellings against the content's terms, typos, the prompt copied back, key-word lists,
garbage, huge answers, any string (hypothesis), the self-mark, and malformed patterns.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.exam import ContentError, Part, TermGroup, load_exam
from tutor.grading import STATUSES, Grade, grade, self_credit, self_mark
from tutor.judge import MAX_CHARS, PatternError, compile_rubric, edit_distance, stem

EXAM = load_exam(prove=False)
CORPUS = Path(__file__).parent / "fixtures" / "text_answers.toml"
TEXT_PARTS = [(q.number, p) for q in EXAM.questions for p in q.parts if p.kind == "text"]

# What the judge must keep on the corpus (shares of each kind of answer).
RIGHT_ACCEPTED = 0.95  # right answers graded full marks
PARTIAL_EXACT = 0.90  # partial answers graded exactly the expected points
WRONG_REJECTED = 0.95  # wrong answers graded 0 and decided (not unsure); none may get full marks
UNSURE_FOUND = 0.80  # answers the corpus calls unsure, graded unsure
UNSURE_AT_MOST = 0.10  # of all answers graded unsure: "unsure" must stay rare


def part(number: int, label: str) -> Part:
    return next(p for p in EXAM.question(number).parts if p.label == label)


def corpus_figures() -> dict:
    """Grade every answer of the corpus; count by kind of answer and by outcome."""
    data = tomllib.loads(CORPUS.read_text(encoding="utf-8"))
    figures = {kind: {"total": 0, "as_expected": 0, "unsure": 0, "credited": 0, "full": 0, "misses": []}
               for kind in ("right", "partial", "wrong", "unsure")}
    for entry in data["part"]:
        p = part(entry["question"], entry["label"])
        tag = f"{entry['question']}({entry['label']})"
        cases = [("right", a, p.points) for a in entry.get("right", [])]
        cases += [("partial", item["answer"], item["score"]) for item in entry.get("partial", [])]
        cases += [("wrong", a, 0) for a in entry.get("wrong", [])]
        cases += [("unsure", a, None) for a in entry.get("unsure", [])]
        for kind, answer, want in cases:
            g = grade(p, answer)
            f = figures[kind]
            f["total"] += 1
            f["unsure"] += g.status == "unsure"
            f["credited"] += g.score > 0
            f["full"] += g.status == "correct"
            ok = g.status == "unsure" if kind == "unsure" else g.status != "unsure" and g.score == want
            f["as_expected"] += ok
            if not ok:
                f["misses"].append(f"{tag} {answer!r}: {g.status} {g.score:g} ({g.feedback})")
    return figures


def test_corpus_figures_keep_the_thresholds():
    f = corpus_figures()
    total = sum(k["total"] for k in f.values())
    unsure = sum(k["unsure"] for k in f.values())
    assert f["right"]["total"] >= 150 and f["wrong"]["total"] >= 100, "the corpus is the evidence: keep it large"
    assert f["right"]["as_expected"] >= RIGHT_ACCEPTED * f["right"]["total"], f["right"]["misses"]
    assert f["partial"]["as_expected"] >= PARTIAL_EXACT * f["partial"]["total"], f["partial"]["misses"]
    assert f["wrong"]["full"] == 0, f["wrong"]["misses"]  # a wrong answer never earns full marks
    assert f["wrong"]["as_expected"] >= WRONG_REJECTED * f["wrong"]["total"], f["wrong"]["misses"]
    assert f["unsure"]["as_expected"] >= UNSURE_FOUND * f["unsure"]["total"], f["unsure"]["misses"]
    assert unsure <= UNSURE_AT_MOST * total, f"{unsure} of {total} unsure"


def test_an_unsure_grade_gives_no_points_and_says_why():
    for number, p in TEXT_PARTS:
        for text in ("vanishing gradients", "number of parameters", "overfitting or underfitting", "it is cheaper"):
            g = grade(p, text)
            if g.status == "unsure":
                assert g.score == 0 and "cannot decide" in g.feedback and "mark yourself" in g.feedback


# The issue's examples -----------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "label", "answer"), [
    (3, "a", "not overfitting"),
    (3, "b", "dropout does not help"),
    (5, "a", "ReLU causes vanishing gradients"),
    (7, "a", "Padding shrinks the output and loses the borders"),
    (9, "c", "to increase the number of parameters"),
    (10, "b", "identity residual degradation"),
    (3, "b", "regularization"),
])
def test_the_issues_wrong_answers_earn_nothing(number, label, answer):
    g = grade(part(number, label), answer)
    assert (g.status, g.score) == ("wrong", 0), g


@pytest.mark.parametrize(("number", "label", "answer"), [
    (3, "b", "augment the data"), (3, "b", "stop training early"), (3, "b", "simpler model"),
    (9, "c", "reduces computational cost"),
])
def test_the_remedies_the_rubric_lists_earn_full_marks(number, label, answer):
    assert grade(part(number, label), answer).status == "correct"


def test_the_feedback_quotes_what_was_read():
    assert "“not overfitting” denies overfitting" in grade(part(3, "a"), "not overfitting").feedback
    g = grade(part(7, "a"), "Padding shrinks the output and loses the borders")
    assert "“shrinks the output” says the opposite of keeps the size" in g.feedback
    assert "A list of key words is not an explanation" in grade(part(10, "b"), "identity residual degradation").feedback
    assert "no score for the bare word" in grade(part(3, "b"), "regularization").feedback


# Negation, opposites, counterfactuals -------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    "not overfitting", "It isn't overfitting.", "it's never overfitting", "There is no overfitting.",
    "It cannot be overfitting.", "it can't be overfitting", "the model doesnt overfit", "It is not over-fitting.",
])
def test_every_negation_cue_denies(answer):
    g = grade(part(3, "a"), answer)
    assert (g.status, g.score) == ("wrong", 0), g


def test_a_negation_reaches_only_its_own_clause():
    assert grade(part(3, "a"), "It is overfitting, not underfitting.").status == "correct"
    assert grade(part(3, "a"), "Not only overfitting: the model memorises the noise.").status == "correct"
    assert grade(part(3, "b"), "Dropout is not the only option; weight decay works too.").status == "unsure"


def test_without_negates_the_next_word_only():
    g = grade(part(7, "a"), "Padding keeps the size without losing the borders.")
    assert g.status == "correct", g
    assert grade(part(3, "b"), "train without dropout").score == 0


def test_a_denied_concept_is_not_its_opposite_and_a_denied_opposite_is_void():
    assert grade(part(7, "c"), "It is not the inverse of a convolution.").score == 0  # nothing said
    assert "denies" not in grade(part(7, "c"), "It is not the inverse of a convolution.").feedback
    assert grade(part(7, "a"), "The output does not shrink.").score == 1  # "not <shrink>" is the point


def test_right_and_opposite_in_one_answer_is_unsure():
    for number, label, answer in [(3, "a", "overfitting or underfitting"),
                                  (7, "a", "Padding keeps the size but shrinks the output."),
                                  (3, "b", "dropout does not help, use weight decay")]:
        assert grade(part(number, label), answer).status == "unsure", answer


def test_a_counterfactual_states_the_point():
    assert grade(part(7, "a"), "Without padding the output would shrink.").score == 1
    assert grade(part(7, "a"), "If we don't pad, the output gets smaller.").score == 1
    assert grade(part(7, "a"), "Otherwise the output shrinks and the corners are ignored.").score == 2
    assert grade(part(7, "a"), "Padding shrinks the output without losing the borders.").score == 1  # half wrong


def test_direction_words_count_only_in_the_right_direction():
    b = part(7, "b")
    assert grade(b, "the output gets smaller").score == 1
    assert grade(b, "the output gets larger").score == 0
    assert grade(b, "A larger stride makes the output smaller").score == 1  # "larger" is the stride's
    assert grade(part(9, "c"), "It increases the number of parameters.").score == 0
    assert grade(part(9, "c"), "It decreases the number of parameters.").score == 2
    assert grade(part(7, "c"), "It makes the feature map larger.").score == 1
    assert grade(part(7, "c"), "It makes the feature map smaller.").score == 0


def test_who_does_what_ordered_slots_and_comparatives():
    a = part(5, "a")
    assert grade(a, "The sigmoid saturates, ReLU does not.").status == "correct"
    assert grade(a, "ReLU saturates more than the sigmoid.").score == 0
    assert grade(a, "The sigmoid avoids vanishing gradients better than ReLU.").score == 0
    assert grade(a, "the vanishing gradients of the sigmoid").status == "correct"
    assert grade(part(3, "b"), "Decrease dropout.").score == 0
    assert grade(part(3, "b"), "Reduce overfitting with dropout.").status == "correct"
    assert grade(part(7, "b"), "A smaller stride makes the output smaller.").score == 0
    with pytest.raises(PatternError, match="not both"):
        compile_rubric([TermGroup(("a ... b + c",), 1)], {})


def test_the_opposite_of_is_a_negation():
    assert grade(part(3, "a"), "The opposite of overfitting.").score == 0
    assert grade(part(7, "c"), "It does the opposite of downsampling: it upsamples.").status == "correct"


def test_a_maybe_typo_never_counts_against():
    # "produces" is two edits from "reduces": not read as "reduces the output"
    g = grade(part(7, "c"), "It produces a larger feature map from a smaller one, undoing the spatial reduction.")
    assert g.status == "correct", g


def test_a_formula_in_parentheses_is_not_a_clause_and_a_remark_is():
    assert grade(part(2, "b"), "what is left is (1/2σ²)·Σ squared errors").score == 1.5
    assert grade(part(7, "c"), "It restores the shape (not the values) and upsamples.").status == "correct"


def test_7c_gives_nothing_for_inverse():
    for answer in ("the inverse of convolution", "It inverts the convolution.", "It is an inverse operation."):
        g = grade(part(7, "c"), answer)
        assert g.score == 0 and "not the inverse of a convolution" in g.feedback, g
    assert grade(part(7, "c"), "It reverses the downsampling, restoring the shape.").score == 1


# The question's own words, lists, garbage ---------------------------------------------------------


def test_the_prompt_copied_back_earns_nothing_on_every_text_part():
    for number, p in TEXT_PARTS:
        for text in (p.prompt, p.prompt.lower().rstrip("?")):
            g = grade(p, text)
            assert (g.status, g.score) == ("wrong", 0), (number, p.label, g)


@pytest.mark.parametrize(("number", "label", "answer"), [
    (2, "b", "constant, squared error, maximum likelihood"),
    (2, "b", "Gaussian noise, MSE, maximum likelihood, constant"),
    (5, "a", "relu, sigmoid, vanishing, saturation"),
    (7, "a", "padding, size, edges"),
    (7, "b", "smaller, skip"),
    (10, "b", "identity residual degradation"),
    (10, "b", "shortcut, residual, easier training"),
])
def test_a_bare_list_of_key_words_earns_nothing(number, label, answer):
    g = grade(part(number, label), answer)
    assert g.score == 0 and g.status == "wrong", g


def test_a_list_of_statements_is_not_a_bare_list():
    assert grade(part(10, "b"), "Identity mapping, residual learning, no degradation.").score == 3
    assert grade(part(7, "b"), "output smaller, kernel skips pixels").score == 2
    assert grade(part(3, "b"), "dropout, weight decay").score == 3  # naming parts take lists


@pytest.mark.parametrize("answer", ["", "   ", "?!  ...", "—", "ζζζ"[:0]])
def test_empty_and_wordless_answers_are_not_read(answer):
    for _, p in TEXT_PARTS:
        assert grade(p, answer).status == "invalid"


@pytest.mark.parametrize("answer", ["asdf qwer", "1234", "lorem ipsum dolor sit amet", "the the the", "σσσ"])
def test_garbage_earns_nothing(answer):
    for _, p in TEXT_PARTS:
        g = grade(p, answer)
        assert g.score == 0 and g.status in ("wrong", "unsure"), (p.label, g)


def test_a_huge_answer_is_refused_and_a_long_one_read_up_to_the_cap():
    from tutor.parsing import MAX_LENGTH

    p = part(7, "a")
    sentence = "Padding keeps the output size and the edges are used as often as the centre. "
    huge = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    g = grade(p, huge)  # the grader's rule for every kind: too long to be an answer
    assert g.status == "invalid" and "Too long (100,000 characters)" in g.feedback
    long = huge[:MAX_LENGTH]
    g = grade(p, long)
    assert g.status == "correct" and f"first {MAX_CHARS:,} characters" in g.feedback
    assert grade(p, long[:MAX_CHARS]).score == g.score
    late = ("x " * MAX_LENGTH)[: MAX_LENGTH - 60] + "Padding keeps the output size and the edges are used."
    assert grade(p, late).score == 0  # beyond the cap: not read, and said so
    assert "were read" in grade(p, late).feedback


# Spellings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("british", "american"), [
    ("normalisation", "normalization"), ("regularisation", "regularization"), ("minimise", "minimize"),
    ("minimising", "minimizing"), ("optimisation", "optimization"), ("utilised", "utilized"),
    ("generalise", "generalize"), ("analyse", "analyze"), ("memorises", "memorizes"),
])
def test_british_spellings_stem_like_american(british, american):
    assert stem(british) == stem(american)


@pytest.mark.parametrize(("number", "label", "answer", "score"), [
    (3, "b", "batch normalisation", 3),
    (3, "b", "L2 regularisation", 3),
    (3, "b", "regularisation", 0),  # the key's "no score", in British spelling too
    (9, "c", "to minimise the number of parameters", 2),
    (10, "b", "optimisation becomes easier", 1),
    (7, "a", "the border pixels are utilised", 1),
    (2, "b", "the normalising term is a constant", 1),
])
def test_british_spellings_match_the_contents_terms(number, label, answer, score):
    assert grade(part(number, label), answer).score == score


def test_a_typo_of_one_letter_is_read_with_a_note():
    g = grade(part(3, "a"), "ovrfitting")
    assert g.status == "correct" and "Read “ovrfitting” as" in g.feedback
    assert grade(part(9, "c"), "It reduces the number of paramters.").status == "correct"
    assert grade(part(5, "a"), "it prevents the vanshing gradient problem").status == "correct"


def test_two_typos_in_a_long_word_are_unsure_and_in_a_short_one_nothing():
    assert grade(part(3, "b"), "augmentatoin").status == "correct"  # a swap is one edit
    g = grade(part(3, "b"), "agmentaton")  # augmentation: two edits, 10 letters
    assert g.status == "unsure" and "“agmentaton” may be a misspelling of “augmentation”" in g.feedback
    g = grade(part(7, "c"), "upsmplng")  # two edits from "upsampling", 8 letters
    assert g.status == "unsure" and "misspelling" in g.feedback
    assert grade(part(7, "b"), "the kernel moves faster").score == 0  # faster is not a typo of farther


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("overfititng", "overfitting") == 1
    assert edit_distance("kitten", "sitting") == 3  # capped at limit + 1
    assert edit_distance("same", "same") == 0


# Any string ---------------------------------------------------------------------------------------


def well_formed(g: Grade, p: Part) -> None:
    assert isinstance(g, Grade) and g.status in STATUSES and g.points == p.points
    assert 0 <= g.score <= g.points and g.feedback
    if g.status in ("invalid", "unsure", "wrong"):
        assert g.score == 0
    assert (g.status == "correct") == (g.score == g.points)
    assert g.score * 2 == int(g.score * 2)


VOCABULARY = sorted({w for _, p in TEXT_PARTS for _, entries in p.words for e in entries for w in e.split()}
                    | {"not", "no", "without", "never", "otherwise", "if", "because", ",", ";", ".", "->", "and"})


@settings(deadline=None, max_examples=200)
@given(st.sampled_from([p for _, p in TEXT_PARTS]), st.text())
def test_any_string_gives_a_grade(p, text):
    well_formed(grade(p, text), p)


@settings(deadline=None, max_examples=200)
@given(st.sampled_from([p for _, p in TEXT_PARTS]), st.lists(st.sampled_from(VOCABULARY), max_size=40))
def test_any_sentence_of_rubric_words_gives_a_grade(p, words):
    well_formed(grade(p, " ".join(words)), p)


# Inputs this long are the point; hypothesis's data_too_large check otherwise fails the run at random.
@settings(deadline=None, max_examples=20, suppress_health_check=[HealthCheck.data_too_large])
@given(st.sampled_from([p for _, p in TEXT_PARTS]), st.text(min_size=3000, max_size=6000))
def test_long_strings_give_a_grade(p, text):
    well_formed(grade(p, text), p)


# The student's own mark ---------------------------------------------------------------------------


@pytest.mark.parametrize(("points", "half"), [(2, 1), (3, 1.5), (4, 2), (1, 0.5), (5, 2.5)])
def test_self_mark_of_a_text_part(points, half):
    p = Part("a", points, "text", "", "", "", "x", terms=(TermGroup(("x",), points),))
    assert self_credit(p) == half
    assert (self_mark(p, "full").score, self_mark(p, "full").status) == (points, "correct")
    assert (self_mark(p, "partial").score, self_mark(p, "partial").status) == (half, "partial")
    assert "ours" in self_mark(p, "partial").feedback
    assert (self_mark(p, "none").score, self_mark(p, "none").status) == (0, "wrong")
    assert self_mark(p, "great").status == "invalid" and self_mark(p, "").status == "invalid"


def test_self_mark_of_a_derivation_uses_its_partial_points():
    p = part(2, "a")
    assert self_mark(p, "partial").score == p.partial_points == grade(p, "partial").score


# Patterns -----------------------------------------------------------------------------------------


def test_pattern_errors_say_what_is_wrong():
    group = TermGroup(("<missing> + x",), 1, "g")
    with pytest.raises(PatternError, match=r"no class <missing>"):
        compile_rubric([group], {})
    with pytest.raises(PatternError, match="contains itself"):
        compile_rubric([TermGroup(("<a>",), 1)], {"a": ["<b>"], "b": ["<a>"]})
    with pytest.raises(PatternError, match="empty alternative"):
        compile_rubric([TermGroup(("a|| b",), 1)], {})
    with pytest.raises(PatternError, match="alone in its alternative"):
        compile_rubric([TermGroup(("the <a> thing",), 1)], {"a": ["x"]})
    compile_rubric([TermGroup(("f(x)+x", "not <a> + b|c", ">>>"), 1)], {"a": ["x", "<b>"], "b": ["y"]})


def test_the_loader_reports_a_bad_pattern_with_its_line(tmp_path):
    from tutor.paths import default_content_dir

    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    q7 = content / "q07.toml"
    text = q7.read_text(encoding="utf-8")
    assert text.count('any = ["<skip>"') == 1
    q7.write_text(text.replace('any = ["<skip>"', 'any = ["<skipz>"'), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_exam(content, prove=False)
    line = next(n for n, l in enumerate(q7.read_text(encoding="utf-8").splitlines(), 1) if "<skipz>" in l)
    assert any(p.startswith(f"q07.toml:{line}: parts[b].terms[skips positions].any:") and "no class <skipz>" in p
               for p in error.value.problems), error.value.problems


def test_every_text_part_explains_its_unsure_and_its_ours():
    for number, p in TEXT_PARTS:
        assert p.terms and all(g.name for g in p.terms)
        assert "ours" in p.rubric.lower(), (number, p.label)  # partial credit the key does not state


if __name__ == "__main__":
    figures = corpus_figures()
    total = sum(k["total"] for k in figures.values())
    for kind, f in figures.items():
        print(f"{kind:8} {f['as_expected']:4} of {f['total']:4} as expected · {f['unsure']} unsure · "
              f"{f['credited']} earned points · {f['full']} full marks")
        for miss in f["misses"]:
            print("         ", miss)
    print(f"unsure overall: {sum(k['unsure'] for k in figures.values())} of {total}")
