"""Reading a formula as a student types it (δ₁ᵀh₁ᵀ, delta1^T h1', W1.T @ d2.T) into a tree.

Why it exists: question 6 is graded on its formulas, so what a student types has to become an
expression tree that `tutor.formula_grading` can evaluate on the solver's numbers. This is our own
small recursive-descent parser: no eval, no sympify, no sympy and no numpy, so nothing typed can
run as code and importing it costs nothing. It knows no question: the symbols it reads (their
names and other spellings) come from the content. `tutor.formula_answer` reads whole answers
(a chain of '=', a shape after the formula) and works out a tree's shape.

- `parse_formula(text, names, aliases)` gives the tree (`Symbol` and `Op` nodes) or raises this
  module's `ParseError` with a plain reason; input length, tokens and nesting are bounded, so no
  text can make it recurse without end or run long.
- `show(tree)` writes a tree back as readable Unicode; it reads back as the same tree.

Notation read: symbols in Unicode or ASCII (δ₁ δ1 delta1 delta_1 d1, h₁ h_1 h1, W₁ W1 W_1 w1, ŷ yhat
y_hat, and a few LaTeX spellings such as \\delta_1 or \\hat{y}); transposes ᵀ ^T ' .T ⊤; products
by juxtaposition or * · × @ ⋅; elementwise ∘ ⊙ .* (and a lone letter o where no symbol is o);
sums and differences; parentheses (also [ ] and { }); the functions ReLU, ReLU′ (relu',
relu_prime), softmax and diag.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tutor.parsing import ParseError as _BaseParseError

__all__ = ["FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "MAX_TOKENS", "Node", "Op", "ParseError", "Symbol",
           "parse_formula", "show", "spellings"]

MAX_LENGTH = 300  # characters of one answer; the longest right answer is under 60
MAX_DEPTH = 30  # nested parentheses and calls
MAX_TOKENS = 120  # symbols, operators and brackets: bounds the depth of the tree


class ParseError(_BaseParseError):
    """The formula could not be read; the message is a plain reason fit to show the student."""


@dataclass(frozen=True)
class Symbol:
    """A symbol of the question, by its name as the content writes it; `typed` is an alias used."""

    name: str
    typed: str = field(default="", compare=False)  # the alias typed ("W" for W₁), "" for its own spellings


@dataclass(frozen=True)
class Op:
    """An operation: "T" (transpose), "neg", "mul", "hadamard", "add", "sub" or a function name."""

    op: str
    args: tuple[Symbol | Op, ...]


Node = Symbol | Op
FUNCTIONS = {"relu": "ReLU", "relu′": "ReLU′", "softmax": "softmax", "diag": "diag"}
_FUNCTION_SPELLINGS = {
    "relu": ("relu",),
    "relu′": ("relu'", "relu^'", "relu_prime", "reluprime", "relu_grad", "drelu", "relu_deriv"),
    "softmax": ("softmax",),
    "diag": ("diag",),
}
# Other ways to write a letter in ASCII (δ₁ as delta1 or d1); a symbol's own name always counts.
_ASCII = {
    "δ": ("delta", "d"), "ŷ": ("yhat", "y_hat", "haty", "hat_y"), "σ": ("sigma",), "α": ("alpha",),
    "β": ("beta",), "γ": ("gamma",), "ε": ("epsilon", "eps"), "η": ("eta",), "θ": ("theta",),
    "λ": ("lambda",), "μ": ("mu",),
}
_LATEX = [
    (re.compile(r"\\hat\s*\{\s*y\s*\}|\\hat\s+y\b"), "ŷ"),
    (re.compile(r"\^\s*\{?\s*\\top\s*\}?"), "^T"),
    (re.compile(r"\\(?:circ|odot)\b"), "∘"),
    (re.compile(r"\\(?:cdot|times)\b"), "·"),
    (re.compile(r"\\(?:left|right)\b|\\[,;! ]"), " "),
    (re.compile(r"\\(?:mathbf|boldsymbol|mathrm|operatorname|text|bm)\s*\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\([A-Za-z]+)"), r"\1"),  # \delta -> delta, then read as an ASCII spelling
]
_TRANSPOSES = re.compile(r"\^\s*[({]\s*[Tt⊤ᵀ]\s*[)}]|(?:\^\s*)?[ᵀᵗ⊤]")
_PRIMES = str.maketrans({c: "'" for c in "′’‘`´ʹ"})
_MINUS = str.maketrans({c: "-" for c in "−–—‒﹣－"})
_PRODUCT = "*·×@⋅∙"
_HADAMARD = "∘⊙○°"
_INDEX = re.compile(r"_\s*[({]\s*(\w+)\s*[)}]")


def _normalise(text: str) -> str:
    """One spelling for everything the tokens below read: ^T for transposes, ' for primes, ..."""
    for pattern, plain in _LATEX:
        text = pattern.sub(plain, text)
    text = _TRANSPOSES.sub("^T", text).translate(_PRIMES)
    text = unicodedata.normalize("NFKC", text).translate(_MINUS)  # δ₁ -> δ1, 𝛿 -> δ, Ｗ -> W
    text = _INDEX.sub(r"_\1", text)  # h_{1} -> h_1
    return text.translate(str.maketrans("[]{}", "()()"))


