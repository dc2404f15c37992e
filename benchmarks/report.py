"""What benchmarks/run.py measured, as rows, a printed line per row, RESULTS.md and results.json.

A `Row` is one scenario's figure: documents, triples, wall seconds (the median
when the command ran several times), peak RSS (the largest of its runs), and
the ratio to its naive comparator, **naive wall ÷ this wall** (so 10.0 means
ten times faster). How each ratio was obtained is said next to it: measured
in the same run, a lower bound (the naive run was stopped or killed), or from
the naive throughput at another size (the naive run at this size was skipped).
"""

from __future__ import annotations

import json
import math
import shlex
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

LIMIT_PLACEHOLDER = "_(what limits it: to be filled in by the lead)_"

# RESULTS.md from this heading on is the real collection's run (benchmarks/real_corpus.py)
REAL_CORPUS_HEADING = "## The real monograph collection"


@dataclass
class Row:
    section: str  # "startup", "seeds", "full", "incremental", "queries" (naive rows too)
    label: str
    command: list[str]
    walls: list[float]  # seconds of every run
    peak_rss_mb: float
    size: int | None = None  # N (N monographs + N code pages)
    documents: int | None = None
    triples: int | None = None
    ok: bool = True
    note: str = ""
    ratio: float | None = None  # naive wall / this wall
    ratio_basis: str = ""  # what the ratio is against, and how it was obtained
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def wall_s(self) -> float:
        ordered = sorted(self.walls)
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def docs_per_s(self) -> float | None:
        return self.documents / self.wall_s if self.documents and self.ok else None

    @property
    def triples_per_s(self) -> float | None:
        return self.triples / self.wall_s if self.triples and self.ok else None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            wall_s=self.wall_s, docs_per_s=self.docs_per_s, triples_per_s=self.triples_per_s
        )
        return data


@dataclass
class QueryFigure:
    name: str
    binding: dict[str, str]
    first_ms: float
    p50_ms: float
    p95_ms: float
    runs: int
    rows: int
    naive_ms: float | None = None  # naive p50 (or its single run)
    naive_note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.naive_ms is None or not self.p50_ms or math.isnan(self.naive_ms):
            return None
        return self.naive_ms / self.p50_ms


