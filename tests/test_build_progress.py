"""`medkg build` shows each stage's progress on a terminal only, never on stdout, and ends
with a summary: elapsed time, documents, triples and the commands to try next."""

from __future__ import annotations

import io
import os
import pty
import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result
from rdflib import Graph

from medkg.cli import main
from medkg.pipeline.build_summary import dataset_triples, example_drug, summary_lines
from medkg.pipeline.progress import TerminalProgress

from .conftest import SOURCES, Built

STAGES = ("documents", "clusters", "merge", "exports", "query store")


def build(tmp_path: Path, *extra: str) -> Result:
    args = ["build", str(SOURCES), "--out", str(tmp_path / "out")]
    return CliRunner().invoke(main, [*args, "--cache-dir", str(tmp_path / "cache"), *extra])


def stage_lines(text: str) -> list[str]:
    """The finished line of each stage (what a terminal shows once it is redrawn)."""
    return [part.split("\r")[-1].replace("\x1b[K", "") for part in text.split("\n") if "\r" in part]


def test_no_progress_when_stderr_is_not_a_terminal_and_none_on_stdout(tmp_path: Path) -> None:
    result = build(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "\r" not in result.stderr and "\x1b" not in result.stderr
    drawn = tuple(f"{stage:<{TerminalProgress.WIDTH}}" for stage in STAGES)
    assert not any(line.startswith(drawn) for line in result.stderr.splitlines())


def test_forced_progress_shows_every_stage_with_counts_and_time_on_stderr(tmp_path: Path) -> None:
    result = build(tmp_path, "--progress")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    lines = stage_lines(result.stderr)
    assert [line.split("  ")[0].strip() for line in lines] == list(STAGES)
    assert lines[0].split()[1] == "2/2" and "done in " in lines[0]  # documents
    assert lines[1].split()[1] == "1/1"  # one cluster: the drug and its code
    assert lines[3].endswith(" files") and "done in " in lines[3]  # exports


def test_no_progress_flag_silences_it(tmp_path: Path) -> None:
    result = build(tmp_path, "--no-progress")
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr


def test_progress_is_shown_on_a_real_terminal(tmp_path: Path) -> None:
    """A build whose stderr is a pseudo-terminal draws its stages there, stdout stays empty."""
    controller, terminal = pty.openpty()
    medkg = Path(sys.executable).with_name("medkg")
    args = [str(medkg), "build", str(SOURCES), "--out", str(tmp_path / "out")]
    args += ["--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=terminal) as process:
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: the build ended
                break
            if not chunk:
                break
            shown += chunk
        stdout = process.stdout.read() if process.stdout else b""
    os.close(controller)
    assert process.returncode == 0, shown.decode()
    assert stdout == b""
    text = shown.decode("utf-8").replace("\r\n", "\n")
    assert [line.split("  ")[0].strip() for line in stage_lines(text)] == list(STAGES)


def test_a_terminal_progress_draws_nothing_when_disabled() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, enabled=False)
    progress.start("documents", 3)
    progress.advance("documents", 3)
    progress.finish("documents", "note")
    progress.close()
    assert stream.getvalue() == ""


def test_a_terminal_progress_line_gives_the_count_and_elapsed_time() -> None:
    ticks = iter([10.0, 10.0, 11.25, 12.5, 12.5])
    stream = io.StringIO()
    progress = TerminalProgress(stream, enabled=True, clock=lambda: next(ticks))
    progress.start("documents", 1200)
    progress.advance("documents", 1200)
    progress.finish("documents", "3 unchanged since the last build")
    assert stage_lines(stream.getvalue()) == [
        "documents      1,200/1,200  done in 2.5 s; 3 unchanged since the last build"
    ]
    assert "documents      1,200/1,200  1.2 s" in stream.getvalue()  # while it ran


def test_summary_gives_time_documents_triples_and_the_next_commands(tmp_path: Path) -> None:
    result = build(tmp_path)
    out = tmp_path / "out"
    triples = len(set(Graph().parse(out / "medkg.ttl")))
    lines = result.stderr.splitlines()
    start = lines.index("next, try:")
    summary = lines[start - 1]
    assert summary.startswith(f"2 documents built into {triples:,} triples in ")
    assert summary.endswith(f" s; wrote {sum(p.is_file() for p in out.rglob('*'))} files to {out}/")
    query, listing, serve = (shlex.split(line.split("   ")[0]) for line in lines[start + 1 :])
    assert query == [
        "medkg", "query", "adverse-reactions", "--data", str(out), "--param", "drug=Romosozumab"
    ]  # fmt: skip
    assert listing == ["medkg", "query", "--list"]
    assert serve == ["medkg", "serve", "--data", str(out)]
    asked = CliRunner().invoke(main, [*query[1:], "--cache-dir", str(tmp_path / "cache")])
    assert asked.exit_code == 0 and "Romosozumab" in asked.stdout  # the command works

    again = build(tmp_path)  # nothing to do: the same summary, nothing written
    assert f"{out}/ unchanged" in again.stderr and f"{triples:,} triples" in again.stderr


def test_summary_for_the_default_folder_names_no_data_option(built: Built) -> None:
    lines = summary_lines(built.out, 2, 1.0, 57, default_out=True)
    assert "--data" not in "\n".join(lines)
    assert lines[0] == f"2 documents built into {dataset_triples(built.out):,} triples in 1.0 s; " \
        f"wrote 57 files to {built.out}/"  # fmt: skip


def test_summary_without_a_drug_or_a_void_file_still_reads(tmp_path: Path) -> None:
    assert dataset_triples(tmp_path) is None and example_drug(tmp_path) is None
    lines = summary_lines(tmp_path, 1, 0.5, None, default_out=False)
    assert lines[0] == f"1 document built into the dataset in 0.5 s; {tmp_path}/ unchanged"
    assert lines[2] == f"  medkg query adverse-reactions --data {tmp_path}"
