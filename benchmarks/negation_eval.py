"""Measure medkg's negation/hedge rules against negspacy and medspaCy's ConText.

    python benchmarks/negation_eval.py pairs COLLECTION [--out FILE]   # candidate pairs
    python benchmarks/negation_eval.py show COLLECTION --labels FILE   # print them to label
    python benchmarks/negation_eval.py evaluate COLLECTION --labels FILE [--json FILE]

COLLECTION is the folder that holds ``composition/`` (the public monograph collection,
which may not be copied into this repository: it is read at run time).

* ``pairs`` picks documents (the 24 of ``--dev`` plus ``--random`` others, seeded), parses
  and extracts each with medkg, and writes (sentence, candidate span) pairs from the
  Usage, Side Effects, Precautions and How it Works sections as offsets only: spans of
  facts medkg extracted (those in sentences with a negation/hedge cue oversampled) and
  spans medkg did not extract that follow (or precede) a cue word in a cue sentence.
* ``show`` prints each pair's sentence with the span in [[…]], for labelling by hand.
* ``evaluate`` reads the hand labels (a TSV keyed by document and offsets: the last
  column is A — the sentence affirms the fact — or N/H/P/Y — negated, hedged, past,
  hypothetical: the fact should be dropped; X — the span names no fact, left out) and
  scores, for "this fact should be
  dropped": medkg's rule for the section, negspacy (termset ``en_clinical``, then with
  hedge terms added) and medspaCy ConText (default rules). It also times each library
  and counts what it installs.

spacy, negspacy and medspacy are imported only by ``evaluate``; they are not project
dependencies. Install them into a scratch environment with
``pip install "spacy<3.8" negspacy medspacy==1.3.1`` (medspacy 1.3.1 pins spacy<3.8 on
Python 3.11). No model is downloaded: a blank English tokenizer is used.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata as md
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medkg.extract import extract_document
from medkg.extract.indication.cues import find_trigger, stated_use
from medkg.extract.mechanism.subjects import HEDGES, NEGATIONS
from medkg.extract.precaution.rules import hedged_contraindication, negated, reassures
from medkg.model import Document, Extraction
from medkg.parse import parse_document
from medkg.text import sentences

SECTIONS = ("Usage", "Side Effects", "Precautions", "How it Works")
DEV = Path("/work/shared/eval/dev-docs.txt")
DROP = frozenset("NHPY")  # negated, hedged, past (historical), hypothetical
CUE = re.compile(
    r"\b(?:not|no|without|may|might|could|possibly|unclear|unknown|rarely|has\s+been\s+used|"
    r"historically|is\s+thought\s+to|believed|should\s+not|no\s+longer|if|unless|never|"
    r"cannot|theoretical(?:ly)?|potential(?:ly)?|suggests?|uncertain|unlikely)\b|n't\b",
    re.I,
)
# words skipped at the edge of a candidate span cut next to a cue
_SKIP = frozenset(
    re.findall(
        r"\w+",
        """a an the be been being is are was were has have had it this that these those to for in
    of with by on at as or and any also usually generally used use using treat treating
    cause causes causing recommended indicated known clear established whether well
    significant significantly common commonly associated affect affects lead leads result
    results occur occurs happen develop increase increased experience take taking given
    should must can will would do does did you your its their always often may might could
    possibly other such some all more less very""",
    )
)
_MAX_WORDS = 5
_GENERIC = re.compile(
    r"\b(?:side\s+effects?|adverse|includ\w*|list|medical|attention|doctor|"
    r"healthcare|professional|they|them|concerning|unusual)\b",
    re.I,
)
QUOTAS = {"cue fact": 40, "plain fact": 12, "candidate": 60}
FIELDS = ("document", "section", "sent_start", "sent_end", "start", "end", "origin")


@dataclass(frozen=True)
class Pair:
    document: str  # path relative to the collection
    section: str
    sent_start: int
    sent_end: int
    start: int
    end: int
    origin: str  # "extracted" (medkg keeps it) or "candidate" (medkg did not extract it)
    label: str = ""


# --------------------------------------------------------------------------- pairs


def _load(collection: Path, relative: str) -> tuple[Document, Extraction]:
    document = parse_document((collection / relative).read_text(encoding="utf-8"), relative)
    return document, extract_document(document)


def _fact_spans(extraction: Extraction) -> list[tuple[str, int, int]]:
    """(section, start, end) of the mention of every fact of the four sections."""
    evidence = [f.condition.evidence for f in extraction.indications]
    evidence += [f.reaction.evidence for f in extraction.adverse_reactions]
    evidence += [f.condition.evidence for f in extraction.contraindications]
    for warning in extraction.warnings:
        if warning.condition is not None:
            evidence.append(warning.condition.evidence)
        evidence += [m.evidence for m in warning.interacting]
    evidence += [f.object.evidence for f in extraction.mechanism]
    evidence += [f.effect.evidence for f in extraction.effects]
    return [(e.section, e.start, e.end) for e in evidence if e.section in SECTIONS]


def _sentences(document: Document) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    for section in document.sections:
        if section.name not in SECTIONS:
            continue
        blocks = [(b.start, b.end) for b in section.blocks] or [(section.start, section.end)]
        for start, end in blocks:
            found += [(section.name, s, e) for s, e in sentences(document.text, start, end)]
    return found


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[\w'’-]+", text[start:end])]


def _cut(text: str, start: int, end: int, after: bool) -> tuple[int, int] | None:
    """Up to five words next to a cue: after it (to the next punctuation), or before it
    (from the clause start), without function words at the edges."""
    if after:
        stop = re.search(r"[,;:.()]|\s(?:and|but|or|because|while|as)\s", text[start:end])
        end = start + stop.start() if stop else end
    else:
        cut = max(text.rfind(c, start, end) for c in ",;:(")
        start = cut + 1 if cut >= 0 else start
    words = [(start + s, start + e) for s, e in _words(text, start, end)]
    while words and text[words[0][0] : words[0][1]].lower() in _SKIP:
        words.pop(0)
    while words and text[words[-1][0] : words[-1][1]].lower() in _SKIP:
        words.pop()
    if not words:
        return None
    words = words[:_MAX_WORDS] if after else words[-_MAX_WORDS:]
    return words[0][0], words[-1][1]


def _candidate(text: str, start: int, end: int) -> tuple[int, int] | None:
    cue = CUE.search(text, start, end)
    if cue is None:
        return None
    span = _cut(text, cue.end(), end, True) or _cut(text, start, cue.start(), False)
    if span is None or _GENERIC.search(text, *span) or len(_words(text, *span)) < 2:
        return None  # "any side effects", "this list": no fact to keep or drop
    return span


def collect(collection: Path, dev: list[str], others: int, seed: int) -> list[Pair]:
    rng = random.Random(seed)
    every = sorted(
        str(p.relative_to(collection)) for p in (collection / "composition").rglob("*.md")
    )
    rest = [p for p in every if p not in set(dev)]
    documents = dev + rng.sample(rest, others)
    pools: dict[tuple[str, str], list[Pair]] = {}
    for relative in documents:
        try:
            document, extraction = _load(collection, relative)
        except Exception:  # a document medkg cannot read is left out
            continue
        text = document.text
        facts = _fact_spans(extraction)
        for section, s, e in _sentences(document):
            inside = sorted({(a, b) for sec, a, b in facts if sec == section and s <= a < e})
            has_cue = CUE.search(text, s, e) is not None
            for a, b in rng.sample(inside, min(2, len(inside))):
                kind = "cue fact" if has_cue else "plain fact"
                pools.setdefault((section, kind), []).append(
                    Pair(relative, section, s, e, a, b, "extracted")
                )
            span = _candidate(text, s, e) if has_cue else None
            if span and not any(a < span[1] and span[0] < b for a, b in inside):
                pools.setdefault((section, "candidate"), []).append(
                    Pair(relative, section, s, e, *span, "candidate")
                )
    pairs: list[Pair] = []
    for section in SECTIONS:  # per section: cue-sentence facts oversampled
        for kind, quota in QUOTAS.items():
            pool = pools.get((section, kind), [])
            draw = random.Random(f"{seed}:{section}:{kind}")  # one stream per pool
            pairs += draw.sample(pool, min(quota, len(pool)))
    return pairs


def write_pairs(pairs: Iterable[Pair], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow((*FIELDS, "label"))
        for p in pairs:
            writer.writerow(
                (p.document, p.section, p.sent_start, p.sent_end, p.start, p.end, p.origin, p.label)
            )


def read_pairs(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Pair(
            r["document"],
            r["section"],
            int(r["sent_start"]),
            int(r["sent_end"]),
            int(r["start"]),
            int(r["end"]),
            r["origin"],
            (r.get("label") or "").strip(),
        )
        for r in rows
    ]


def _texts(collection: Path, pairs: list[Pair]) -> dict[str, str]:
    """The parsed (repaired) text of each document: the offsets index it."""
    return {
        d: parse_document((collection / d).read_text(encoding="utf-8"), d).text
        for d in sorted({p.document for p in pairs})
    }


# --------------------------------------------------------------------------- deciders


def medkg_drops(text: str, p: Pair) -> bool:
    """Whether medkg's rule for the pair's section drops the fact. A fact medkg extracted
    passed its rule; for another span the section's rule is applied at the span."""
    if p.origin == "extracted":
        return False
    s, e = p.sent_start, p.sent_end
    if p.section == "Usage":
        trigger = find_trigger(text, s, p.start)
        return not stated_use(text, s, trigger.start() if trigger else p.start)
    if p.section == "Precautions":
        return bool(
            negated(text, s, p.start)
            or hedged_contraindication(text, s, e)
            or reassures(text, s, e)
        )
    if p.section == "Side Effects":
        from medkg.extract.reaction.clauses import _DOUBT

        left = max(text.rfind(c, s, p.start) for c in ",;") + 1 or s
        right = min([i for i in (text.find(c, p.end, e) for c in ",;") if i >= 0] or [e])
        clause = text[max(s, left) : right]
        return bool(
            re.search(r"\b(?:no|not|none|never|without|nor)\b|n't\b", clause, re.I)
            or _DOUBT.search(text, s, e)
        )
    words = set(re.findall(r"[a-z]+", text[s:e].lower()))
    return bool(words & (HEDGES | NEGATIONS))


