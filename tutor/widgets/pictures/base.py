"""What every picture shares: the drawing, its text alternative, the key that shows it, the tints.

A picture draws a solver result as lines of rich Text (`draw`) and says the same numbers in words
(`describe`). The words are shown under the drawing when NO_COLOR is set (Textual's `app.no_color`)
and on the `d` key, so a student without colour or with a screen reader gets everything the
picture shows. Tints come from the component classes below, styled with the theme's colours; every
tint has a glyph beside it, so nothing is said by colour alone.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

WIDTH = 78  # every picture's lines fit in this many columns (80 less a scrollbar or border)


class Sheet(Widget):
    """Lines of Text that keep the largest size they have shown: a drawing of that size or smaller
    repaints in place, with no layout of the screen around it.

    A Static's update lays out the whole screen (every widget of a question screen, 10-20 ms) and,
    when its size changes, moves everything under it (11 KB to the terminal). A picture that changes
    size as the student types (the convolution's n: 6, 9, 6, ...) would do both on every key; a
    sheet grows when it must and then stays, so the screen does not jump while the numbers change.
    """

    DEFAULT_CSS = "Sheet { width: auto; height: auto; }"

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._text = Text()
        self.reserved = (0, 0)  # (columns, lines): the largest drawing shown so far

    @property
    def content(self) -> Text:
        """What it shows (as a Static's `content`)."""
        return self._text

    def render(self) -> Text:
        return self._text

    def forget_size(self) -> None:
        """Fit the next drawing again, smaller or larger (one layout then)."""
        self.reserved = (0, 0)
        self.styles.min_width = self.styles.min_height = None

    def show(self, text: Text, columns: int, lines: int) -> None:
        """Show `text`, `columns` wide and `lines` high: laid out again only if it is larger than before."""
        self._text = text
        width, height = self.reserved
        if columns > width or lines > height:
            self.reserved = (max(columns, width), max(lines, height))
            self.styles.min_width, self.styles.min_height = self.reserved
            self.refresh(layout=True)
        else:
            self.refresh()


class Picture(Vertical, can_focus=True):
    """A drawing over its text alternative; subclasses give `draw()` and `describe()`."""

    DEFAULT_CSS = """
    Picture {
        height: auto;
        width: 100%;
        & > .picture-drawing { height: auto; width: 100%; }
        & > .picture-text { height: auto; width: 100%; margin-top: 1; display: none; }
        &.-described > .picture-text { display: block; }
        &:focus { background-tint: $foreground 4%; }
        & > .picture--mark { text-style: bold; }
        & > .picture--current { color: $accent; text-style: bold; }
        & > .picture--window { background: $accent 30%; }
        & > .picture--winner { color: $success; text-style: bold; }
        & > .picture--padding { color: $foreground 40%; }
        & > .picture--muted { color: $text-muted; }
        & > .picture--positive { color: $primary; }
        & > .picture--negative { color: $error; }
    }
    """

    COMPONENT_CLASSES = {
        "picture--mark",
        "picture--current",
        "picture--window",
        "picture--winner",
        "picture--padding",
        "picture--muted",
        "picture--positive",
        "picture--negative",
    }

    BINDINGS = [
        Binding(
            "d", "toggle_description", "Describe", tooltip="Show or hide this picture in words",
            id="picture.describe",
        ),
    ]

    described: reactive[bool] = reactive(False)
    """Whether the text alternative shows under the drawing (on with NO_COLOR)."""

    _ready = False  # composed and mounted: the drawing's widgets exist

    def compose(self) -> ComposeResult:
        yield from self.compose_drawing()
        yield Static(classes="picture-text")

    def compose_drawing(self) -> ComposeResult:
        """The drawing's widgets: one Static by default; a picture may repaint parts of it alone."""
        yield Static(classes="picture-drawing")

    def on_mount(self) -> None:
        self._ready = True
        self.described = self.described or self.app.no_color
        self.repaint()

    def watch_described(self, described: bool) -> None:
        self.set_class(described, "-described")
        if described and self._ready:
            self.query_one(".picture-text", Static).update(self.describe())

    def action_toggle_description(self) -> None:
        self.described = not self.described

    def repaint(self) -> None:
        """Draw again from the current result, and say it again when the words are shown."""
        if not self._ready:
            return
        self.paint_drawing()
        if self.described:
            self.query_one(".picture-text", Static).update(self.describe())

    def paint_drawing(self) -> None:
        self.query_one(".picture-drawing", Static).update(self.draw())

    def settle(self) -> None:
        """Fit the drawing to what it shows now: its sheets forget the larger sizes they kept while
        the student typed (the editor calls it when a field is left)."""
        for sheet in self.query(Sheet):
            sheet.forget_size()
        self.repaint()

    def draw(self) -> RenderableType:
        raise NotImplementedError

    def describe(self) -> str:
        """The numbers the picture shows, in words (the text alternative)."""
        raise NotImplementedError

    def tint(self, name: str) -> Style:
        """The rich style of a component class ("window" for picture--window), only what it sets.

        The colours are blended over the picture's background (a tint of `$accent 30%` is the
        colour seen), and nothing else is set, so tints add up: window + winner keeps both.
        """
        component = f"picture--{name}"
        own = self.get_component_rich_style(component, partial=True)
        seen = self.get_component_rich_style(component)
        return own + Style(color=seen.color if own.color else None, bgcolor=seen.bgcolor if own.bgcolor else None)
