"""The notebook contract (COURSE.md §4, book/authoring.md) as checks on stored notebooks.

Each ``check_*`` function takes a notebook and its path and returns a list of problems (empty
when the notebook honours that part of the contract). The tests run every check on every
chapter, and each check on a deliberately broken fixture under ``tests/fixtures/``.

Usage::

    python -m tools.contract notebooks/*.ipynb
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import yaml

from tools import nbgrader_cells, reference_env
from tools.nbio import NotebookError, read_notebook

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 1_000_000
MAX_IGNORED = 2
MIN_EXERCISES, MAX_EXERCISES = 3, 5
#: The setup cell is collapsed on the site (tag hide-input) and stays short.
SETUP_MAX_LINES = 60
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
IGNORE_TAG, IGNORE_MARKER = "nbval-ignore-output", "# NBVAL_IGNORE_OUTPUT"
#: (pattern, what) pairs for APIs the course must not use outside a demonstration.
DEPRECATED = [
    (r"pretrained\s*=\s*True", "pretrained=True (use weights=...)"),
    (r"torch\.cuda\.amp", "torch.cuda.amp (use torch.amp)"),
    (r"torch\.cpu\.amp", "torch.cpu.amp (use torch.amp)"),
    (r"\.cuda\(\)", "a bare .cuda() (use .to(device))"),
    (r"from torchvision import transforms\b|torchvision\.transforms\.(?!v2)", "torchvision.transforms v1 (use transforms.v2)"),
]
TORCH_LOAD = "torch.load without weights_only="


def torch_load_without_weights_only(source: str) -> bool:
    """True if a ``torch.load(...)`` call's own (balanced) arguments lack ``weights_only``."""
    for match in re.finditer(r"torch\.load\(", source):
        depth, end = 1, match.end()
        while end < len(source) and depth:
            depth += {"(": 1, ")": -1}.get(source[end], 0)
            end += 1
        if "weights_only" not in source[match.end():end]:
            return True
    return False


#: Cells with these tags may show a deprecated call on purpose (the errata chapter).
DEMO_TAGS = {"raises-exception", "deprecated-demo"}

Check = Callable[[nbformat.NotebookNode, Path], list[str]]


def code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def strip_comments(source: str) -> str:
    """Source without ``#`` comments (good enough for pattern checks; strings may keep #)."""
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in source.splitlines())


def repository() -> tuple[str, str]:
    """(url, branch) from _config.yml: the one place they are set."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/"), config["repository"]["branch"]


STUDENT_BRANCH = "student"  # `make student` output, published at the root of this branch
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def colab_url(path: Path) -> str:
    """The Colab URL of a chapter notebook, derived from _config.yml."""
    url, branch = repository()
    return (
        url.replace("https://github.com/", "https://colab.research.google.com/github/")
        + f"/blob/{branch}/notebooks/{path.name}"
    )


def student_colab_url(path: Path) -> str:
    """The Colab URL of a chapter's student version (the ``student`` branch, at its root)."""
    url, _ = repository()
    return (
        url.replace("https://github.com/", "https://colab.research.google.com/github/")
        + f"/blob/{STUDENT_BRANCH}/{path.name}"
    )


def badge_lines(path: Path) -> str:
    """The two Open-in-Colab lines every chapter header carries: the chapter and its student version."""
    return (
        f"- [![Open In Colab]({COLAB_BADGE})]({colab_url(path)}) the chapter, with worked solutions\n"
        f"- [![Open In Colab]({COLAB_BADGE})]({student_colab_url(path)}) the student version:"
        " the exercises without solutions"
    )