HEDGE_TERMS = {
    "preceding_negations": [
        "may",
        "might",
        "could",
        "possibly",
        "potentially",
        "perhaps",
        "is thought to",
        "are thought to",
        "is believed to",
        "are believed to",
        "believed",
        "unclear whether",
        "unknown whether",
        "it is unclear",
        "historically",
        "previously",
        "formerly",
        "has been used",
        "no longer",
        "theoretical",
        "theoretically",
        "suggests",
        "research",
    ],
    "following_negations": ["is unclear", "is unknown", "is uncertain", "is theoretical"],
}


def _span_doc(nlp: Any, sentence: str, start: int, end: int) -> Any:
    """A one-sentence doc of `sentence` with text[start:end] as its only entity."""
    doc = nlp.make_doc(sentence)
    for index, token in enumerate(doc):
        token.is_sent_start = index == 0
    span = doc.char_span(start, end, label="FACT", alignment_mode="expand")
    doc.ents = [span] if span is not None else []
    return doc


def negspacy_decider(hedges: bool) -> Callable[[str, int, int], bool]:
    import spacy
    from negspacy.negation import Negex  # noqa: F401 - registers the "negex" factory
    from negspacy.termsets import termset

    terms = termset("en_clinical")
    if hedges:
        terms.add_patterns(HEDGE_TERMS)
    nlp = spacy.blank("en")
    negex = nlp.add_pipe("negex", config={"neg_termset": terms.get_patterns()})

    def drops(sentence: str, start: int, end: int) -> bool:
        doc = _span_doc(nlp, sentence, start, end)
        doc = negex(doc)
        return bool(doc.ents and doc.ents[0]._.negex)

    return drops


