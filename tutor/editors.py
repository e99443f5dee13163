"""Which live editor a question has, on which of its computations: the registry, without a UI.

Why it exists: the content names a question's live editor on the computations it edits
(`editor = "pooling"` in a `[computations.X]` table), and every editor recomputes by
`tutor.exam.evaluate(computation, **edited)`, never by calling the solver with arguments mapped by
hand. This registry says, for each kind of editor, what each of its computations is to it (a role),
which solver calls fill that role and which arguments the editor edits, so the loader (and
`itm528-tutor check`) says `q08.toml:31: computations.pool.editor: ...` for a content error instead
of the editor silently missing. `tutor.widgets.live` builds the widgets from `editor_of(question)`.
A kind may have pictures (`Picture`, drawn in tutor/widgets/pictures): `picture = "NAME"` on the
computation a picture draws shows it in the editor, checked here the same way.

What it must not depend on: Textual, numpy and the solver at import (the content is loaded at
start-up), and `tutor.exam`, which calls `check` (so the computations are duck-typed: name, call,
args, kwargs, editor, picture; and the loader hands `check` its own `evaluate` to prove an editor starts).
`Editor.starting_values` alone imports `tutor.solver`, for its defaults; only the widgets call it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from tutor.content_schema import Place, suggestion


@dataclass(frozen=True)
class Role:
    """What one computation is to an editor.

    calls: the tutor.solver calls that can fill it. edits: the arguments the editor shows and
    changes (an argument the content leaves out starts from the solver's default). needs: those the
    content must give. fed: arguments taken from an earlier role's result instead, arg -> role
    (its `.output`). optional: the editor works without this role.
    """

    name: str
    calls: tuple[str, ...]
    edits: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    fed: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    optional: bool = False


@dataclass(frozen=True)
class Picture:
    """A picture a kind of editor can show (tutor/widgets/pictures), drawn from the result of the
    editor's computation in role `draws` and redrawn as the numbers change.

    The content shows it by saying `picture = NAME` on that computation; which picture a question
    shows is the content's, how it is fed is the editor's.
    """

    name: str
    draws: str


@dataclass(frozen=True)
class Kind:
    """A kind of live editor: its roles, in the order they are computed, and the pictures it can show."""

    name: str
    roles: tuple[Role, ...]
    pictures: tuple[Picture, ...] = ()

    def role_for(self, call: str) -> Role | None:
        """The role a computation calling `call` fills, or None."""
        return next((role for role in self.roles if call in role.calls), None)

    def picture(self, name: str) -> Picture | None:
        """The kind's picture called `name`, or None."""
        return next((picture for picture in self.pictures if picture.name == name), None)


_CONV = ("n", "kernel", "stride", "padding")
_CHANNELS = ("in_channels", "out_channels", "kernel")
_NETWORK = ("x", "y", "W1", "b1", "W2", "b2")
KINDS: Mapping[str, Kind] = MappingProxyType({kind.name: kind for kind in (
    # the input and the window, stride, padding and mode; each window and its winner
    Kind("pooling", (Role("pool", ("pool2d",), edits=("x", "size", "stride", "padding", "mode"), needs=("x",)),),
         # the window's cells and winner marked by glyphs, linked to its output cell
         pictures=(Picture("pooling", draws="pool"),)),
    # inputs, weights, biases and targets; every unit and the loss
    Kind("forward", (
        Role("network", ("mlp_forward",), edits=("x", "layers"), needs=("x", "layers")),
        Role("loss", ("trace_half_squared_error",), edits=("t",), needs=("t",),
             fed=MappingProxyType({"o": "network"}), optional=True),
    ), pictures=(
        # the activations and their derivatives, and the gradient left after n layers at the
        # pre-activation of the hidden unit the editor's cursor is on
        Picture("activations", draws="network"),
    )),
    # the sizes d_x, d_h, n_c: the gradients' shapes, a numerical check, a typed formula's shape
    Kind("gradients", (Role("gradients", ("two_layer_gradients",), edits=(*_NETWORK, "activation"),
                            needs=_NETWORK),)),
    # logits and a label: softmax, loss and gradient; ŷ and ŷ − y as bars
    Kind("softmax", (Role("loss", ("trace_softmax_cross_entropy",), edits=("o", "y"), needs=("o", "y")),),
         pictures=(Picture("softmax_bars", draws="loss"),)),
    # n, k, p, s: the convolution's output size, and the transposed convolution's
    Kind("conv_size", (
        Role("conv", ("trace_conv_output_size",), edits=_CONV, needs=("n", "kernel")),
        Role("transposed", ("trace_conv_transpose_output_size",), edits=_CONV, needs=("n", "kernel")),
    ), pictures=(
        # the padded input, the kernel's positions and the output; the transposed convolution of
        # that output the other way (its n is the convolution's output)
        Picture("convolution", draws="conv"),
    )),
    # channels, kernel, bottleneck width, biases: each layer's parameters, the total, the saving
    Kind("params", (
        Role("plain", ("trace_conv_params",), edits=(*_CHANNELS, "bias"), needs=_CHANNELS),
        Role("bottleneck", ("trace_bottleneck_params",), edits=(*_CHANNELS, "mid_channels", "bias"),
             needs=(*_CHANNELS, "mid_channels")),
    )),
)})


class EditorError(ValueError):
    """A computation of an editor the solver refused: `computation` names it, `role` says what it
    is to the editor, the text says why (the solver's sentence)."""

    def __init__(self, computation: str, role: str, message: str):
        super().__init__(message)
        self.computation, self.role = computation, role


@dataclass(frozen=True)
class Editor:
    """A question's live editor: its kind, and the computation in each of its roles."""

    kind: Kind
    computations: Mapping[str, Any]  # role name -> tutor.exam.Computation
    picture: Picture | None = None  # the picture the content shows with it

    def computation(self, role: str) -> Any:
        """The computation in `role` (None for an optional role the content leaves out)."""
        return self.computations.get(role)

    def role(self, name: str) -> Role:
        """The role called `name` ("network", "loss")."""
        return next(role for role in self.kind.roles if role.name == name)

    def edits(self, role: str) -> tuple[str, ...]:
        """The arguments of `role`'s computation the editor changes."""
        return self.role(role).edits

    def starting_values(self, role: str) -> dict[str, Any]:
        """The numbers `role`'s edited arguments start from: the content's, else the solver's
        defaults (this imports tutor.solver, for its signatures)."""
        import inspect

        import tutor.solver as solver

        computation = self.computation(role)
        parameters = inspect.signature(getattr(solver, computation.call)).parameters
        return {name: computation.args[name] if name in computation.args else parameters[name].default
                for name in self.edits(role) if name in computation.args or name in parameters}


def _resolve(computations: Mapping[str, Any], *, needs: bool = True) -> tuple[Editor | None, list[tuple[str, ...]]]:
    """The editor the computations declare, and every (computation name, problem[, field]) of the
    declaration, the field "editor" unless said ("picture"); with `needs`, the arguments each role
    needs are looked for too."""
    marked = [c for c in computations.values() if getattr(c, "editor", "")]
    problems: list[tuple[str, ...]] = []
    if not marked:
        problems += [(c.name, "a picture shows in a live editor, and this question has none (no computation "
                              "says editor = \"...\")", "picture")
                     for c in computations.values() if getattr(c, "picture", "")]
        return None, problems
    first = marked[0]
    for c in marked:
        if c.editor not in KINDS:
            problems.append((c.name, f"'{c.editor}' is not a live editor (one of {', '.join(KINDS)})"
                             + suggestion(c.editor, KINDS)))
        elif c.editor != first.editor:
            problems.append((c.name, f"'{c.editor}', but computations.{first.name} is on the {first.editor} "
                                     "editor: a question has one live editor"))
    if problems:
        return None, problems
    kind, filled = KINDS[first.editor], {}
    picture = _picture(computations, kind, problems)
    for c in marked:
        role = kind.role_for(c.call)
        if role is None:
            takes = " or ".join(f"{call} ({r.name})" for r in kind.roles for call in r.calls)
            problems.append((c.name, f"the {kind.name} editor takes {takes}, not {c.call}"))
            continue
        if role.name in filled:
            problems.append((c.name, f"the {kind.name} editor already has its {role.name} in "
                                     f"computations.{filled[role.name].name}"))
            continue
        filled[role.name] = c
        missing = [name for name in role.needs if name not in c.args] if needs else []
        if missing:
            problems.append((c.name, f"the {kind.name} editor needs args {', '.join(missing)} of {c.call} "
                                     "(the exam's numbers it starts from)"))
    for role in kind.roles:
        if role.name not in filled and not role.optional:
            problems.append((first.name, f"the {kind.name} editor needs a {' or '.join(role.calls)} computation "
                                         f"too (its {role.name}), with editor = \"{kind.name}\""))
    if picture is not None and filled.get(picture.draws) is not None \
            and getattr(filled[picture.draws], "picture", "") != picture.name:
        shown = next(c for c in computations.values() if getattr(c, "picture", "") == picture.name)
        problems.append((shown.name, f"the {picture.name} picture draws the {kind.name} editor's {picture.draws} "
                                     f"(computations.{filled[picture.draws].name}): say picture = "
                                     f"\"{picture.name}\" there", "picture"))
    return (None if problems else Editor(kind, MappingProxyType(filled), picture)), problems


def _picture(computations: Mapping[str, Any], kind: Kind, problems: list) -> Picture | None:
    """The picture the computations show with their `kind` of editor (None if none), recording a
    name the kind does not know, or a second picture, as a problem of the `picture` field."""
    shown = [c for c in computations.values() if getattr(c, "picture", "")]
    found = None
    for c in shown:
        picture = kind.picture(c.picture)
        names = [p.name for p in kind.pictures]
        if picture is None:
            known = f"one of {', '.join(names)}" if names else "it has none"
            problems.append((c.name, f"'{c.picture}' is not a picture of the {kind.name} editor ({known})"
                             + suggestion(c.picture, names), "picture"))
        elif found is not None:
            problems.append((c.name, f"the {kind.name} editor already shows the {found.name} picture: "
                                     "an editor shows one", "picture"))
        else:
            found = picture
    return found


def editor_of(question: Any) -> Editor | None:
    """The live editor the question's computations declare, or None if they declare none.

    A declaration the loader would refuse (a question not loaded from content) raises ValueError
    with the loader's messages: an editor is never silently left out.
    """
    editor, problems = _resolve(getattr(question, "computations", {}))
    if problems:
        raise ValueError("; ".join(f"computations.{name}.{(*where, 'editor')[0]}: {message}"
                                   for name, message, *where in problems))
    return editor


def check(at: Place, computations: Mapping[str, Any], evaluate: Callable[..., Any] | None = None) -> None:
    """Record every problem of the computations' editor declaration at `computations.NAME.editor`.

    With `evaluate` (tutor.exam.evaluate, when the loader proves), also start the editor as the
    widget does (`run` on the exam's numbers) and record why it cannot where the loader's own proof
    does not already say it: a role fed by another's result (the forward editor's loss is computed
    on the network's output, not on the `o` of its args).
    """
    # proving, the solver's own refusal names a missing argument (every one an editor needs, the
    # solver needs): said once, at the computation
    editor, problems = _resolve(computations, needs=evaluate is None)
    for name, message, *where in problems:
        at.key(name).key((*where, "editor")[0]).problem(message)
    if editor is None or evaluate is None:
        return
    try:
        run(editor, evaluate)
    except EditorError as error:
        if editor.role(error.role).fed:  # any other failure is the computation's own: the loader's proof names it
            at.key(error.computation).key("editor").problem(
                f"the {editor.kind.name} editor cannot start from the exam's numbers: {error}")


def run(editor: Editor, evaluate: Callable[..., Any], edited: Mapping[str, Mapping[str, Any]] | None = None,
        ) -> dict[str, Any]:
    """Each role's result, in order: `evaluate(computation, **edited[role], **fed)`, where a fed
    argument is an earlier role's output. A solver's refusal is raised as an EditorError naming the
    computation, with the solver's sentence."""
    results: dict[str, Any] = {}
    for role in editor.kind.roles:
        computation = editor.computation(role.name)
        if computation is None:
            continue
        fed = {arg: results[source].output for arg, source in role.fed.items() if source in results}
        try:
            results[role.name] = evaluate(computation, **{**(edited or {}).get(role.name, {}), **fed})
        except (ValueError, TypeError, OverflowError) as error:  # impossible numbers, or (TypeError) args
            # that are not the call's: content that `check` refuses
            raise EditorError(computation.name, role.name, str(error)) from error
    return results


