"""A Tree with j/k as well as arrows."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Tree

from planner.domain.scoring import CriterionScore
from planner.i18n import _


class NavTree(Tree[CriterionScore]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", _("Down"), show=False, id="list.down"),
        Binding("k", "cursor_up", _("Up"), show=False, id="list.up"),
    ]
