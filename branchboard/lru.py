"""The one cache shape of this app: a thread-safe map that forgets its least recently used entries.

Query results (branchboard.db.Store) and built figures (branchboard.charts) are kept in one each. Sessions run
in threads of one process, so whatever one session computed is there for the next that asks the same, and a
session asking while another is still working it out waits for that one instead of doing the same work again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar, cast

V = TypeVar("V")


class _Flight:
    """One key being worked out (LRU.work_out): its lock, the threads holding or waiting for it, and what the one
    working it out made, for those that waited (`done` once made; an error makes nothing)."""

    __slots__ = ("done", "lock", "threads", "value")

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.threads = 0
        self.done = False
        self.value: Any = None


class LRU(Generic[V]):
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._working: dict[Hashable, _Flight] = {}  # the keys being worked out

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def work_out(self, key: Hashable, work: Callable[[], tuple[V, bool]]) -> V:
        """The value of `key`: the cached one, or what `work` makes (the value, and whether it may be kept: not
        when a write committed meanwhile). Threads asking for the same key meanwhile wait for the one working it
        out and get what it made, kept or not: twenty sessions opening one link at once (a meeting, right after an
        import) run its queries and build its figures once, not twenty times over on one core. Keys are only ever
        worked out inside one another in one order (a figure's helper, then the figure; a computed value, then its
        queries), so waiting cannot go round in a circle."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            flight = self._working.get(key)
            if flight is None:
                flight = self._working[key] = _Flight()
            flight.threads += 1
        try:
            with flight.lock:
                if flight.done:  # made while this thread waited
                    return cast(V, flight.value)
                found = self.get(key)
                if found is not None:
                    return found
                value, keep = work()
                if keep:
                    self.put(key, value)
                flight.value, flight.done = value, True
                return value
        finally:
            with self._lock:
                flight.threads -= 1
                if flight.threads == 0:
                    del self._working[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
