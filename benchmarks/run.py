"""The benchmark suite of issue 6: medkg's build and queries against the naive baseline.

    python benchmarks/run.py                       # N = 1,000 and 10,000: the benchmark
    python benchmarks/run.py --quick               # a smoke run at N = 20 (minutes)
    python benchmarks/run.py --sizes 1000 --skip-naive-above 500 --out /tmp/bench

Every scenario runs as its own process (benchmarks/measure.py: wall time with
time.perf_counter, peak RSS of the process tree with psutil and os.wait4):

1. ``medkg --help`` start-up (median of --repeat runs);
2. a cold ``medkg build`` of data/sources (fresh cache folder each time) next
   to ``python -c "import rdflib, pyshacl"``, interleaved, median of each,
   and the naive baseline on the same sources;
3. for each N of --sizes: a generated corpus of N monographs + N code pages
   (benchmarks/generate_corpus.py), a full ``medkg build`` with all exports
   and a fresh empty cache folder, and the naive baseline
   (benchmarks/naive_build.py) unless N > --skip-naive-above;
4. at the largest N: rebuild with nothing changed, then after appending a
   sentence to one monograph's usage section (same cache folder);
5. at the largest N: the first ``medkg query`` after the build (it builds
   the on-disk query store), the competency queries timed in one process
   (benchmarks/query_bench.py: p50/p95 per query) and a cold ``medkg query``
   from a new process; the same on the naive output with rdflib.

It prints a line per scenario as it goes and writes RESULTS.md and
results.json to --out (default: benchmarks/). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from generate_corpus import GeneratedCorpus, generate_corpus
from measure import Run, measure, rss_method
from report import QueryFigure, Results, Row, Target, line, ratio_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PACKAGES = ("medkg", "rdflib", "pyshacl", "pyoxigraph", "PyLD", "fhir.resources", "psutil")
CHANGED_SENTENCE = " Ask a pharmacist about anything in this section that is unclear."
GIB_MB = 1536.0  # 1.5 GB read as 1.5 GiB; the report's MB are MiB


# --- what to run ------------------------------------------------------------------------------


def medkg_command() -> list[str]:
    """The ``medkg`` console script of this Python, else ``python -m medkg``."""
    script = Path(sys.executable).parent / "medkg"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "medkg"]


def build_flags(medkg: Sequence[str], env: dict[str, str]) -> set[str]:
    """The options of ``medkg build`` this benchmark may use that its ``--help`` lists."""
    done = subprocess.run(
        [*medkg, "build", "--help"], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    return {flag for flag in ("--jobs", "--cache-dir", "--no-cache") if flag in done.stdout}


def change_one_monograph(corpus: GeneratedCorpus) -> Path:
    """Append a sentence to the first paragraph of one monograph's usage section."""
    usage = re.compile(
        r"(?m)^(?:#{2,3} Usage:?[ \t]*\n+|#{2,3} Usage:[ \t]+|\*\*Usage:\*\*[ \t]+)[^\n]*[^\s]"
    )
    candidates = sorted((d for d in corpus.monographs if d.paired), key=lambda d: d.path.name)
    for document in candidates + corpus.monographs:
        text = document.path.read_text(encoding="utf-8")
        match = usage.search(text)
        if match:
            changed = text[: match.end()] + CHANGED_SENTENCE + text[match.end() :]
            document.path.write_bytes(changed.encode("utf-8"))
            return document.path
    raise RuntimeError("no monograph with a usage section in the generated corpus")


