"""The largest document of a collection by each measure of `medkg.parse.limits`.

A maintainer tool, not part of the build: run it on the real collection before
changing a limit (each must stay far above what real documents reach), and
update ``REAL_MAXIMA`` with what it prints::

    python scripts/measure_limits.py ~/rxhive/composition
"""

from __future__ import annotations

import sys
from pathlib import Path

from medkg.errors import SourceError
from medkg.parse.limits import measure
from medkg.read.decode import decode, normalise_newlines


def main(folders: list[str]) -> None:
    largest: dict[str, tuple[int, str]] = {}
    count = 0
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file() or path.suffix.lower() not in (".md", ".markdown", ".txt"):
                continue
            data = path.read_bytes()
            try:
                text = normalise_newlines(decode(data, path.name))
            except SourceError:
                continue
            count += 1
            found = measure(text)
            for what, value in {"bytes": len(data), **vars(found)}.items():
                if value > largest.get(what, (-1, ""))[0]:
                    largest[what] = (value, path.name)
    print(f"{count} documents")
    for what, (value, name) in largest.items():
        print(f"  {what}: {value:,} ({name})")


if __name__ == "__main__":
    main(sys.argv[1:])
