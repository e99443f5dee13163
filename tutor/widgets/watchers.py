"""Letting go of widgets that are gone: Textual's watchers of them, and its styles caches' cache.

`widget.watch(obj, name, callback)` (and `data_bind`, which uses it) keeps `(widget, callback)` on
`obj` until `obj.name` next changes; only then does Textual drop the entries of widgets that have
closed. A value that never changes keeps every widget that ever watched it alive, with its children
and render caches: the app's title (watched by each screen's Header) and the footer's `compact`
(bound by each of its keys, made again whenever the keys shown change).

And one cache: `StylesCache.get_inner_outer` is an `lru_cache` on a method, so its last 1024 keys
hold up to 1024 widgets' styles caches (each widget's rendered lines, with the strips cut from
them) long after the widgets are gone: about a megabyte for each question opened and left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["closed", "drop_watchers", "forget_styles_caches"]


def closed(node: Any) -> bool:
    """Whether a watcher's widget has closed (or is closing): removed from the screen for good."""
    return bool(getattr(node, "_closing", False) or getattr(node, "_closed", False))


def drop_watchers(obj: object, names: Iterable[str], gone: Callable[[Any], bool]) -> None:
    """Remove the watchers of `obj`'s reactives `names` whose widget is `gone`. Textual keeps them in
    `obj.__watchers` (name → [(widget, callback)]); if a later Textual keeps them elsewhere, this
    does nothing, and the widgets are let go as late as Textual lets them go."""
    watchers = getattr(obj, "__watchers", None)
    if not isinstance(watchers, dict):
        return
    for name in names:
        entries = watchers.get(name)
        if isinstance(entries, list):
            entries[:] = [entry for entry in entries if not (isinstance(entry, tuple) and entry and gone(entry[0]))]


def forget_styles_caches() -> None:
    """Empty `StylesCache.get_inner_outer`'s lru_cache (two Styles from two colours, made again on
    the next render), which keeps the styles caches of widgets that are gone. Call it when a screen
    goes. If a later Textual has no such cache, nothing is done."""
    try:
        from textual._styles_cache import StylesCache

        StylesCache.get_inner_outer.cache_clear()  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        pass