CONTEXT_KINDS = ("NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "HYPOTHETICAL")


def context_decider(kinds: tuple[str, ...] = CONTEXT_KINDS) -> Callable[[str, int, int], bool]:
    import spacy
    from medspacy.context import ConText

    nlp = spacy.blank("en")
    context = ConText(nlp)

    def drops(sentence: str, start: int, end: int) -> bool:
        doc = _span_doc(nlp, sentence, start, end)
        doc = context(doc)
        if not doc.ents:
            return False
        return any(m.category in kinds for m in doc.ents[0]._.modifiers)

    return drops


# --------------------------------------------------------------------------- scoring

FAMILIES = {
    "negation (not, no, n't, without, never)": (
        r"\b(?:not|no|never|without|none|nor|cannot)\b|n't\b"
    ),
    "modal (may, might, could, can)": r"\b(?:may|might|could|can)\b",
    "belief / evidence (believed, thought, suggest, studies)": (
        r"\b(?:believed|thought|suggests?|studies|research|unclear|unknown|understood)\b"
    ),
    "potential(ly), possibly": r"\b(?:potential(?:ly)?|possibl[ey]|theoretical(?:ly)?)\b",
    "conditional (if, unless)": r"\b(?:if|unless)\b",
    "past (historically, no longer, previously, was)": (
        r"\b(?:historically|previously|formerly|withdrawn|no\s+longer|was|were)\b"
    ),
}


def cue_family(sentence: str, start: int) -> str:
    """The family of the cue nearest before the span (else the first after it), or none."""
    best: tuple[int, str] | None = None
    for family, pattern in FAMILIES.items():
        for found in re.finditer(pattern, sentence, re.I):
            distance = start - found.end() if found.end() <= start else 10_000 + found.start()
            if best is None or distance < best[0]:
                best = (distance, family)
    return best[1] if best else "no cue"


def score(gold: list[bool], said: list[bool]) -> dict[str, float | int]:
    tp = sum(g and s for g, s in zip(gold, said, strict=True))
    fp = sum(s and not g for g, s in zip(gold, said, strict=True))
    fn = sum(g and not s for g, s in zip(gold, said, strict=True))
    tn = len(gold) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (tp + tn) / len(gold) if gold else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "accuracy": round(accuracy, 3),
    }


