"""The hostile input kinds: each a few small files and what a build must make of each.

A kind's documents are about a drug (and, for code pages, a code) of their own, so
they never share a cluster with the control documents or with one another, and
whatever one kind does can be told apart from the others in one build.
"""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from medkg.parse import limits

Outcome = str  # "built", "skipped" or "failed"


@dataclass(frozen=True)
class Kind:
    """One hostile input kind: its files (name -> bytes), the outcome of each file, and
    words the failed or skipped file's message must hold (besides its name)."""

    name: str
    files: dict[str, bytes]
    outcome: dict[str, Outcome]
    message: str = ""
    check: Callable[[str], bool] | None = field(default=None, compare=False)  # on medkg.nq


def drug(number: int) -> str:
    """A made-up drug name no lexicon knows, one per kind."""
    letters = "".join(chr(ord("a") + int(d)) for d in f"{number:03d}")
    return f"Hostil{letters}mab"


def monograph(number: int, body: str = "", title: str | None = None, front: str = "") -> str:
    """A small monograph of `drug(number)`; `body` goes into its Usage section."""
    name = drug(number)
    shown = name if title is None else title
    return (
        f"---\nlayout: minimal-medicine\ntitle: {shown}\n{front}---\n\n# {name}\n"
        f"### Generic Name\n{name}\n\n### Usage\n{name} is used to treat gout in adults.{body}\n\n"
        f"### Side Effects\n- Headache\n- Nausea\n\n### How it Works\n"
        f"{name} blocks the enzyme xanthine oxidase.\n"
    )


def code_page(number: int, name_line: str | None = None, head: str = "", body: str = "") -> str:
    """A small code page for the code J9<number> billing `drug(number)`."""
    code = f"J9{number:03d}"
    name = drug(number).lower()
    line = name_line if name_line is not None else f"Injection, {name}, 1 mg (HCPCS {code})"
    return (
        f"{head}Search all medical codes\nInjection, {name}, 1 mg\nHCPCS code\n"
        f"Name of the Procedure:\nCommon Name: {name} injection Medical Term: {line}\n"
        f"Summary\n{name} is given as an injection under the skin.{body}\n"
        f"Purpose\nIt treats gout.\nRisks and Complications\n- Pain at the injection site\n"
    )


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _one(name: str, number: int, data: bytes, outcome: Outcome, message: str = "") -> Kind:
    file = f"{name}.md"
    return Kind(name, {file: data}, {file: outcome}, message)


def _in_body(name: str, number: int, chars: str) -> Kind:
    """`chars` inside a Usage sentence: the document builds, the literal keeps them."""
    return _one(name, number, _utf8(monograph(number, f" It is taken{chars}with food.")), "built")


