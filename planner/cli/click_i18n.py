"""Click's own words in the user's language: usage lines, the help and version options, the
headings of `--help`, its error messages, and the placeholders (metavars) of options.

Click looks its messages up with `gettext` functions imported into each of its modules
(`from gettext import gettext as _`), which read the process-wide default catalog. `install`
points those names at planner's catalog instead, where the messages below are marked for
translation (`tests/test_language.py` checks that every message of the installed click is
here, so an upgrade that adds one fails a test instead of leaking English). `adopt` gives a
command's usage line and placeholders their translated words; the CLI calls it on each
command when it is loaded.
"""

from __future__ import annotations

import importlib

import click

from planner.i18n import N_, N_plural, _, ngettext

#: The modules of click that translate messages.
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "shell_completion",
                 "termui", "types", "utils", "_termui_impl")

#: Every message click translates (click 8.5), so the catalog holds them.
CLICK_MESSAGES = (
    N_("Aborted!"), N_("deprecated"), N_("Options"), N_("Positional arguments"),
    N_("DeprecationWarning: The command {name!r} is deprecated.{extra_message}"),
    N_("Commands"), N_("Missing command."), N_("Value must be an iterable."),
    N_("DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}"),
    N_("Name '{name}' defined twice"),
    N_("Boolean option {decl!r} cannot use the same flag for true/false."),
    N_("Could not determine name for option with declarations {decls!r}"),
    N_("No options defined but a name was passed ({name}). Did you mean to declare an argument "
       "instead? Did you mean to pass '--{name}'?"),
    N_("env var: {var}"), N_("default: {default}"), N_("(dynamic)"),
    N_("Arguments take exactly one parameter declaration, got {length}: {decls}."),
    N_("Do you want to continue?"), N_("Confirm the action without prompting."),
    N_("%(prog)s, version %(version)s"), N_("Show the version and exit."),
    N_("Show this message and exit."), N_("Error: {message}"),
    N_("Try '{command} {option}' for help."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Missing argument"),
    N_("Missing option"), N_("Missing parameter"), N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"), N_("No such option {name!r}."),
    N_("No such command {name!r}."), N_("unknown error"),
    N_("Could not open file {filename!r}: {message}"), N_("Usage:"),
    N_("Invalid start character for option ({option})"),
    N_("Argument {name!r} takes {nargs} values."), N_("Option {name!r} does not take a value."),
    N_("Shell completion is not supported for Bash versions older than 4.4."),
    N_("Couldn't detect Bash version, shell completion is not supported."),
    N_("Repeat for confirmation"), N_("Error: The two entered values do not match."),
    N_("Error: invalid input"), N_("Unknown color {colour!r}"),
    N_("Press any key to continue..."), N_("Choose from:\n\t{choices}"),
    N_("Choice({choices})"), N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."), N_("file"), N_("directory"), N_("path"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."), N_("{name} {filename!r} is not executable."),
    N_("Unknown standard stream '{name}'"), N_("{editor}: Editing failed"),
    N_("{editor}: Editing failed: {e}"),
    # Passed through gettext by click without a literal: `_(extra["required"])`.
    N_("required"),
    # The names of planner's number types in click's messages.
    N_("integer"),
)

CLICK_PLURALS = (
    N_plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_plural("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."),
    N_plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    N_plural("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_plural("{value!r} does not match the format {format}.",
             "{value!r} does not match the formats {formats}."),
    N_plural("{len_type} values are required, but {len_value} was given.",
             "{len_type} values are required, but {len_value} were given."),
)

#: The placeholders of planner's options and arguments, and click's names of types.
METAVARS = (
    N_("[OPTIONS]"), N_("COMMAND [ARGS]..."), N_("[COMMAND] [ARGS]..."),
    N_("ADDRESS"), N_("CODE"), N_("CODE[:WEIGHT]"), N_("CRITERION=BOUND:POINTS,..."),
    N_("DATE"), N_("DAYS"), N_("EVIDENCE_ID"), N_("FILE"), N_("INDICATOR"), N_("INTEGER"),
    N_("INTEGER RANGE"), N_("LOGIN"), N_("N"), N_("NUMBER"), N_("OFFICE"), N_("OUTCOME"),
    N_("PATH|URL"), N_("PHRASE"), N_("STATE"), N_("TARGET"), N_("TEXT"), N_("TITLE"),
    N_("VALUE"), N_("YEAR"), N_("ROLE"), N_("STATUS"), N_("UNIT"), N_("FLOAT"), N_("PATH"), N_("DIRECTORY"),
    N_("ENTRY:HASH"), N_("POINTS"), N_("CODE=METHOD"), N_("[ID]"), N_("[TASK]"),
    N_("[CRITERIA]..."), N_("SCORE"), N_("[TASKS]..."), N_("READING_ID"),
    N_("[TASK|TASK@DATE]..."), N_("INDICATOR=VALUE"), N_("CRITERION=OUTCOME"), N_("PERIOD"), N_("TASK@DATE"), N_("NAME"),
)

_installed = False


class WholeNumber(click.types.IntParamType):
    """click's integer, named in the reader's language in its messages ("'abc' is not a valid
    integer")."""

    metavar_word = "INTEGER"

    @property
    def name(self) -> str:  # type: ignore[override]
        return _("integer")


class WholeNumberRange(click.IntRange):
    """click's integer range, named in the reader's language in its messages."""

    metavar_word = "INTEGER"

    @property
    def name(self) -> str:  # type: ignore[override]
        return _("integer")


WHOLE_NUMBER = WholeNumber()


def _click_gettext(message: str) -> str:
    return _(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n)


def install() -> None:
    """Make click translate its messages with planner's catalog, in the current language."""
    global _installed
    if _installed:
        return
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]
    _installed = True


def bare_metavar(param: click.Parameter, ctx: click.Context) -> str | None:
    """The word a parameter's placeholder is made of (`DATE`, `TEXT`, `CODE`), or None when
    its type lists its values (`[table|json]`)."""
    if param.metavar is not None:
        return param.metavar
    if param.type.get_metavar(param=param, ctx=ctx) is not None:
        return None
    if isinstance(param, click.Argument):
        return (param.name or "").upper()
    return getattr(param.type, "metavar_word", None) or param.type.name.upper()


def adopt(command: click.Command) -> click.Command:
    """Give `command` (and the subcommands it holds) its usage words in the current language."""
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = _("[OPTIONS]")
    if isinstance(command, click.Group) and command.subcommand_metavar in (
            "COMMAND [ARGS]...", "[COMMAND] [ARGS]..."):
        command.subcommand_metavar = _(command.subcommand_metavar)
    ctx = click.Context(command)
    for param in command.params:
        if isinstance(param, click.Option) and (param.is_flag or param.hidden):
            continue
        bare = bare_metavar(param, ctx)
        if bare:
            full = param.make_metavar(ctx)
            param.metavar = full.replace(bare, _(bare), 1)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            adopt(sub)
    return command