def _brief(scores: dict[str, float | int]) -> str:
    """ "P 0.85 R 0.74 acc 0.88" """
    return f"P {scores['precision']:.2f} R {scores['recall']:.2f} acc {scores['accuracy']:.2f}"


def _closure(roots: Iterable[str], before: set[str]) -> set[str]:
    """The installed distributions `roots` need (recursively) that `before` did not have."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = re.split(r"[ ;<>=!\[~(]", todo.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if name in seen or name in before:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        seen.add(name)
        todo += [r for r in dist.requires or [] if "extra ==" not in r]
    return seen


def _size(names: Iterable[str]) -> int:
    total = 0
    for name in names:
        for file in md.distribution(name).files or []:
            path = Path(str(file.locate()))
            if path.is_file():
                total += path.stat().st_size
    return total


def _import_seconds(statement: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        best = min(best, time.perf_counter() - started)
    return round(best, 2)


def costs(sentences_: list[tuple[str, int, int]], deciders: dict[str, Any]) -> dict[str, Any]:
    medkg_deps = _closure(["medkg"], set())
    out: dict[str, Any] = {}
    for root in ("spacy", "negspacy", "medspacy"):
        extra = _closure([root], medkg_deps)
        out[f"{root} new distributions"] = len(extra)
        out[f"{root} new MB"] = round(_size(extra) / 1e6, 1)
    out["import s: medkg rules"] = _import_seconds("import medkg.extract.precaution.rules")
    out["import s: spacy + negspacy"] = _import_seconds(
        "import spacy, negspacy.negation; spacy.blank('en')"
    )
    out["import s: spacy + medspacy ConText"] = _import_seconds(
        "import spacy; from medspacy.context import ConText; ConText(spacy.blank('en'))"
    )
    for name, decide in deciders.items():
        started = time.perf_counter()
        for _ in range(3):
            for sentence, s, e in sentences_:
                decide(sentence, s, e)
        per = (time.perf_counter() - started) / (3 * len(sentences_))
        out[f"ms per sentence: {name}"] = round(per * 1000, 3)
    return out


def evaluate(collection: Path, labels: Path) -> dict[str, Any]:
    pairs = [p for p in read_pairs(labels) if p.label in DROP | {"A"}]
    texts = _texts(collection, pairs)
    local = [
        (
            texts[p.document][p.sent_start : p.sent_end],
            p.start - p.sent_start,
            p.end - p.sent_start,
        )
        for p in pairs
    ]
    deciders: dict[str, Callable[[str, int, int], bool]] = {
        "negspacy en_clinical": negspacy_decider(False),
        "negspacy + hedges": negspacy_decider(True),
        "ConText (all 4)": context_decider(),
        "ConText NEGATED only": context_decider(("NEGATED_EXISTENCE",)),
        "ConText NEG+POSSIBLE": context_decider(("NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE")),
    }
    gold = [p.label in DROP for p in pairs]
    decisions: dict[str, list[bool]] = {
        "medkg rules": [medkg_drops(texts[p.document], p) for p in pairs]
    }
    decisions["medkg (extracted or not)"] = [p.origin != "extracted" for p in pairs]
    for name, decide in deciders.items():
        decisions[name] = [decide(*x) for x in local]
    result: dict[str, Any] = {
        "pairs": len(pairs),
        "labels": dict(Counter(p.label for p in pairs)),
        "origins": dict(Counter(p.origin for p in pairs)),
        "scores": {name: score(gold, said) for name, said in decisions.items()},
    }
    by_section: dict[str, dict[str, Any]] = {}
    for section in SECTIONS:
        index = [i for i, p in enumerate(pairs) if p.section == section]
        by_section[section] = {
            "pairs": len(index),
            "drop": sum(gold[i] for i in index),
            **{
                name: _brief(score([gold[i] for i in index], [said[i] for i in index]))
                for name, said in decisions.items()
            },
        }
    result["by_section"] = by_section
    families = [cue_family(sentence, start) for sentence, start, _ in local]
    by_cue: dict[str, dict[str, Any]] = {}
    for family in sorted(set(families)):
        index = [i for i, f in enumerate(families) if f == family]
        by_cue[family] = {
            "pairs": len(index),
            "drop": sum(gold[i] for i in index),
            **{
                name: _brief(score([gold[i] for i in index], [said[i] for i in index]))
                for name, said in decisions.items()
                if name in ("medkg rules", "negspacy + hedges", "ConText (all 4)")
            },
        }
    result["by_cue"] = by_cue
    rules = decisions["medkg rules"]
    for name in ("negspacy + hedges", "ConText (all 4)"):
        lib = decisions[name]
        cells: Counter[str] = Counter()
        for g, r, b in zip(gold, rules, lib, strict=True):
            cells[f"rules {'drop' if r else 'keep'} / lib {'drop' if b else 'keep'}"] += 1
            if r != b:
                cells[f"disagree, {'rules' if r == g else 'library'} right"] += 1
        result[f"agreement: rules vs {name}"] = dict(sorted(cells.items()))
    result["cost"] = costs(
        local,
        {
            "medkg rules (Precautions negated)": lambda t, s, e: negated(t, 0, s),
            "negspacy + hedges": deciders["negspacy + hedges"],
            "ConText (all 4)": deciders["ConText (all 4)"],
        },
    )
    result["decisions"] = [
        {
            "document": p.document,
            "start": p.start,
            "end": p.end,
            "section": p.section,
            "origin": p.origin,
            "label": p.label,
            **{name: said[i] for name, said in decisions.items()},
        }
        for i, p in enumerate(pairs)
    ]
    return result


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("pairs", "show", "evaluate"))
    parser.add_argument("collection", type=Path, help="the folder that holds composition/")
    parser.add_argument(
        "--labels", type=Path, default=Path(__file__).with_name("negation-labels.tsv")
    )
    parser.add_argument("--out", type=Path, default=Path("negation-pairs.tsv"))
    parser.add_argument("--dev", type=Path, default=DEV, help="dev documents, one a line")
    parser.add_argument("--random", type=int, default=250, help="random other documents")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write the full result as JSON")
    args = parser.parse_args(argv)
    if args.command == "pairs":
        dev = [line.strip() for line in args.dev.read_text().splitlines() if line.strip()]
        pairs = collect(args.collection, dev, args.random, args.seed)
        write_pairs(pairs, args.out)
        print(f"{len(pairs)} pairs -> {args.out}")
        return 0
    if args.command == "show":
        pairs = read_pairs(args.labels)
        texts = _texts(args.collection, pairs)
        for n, p in enumerate(pairs):
            t = texts[p.document]
            shown = f"{t[p.sent_start : p.start]}[[{t[p.start : p.end]}]]{t[p.end : p.sent_end]}"
            print(f"{n}\t{p.section[:4]}\t{p.origin[:3]}\t{' '.join(shown.split())}")
        return 0
    try:
        result = evaluate(args.collection, args.labels)
    except ImportError as error:
        print(
            f"{error}: install the libraries first, e.g. "
            '`pip install "spacy<3.8" negspacy medspacy==1.3.1` (not project dependencies)',
            file=sys.stderr,
        )
        return 2
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    summary = {k: v for k, v in result.items() if k != "decisions"}
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