def spellings(name: str) -> tuple[str, ...]:
    """The ways to type the symbol `name`: "δ₁" -> δ1, δ_1, delta1, delta_1, d1, d_1."""
    plain = unicodedata.normalize("NFKC", name)
    found = re.fullmatch(r"(.*?)_?(\d+)", plain)
    base, index = (found.group(1), found.group(2)) if found else (plain, "")
    bases = (base, *_ASCII.get(base, ()))
    if not index:
        return tuple(dict.fromkeys((plain, *bases)))
    return tuple(dict.fromkeys(s for b in bases for s in (b + index, f"{b}_{index}")))


# ------------------------------------------------------------------------------------ tokens


@dataclass(frozen=True)
class _Token:
    kind: str  # "sym", "fn", "T", "(", ")", "+", "-", "*", "∘"
    text: str  # what was typed, for messages
    value: str = ""  # sym: the symbol's name; fn: the function
    alias: str = ""


def _quote(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


class _Lexicon:
    """The symbol spellings of one question, matched longest first, exactly or ignoring case."""

    def __init__(self, names: Iterable[str], aliases: Mapping[str, str]):
        self.names = tuple(names)
        self.exact: dict[str, tuple[str, str]] = {}
        for name in self.names:
            for spelling in spellings(name):
                self.exact.setdefault(spelling, (name, ""))
        for alias, name in aliases.items():
            for spelling in spellings(alias):
                self.exact.setdefault(spelling, (name, alias))
        folded: dict[str, set[tuple[str, str]]] = {}
        for spelling, target in self.exact.items():
            folded.setdefault(spelling.casefold(), set()).add(target)
        self.folded = {s: next(iter(t)) for s, t in folded.items() if len(t) == 1}
        self.longest = max((len(s) for s in self.exact), default=0)

    def match(self, text: str, at: int) -> tuple[int, str, str] | None:
        """(end, name, alias) of the longest spelling at `at`, or None."""
        for table, key in ((self.exact, str), (self.folded, str.casefold)):
            for length in range(min(self.longest, len(text) - at), 0, -1):
                piece = key(text[at: at + length])
                if piece in table:
                    return at + length, *table[piece]
        return None

    def listing(self) -> str:
        return " ".join(self.names)


def _function_at(text: str, at: int) -> tuple[int, str] | None:
    lower = text[at: at + 12].casefold()
    best = None
    for function, names in _FUNCTION_SPELLINGS.items():
        for spelling in names:
            if lower.startswith(spelling) and (best is None or len(spelling) > best[0] - at):
                best = (at + len(spelling), function)
    if best is None:
        return None
    end = best[0]
    if end < len(text) and (text[end].isalnum() or text[end] == "_") and not text[end - 1] == "'":
        return None  # "relux" is a word of its own, not ReLU then x
    return best


def _tokens(text: str, lexicon: _Lexicon) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "^":
            found = re.match(r"\^\s*[Tt]", text[i:])
            if not found:
                raise ParseError(f"{_quote(text[i:i + 4])}: only the transpose (^T) can follow ^")
            out.append(_Token("T", "ᵀ"))
            i += found.end()
        elif text.startswith(".*", i):
            out.append(_Token("∘", "∘"))
            i += 2
        elif text.startswith((".T", ".t"), i):
            out.append(_Token("T", "ᵀ"))
            i += 2
        elif ch == "'":
            out.append(_Token("T", "ᵀ"))
            i += 1
        elif ch in _PRODUCT:
            out.append(_Token("*", ch))
            i += 1
        elif ch in _HADAMARD:
            out.append(_Token("∘", "∘"))
            i += 1
        elif ch in "+-()":
            out.append(_Token(ch, ch))
            i += 1
        elif ch.isdigit():  # (also ² or 𐹠, digits to isdigit but not to \d: then the character alone)
            number = re.match(r"\d+(?:\.\d*)?", text[i:])
            raise ParseError(f"a number ({number.group() if number else ch}) is not part of these formulas:"
                             " use the symbols (the identity is I)")
        elif ch.isalpha() or ch == "_":
            function = _function_at(text, i)
            symbol = lexicon.match(text, i)
            if function and (symbol is None or function[0] >= symbol[0]):
                end, name = function
                rest = text[end:].lstrip()
                if not rest.startswith("("):
                    raise ParseError(f"{FUNCTIONS[name]} needs its argument in parentheses, e.g. "
                                     f"{FUNCTIONS[name]}(z₁)")
                out.append(_Token("fn", text[i:end], name))
                i = end
            elif symbol:
                end, name, alias = symbol
                out.append(_Token("sym", text[i:end], name, alias))
                i = end
            else:
                word = re.match(r"[\w]+", text[i:]).group()  # type: ignore[union-attr]
                if word == "o" and out:  # "a o b": the letter o typed for ∘, when no symbol is o
                    out.append(_Token("∘", "∘"))
                    i += 1
                    continue
                if word in ("T", "t"):
                    raise ParseError("write a transpose as ᵀ, ^T, ' or .T right after what it transposes")
                raise ParseError(f"{_quote(word)} is not a symbol of this question "
                                 f"(its symbols: {lexicon.listing()})")
        else:
            raise ParseError(f"{_quote(ch)} cannot be part of a formula here")
    return out


# ------------------------------------------------------------------------------------ parser


class _Parser:
    """expr := hterm (("+"|"-") hterm)*;  hterm := product ("∘" product)*;
    product := unary (["*"] unary)*;  unary := ("-"|"+") unary | postfix;
    postfix := primary "T"*;  primary := symbol | function "(" expr ")" | "(" expr ")"."""

    def __init__(self, tokens: list[_Token]):
        self.tokens, self.pos, self.depth = tokens, 0, 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"nested too deeply (more than {MAX_DEPTH} levels)")

    def parse(self) -> Node:
        if not self.tokens:
            raise ParseError("nothing typed")
        tree = self.expr()
        token = self.peek()
        if token is not None:
            if token.kind == ")":
                raise ParseError("a ')' has no '(' before it")
            raise ParseError(f"something is missing before {_quote(token.text)}")
        return tree

    def expr(self) -> Node:
        tree = self.hterm()
        while (token := self.peek()) is not None and token.kind in "+-":
            self.take()
            tree = Op("add" if token.kind == "+" else "sub", (tree, self.hterm()))
        return tree

    def hterm(self) -> Node:
        tree = self.product()
        while (token := self.peek()) is not None and token.kind == "∘":
            self.take()
            tree = Op("hadamard", (tree, self.product()))
        return tree

    def product(self) -> Node:
        tree = self.unary()
        while (token := self.peek()) is not None and token.kind in ("*", "sym", "fn", "("):
            if token.kind == "*":
                self.take()
            tree = Op("mul", (tree, self.unary()))
        return tree

    def unary(self) -> Node:
        signs = 0
        while (token := self.peek()) is not None and token.kind in "+-":
            self.take()
            signs += token.kind == "-"
        tree = self.postfix()
        return Op("neg", (tree,)) if signs % 2 else tree

    def postfix(self) -> Node:
        tree = self.primary()
        while (token := self.peek()) is not None and token.kind == "T":
            self.take()
            tree = Op("T", (tree,))
        return tree

    def primary(self) -> Node:
        token = self.peek()
        if token is None:
            last = self.tokens[-1].text if self.tokens else ""
            raise ParseError(f"the formula ends after {_quote(last)}: something is missing")
        if token.kind == "sym":
            self.take()
            return Symbol(token.value, token.alias)
        if token.kind in ("fn", "("):
            self.take()
            self.nest()
            if token.kind == "fn":
                self.take()  # its "(", checked by the tokenizer
            if (inner := self.peek()) is not None and inner.kind == ")":
                raise ParseError("empty parentheses: something is missing inside ( )")
            tree = self.expr()
            if (close := self.peek()) is None or close.kind != ")":
                raise ParseError("a '(' is not closed")
            self.take()
            self.depth -= 1
            return Op(token.value, (tree,)) if token.kind == "fn" else tree
        if token.kind == "T":
            raise ParseError("a transpose (ᵀ) with nothing before it to transpose")
        if token.kind == ")":
            raise ParseError("a ')' has no '(' before it, or something is missing before it")
        raise ParseError(f"something is missing before {_quote(token.text)}")


