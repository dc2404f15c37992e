"""What every part of the incremental merge shares: the fragments it reads, and giving up.

`Fragments` holds the fragments that changed since the recorded merge (removed
and added, by store key) and loads an unchanged one by its number in the
`MergeState` when a part of the update needs it. Whatever the full merge would
do differently from a plain update raises `CannotUpdate`, and the caller runs
the full merge instead. `Changes` is what each part of the update hands to
`.splice`: per sort key, the new chunks (none: the old chunk goes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from medkg.pipeline.fragments.model import Fragment

Changes = list[tuple[bytes, list[bytes]]]


class CannotUpdate(Exception):
    """The merge of the new fragments is not a plain update of the old files (the reason
    says why): merge in full instead."""


class Fragments:
    """The fragments an update reads: the changed ones, and unchanged ones by number."""

    def __init__(
        self,
        numbers: Mapping[str, int],
        removed: Mapping[str, Fragment],
        added: Mapping[str, Fragment],
        load: Callable[[str], Fragment],
    ):
        if any(key not in numbers for key in removed) or any(key in numbers for key in added):
            raise CannotUpdate("the changed fragments do not match the merge state")
        self.keys = {number: key for key, number in numbers.items()}
        self.removed = removed
        self.added = added
        self._load = load
        self._loaded: dict[int, Fragment] = {}
        self.removed_numbers = {numbers[key]: key for key in removed}
        first = max(numbers.values(), default=-1) + 1
        self.added_numbers = {key: first + i for i, key in enumerate(sorted(added))}

    def old(self, number: int) -> Fragment:
        """An old fragment (removed or unchanged) by its number in the state."""
        if number in self.removed_numbers:
            return self.removed[self.removed_numbers[number]]
        if number not in self._loaded:
            key = self.keys.get(number)
            if key is None:
                raise CannotUpdate(f"the merge state names an unknown fragment {number}")
            self._loaded[number] = self._load(key)
        return self._loaded[number]