def query_subjects(corpus: GeneratedCorpus, count: int = 5) -> list[dict[str, str]]:
    """Drugs with a monograph and a code page, spread over the corpus: what queries ask about."""
    pages = {d.drugs[0].lower(): d for d in corpus.code_pages if d.paired and d.drugs}
    paired = sorted(
        (d for d in corpus.monographs if d.paired and d.drugs[0].lower() in pages),
        key=lambda d: d.path.name,
    )
    step = max(1, len(paired) // count)
    chosen = paired[::step][:count] or sorted(corpus.monographs, key=lambda d: d.path.name)[:1]
    subjects = []
    for monograph in chosen:
        page = pages.get(monograph.drugs[0].lower())
        subjects.append(
            {
                "drug": monograph.drugs[0],
                "code": (page.code or "") if page else "",
                "document": monograph.path.name,
            }
        )
    return subjects


# --- reading what a build wrote ---------------------------------------------------------------


def void_triples(out: Path) -> int | None:
    """The dataset's triple count: the largest ``void:triples`` of void.ttl (the whole dataset)."""
    void = out / "void.ttl"
    if not void.is_file():
        return None
    text = void.read_text("utf-8")
    counts = [int(n) for n in re.findall(r'void:triples\s+"?(\d+)', text)]  # 12 or "12"^^xsd:…
    return max(counts) if counts else None


def count_lines(path: Path) -> int | None:
    if not path.is_file():
        return None
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            lines += chunk.count(b"\n")
    return lines


def statuses(out: Path) -> dict[str, int]:
    report = out / "build-report.json"
    if not report.is_file():
        return {}
    counts: dict[str, int] = {}
    for document in json.loads(report.read_text("utf-8")).get("documents", []):
        counts[document["status"]] = counts.get(document["status"], 0) + 1
    return counts


def last_json(path: Path) -> dict[str, Any]:
    """The last line of `path` that is a JSON object ({} when none is)."""
    for text in reversed(path.read_text("utf-8", errors="replace").splitlines()):
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    return {}


def failures(runs: Sequence[Run]) -> str:
    """Why runs failed, each different reason once, with how many runs it stopped."""
    reasons = [r.failure() for r in runs if not r.ok]
    unique = list(dict.fromkeys(reasons))
    return "; ".join(
        f"{reason} ({reasons.count(reason)} of {len(runs)} runs)" if len(runs) > 1 else reason
        for reason in unique
    )


# --- the run ----------------------------------------------------------------------------------


class Bench:
    """Runs the scenarios in order and collects their rows."""

    def __init__(self, args: argparse.Namespace, work: Path):
        self.args = args
        self.work = work
        self.logs = work / "logs"
        self.env = {**os.environ, "XDG_CACHE_HOME": str(work / "xdg-cache")}  # never ~/.cache
        self.python = sys.executable
        self.medkg = medkg_command()
        self.flags = build_flags(self.medkg, self.env)
        self.corpora: dict[int, GeneratedCorpus] = {}
        self.results = Results(
            title=("QUICK SMOKE RUN (not the benchmark): " if args.quick else "")
            + "medkg benchmark (issue 6)",
            invocation=[Path(sys.executable).name, *sys.argv],
            machine=machine_facts(self.flags, args.jobs),
            options={k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
            | {"work": str(work), "root": str(ROOT)},
        )

    # measuring ---------------------------------------------------------------------------

    def run(self, label: str, command: Sequence[str], timeout: float | None = None) -> Run:
        return measure(
            command,
            self.logs,
            label,
            cwd=ROOT,
            env=self.env,
            timeout=timeout,
            memory_limit_mb=self.args.memory_limit_gb * 1024 or None,
        )

    def add(self, row: Row) -> Row:
        """Keep `row`, print it, and print any earlier row whose ratio it now gives."""
        before = {id(r): r.ratio for r in self.results.rows}
        self.results.rows.append(row)
        self.apply_ratios()
        print(line(row), flush=True)
        for earlier in self.results.rows[:-1]:
            if earlier.ratio is not None and before.get(id(earlier)) is None:
                print(
                    f"  -> {earlier.label}: {ratio_text(earlier)} against {earlier.ratio_basis}",
                    flush=True,
                )
        return row

    def build_command(self, sources: Path, out: Path, cache: Path) -> list[str]:
        command = [*self.medkg, "build", str(sources), "--out", str(out)]
        if "--jobs" in self.flags:
            command += ["--jobs", str(self.args.jobs)]
        if "--cache-dir" in self.flags:
            command += ["--cache-dir", str(cache)]
        return command

    def build_row(
        self, section: str, label: str, runs: Sequence[Run], out: Path, size: int | None
    ) -> Row:
        last = runs[-1]
        counts = statuses(out)
        return Row(
            section=section,
            label=label,
            command=list(last.command),
            walls=[r.wall_s for r in runs],
            peak_rss_mb=max(r.peak_rss_mb for r in runs),
            size=size,
            documents=sum(counts.values()) or None,
            triples=void_triples(out),
            ok=all(r.ok for r in runs),
            note=failures(runs),
            extra={
                "statuses": counts,
                "tree_peak_mb": max((r.tree_peak_mb or 0.0) for r in runs),
                "process_peak_mb": max(r.process_peak_mb for r in runs),
            },
        )

    # scenarios ---------------------------------------------------------------------------

    def seeds_and_imports(self) -> None:
        """Cold builds of data/sources interleaved with bare imports; the naive on the same."""
        imports: list[Run] = []
        builds: list[Run] = []
        sources = ROOT / "data" / "sources"
        for number in range(self.args.repeat):
            imports.append(
                self.run(f"import-{number}", [self.python, "-c", "import rdflib, pyshacl"])
            )
            folder = self.work / "seeds" / f"run-{number}"
            command = self.build_command(sources, folder / "dist", folder / "cache")
            builds.append(self.run(f"seeds-{number}", command))
        self.add(
            Row(
                "seeds",
                'python -c "import rdflib, pyshacl"',
                list(imports[-1].command),
                [r.wall_s for r in imports],
                max(r.peak_rss_mb for r in imports),
                ok=all(r.ok for r in imports),
            )
        )
        out = self.work / "seeds" / f"run-{self.args.repeat - 1}" / "dist"
        self.add(self.build_row("seeds", "medkg build data/sources (cold)", builds, out, None))
        naive_runs = []
        for number in range(1 if self.args.quick else 3):
            out = self.work / "seeds" / f"naive-{number}"
            command = [
                self.python,
                str(HERE / "naive_build.py"),
                "build",
                str(sources),
                "--out",
                str(out),
            ]
            naive_runs.append(self.run(f"naive-seeds-{number}", command, self.args.naive_timeout))
        self.add_naive("seeds", "naive baseline, data/sources", naive_runs, None)

    def startup(self) -> None:
        runs = [self.run(f"help-{n}", [*self.medkg, "--help"]) for n in range(self.args.repeat)]
        self.add(
            Row(
                "startup",
                "medkg --help",
                list(runs[-1].command),
                [r.wall_s for r in runs],
                max(r.peak_rss_mb for r in runs),
                ok=all(r.ok for r in runs),
            )
        )

    def full_build(self, size: int) -> Path:
        folder = self.work / f"n{size}"
        started = time.perf_counter()
        corpus = generate_corpus(folder / "sources", size, size, self.args.seed)
        generated = time.perf_counter() - started
        self.corpora[size] = corpus
        print(
            f"generated N={size}: {len(corpus.monographs)} monographs + "
            f"{len(corpus.code_pages)} code pages in {generated:.1f} s",
            flush=True,
        )
        command = self.build_command(folder / "sources", folder / "dist", folder / "cache")
        run = self.run(f"full-{size}", command, self.args.build_timeout)
        row = self.build_row("full", f"medkg build, N={size}", [run], folder / "dist", size)
        row.documents = row.documents or len(corpus.documents)
        row.extra |= {
            "generate_s": generated,
            "quads": count_lines(folder / "dist" / "medkg.nq"),
            "jobs": self.args.jobs if "--jobs" in self.flags else None,
        }
        self.add(row)
        return folder

    def naive_build(self, size: int) -> None:
        folder = self.work / f"n{size}"
        label = f"naive baseline, N={size}"
        limit = self.args.skip_naive_above
        if limit is not None and size > limit:
            self.add(
                Row(
                    "full",
                    label,
                    [],
                    [0.0],
                    0.0,
                    size=size,
                    ok=False,
                    note=f"skipped: N={size} is above --skip-naive-above {limit}",
                    extra={"skipped": True},
                )
            )
            return
        command = [
            self.python,
            str(HERE / "naive_build.py"),
            "build",
            str(folder / "sources"),
            "--out",
            str(folder / "naive"),
        ]
        runs = [self.run(f"naive-{size}", command, self.args.naive_timeout)]
        self.add_naive("full", label, runs, size)

    def add_naive(self, section: str, label: str, runs: Sequence[Run], size: int | None) -> None:
        stages = last_json(runs[-1].stdout)
        self.results.naive_stages[label] = stages
        row = Row(
            section,
            label,
            list(runs[-1].command),
            [r.wall_s for r in runs],
            max(r.peak_rss_mb for r in runs),
            size=size,
            documents=stages.get("documents"),
            triples=stages.get("triples"),
            ok=all(r.ok for r in runs),
            note=failures(runs),
            extra={
                "stages": stages.get("stages", {}),
                "conforms": stages.get("conforms"),
                "timed_out": any(r.timed_out for r in runs),
            },
        )
        if size is not None and not row.documents:
            row.documents = len(self.corpora[size].documents)
        self.add(row)

    def incremental(self, size: int) -> None:
        folder = self.work / f"n{size}"
        command = self.build_command(folder / "sources", folder / "dist", folder / "cache")
        note = "" if "--cache-dir" in self.flags else "medkg build has no --cache-dir: a full build"
        run = self.run(f"rebuild-unchanged-{size}", command, self.args.build_timeout)
        row = self.build_row(
            "incremental", f"rebuild, nothing changed, N={size}", [run], folder / "dist", size
        )
        row.note = "; ".join(filter(None, [row.note, note]))
        self.add(row)
        changed = change_one_monograph(self.corpora[size])
        run = self.run(f"rebuild-one-changed-{size}", command, self.args.build_timeout)
        row = self.build_row(
            "incremental", f"rebuild, one document changed, N={size}", [run], folder / "dist", size
        )
        changed_name = changed.relative_to(folder / "sources").as_posix()
        row.note = "; ".join(
            filter(
                None,
                [
                    row.note,
                    note,
                    f"changed {changed_name} (a sentence appended to its usage section)",
                ],
            )
        )
        self.add(row)

    def queries(self, size: int) -> None:
        folder = self.work / f"n{size}"
        subjects = query_subjects(self.corpora[size])
        subjects_file = folder / "subjects.json"
        subjects_file.write_text(json.dumps(subjects, indent=1), encoding="utf-8")
        # The first query after a build builds the on-disk query store, so it runs before the
        # in-process benchmark (which would otherwise build it and leave the row nothing to do).
        self.first_query(size, subjects[0])
        command = [
            self.python,
            str(HERE / "query_bench.py"),
            "medkg",
            str(folder / "dist"),
            str(subjects_file),
            "--repeat",
            str(self.args.query_repeat),
        ]
        run = self.run(f"queries-{size}", command)
        timed = last_json(run.stdout)
        load_row = Row(
            "queries",
            f"load the query store in process, N={size}",
            list(command),
            [timed.get("load_s", run.wall_s)],
            run.peak_rss_mb,
            size=size,
            triples=timed.get("triples"),
            ok=run.ok,
            note=run.failure(),
            extra={"process_wall_s": run.wall_s, "in_process": True},
        )
        self.add(load_row)
        naive_timed: dict[str, Any] = {}
        naive_out = folder / "naive"
        naive_build = self.find_row("naive baseline,", size)
        naive_ok = naive_build is not None and naive_build.ok
        if naive_ok:
            naive_command = [
                self.python,
                str(HERE / "query_bench.py"),
                "naive",
                str(naive_out),
                str(subjects_file),
                "--repeat",
                "1" if self.args.quick else "3",
                "--cap",
                str(self.args.naive_query_cap),
            ]
            naive_run = self.run(
                f"naive-queries-{size}", naive_command, self.args.naive_query_timeout
            )
            naive_timed = last_json(naive_run.stdout)
            self.add(
                Row(
                    "queries",
                    f"naive: parse medkg.nt into one rdflib graph, N={size}",
                    naive_command,
                    [naive_timed.get("load_s", naive_run.wall_s)],
                    naive_run.peak_rss_mb,
                    size=size,
                    triples=naive_timed.get("triples"),
                    ok=naive_run.ok and bool(naive_timed),
                    note=naive_run.failure(),
                    extra={"process_wall_s": naive_run.wall_s, "in_process": True},
                )
            )
        self.results.query_context = {
            "size": size,
            "engine": timed.get("engine"),
            "load_s": timed.get("load_s"),
            "triples": timed.get("triples"),
            "repeat": self.args.query_repeat,
            "subjects": len(subjects),
            "subject_list": subjects,
            "naive_load": (
                f"{naive_timed['load_s']:.1f} s to parse"
                if "load_s" in naive_timed
                else "naive output not available at this size"
            ),
        }
        naive_queries = naive_timed.get("queries", {})
        for name, figure in timed.get("queries", {}).items():
            naive = naive_queries.get(name)
            naive_ms, naive_note = None, ""
            if naive:
                naive_ms = naive["p50_ms"] if naive["runs"] else None
                if naive.get("capped_s"):
                    naive_ms = naive["capped_s"] * 1000
                    naive_note = f"lower bound: stopped at {naive['capped_s']:.0f} s"
                elif naive["runs"] == 1:
                    naive_note = "1 run"
            self.results.queries.append(
                QueryFigure(
                    name,
                    figure["binding"],
                    figure["first_ms"],
                    figure["p50_ms"],
                    figure["p95_ms"],
                    figure["runs"],
                    figure["rows"],
                    naive_ms,
                    naive_note,
                )
            )
        self.cold_query(size, subjects[0], naive_ok)

    def query_command(self, size: int, subject: dict[str, str]) -> tuple[list[str], dict[str, str]]:
        """The `medkg query` command of the cold-query rows, and the parameters it binds."""
        from query_bench import binding

        from medkg.query.catalog import named_queries

        name = self.args.cold_query
        params = binding(list(named_queries()[name].params), subject)
        pairs = [f"--param={k}={v}" for k, v in params.items()]
        dist = self.work / f"n{size}" / "dist"
        return [*self.medkg, "query", name, *pairs, "--data", str(dist)], params

    def first_query(self, size: int, subject: dict[str, str]) -> None:
        """The first `medkg query` after the build: it builds the on-disk query store."""
        command, _ = self.query_command(size, subject)
        first = self.run(f"first-query-{size}", command)
        self.add(
            Row(
                "queries",
                f"first medkg query {self.args.cold_query} after the build "
                f"(new process; builds the query store), N={size}",
                command,
                [first.wall_s],
                first.peak_rss_mb,
                size=size,
                ok=first.ok,
                note=first.failure(),
            )
        )

    def cold_query(self, size: int, subject: dict[str, str], naive_ok: bool) -> None:
        """`medkg query` in new processes once the query store exists, and the naive one."""
        name = self.args.cold_query
        command, params = self.query_command(size, subject)
        pairs = [f"--param={k}={v}" for k, v in params.items()]
        runs = [self.run(f"cold-query-{size}-{n}", command) for n in range(self.args.repeat)]
        rows = sum(1 for _ in runs[-1].stdout.open("rb"))
        self.add(
            Row(
                "queries",
                f"cold medkg query {name} (new process), N={size}",
                command,
                [r.wall_s for r in runs],
                max(r.peak_rss_mb for r in runs),
                size=size,
                ok=all(r.ok for r in runs),
                note=failures(runs),
                extra={"printed_lines": rows, "params": params},
            )
        )
        if naive_ok:
            command = [
                self.python,
                str(HERE / "naive_build.py"),
                "query",
                str(self.work / f"n{size}" / "naive"),
                name,
                *pairs,
            ]
            run = self.run(f"naive-cold-query-{size}", command, self.args.naive_query_timeout)
            self.add(
                Row(
                    "queries",
                    f"naive: cold query {name} (new process), N={size}",
                    command,
                    [run.wall_s],
                    run.peak_rss_mb,
                    size=size,
                    ok=run.ok,
                    note=run.failure(),
                    extra={"timed_out": run.timed_out},
                )
            )

    # ratios and targets ------------------------------------------------------------------

    def find_row(self, label_start: str, size: int | None) -> Row | None:
        """The first row whose label starts with `label_start`, at `size`."""
        for row in self.results.rows:
            if row.label.startswith(label_start) and row.size == size:
                return row
        return None

    def apply_ratios(self) -> None:
        rows = self.results.rows
        imports = next((r for r in rows if r.label.startswith("python -c")), None)
        for row in rows:
            row.ratio, row.ratio_basis = None, ""
            if row.label.startswith("naive"):
                continue
            if row.section == "startup" and imports is not None:
                row.ratio = imports.wall_s / row.wall_s
                row.ratio_basis = "bare `import rdflib, pyshacl` (no naive CLI), same run"
            elif row.section == "seeds" and row.label.startswith("medkg"):
                self.compare(row, self.find_row("naive baseline, data/sources", None), None)
            elif row.section in ("full", "incremental"):
                self.compare(row, self.find_row("naive baseline,", row.size), row.size)
            elif row.section == "queries" and row.label.startswith(("load", "first")):
                self.compare(row, self.find_row("naive: parse", row.size), None)
            elif row.section == "queries" and row.label.startswith("cold"):
                self.compare(row, self.find_row("naive: cold query", row.size), None)

    def compare(self, row: Row, naive: Row | None, size: int | None) -> None:
        """Set `row`'s ratio to its naive comparator, saying how it was obtained."""
        if not row.ok or not row.wall_s:
            return
        stopped = naive is not None and not naive.ok and naive.wall_s > 0
        if naive is not None and naive.ok:
            row.ratio = naive.wall_s / row.wall_s
            row.ratio_basis = f"{naive.label}, same run"
        elif naive is not None and stopped and (naive.extra.get("timed_out") or size is None):
            row.ratio = naive.wall_s / row.wall_s  # it took at least that long
            row.ratio_basis = f"lower bound: {naive.label} {naive.note}"
        elif size is not None and row.documents:
            measured = [
                r
                for r in self.results.rows
                if r.label.startswith("naive baseline, N=") and r.ok and r.docs_per_s
            ]
            if measured:
                best = max(measured, key=lambda r: r.size or 0)
                assert best.docs_per_s is not None and row.docs_per_s is not None
                row.ratio = row.docs_per_s / best.docs_per_s
                why = naive.note if naive is not None else "not run"
                row.ratio_basis = (
                    f"estimate from the naive throughput at N={best.size} "
                    f"({best.docs_per_s:.1f} docs/s; naive at N={size}: {why})"
                )
            elif naive is not None and stopped:
                row.ratio = naive.wall_s / row.wall_s
                row.ratio_basis = f"lower bound: {naive.label} {naive.note}"

    def targets(self) -> None:
        self.results.targets = compute_targets(self.results)


def compute_targets(results: Results) -> list[Target]:
    """One line per target of issue 6, from the rows (sizes other than 10,000 do not count)."""
    rows = results.rows
    targets: list[Target] = []

    def find(section: str, start: str, size: int | None = None) -> Row | None:
        found = [
            r
            for r in rows
            if r.section == section
            and r.label.startswith(start)
            and (size is None or r.size == size)
        ]
        return max(found, key=lambda r: r.size or 0) if found else None

    def sized(row: Row | None, goal: str, name: str, value: str, ok: bool) -> None:
        if row is None:
            targets.append(Target(name, goal, "not run", None))
        elif not row.ok:
            where = "" if row.size == 10_000 else f" (at N={row.size})"
            targets.append(Target(name, goal, f"the run failed{where}: {row.note}", False))
        elif row.size != 10_000:
            targets.append(
                Target(
                    name, goal, f"{value} at N={row.size} only (the target is for N=10,000)", None
                )
            )
        else:
            targets.append(Target(name, goal, value, ok))

    full = find("full", "medkg build")
    if full is not None:
        sized(
            full,
            "≤ 60 s",
            "Full build, 10,000 + 10,000 documents, wall",
            f"{full.wall_s:.1f} s",
            full.wall_s <= 60,
        )
        sized(
            full,
            "≤ 1.5 GB = 1536 MiB",
            "Full build, peak RSS (process tree)",
            f"{full.peak_rss_mb:,.0f} MiB",
            full.peak_rss_mb <= GIB_MB,
        )
        speed = (
            f"{full.ratio:.1f}× ({full.ratio_basis})"
            if full.ratio is not None
            else "no naive figure"
        )
        sized(
            full,
            "≥ 5× faster than naive, same run",
            "Full build against the naive baseline",
            speed,
            full.ratio is not None and full.ratio >= 5,
        )
        basis, verdict = full.ratio_basis, targets[-1]
        weak_bound = basis.startswith("lower bound") and verdict.met is False
        if verdict.met is not None and (basis.startswith("estimate") or weak_bound):
            verdict.met = None  # no naive time at this size, or a bound that proves nothing
    else:
        targets.append(
            Target(
                "Full build, 10,000 + 10,000 documents", "≤ 60 s, ≤ 1.5 GB, ≥ 5×", "not run", None
            )
        )
    for start, goal, limit in (
        ("rebuild, one document changed", "≤ 5 s", 5.0),
        ("rebuild, nothing changed", "≤ 2 s", 2.0),
    ):
        row = find("incremental", start)
        sized(
            row,
            goal,
            f"Incremental {start.removeprefix('rebuild, ')}",
            f"{row.wall_s:.2f} s" if row else "",
            bool(row and row.wall_s <= limit),
        )
    imports = find("seeds", "python -c")
    seeds = find("seeds", "medkg build")
    if imports and seeds and seeds.ok:
        times = seeds.wall_s / imports.wall_s
        targets.append(
            Target(
                "Cold build of the bundled sources",
                "≤ 2× bare import time",
                f"{seeds.wall_s:.2f} s = {times:.2f}× the {imports.wall_s:.2f} s import",
                times <= 2,
            )
        )
    else:
        targets.append(
            Target(
                "Cold build of the bundled sources",
                "≤ 2× bare import time",
                "not measured" if seeds is None else f"failed: {seeds.note}",
                None if seeds is None else False,
            )
        )
    if results.queries:
        worst = max(results.queries, key=lambda q: q.p50_ms)
        load = find("queries", "load")
        value = f"slowest p50 {worst.p50_ms:.2f} ms ({worst.name})"
        over = [q.name for q in results.queries if q.p50_ms > 20]
        if over:
            value += f"; over 20 ms: {', '.join(over)}"
        sized(load, "p50 ≤ 20 ms each", "Competency queries", value, not over)
    else:
        targets.append(Target("Competency queries", "p50 ≤ 20 ms each", "not run", None))
    cold = find("queries", "cold")
    sized(
        cold,
        "≤ 1 s",
        "Cold `medkg query` (new process, answer printed)",
        f"{cold.wall_s:.2f} s" if cold else "",
        bool(cold and cold.wall_s <= 1),
    )
    help_row = find("startup", "medkg --help")
    if help_row is not None:
        targets.append(
            Target(
                "`medkg --help`",
                "≤ 0.3 s",
                f"{help_row.wall_s:.3f} s",
                help_row.ok and help_row.wall_s <= 0.3,
            )
        )
    return targets


# --- machine facts ----------------------------------------------------------------------------


def machine_facts(flags: set[str], jobs: int) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "cores (os.cpu_count)": os.cpu_count(),
        "cores usable (sched_getaffinity)": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "RAM": _ram(),
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": ", ".join(f"{p} {_version(p)}" for p in PACKAGES),
        "git": _git(),
        "load average at start (1, 5, 15 min)": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "medkg build options detected": " ".join(sorted(flags)) or "(none of --jobs/--cache-dir)",
        "--jobs": jobs if "--jobs" in flags else "n/a (medkg build has no --jobs)",
        "rss_method": rss_method(),
    }
    return facts


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                return text.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram() -> str:
    try:
        import psutil

        return f"{psutil.virtual_memory().total / (1024**3):.1f} GiB"
    except ImportError:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        return f"{pages / (1024**3):.1f} GiB"


def _git() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = (
        " (with uncommitted changes)"
        if git("status", "--porcelain", "--untracked-files=no")
        else ""
    )
    return commit + dirty


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument(
        "--sizes", default=None, help="comma-separated N (N monographs + N code pages) [1000,10000]"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: N=20, fewer repeats (not the benchmark)"
    )
    parser.add_argument(
        "--skip-naive-above",
        type=int,
        default=None,
        metavar="N",
        help="do not run the naive baseline for sizes above N",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="folder for RESULTS.md and results.json [benchmarks/]",
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="medkg build --jobs [the cores]"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs of the short commands, median reported [5; quick 3]",
    )
    parser.add_argument(
        "--query-repeat",
        type=int,
        default=None,
        help="timed runs of each competency query [30; quick 10]",
    )
    parser.add_argument(
        "--cold-query",
        default="adverse-reactions",
        help="the named query run cold with `medkg query`",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated corpora")
    parser.add_argument(
        "--naive-timeout",
        type=float,
        default=7200.0,
        help="seconds before a naive build is stopped [7200]",
    )
    parser.add_argument(
        "--naive-query-cap",
        type=float,
        default=60.0,
        help="seconds one naive query may run before it is stopped [60]",
    )
    parser.add_argument(
        "--naive-query-timeout",
        type=float,
        default=1800.0,
        help="seconds before a naive query process is stopped [1800]",
    )
    parser.add_argument(
        "--memory-limit-gb",
        type=float,
        default=12.0,
        help="stop any measured process whose tree's RSS passes this (GiB; 0: "
        "no limit), so a naive run cannot exhaust a shared machine [12]",
    )
    parser.add_argument(
        "--build-timeout",
        type=float,
        default=None,
        help="seconds before a medkg build is stopped [none]",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="scratch folder for corpora and outputs [a new temporary one]",
    )
    parser.add_argument(
        "--keep-work",
        action="store_true",
        help="keep the scratch folder (always kept when --work is given)",
    )
    args = parser.parse_args(argv)
    default_sizes = "20" if args.quick else "1000,10000"
    args.sizes = sorted({int(n) for n in (args.sizes or default_sizes).split(",") if n.strip()})
    args.repeat = args.repeat or (3 if args.quick else 5)
    args.query_repeat = args.query_repeat or (10 if args.quick else 30)
    if args.quick:
        args.naive_query_cap = min(args.naive_query_cap, 20.0)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="medkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, work)
    print(
        f"work folder: {work}\nmachine: " + json.dumps(bench.results.machine, indent=1), flush=True
    )
    try:
        bench.seeds_and_imports()
        bench.startup()
        largest = max(args.sizes)
        for size in args.sizes:
            bench.full_build(size)
            bench.naive_build(size)
        built = bench.find_row("medkg build, N=", largest)
        if built is not None and built.ok:
            bench.incremental(largest)
            bench.queries(largest)
        else:
            bench.results.notes.append(
                f"the full build at N={largest} failed: no incremental or query scenario"
            )
    finally:
        bench.results.machine["load average at end (1, 5, 15 min)"] = " ".join(
            f"{x:.2f}" for x in os.getloadavg()
        )
        bench.targets()
        add_notes(bench)
        markdown, data = bench.results.write(args.out)
        print(f"\nwrote {markdown} and {data}")
        for target in bench.results.targets:
            print(target.markdown().split(" _(")[0])
        if args.work is None and not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"scratch folder kept: {work}")
    return 0


def add_notes(bench: Bench) -> None:
    notes = bench.results.notes
    flags = bench.flags
    if "--cache-dir" not in flags:
        notes.append(
            "`medkg build` has no --cache-dir here: builds ran without a cache option "
            "and the incremental rebuilds are full builds."
        )
    if "--jobs" not in flags:
        notes.append("`medkg build` has no --jobs here: builds ran with its default.")
    notes.append(
        "Every `medkg build` gets a fresh, empty --cache-dir except the incremental "
        "rebuilds, which reuse the full build's; XDG_CACHE_HOME points into the scratch "
        "folder so no run reads or writes ~/.cache."
    )
    notes.append(
        "Documents = every source file given to the build (skipped refusals "
        "included); triples = the dataset's void:triples (medkg) or the size of the one "
        "rdflib graph (naive); docs/s and triples/s = those over the wall time."
    )
    notes.append(
        "The cold `medkg query` names --data, so it does not check the sources for "
        "freshness; its answer is printed to a file."
    )
    notes.append(f"Peak RSS: {rss_method()}. MB are MiB.")
    skipped = [r for r in bench.results.rows if r.extra.get("skipped")]
    failed = [
        r
        for r in bench.results.rows
        if r.label.startswith("naive") and not r.ok and not r.extra.get("skipped")
    ]
    for row in skipped + failed:
        notes.append(
            f"{row.label}: {row.note}. Ratios at that size are labelled with what they use instead."
        )


if __name__ == "__main__":
    raise SystemExit(main())
