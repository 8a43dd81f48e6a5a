"""Data as the widgets show it: literal text, never markup, never a terminal control sequence.

Textual reads a plain `str` given to a Static, a Label, a DataTable cell, a Select or
SelectionList prompt, a Tree label, a Rich Table cell or a command-palette hit as markup: an
office named `KH[/foo]TC` made the task form fail to open, and `[red]…[/red]` in a title
showed red. Whatever comes from the database or from what someone typed (names, titles, codes,
error messages that quote them) reaches a widget through `literal()` or `assemble()`: a Rich
`Text`, which is shown as it is, with control characters, bidi controls and undecodable bytes
made visible (`planner.domain.text.printable`). Strings of our own (labels, translated
messages without data) may stay markup.
"""

from __future__ import annotations

from rich.text import Text

from planner.domain.text import printable

__all__ = ["assemble", "literal", "safe"]


def safe(value: object, *, multiline: bool = False) -> str:
    """Data as printable text (still a str: for widgets that draw segments themselves)."""
    return printable(str(value), multiline=multiline)


def literal(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """`value` shown exactly as it is written, in `style`."""
    return Text(safe(value, multiline=multiline), style=style)


def assemble(*parts: object, multiline: bool = False) -> Text:
    """One line from parts: a `str` (data), a `(text, style)` pair, or a `Text` kept as it is."""
    text = Text()
    for part in parts:
        if isinstance(part, Text):
            text.append_text(part)
        elif isinstance(part, tuple):
            value, style = part
            text.append(safe(value, multiline=multiline), style=style)
        else:
            text.append(safe(part, multiline=multiline))
    return text