def parse_formula(text: str, names: Iterable[str], aliases: Mapping[str, str] | None = None) -> Node:
    """The tree of `text`, a formula in the symbols `names` (and `aliases`: spelling -> name).

    Raises ParseError, and nothing else, for anything typed.
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"too long for a formula ({len(text)} characters, at most {MAX_LENGTH})")
    lexicon = _Lexicon(names, aliases or {})
    tokens = _tokens(_normalise(text), lexicon)
    if len(tokens) > MAX_TOKENS:
        raise ParseError(f"too long for a formula (more than {MAX_TOKENS} symbols and signs)")
    return _Parser(tokens).parse()


# ------------------------------------------------------------------------------------ display

_LEVEL = {"add": 1, "sub": 1, "hadamard": 2, "mul": 3, "neg": 4, "T": 5}


def _level(node: Node) -> int:
    return _LEVEL.get(node.op, 6) if isinstance(node, Op) else 6


def show(node: Node) -> str:
    """The tree as readable Unicode: "δ₁ᵀh₁ᵀ", "(δ₁W₂ ∘ ReLU′(z₁)ᵀ)ᵀxᵀ", "ŷ − y"."""
    if isinstance(node, Symbol):
        return node.name

    def sub(child: Node, level: int) -> str:
        text = show(child)
        return f"({text})" if _level(child) < level else text

    op, args = node.op, node.args
    if op == "T":
        return sub(args[0], 5) + "ᵀ"
    if op == "neg":
        return "−" + sub(args[0], 5)
    if op == "mul":
        return sub(args[0], 3) + sub(args[1], 5)
    if op in ("add", "sub", "hadamard"):
        sign = {"add": " + ", "sub": " − ", "hadamard": " ∘ "}[op]
        return sub(args[0], _LEVEL[op]) + sign + sub(args[1], _LEVEL[op] + 1)
    return f"{FUNCTIONS[op]}({show(args[0])})"
