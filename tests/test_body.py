"""The question's and the results' scrolling body restyles only itself when its focus changes
(tutor.widgets.body): what makes that safe is checked on the real stylesheet, and what it saves on
the real screen."""

from __future__ import annotations

from textual.css.model import CombinatorType

from tutor.app import make_app
from tutor.widgets.body import Body

SIZE = (80, 24)


def compounds(selector_set):
    """A selector chain's compound parts ("A.b:focus", then "C"), each a list of simple selectors."""
    parts = []
    for selector in selector_set.selectors:
        if not parts or selector.combinator != CombinatorType.SAME:
            parts.append([])
        parts[-1].append(selector)
    return parts


def styles_inside_by_focus(rule, node) -> bool:
    """Whether the rule styles something inside `node` by `node`'s focus: a part before the last that
    asks for :focus and that `node` matches (by Textual's own checks of type, class and id)."""
    for selector_set in rule.selector_set:
        for part in compounds(selector_set)[:-1]:
            if any("focus" in s.pseudo_classes for s in part) and all(s._check(node) for s in part):
                return True
    return False


async def test_no_rule_styles_what_is_in_the_body_by_the_bodys_focus():
    for number in (5, 6):
        app = make_app(question=number, animations=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            body = app.screen.query_one(Body)
            assert app.stylesheet.rules, "no rules to check"
            offending = [rule.css for rule in app.stylesheet.rules if styles_inside_by_focus(rule, body)]
            assert offending == []


def test_the_check_finds_a_rule_that_would():
    from textual.css.stylesheet import Stylesheet

    class Node:  # what the checks read of a node
        _css_type_names = frozenset({"Body", "VerticalScroll", "Widget"})
        _classes = frozenset()
        id = "body"

    sheet = Stylesheet()
    sheet.add_source("Body:focus Static { color: red; }  #body:focus > .x { color: red; }  Select:focus > Y { color: red; }"
                     "  Body:focus { color: red; }", read_from=("test", ""))
    sheet.parse()
    found = [styles_inside_by_focus(rule, Node()) for rule in sheet.rules]
    assert found == [True, True, False, False]


async def test_the_body_taking_and_leaving_the_focus_restyles_only_itself(monkeypatch):
    app = make_app(question=5, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        body = app.screen.query_one(Body)
        assert app.focused is body  # a question opens reading: the arrows scroll it
        styled = []
        real = type(app.stylesheet).apply
        monkeypatch.setattr(type(app.stylesheet), "apply",
                            lambda self, node, *a, **k: styled.append(node) or real(self, node, *a, **k))
        await pilot.press("tab")  # to the first answer box
        await pilot.pause()
        assert app.focused is not body
        inside = [node for node in styled if node is not body and body in node.ancestors and node.parent is not body]
        assert len(list(body.walk_children())) > 50 and len(inside) < 10, f"{len(inside)} restyled inside the body"