def _num(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _int(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def ratio_text(row: Row) -> str:
    if row.ratio is None:
        return "–"
    prefix = "≥ " if "lower bound" in row.ratio_basis else ""
    return f"{prefix}{row.ratio:.1f}×"


def line(row: Row) -> str:
    """One printed line for a finished row."""
    status = "" if row.ok else f"  FAILED: {row.note}"
    if row.extra.get("skipped"):
        return f"{row.label:<46} {row.note}"
    runs = f" (median of {len(row.walls)})" if len(row.walls) > 1 else ""
    ratio = f"  ratio {ratio_text(row)} [{row.ratio_basis}]" if row.ratio is not None else ""
    return (
        f"{row.label:<46} docs {_int(row.documents):>7}  triples {_int(row.triples):>10}  "
        f"wall {row.wall_s:8.3f} s{runs}  docs/s {_num(row.docs_per_s, 1):>8}  "
        f"triples/s {_num(row.triples_per_s, 0):>10}  RSS {row.peak_rss_mb:7.0f} MB"
        f"{ratio}{status}"
    )


TABLE_HEAD = (
    "| scenario | documents | triples | wall s | docs/s | triples/s | peak RSS MB "
    "| ratio to naive | ratio against |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---|"
)


def table(rows: Sequence[Row]) -> str:
    lines = [TABLE_HEAD]
    for row in rows:
        wall = _num(row.wall_s, 3) if row.ok else f"{_num(row.wall_s, 1)} (failed)"
        if row.extra.get("skipped"):
            wall = "skipped"
        if len(row.walls) > 1:
            wall += f" (median of {len(row.walls)})"
        lines.append(
            f"| {row.label} | {_int(row.documents)} | {_int(row.triples)} | {wall} "
            f"| {_num(row.docs_per_s, 1)} | {_num(row.triples_per_s, 0)} "
            f"| {row.peak_rss_mb:,.0f} | {ratio_text(row)} | {row.ratio_basis or '–'} |"
        )
    notes = [f"- {row.label}: {row.note}" for row in rows if row.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def query_table(figures: Sequence[QueryFigure]) -> str:
    lines = [
        "| query | asked with | first ms | p50 ms | p95 ms | runs | rows "
        "| naive ms | ratio to naive |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for figure in figures:
        asked = ", ".join(f"{k}={v}" for k, v in figure.binding.items()) or "(no parameter)"
        naive = _num(figure.naive_ms, 1) + (f" ({figure.naive_note})" if figure.naive_note else "")
        ratio = "–" if figure.ratio is None else f"{figure.ratio:,.0f}×"
        if figure.ratio is not None and "lower bound" in figure.naive_note:
            ratio = "≥ " + ratio
        lines.append(
            f"| `{figure.name}` | {asked} | {_num(figure.first_ms)} | {_num(figure.p50_ms)} "
            f"| {_num(figure.p95_ms)} | {figure.runs} | {figure.rows} | {naive} | {ratio} |"
        )
    return "\n".join(lines)


@dataclass
class Target:
    name: str
    goal: str
    measured: str
    met: bool | None  # None: not measured

    def markdown(self) -> str:
        verdict = {True: "**met**", False: "**not met**", None: "**not established**"}[self.met]
        return f"- {self.name} ({self.goal}): {self.measured} — {verdict}. {LIMIT_PLACEHOLDER}"


@dataclass
class Results:
    title: str
    invocation: list[str]
    machine: dict[str, Any]
    options: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    queries: list[QueryFigure] = field(default_factory=list)
    query_context: dict[str, Any] = field(default_factory=dict)
    naive_stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def section(self, name: str) -> list[Row]:
        return [row for row in self.rows if row.section == name]

    def write(self, out: Path) -> tuple[Path, Path]:
        out.mkdir(parents=True, exist_ok=True)
        markdown, data = out / "RESULTS.md", out / "results.json"
        kept = ""  # the real-collection section is written by hand (real_corpus.py): keep it
        if markdown.is_file():
            old = markdown.read_text(encoding="utf-8")
            if REAL_CORPUS_HEADING in old:
                kept = "\n" + old[old.index(REAL_CORPUS_HEADING) :]
        markdown.write_text(self.markdown() + kept, encoding="utf-8")
        data.write_text(json.dumps(self.as_json(), indent=2) + "\n", encoding="utf-8")
        return markdown, data

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "invocation": self.invocation,
            "machine": self.machine,
            "options": self.options,
            "scenarios": [row.as_json() for row in self.rows],
            "queries": {
                **self.query_context,
                "per_query": [{**asdict(f), "ratio": f.ratio} for f in self.queries],
            },
            "naive_stages": self.naive_stages,
            "targets": [asdict(t) for t in self.targets],
            "notes": self.notes,
        }

    def markdown(self) -> str:
        parts = [f"# {self.title}", ""]
        parts += [
            "Every figure below comes from one run of `benchmarks/run.py` on the machine "
            "described at the end. Each scenario is a separate process; wall time is "
            "`time.perf_counter` around it, peak RSS is "
            f"{self.machine.get('rss_method', '')}. "
            "**Ratio to naive** is the naive wall time divided by this wall time "
            "(10.0× = ten times faster); the column next to it says what it is against.",
            "",
            "The naive baseline (`benchmarks/naive_build.py`) uses medkg's own read/parse/"
            "extract and graph code, then one rdflib graph, one whole-graph pySHACL "
            "validation and rdflib's Turtle and N-Triples serialisers. It writes **no "
            "JSON-LD, FHIR, N-Quads, metadata or build report**, which `medkg build` does, "
            "so the ratios understate the difference.",
            "",
            "## Targets (issue 6)",
            "",
            *[target.markdown() for target in self.targets],
            "",
        ]
        sections = [
            ("startup", "Start-up: `medkg --help`"),
            ("seeds", "Cold build of the bundled sources (`data/sources`)"),
            ("full", "Full build, all exports (N monographs + N code pages)"),
            ("incremental", "Incremental rebuild (same cache folder)"),
            ("queries", "Competency queries: load and cold query"),
        ]
        for key, heading in sections:
            rows = self.section(key)
            if rows:
                parts += [f"## {heading}", "", table(rows), ""]
        if self.queries:
            context = self.query_context
            parts += [
                f"## Competency queries on the N={context.get('size')} graph, per query",
                "",
                f"Opened once in medkg's query store ({context.get('engine', '?')}, "
                f"{_num(context.get('load_s'), 2)} s for {_int(context.get('triples'))} "
                "triples in the merged default graph); each query asked about one subject "
                f"(rotating over {context.get('subjects', '?')} drugs), one first run then "
                f"{context.get('repeat', '?')} timed runs: p50/p95 of those. Naive: the same "
                "queries on the naive output parsed into one rdflib graph "
                f"({context.get('naive_load', 'not measured')}).",
                "",
                query_table(self.queries),
                "",
            ]
        if self.naive_stages:
            parts += ["## Naive baseline: seconds per stage", ""]
            stage_names: list[str] = []
            for stages in self.naive_stages.values():
                stage_names += [s for s in stages.get("stages", {}) if s not in stage_names]
            parts.append("| run | " + " | ".join(stage_names) + " | triples | conforms |")
            parts.append("|---|" + "---:|" * (len(stage_names) + 2))
            for label, stages in self.naive_stages.items():
                cells = [_num(stages.get("stages", {}).get(s), 2) for s in stage_names]
                parts.append(
                    f"| {label} | "
                    + " | ".join(cells)
                    + f" | {_int(stages.get('triples'))} | {stages.get('conforms')} |"
                )
            parts.append("")
        if self.notes:
            parts += ["## Notes", "", *[f"- {note}" for note in self.notes], ""]
        parts += [
            "## Reproduce",
            "",
            "From the project root, with the dev extra installed (`pip install -e '.[dev]'`):",
            "",
            "```sh",
            " ".join(self.invocation),
            "```",
            "",
            "The commands it ran (WORK is its scratch folder):",
            "",
            "```sh",
            *self._commands(),
            "```",
            "",
            "## Machine",
            "",
            *[f"- {key}: {value}" for key, value in self.machine.items()],
            "",
        ]
        return "\n".join(parts)

    def _commands(self) -> list[str]:
        """Each scenario's command, shell-quoted, with the scratch folder as WORK and paths
        under the project root relative to it."""
        seen: list[str] = []
        work = str(self.options.get("work", ""))
        root = str(self.options.get("root", ""))
        for row in self.rows:
            if not row.command:
                continue
            text = shlex.join(row.command)
            if work:
                text = text.replace(work, "WORK")
            if root:
                text = text.replace(root + "/", "")
            text = f"# {row.label}\n{text}"
            if text not in seen:
                seen.append(text)
        return seen
