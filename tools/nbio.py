"""Read and write notebooks with one-line errors and atomic writes."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import nbformat


class NotebookError(Exception):
    """The input is not a readable, valid notebook. The message is one line."""


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read ``path`` as an nbformat-4 notebook, or raise :class:`NotebookError`."""
    if path.suffix != ".ipynb":
        raise NotebookError("not a .ipynb file")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotebookError("no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise NotebookError(f"cannot read: {error}") from None
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as error:
        raise NotebookError(f"not valid JSON: {str(error).splitlines()[0][:120]}") from None
    except nbformat.ValidationError as error:
        raise NotebookError(f"not a valid notebook: {error.message[:120]}") from None
    except Exception as error:  # nbformat raises assorted errors for odd input
        raise NotebookError(f"not a valid notebook: {str(error).splitlines()[0][:120]}") from None
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to ``path`` atomically (temp file in the same folder + ``os.replace``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            nbformat.write(nb, stream)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; notebooks are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def chapter_paths(src_dir: Path = Path("notebooks")) -> list[Path]:
    """The chapter notebooks (``NN_*.ipynb``) in ``src_dir``, in order."""
    return sorted(src_dir.glob("[0-9][0-9]_*.ipynb"))


def read_chapters(src_dir: Path) -> list[tuple[Path, nbformat.NotebookNode]]:
    """Every chapter notebook (``NN_*.ipynb``) in ``src_dir``, read in order.

    Raises :class:`NotebookError` naming the file when one is unreadable, or naming
    ``src_dir`` when it holds no chapter.
    """
    paths = chapter_paths(src_dir)
    if not paths:
        raise NotebookError(f"{src_dir}: no chapter notebooks found")
    chapters = []
    for path in paths:
        try:
            chapters.append((path, read_notebook(path)))
        except NotebookError as error:
            raise NotebookError(f"{path}: {error}") from None
    return chapters
