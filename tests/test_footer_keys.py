"""The footer's keys are styled once as they mount, compact from the start (tutor.widgets.footer)."""

from __future__ import annotations

from collections import Counter

from textual.css.stylesheet import Stylesheet
from textual.widgets._footer import FooterKey

from tutor.app import make_app


async def test_each_footer_key_is_styled_once_and_compact_and_follows_the_footer(monkeypatch):
    styled = Counter()
    real = Stylesheet.apply
    monkeypatch.setattr(Stylesheet, "apply", lambda self, node, *a, **k: (
        styled.update([id(node)]) if isinstance(node, FooterKey) else None) or real(self, node, *a, **k))
    app = make_app(question=5, animations=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one("SteadyFooter")
        keys = list(footer.query(FooterKey))
        assert footer.compact and len(keys) > 5
        assert all(key.has_class("-compact") and key.compact for key in keys)
        assert [styled[id(key)] for key in keys] == [1] * len(keys)  # was 2: again when compact was bound
        footer.compact = False  # the bound keys still follow it (the palette's key is not bound, in Textual)
        await pilot.pause()
        bound = [key for key in footer.query(FooterKey) if not key.has_class("-command-palette")]
        assert bound and not any(key.has_class("-compact") for key in bound)
