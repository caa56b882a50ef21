"""Numbers in the prose, written out where every reader sees them and tied to the run.

A chapter quotes numbers from its own run ("the model reaches 97.7%"). The code records each
one with myst-nb's ``glue(name, value, display=False)``; the Markdown writes the number as a
literal inside a marked span::

    the model reaches <span data-glue="bin_acc:.1%">97.7%</span> accuracy

Jupyter, Colab, GitHub and the site all render the span as its text, so the number is visible
everywhere (a MyST ``{glue:text}`` role shows as raw markup outside the site). The key is the
glue name, optionally followed by ``:`` and a format spec, as in the role it replaces; the text
is the stored value formatted exactly as myst-nb formats it.

``make execute`` calls :func:`refresh` after running a notebook, so the literals follow the
run; the test ``tests/test_prose_numbers.py`` calls :func:`stale` on every stored notebook, and
nbval checks that the stored glue values are the ones a fresh run records.

Usage::

    python -m tools.prose_numbers notebooks/*.ipynb          # report stale or unknown numbers
    python -m tools.prose_numbers --write notebooks/*.ipynb  # rewrite them from the stored values
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

import nbformat

from tools.nbio import NotebookError, read_notebook, write_notebook

SPAN = re.compile(r'<span data-glue="(?P<key>[^"]+)">(?P<text>[^<]*)</span>')
ROLE = re.compile(r"\{glue(?::text)?\}`(?P<key>[^`]+)`")
TEXT_MIME = "text/plain"


class GlueError(Exception):
    """A span names a value that the notebook never glued."""


def split_key(key: str) -> tuple[str, str]:
    """``"acc:.1%"`` -> ``("acc", ".1%")``; without a spec, myst-nb's default ``"s"``."""
    name, colon, spec = key.partition(":")
    return (name, spec) if colon else (name, "s")


def stored_values(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Each glued name mapped to the ``text/plain`` value its code cell's output stores."""
    values: dict[str, str] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if not scrapbook:
                continue
            mime = scrapbook.get("mime_prefix", "") + TEXT_MIME
            if mime in output.get("data", {}):
                values[scrapbook["name"]] = output["data"][mime]
    return values


def literal(key: str, values: dict[str, str]) -> str:
    """The text a span with ``key`` must show, formatted as myst-nb's ``{glue:text}`` would."""
    from myst_nb.core.variables import format_plain_text  # here, so tools.execute runs without myst-nb

    name, spec = split_key(key)
    if name not in values:
        raise GlueError(f"no glued value named {name!r} (glue it in a code cell first)")
    return html.escape(format_plain_text(values[name], spec), quote=False)


def span(key: str, values: dict[str, str]) -> str:
    """A complete marked span for ``key``."""
    return f'<span data-glue="{key}">{literal(key, values)}</span>'


def stale(nb: nbformat.NotebookNode) -> list[str]:
    """Problems in the prose: raw glue roles, spans naming no value, spans out of date."""
    values = stored_values(nb)
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for match in ROLE.finditer(cell.source):
            problems.append(f"cell {index}: raw MyST role {match.group(0)} (write a glue span instead)")
        if cell.source.count("data-glue") != len(SPAN.findall(cell.source)):
            problems.append(
                f'cell {index}: a data-glue span not written exactly as <span data-glue="name">text</span>'
                " (the check cannot read it)"
            )
        for match in SPAN.finditer(cell.source):
            try:
                expected = literal(match.group("key"), values)
            except GlueError as error:
                problems.append(f"cell {index}: {error}")
                continue
            if match.group("text") != expected:
                problems.append(
                    f"cell {index}: {match.group('key')} shows {match.group('text')!r}, "
                    f"the run stored {expected!r} (run `make execute`)"
                )
    return problems


def refresh(nb: nbformat.NotebookNode) -> int:
    """Rewrite every span (and any raw role) from the stored values; return how many changed.

    Raises :class:`GlueError` when a span names a value the notebook does not glue.
    """
    values = stored_values(nb)
    changed = 0

    def rewrite(match: re.Match) -> str:
        nonlocal changed
        written = span(match.group("key"), values)
        changed += written != match.group(0)
        return written

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = SPAN.sub(rewrite, ROLE.sub(rewrite, cell.source))
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--write", action="store_true", help="rewrite the numbers from the stored values")
    args = parser.parse_args(argv)
    status = 0
    for path in args.notebooks:
        try:
            nb = read_notebook(path)
            if args.write:
                changed = refresh(nb)
                if changed:
                    write_notebook(nb, path)
                print(f"{path}: {changed} number(s) rewritten")
            else:
                for problem in stale(nb):
                    print(f"{path}: {problem}")
                    status = 1
        except (NotebookError, GlueError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
