"""A hashable stand-in for a value, equal exactly when the value's content is: the key of what is built once from
query results and shared by every session (figures in branchboard.charts, tables in branchboard.ui.widgets).

Hashing a frame's cells costs about a millisecond and a page hashes a dozen on every run. A frame that is a cached
query result does not need it: its content is fixed by where it came from (the database, the query, its parameters,
the data version), so `vouch` records that origin when the result is cached and `fingerprint` answers with it.
"""

from __future__ import annotations

import dataclasses
import functools
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from branchboard.lru import LRU

V = TypeVar("V")


class NotFingerprintable(Exception):
    pass


# id(frame) -> (a weak reference to the frame, its origin). The reference tells a live frame from a later object
# that got the same id; the entry leaves when the frame is collected.
_ORIGINS: dict[int, tuple[weakref.ref[pd.DataFrame], Hashable]] = {}


def vouch(frame: pd.DataFrame, origin: Hashable) -> None:
    """Record that `frame`'s content is fixed by `origin` (two frames with one origin hold the same rows). The frame
    must not be changed afterwards: cached query results are read-only already."""
    key = id(frame)

    def forget(_: weakref.ref[pd.DataFrame]) -> None:
        # Called as the frame is collected, before its id can be given to another object; an entry made since for
        # another frame under the same id is not this one's to drop.
        found = _ORIGINS.get(key)
        if found is not None and found[0]() is None:
            _ORIGINS.pop(key, None)

    _ORIGINS[key] = (weakref.ref(frame, forget), origin)


def origin(value: Any) -> Hashable | None:
    """The origin `value` was vouched for with, or None."""
    found = _ORIGINS.get(id(value))
    if found is not None and found[0]() is value:
        return found[1]
    return None


def fingerprint(value: Any, *, by_origin: bool = True) -> Any:
    """A hashable stand-in for `value`; raises NotFingerprintable for what it cannot stand for (a function, a cell
    holding a list). `by_origin=False` hashes every frame's cells, vouched ones too: the same rows read again after
    a write that did not change them (a new data version) then find what was built from them before."""
    if value is None or isinstance(value, bool | int | float | str):
        return (type(value).__name__, value)  # 1, 1.0 and True draw differently
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        known = origin(value) if by_origin else None
        if known is not None:
            return ("vouched", known)
        try:
            rows = pd.util.hash_pandas_object(value, index=not isinstance(value, pd.Index), categorize=False)
        except (TypeError, ValueError) as exc:  # cells holding lists or dicts
            raise NotFingerprintable from exc
        names = tuple(value.columns) if isinstance(value, pd.DataFrame) else (value.name,)
        dtypes = tuple(map(str, value.dtypes)) if isinstance(value, pd.DataFrame) else (str(value.dtype),)
        missing = np.asarray(value.isna()).tobytes()  # pandas hashes a missing text cell as the text "nan"
        return (type(value).__name__, names, dtypes, rows.to_numpy().tobytes(), missing)
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return ("array", value.shape, tuple(fingerprint(v, by_origin=by_origin) for v in value.ravel().tolist()))
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, np.generic):
        return fingerprint(value.item(), by_origin=by_origin)
    if isinstance(value, dict):
        return (
            "dict",
            tuple((fingerprint(k, by_origin=by_origin), fingerprint(v, by_origin=by_origin)) for k, v in value.items()),
        )
    frozen = getattr(getattr(type(value), "__dataclass_params__", None), "frozen", False)
    if frozen and dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A frozen dataclass is its fields (the translator of a language is that language).
        fields = tuple(getattr(value, f.name) for f in dataclasses.fields(value))
        return (f"{type(value).__module__}.{type(value).__qualname__}", fingerprint(fields, by_origin=by_origin))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(fingerprint(v, by_origin=by_origin) for v in value))
    raise NotFingerprintable(type(value).__name__)


def shared_build(cache: LRU[V], name: str, args: tuple[Any, ...], build: Callable[[], V]) -> V:
    """What `build` makes of `args`, made once and shared: looked up by the args' origins (nothing hashed), then,
    the first time those origins are seen, by their content (a write elsewhere gave the same rows a new origin),
    and only then built. Both keys then lead to it. Args that cannot be fingerprinted are built every time."""
    try:
        key = (name, fingerprint(args))
    except NotFingerprintable:
        return build()

    def build_it() -> tuple[V, bool]:
        try:
            by_content: Any = (name, fingerprint(args, by_origin=False))
        except NotFingerprintable:  # a vouched frame whose cells cannot be hashed: its origin alone keys it
            by_content = key
        found = cache.get(by_content) if by_content != key else None
        if found is None:
            found = build()
            cache.put(by_content, found)
        return found, True

    return cache.work_out(key, build_it)  # another session building it meanwhile: wait for that one


def shared(function: Callable[..., V]) -> Callable[..., V]:
    """`function`'s results made once per content of its arguments and shared (see shared_build): for what pages
    build from query results the same way on every run (a figure and the table behind it). Its results must be
    treated as read-only."""
    cache: LRU[V] = LRU(256)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> V:
        return shared_build(cache, function.__qualname__, (args, dict(sorted(kwargs.items()))), lambda: function(*args, **kwargs))

    return wrapper
