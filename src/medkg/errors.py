"""The project's own errors. Each names the file (or graph node) and what to do."""

from __future__ import annotations


class MedkgError(Exception):
    """Base class: every error medkg raises on purpose is one of these.

    Every one pickles and unpickles with its message and attributes intact, whatever
    its own ``__init__`` takes: errors cross process boundaries (build workers, the
    query worker) and are kept in the build cache. `Exception`'s own pickling calls
    ``cls(*self.args)``, which fails for a subclass whose ``__init__`` takes other
    arguments than the message; this one rebuilds the error without calling it.
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(
    cls: type[MedkgError], args: tuple[object, ...], state: dict[str, object]
) -> MedkgError:
    """An unpickled `MedkgError`: its message (``args``) and attributes, no ``__init__``."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class SourceError(MedkgError):
    """A source document could not be read or parsed.

    The message always starts with the file name, then says what is wrong
    and what to do about it.
    """

    def __init__(self, source: str, problem: str, hint: str = "", line: int | None = None):
        self.source = source
        self.problem = problem
        self.hint = hint
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        message = f"{where}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class NotADrugDocument(SourceError):
    """The file is readable but is neither a monograph nor a code page.

    Such files are reported and skipped, never turned into nodes.
    """


class ValidationFailed(MedkgError):
    """The graph does not conform to the SHACL shapes."""

    def __init__(self, report_text: str, violations: list[str]):
        self.report_text = report_text
        self.violations = violations
        summary = "\n".join(violations)
        super().__init__("the graph does not conform to shapes/; nothing was written.\n" + summary)


class ResourceMissing(MedkgError):
    """A bundled resource (ontology, shapes, lexicon) is missing from the install or unreadable."""


class ExportInvalid(MedkgError):
    """An export did not validate against its own schema (JSON Schema, FHIR model).

    The message names the output file, the failing element and the rule.
    Nothing is written when this is raised.
    """

    def __init__(self, output: str, problems: list[str]):
        self.output = output
        self.problems = problems
        listed = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"{output}: the export does not validate; nothing was written.\n{listed}")
