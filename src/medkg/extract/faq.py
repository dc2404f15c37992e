"""FAQs section -> question/answer pairs.

The parser has already turned every FAQ style into a "question" block (the
question text) followed by an "answer" block (the answer text). Each such
pair is one `FaqFact`, whose evidence runs from the question's "Q:" prefix
(when written) to the end of the answer. A block that is not part of a pair
(an introduction, a question without an answer) is kept as an unstructured
statement.
"""

from __future__ import annotations

import re

from medkg.model import Block, Document, FaqFact, Section, StatementFact
from medkg.text import evidence, mention

# "Q:" / "**Q:" / "Question 2." just before the question text, on its line
_QUESTION_PREFIX = re.compile(r"Q(?:uestion)?[ \t]*\d*[ \t]*[:.)][ \t]*(?:\*\*|__)?[ \t]*$")


def _pair_start(text: str, question: Block) -> int:
    """Start of a pair's evidence: the "Q:" prefix of the question, if written."""
    line_start = text.rfind("\n", 0, question.start) + 1
    prefix = _QUESTION_PREFIX.search(text, line_start, question.start)
    return prefix.start() if prefix else question.start


def extract_faqs(
    document: Document, section: Section
) -> tuple[tuple[FaqFact, ...], tuple[StatementFact, ...]]:
    """FAQ pairs of a FAQs section, and its other blocks as statements."""
    faqs: list[FaqFact] = []
    statements: list[StatementFact] = []
    blocks = section.blocks
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "question" and following is not None and following.kind == "answer":
            start = _pair_start(document.text, block)
            faqs.append(
                FaqFact(
                    question=mention(document, section.name, block.start, block.end),
                    answer=mention(document, section.name, following.start, following.end),
                    evidence=evidence(document, section.name, start, following.end),
                )
            )
            index += 2
            continue
        statements.append(
            StatementFact(
                kind="unstructured",
                evidence=evidence(document, section.name, block.start, block.end),
            )
        )
        index += 1
    return tuple(faqs), tuple(statements)
