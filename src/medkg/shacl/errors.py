"""The error the SHACL compiler raises for a shape it cannot turn into SPARQL checks."""

from __future__ import annotations

from medkg.errors import MedkgError


class ShapeCompileError(MedkgError):
    """A shape uses a construct medkg.shacl does not compile.

    Raised when the shapes are compiled (never while validating), so that a shape
    change cannot silently be skipped: the message names the shape and the construct.
    """

    def __init__(self, shape: str, construct: str):
        self.shape = shape
        self.construct = construct
        super().__init__(
            f"shapes/: {shape} uses {construct}, which medkg.shacl cannot compile; "
            "rewrite the shape, extend medkg.shacl, or validate with engine='pyshacl'"
        )
