"""Build a folder of real documents with default options and say what became of each.

    python benchmarks/real_corpus.py PATH [--out DIR] [--cache-dir DIR | --no-cache]
                                          [--jobs N] [--json FILE]

Runs ``medkg build PATH --keep-going`` as a child process (so a failed document
is listed instead of stopping the run; everything else is medkg's default),
measures it with `measure.measure` (wall time, peak RSS of the process tree),
and prints, from the ``build-report.json`` it wrote: documents built, skipped
(by reason), failed (by error, with the first few files of each), facts kept
as statements because the shapes refuse them (by kind), the exit code and the
measurements. ``--json`` also writes those figures as JSON.

The documents are not part of this repository: the public monograph collection
(``RxHive/RxHive.github.io``, folder ``composition/``) may not be copied. Fetch
it into a folder outside the repository (README, "Building the real
collection") and point this script at it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from measure import measure  # this script's folder is on sys.path

MEDKG = Path(sys.executable).with_name("medkg")
SHOWN = 5  # files listed per kind of failure


def error_kind(error: str, path: str) -> str:
    """What a failure's error says, without the file name and the parts that name nodes or
    numbers, so equal causes count together."""
    text = error.removeprefix(path).lstrip(": ")
    text = re.sub(r"<[^>]*>|https?://\S+", "<node>", text)
    text = re.sub(r"\d+", "N", text)
    return text[:160]


def summarise(report: dict[str, object]) -> dict[str, object]:
    """Counts by status, skip reasons, failures by kind of error, downgraded facts by kind."""
    documents = report["documents"]
    assert isinstance(documents, list)
    statuses = Counter(d["status"] for d in documents)
    reasons = Counter(d.get("reason", "") for d in documents if d["status"] == "skipped")
    failures: dict[str, list[str]] = {}
    for document in documents:
        if document["status"] == "failed":
            kind = error_kind(document.get("error", ""), document["file"])
            failures.setdefault(kind, []).append(document["file"])
    downgraded = Counter(
        fact["kind"] for document in documents for fact in document.get("downgraded", [])
    )
    return {
        "documents": len(documents),
        "built": statuses["built"],
        "skipped": statuses["skipped"],
        "failed": statuses["failed"],
        "skipped_by_reason": dict(reasons.most_common()),
        "failed_by_error": {
            kind: {"count": len(files), "files": sorted(files)[:SHOWN]}
            for kind, files in sorted(failures.items(), key=lambda item: -len(item[1]))
        },
        "downgraded_by_kind": dict(downgraded.most_common()),
        "facts": report["totals"]["facts"],  # type: ignore[index]
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a folder of monographs and/or code pages")
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    parser.add_argument("--jobs", type=int, help="medkg build --jobs (default: medkg's)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument("--cache-dir", type=Path, help="medkg build --cache-dir")
    cache.add_argument("--no-cache", action="store_true", help="medkg build --no-cache")
    args = parser.parse_args()
    if not args.path.is_dir():
        parser.error(f"{args.path} is not a folder: give the folder of documents to build")

    with tempfile.TemporaryDirectory(prefix="medkg-real-") as scratch:
        out = args.out or Path(scratch) / "dist"
        command = [str(MEDKG), "build", str(args.path), "--out", str(out), "--keep-going"]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        if args.cache_dir:
            command += ["--cache-dir", str(args.cache_dir)]
        if args.no_cache:
            command.append("--no-cache")
        run = measure(command, Path(scratch) / "logs", "build")
        report_file = out / "build-report.json"
        if not report_file.is_file():
            print(f"medkg build wrote no report: {run.failure() or 'no reason given'}")
            print(run.stderr.read_text(encoding="utf-8", errors="replace")[-3000:])
            return 1
        figures = summarise(json.loads(report_file.read_text(encoding="utf-8")))
        traceback = "Traceback (most recent call last)" in run.stderr.read_text(
            encoding="utf-8", errors="replace"
        )
    figures.update(
        {
            "command": " ".join(command[1:]),
            "exit_code": run.returncode,
            "traceback": traceback,
            "wall_s": round(run.wall_s, 1),
            "peak_rss_mib": round(run.peak_rss_mb),
        }
    )
    print(f"medkg {figures['command']}")
    print(
        f"exit {run.returncode}{' (with a traceback)' if traceback else ''}; "
        f"wall {run.wall_s:.0f} s; peak RSS {run.peak_rss_mb:.0f} MiB"
    )
    print(
        f"{figures['documents']} documents: {figures['built']} built, "
        f"{figures['skipped']} skipped, {figures['failed']} failed"
    )
    for reason, count in figures["skipped_by_reason"].items():  # type: ignore[attr-defined]
        print(f"  skipped {count:5}  {reason}")
    for kind, failed in figures["failed_by_error"].items():  # type: ignore[attr-defined]
        print(f"  failed  {failed['count']:5}  {kind}")
        for name in failed["files"]:
            print(f"                 {name}")
    for kind, count in figures["downgraded_by_kind"].items():  # type: ignore[attr-defined]
        print(f"  kept as statements {count:5} {kind} (the shapes refuse them)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", "utf-8")
    return 0 if figures["failed"] == 0 and not traceback else 1


if __name__ == "__main__":
    sys.exit(main())
