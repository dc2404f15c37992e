"""The messages between the HTTP server and its query worker processes (all picklable).

The server sends a `QueryJob`, `NodeJob` or `PageJob`; the worker answers each with
one `Answer` (an HTTP status, media type, body and extra headers), after
first announcing `Ready` (store loaded) or `Failed` (it could not load).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QueryJob:
    """Run SPARQL `text`, answered in the format chosen by `accept` (the ``Accept`` header)
    or `formats` (the ``format`` parameter values). The worker checks the text
    (`medkg.serve.protocol.admit`) before it runs, under the time limit."""

    text: str
    accept: str | None = None
    formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodeJob:
    """Describe the node `iri` as `format`: ``html`` (its page) or an RDF format name."""

    iri: str
    format: str
    view: str = "page"  # "data": the linked-data property table even for a drug or code


@dataclass(frozen=True)
class PageJob:
    """Render the page `page` (``landing`` or ``query``) for the request's `params`
    (name-value pairs, the first value of each name)."""

    page: str
    params: tuple[tuple[str, str], ...] = ()


Job = QueryJob | NodeJob | PageJob


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, rendered by the worker."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_answer(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    """A plain-text answer (errors, refusals): the message and a newline."""
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode(), headers or {})


@dataclass(frozen=True)
class Ready:
    """The worker loaded the store (`triples` in its default graph) and takes jobs."""

    triples: int


@dataclass(frozen=True)
class Failed:
    """The worker could not load the store; `message` says why and what to do."""

    message: str