def _billion_laughs() -> str:
    """Nine levels of anchors, each aliasing the one before nine times (9^9 leaves)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghi"
    for before, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def kinds() -> list[Kind]:
    """Every hostile kind (numbered from 100, so no two share a drug)."""
    found: list[Kind] = []
    n = iter(range(100, 1000))
    # -- characters in body text (the N-Triples line splitting of issue 15, item 2) --
    for name, chars in [
        ("line-separator", "\u2028"),
        ("paragraph-separator", "\u2029"),
        ("next-line", "\u0085"),
        ("vertical-tab", "\v"),
        ("form-feed", "\f"),
        ("file-separator", "\x1c"),
        ("group-separator", "\x1d"),
        ("record-separator", "\x1e"),
        ("unit-separator", "\x1f"),
        ("bell-and-backspace", "\x07\x08"),
        ("delete", "\x7f"),
        ("c1-control", "\x80\x9f"),
        ("terminal-escape", "\x1b[31m"),
        ("zero-width", "\u200b\u200c\u200d"),
        ("inner-byte-order-mark", "\ufeff"),
        ("bidi-override", "\u202e"),
        ("astral-emoji", " \U0001f48a "),
        ("combining-marks", " e\u0301\u0301\u0301 "),
        ("quotes-and-backslashes", ' "x" \\" \\n \\u0000 '),
        ("html-script", " <script>alert(1)</script> "),
        ("turtle-injection", ' "> . <http://evil/> <http://evil/> "x" . '),
        ("json-injection", ' "}, {"@id": "x"} '),
    ]:
        found.append(_in_body(name, next(n), chars))
    number = next(n)
    pages = monograph(number).replace("### Side Effects", "\f\n### Side Effects")
    found.append(_one("form-feed-page-breaks", number, _utf8(pages), "built"))
    # -- line ends and encodings --
    number = next(n)
    found.append(_one("crlf", number, _utf8(monograph(number).replace("\n", "\r\n")), "built"))
    number = next(n)
    found.append(_one("cr-only", number, _utf8(monograph(number).replace("\n", "\r")), "built"))
    number = next(n)
    found.append(_one("no-final-newline", number, _utf8(monograph(number).rstrip()), "built"))
    number = next(n)
    found.append(_one("utf8-bom", number, codecs.BOM_UTF8 + _utf8(monograph(number)), "built"))
    for name, encoding, bom in [
        ("utf16-le-bom", "utf-16-le", codecs.BOM_UTF16_LE),
        ("utf16-be-bom", "utf-16-be", codecs.BOM_UTF16_BE),
        ("utf32-le-bom", "utf-32-le", codecs.BOM_UTF32_LE),
    ]:
        number = next(n)
        found.append(_one(name, number, bom + monograph(number).encode(encoding), "built"))
    number = next(n)
    data = monograph(number).encode("utf-16-le")
    found.append(_one("utf16-no-bom", number, data, "failed", "UTF-16/UTF-32 text without"))
    number = next(n)
    data = codecs.BOM_UTF16_LE + monograph(number).encode("utf-16-le") + b"\x00"
    found.append(_one("utf16-odd-length", number, data, "failed", "is not valid UTF-16"))
    number = next(n)
    data = monograph(number, " Taken with caf\u00e9.").encode("latin-1")
    found.append(_one("latin1", number, data, "failed", "is not valid UTF-8"))
    number = next(n)
    data = _utf8(monograph(number, " A dose of 5 mg/m\u00c2\u00b2 is used."))  # mojibake
    found.append(_one("mojibake", number, data, "built"))
    # -- front matter and YAML --
    number = next(n)
    unclosed = monograph(number).replace("---\n\n#", "\n#", 1)
    found.append(_one("unclosed-front-matter", number, _utf8(unclosed), "failed", "never closed"))
    number = next(n)
    tagged = monograph(number, front="x: !!python/object/apply:os.system ['echo pwned']\n")
    found.append(_one("yaml-python-tag", number, _utf8(tagged), "failed", "front matter"))
    number = next(n)
    local = monograph(number, front="x: !custom {a: 1}\n")
    found.append(_one("yaml-local-tag", number, _utf8(local), "failed", "front matter"))
    number = next(n)
    laughs = monograph(number, front=_billion_laughs())
    found.append(_one("billion-laughs", number, _utf8(laughs), "built"))
    number = next(n)
    listed = monograph(number, title="[a, b]")
    found.append(_one("title-is-a-list", number, _utf8(listed), "failed", "is not text"))
    number = next(n)
    broken = monograph(number, front="x: [unclosed\n")
    found.append(_one("yaml-syntax-error", number, _utf8(broken), "failed", "front matter"))
    number = next(n)
    twice = monograph(number, front=f"title: {drug(number)}\n")
    found.append(_one("yaml-duplicate-key", number, _utf8(twice), "built"))
    number = next(n)
    escaped = monograph(number, title='"Caf\\u00e9ine \\"' + drug(number) + '\\""')
    found.append(
        Kind(
            "escaped-title",
            {"escaped-title.md": _utf8(escaped)},
            {"escaped-title.md": "built"},
            check=lambda nq: 'Caféine \\"' in nq and "Caf\\\\u00e9ine" in nq,
        )
    )
    number = next(n)
    quoted = monograph(number, title=f"'It''s {drug(number)}'")
    found.append(
        Kind(
            "single-quoted-title",
            {"single-quoted-title.md": _utf8(quoted)},
            {"single-quoted-title.md": "built"},
            check=lambda nq: "\"It's " in nq,
        )
    )
    number = next(n)
    long_title = monograph(number, title=drug(number) + " extended" * 40)
    found.append(_one("long-title", number, _utf8(long_title), "built"))
    number = next(n)
    only_front = f"---\nlayout: minimal-medicine\ntitle: {drug(number)}\n---\n"
    found.append(_one("front-matter-only", number, _utf8(only_front), "skipped", "no monograph"))
    number = next(n)
    refusal = (
        f"---\nlayout: minimal-medicine\ntitle: {drug(number)}\n---\n\n"
        "Please provide the name of the medicine you want a monograph for.\n"
    )
    found.append(_one("generator-refusal", number, _utf8(refusal), "skipped", ""))
    # -- not documents at all --
    found.append(_one("empty", next(n), b"", "skipped", "is empty"))
    found.append(_one("whitespace-only", next(n), b" \n\t\n\n", "skipped", "is empty"))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    found.append(_one("binary", next(n), png, "failed", "binary file"))
    found.append(_one("shopping-list", next(n), b"eggs\nmilk\n", "skipped", "neither"))
    # -- size and structure limits (medkg.parse.limits) --
    number = next(n)
    wide = monograph(number, " " + "word " * (limits.MAX_LINE_CHARS // 5 + 10))
    found.append(_one("huge-line", number, _utf8(wide), "failed", "characters on one line"))
    number = next(n)
    items = "\n" + "\n".join(f"- item {i}" for i in range(limits.MAX_LIST_ITEMS + 1))
    found.append(
        _one("many-bullets", number, _utf8(monograph(number, items)), "failed", "list items")
    )
    number = next(n)
    steps = "\n" + "\n".join(f"{i}. step" for i in range(1, limits.MAX_LIST_ITEMS + 2))
    found.append(
        _one("many-steps", number, _utf8(monograph(number, steps)), "failed", "list items")
    )
    number = next(n)
    deep = "\n" + "\n".join("  " * i + "- deeper" for i in range(limits.MAX_NESTING + 2))
    found.append(_one("deep-list", number, _utf8(monograph(number, deep)), "failed", "nesting"))
    number = next(n)
    quotes = "\n\n" + ">" * (limits.MAX_NESTING + 1) + " quoted\n"
    found.append(_one("deep-quotes", number, _utf8(monograph(number, quotes)), "failed", "nesting"))
    number = next(n)
    lines = "\n" * (limits.MAX_LINES + 1)
    found.append(_one("many-lines", number, _utf8(monograph(number, lines)), "failed", "lines"))
    number = next(n)
    big = monograph(number) + ("x" * 99 + "\n") * (limits.MAX_BYTES // 100 + 1)
    found.append(_one("too-many-bytes", number, _utf8(big), "failed", "bytes"))
    number = next(n)
    brackets = monograph(number, " (" * 2000 + "gout" + ")" * 2000)
    found.append(_one("deep-parentheses", number, _utf8(brackets), "built"))
    number = next(n)
    fence = monograph(number, "\n\n```\nnever closed\n")
    found.append(_one("unclosed-code-fence", number, _utf8(fence), "built"))
    number = next(n)
    link = monograph(number, " See [here](javascript:alert(1)).")
    found.append(_one("javascript-link", number, _utf8(link), "built"))
    # -- file names (issue 15, item 5: colliding and non-Latin names) --
    for name, files in [
        ("extension-collision", ("collide-ext.md", "collide-ext.txt")),
        ("case-collision", ("Collide-Case.md", "collide-case.md")),
        ("non-latin-names", ("ヒドロキシ.md", "氢氧化.md")),
        ("spaces-in-name", ("with spaces here.md",)),
        ("emoji-name", ("pill-\U0001f48a.md",)),
        ("very-long-name", ("n" * 200 + ".md",)),
    ]:
        number = next(n)
        data = _utf8(monograph(number))
        found.append(Kind(name, dict.fromkeys(files, data), dict.fromkeys(files, "built")))
    number = next(n)
    non_latin = _utf8(monograph(number, title="ヒドロキシマブ"))
    found.append(
        Kind("non-latin-title", {"kanji-title.md": non_latin}, {"kanji-title.md": "built"})
    )
    # -- code pages --
    number = next(n)
    two = code_page(number, f"Injection (J9{number:03d}/J8{number:03d})")
    found.append(_one("two-codes", number, _utf8(two), "failed", f"J9{number:03d}, J8{number:03d}"))
    number = next(n)
    found.append(_one("dash-code-page", number, _utf8(code_page(number, head="---\n")), "built"))
    number = next(n)
    see_also = code_page(number, f"Injection (HCPCS J9{number:03d}; see also J8{number:03d})")
    found.append(_one("code-see-also", number, _utf8(see_also), "built"))
    number = next(n)
    no_code = code_page(number, "Injection of the drug")
    found.append(
        _one("code-page-without-code", number, _utf8(no_code), "failed", "no billing code")
    )
    number = next(n)
    separators = code_page(number, body=" It is\u2028given\fweekly\x1c.")
    found.append(_one("code-page-separators", number, _utf8(separators), "built"))
    number = next(n)
    crlf_page = code_page(number).replace("\n", "\r\n")
    found.append(_one("code-page-crlf", number, _utf8(crlf_page), "built"))
    return found