def check_executed_in_order(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """Every code cell was executed once, in order, from a fresh kernel."""
    counts = [c.execution_count for c in code_cells(nb)]
    if counts != list(range(1, len(counts) + 1)):
        return [f"execution counts are {counts[:8]}..., expected 1..{len(counts)}: run `make execute`"]
    return []


def check_clean_outputs(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """No stderr output anywhere; errors only in ``raises-exception`` cells, and every such
    cell raised (one that ran without raising would show the prose's error that never came)."""
    problems = []
    for number, cell in enumerate(code_cells(nb)):
        ran = cell.get("execution_count") is not None
        raised = any(o.output_type == "error" for o in cell.outputs)
        if "raises-exception" in tags(cell) and ran and not raised:
            problems.append(f"code cell {number} is tagged raises-exception but raised nothing")
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                lines = output.text.strip().splitlines()
                warned = [line for line in lines if "Warning:" in line]  # the warning, not its source line
                shown = re.sub(r"^.*?:\d+: (?=\w*Warning:)", "", (warned or lines or [""])[-1].strip())
                problems.append(f"code cell {number} writes to stderr (fix the cause): {shown}")
            if output.output_type == "error" and "raises-exception" not in tags(cell):
                problems.append(
                    f"code cell {number}: {output.ename}: {output.evalue} (not tagged raises-exception)"
                )
    return problems


def raised_names(nb: nbformat.NotebookNode) -> dict[int, str]:
    """``{code cell number: exception name}`` for every ``raises-exception`` cell that raised."""
    names = {}
    for number, cell in enumerate(code_cells(nb)):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if "raises-exception" in tags(cell) and errors:
            names[number] = errors[0].get("ename", "")
    return names


def check_same_exceptions(stored: nbformat.NotebookNode, run: nbformat.NotebookNode) -> list[str]:
    """Each ``raises-exception`` cell raised the exception the stored notebook shows: the prose
    explains that error, so a release that raises another one has made the prose wrong."""
    before, after = raised_names(stored), raised_names(run)
    return [
        f"code cell {number} raised {after[number]}, but the stored output (and the prose) shows {name}"
        for number, name in sorted(before.items())
        if number in after and after[number] != name
    ]


#: Calls that pin threads or kernels; with the reference environment's variable names (from
#: tools/reference_env.py) they make the pins a setup cell must not contain.
_PIN_CALLS = ("set_num_threads(", "set_num_interop_threads(", "threadpool_limits(")


def setup_pins(source: str) -> list[str]:
    """Thread or CPU-dispatch pins in code (comments ignored): CI's business, not the chapter's."""
    code = strip_comments(source)
    names = [*reference_env.DISPATCH_VARIABLES, *reference_env.THREAD_VARIABLES, *_PIN_CALLS]
    return [name for name in names if name in code]


def check_header(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """Title, Colab badge for this file, objectives, prerequisites, time; then the setup cell,
    collapsed on the site and short."""
    problems = []
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown":
        return ["the first cell must be Markdown with the chapter header"]
    text = first.source
    number = path.name[:2]
    if not re.match(rf"# {number} · \S", text):
        problems.append(f"the header must start with '# {number} · <title>'")
    if badge_lines(path) not in text:
        problems.append(
            "the header needs both Open-in-Colab badges, the chapter's and the student version's"
            " (run `make badges`)"
        )
    for part in ("Learning objectives", "Prerequisites", "Estimated time"):
        if part not in text:
            problems.append(f"the header lacks '{part}'")
    cells = code_cells(nb)
    setup = cells[0].source if cells else ""
    for needle, why in [
        ('"google.colab" in sys.modules', "installs only on Colab"),
        ("torch.manual_seed(", "seeds torch"),
        ("np.random.seed(", "seeds NumPy"),
        ("random.seed(", "seeds random"),
        ("device = torch.device(", "picks the device once"),
    ]:
        if needle not in setup:
            problems.append(f"the setup cell (first code cell) {why}: missing `{needle}`")
    if cells and "hide-input" not in tags(cells[0]):
        problems.append("the setup cell (first code cell) must be tagged hide-input (collapsed on the site)")
    if len(setup.splitlines()) > SETUP_MAX_LINES:
        problems.append(f"the setup cell has {len(setup.splitlines())} lines; keep it to {SETUP_MAX_LINES}")
    problems += [
        f"the setup cell pins `{pin}`: that belongs to the reference environment "
        "(tools/reference_env.py), not to learners' runs"
        for pin in setup_pins(setup)
    ]
    return problems


def check_exercises(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """3-5 exercises, markers paired, each followed by a self-check; an interview corner."""
    problems = []
    cells = code_cells(nb)
    exercises = 0
    for number, cell in enumerate(cells):
        begins, ends = cell.source.count(BEGIN), cell.source.count(END)
        if begins == 0 and ends == 0:
            continue
        exercises += 1
        if begins != ends or cell.source.find(BEGIN) > cell.source.find(END):
            problems.append(f"code cell {number}: unbalanced BEGIN/END SOLUTION markers")
        if not re.match(r"#\s*Exercise\s+\d+", cell.source.lstrip()):
            problems.append(f"code cell {number}: a solution cell must start with '# Exercise N'")
        missing = {"exercise", "hide-input"} - set(tags(cell))
        if missing:
            problems.append(f"code cell {number}: solution cell lacks tags {sorted(missing)}")
        following = cells[number + 1] if number + 1 < len(cells) else None
        if following is None or "self-check" not in tags(following):
            problems.append(f"code cell {number}: the next code cell must be a self-check (tag 'self-check')")
    if not MIN_EXERCISES <= exercises <= MAX_EXERCISES:
        problems.append(f"{exercises} exercises; the contract asks for {MIN_EXERCISES}-{MAX_EXERCISES}")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    if "## Interview corner" not in markdown or "<details>" not in markdown:
        problems.append("no '## Interview corner' with <details> answers")
    return problems


def check_nbgrader(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """nbgrader metadata: exercises are solution cells, self-checks locked autograded tests."""
    return nbgrader_cells.problems(nb, path)


def check_ignore_output(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """At most two ignore-output cells, each saying why in a comment."""
    problems = []
    ignored = 0
    for number, cell in enumerate(code_cells(nb)):
        if IGNORE_TAG in tags(cell) or IGNORE_MARKER in cell.source.splitlines():
            ignored += 1
            if not re.search(r"#\s*nbval-ignore-output:\s*\S", cell.source):
                problems.append(f"code cell {number}: ignore-output without a '# nbval-ignore-output: <why>' comment")
    if ignored > MAX_IGNORED:
        problems.append(f"{ignored} ignore-output cells; at most {MAX_IGNORED} are allowed")
    return problems


def check_no_deprecated_api(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """None of the deprecated calls in ``DEPRECATED`` outside a demonstration cell."""
    problems = []
    for number, cell in enumerate(code_cells(nb)):
        if DEMO_TAGS & set(tags(cell)):
            continue
        source = strip_comments(cell.source)
        for pattern, what in DEPRECATED:
            if re.search(pattern, source):
                problems.append(f"code cell {number} uses {what}")
        if torch_load_without_weights_only(source):
            problems.append(f"code cell {number} uses {TORCH_LOAD}")
    return problems


def check_figures(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """Every cell that draws a figure gives it alt text and a caption (cell metadata)."""
    problems = []
    for number, cell in enumerate(code_cells(nb)):
        if not any("image/png" in o.get("data", {}) for o in cell.outputs):
            continue
        meta = cell.metadata.get("mystnb", {})
        if not str(meta.get("image", {}).get("alt", "")).strip():
            problems.append(f"code cell {number} draws a figure without alt text (metadata mystnb.image.alt)")
        if not str(meta.get("figure", {}).get("caption", "")).strip():
            problems.append(f"code cell {number} draws a figure without a caption (metadata mystnb.figure.caption)")
    return problems


def check_size(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """The stored notebook is at most 1 MB."""
    size = path.stat().st_size
    return [f"{size:,} bytes; the budget is {MAX_BYTES:,}"] if size > MAX_BYTES else []


CHECKS: dict[str, Check] = {
    "executed_in_order": check_executed_in_order,
    "clean_outputs": check_clean_outputs,
    "header": check_header,
    "exercises": check_exercises,
    "nbgrader": check_nbgrader,
    "ignore_output": check_ignore_output,
    "no_deprecated_api": check_no_deprecated_api,
    "figures": check_figures,
    "size": check_size,
}


def toc_files(root: Path = ROOT) -> list[str]:
    """Every ``file:`` entry of _toc.yml (root included), as docnames."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return found


def check_toc(root: Path = ROOT) -> list[str]:
    """Every TOC entry exists, and every chapter notebook is in the TOC."""
    problems = []
    entries = toc_files(root)
    for entry in entries:
        if not any((root / f"{entry}{ext}").exists() for ext in (".md", ".ipynb")):
            problems.append(f"_toc.yml lists {entry}, which does not exist")
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        if f"notebooks/{path.stem}" not in entries:
            problems.append(f"{path.relative_to(root)} is not in _toc.yml")
    return problems


def check_notebook(path: Path) -> list[str]:
    """All checks on one notebook file, each problem prefixed with the check's name."""
    nb = read_notebook(path)
    return [f"{name}: {p}" for name, check in CHECKS.items() for p in check(nb, path)]


def main(argv: list[str] | None = None) -> int:
    paths = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    problems = [f"_toc.yml: {p}" for p in check_toc()]
    for path in paths:
        try:
            problems += [f"{path}: {p}" for p in check_notebook(path)]
        except NotebookError as error:
            problems.append(f"{path}: {error}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
