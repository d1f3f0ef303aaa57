"""Pure functions of frames, remembered by the content of their arguments.

A rerun recomputes the same small frames, charts, summaries and formatted tables from the same query
results: that polars, Altair and formatting work was over half of a chart page's warm run (py-spy on
/displacement). The key is a frame's content (a digest of its columns, types and rows), worked out once
per frame object: `cache` hands out the same frame on every hit and what is remembered here is returned
as it is, so a warm rerun finds every digest already made. What is remembered is shared by every session
and must not be changed by its callers: polars frames cannot be, and Altair charts are only ever copied
(`.properties()`, `.to_dict()`). Being keyed by content only, a session gets a remembered result only for
inputs it already holds, so nothing crosses from a reader who may see unpublished values (a national team,
of its own country) to one who may not: what a session holds was read within its own `access.ReadScope`.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import polars as pl

F = TypeVar("F", bound=Callable)
REMEMBER = 256  # results per function: a handful of views, each language, each filter a visitor tried


_EVERY: list[_Recent] = []  # what each remembering function holds, for `forget`


def forget() -> None:
    """Drop everything remembered (a benchmark's cold run; nothing else needs it: keys are content)."""
    for remembered in _EVERY:
        remembered.clear()


class Unkeyable(TypeError):
    """An argument whose content gives no key: the call runs without being remembered."""


def content_key(value: object) -> Hashable:
    """A key equal for equal content: frames by columns, types and rows (in order), containers by their
    items, anything else by its own hash."""
    if isinstance(value, pl.DataFrame):
        return ("frame", _digest(value))
    if isinstance(value, list | tuple):
        return (type(value).__name__, *(content_key(item) for item in value))
    if isinstance(value, dict):
        return ("dict", *((key, content_key(item)) for key, item in sorted(value.items())))
    try:
        hash(value)
    except TypeError as unhashable:
        raise Unkeyable(type(value).__name__) from unhashable
    return value


_DIGESTS: dict[int, tuple[weakref.ref, bytes]] = {}  # by frame id, while the frame lives


def _digest(frame: pl.DataFrame) -> bytes:
    """The frame's content digest, made once per frame object (frames are not changed in place)."""
    known = _DIGESTS.get(id(frame))
    if known is not None and known[0]() is frame:
        return known[1]
    try:
        content = pickle.dumps(frame)  # Arrow IPC inside: schema and data, faster than `hash_rows`
    except (pl.exceptions.PolarsError, pickle.PicklingError) as unkeyable:  # object columns
        raise Unkeyable("frame") from unkeyable
    digest = hashlib.blake2b(content, digest_size=16).digest()
    key = id(frame)
    _DIGESTS[key] = (weakref.ref(frame, lambda _gone: _DIGESTS.pop(key, None)), digest)
    return digest


class _Recent:
    """At most `REMEMBER` results, the least recently used dropped first; safe to share between threads."""

    def __init__(self):
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        _EVERY.append(self)

    def get(self, key: Hashable) -> object:
        with self._lock:
            if key not in self._items:
                return _MISSING
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > REMEMBER:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_MISSING = object()


def by_content(function: F) -> F:
    """Remember `function`'s results by the content of its arguments."""
    recent = _Recent()

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            key = (content_key(args), content_key(kwargs))
        except Unkeyable:
            return function(*args, **kwargs)
        result = recent.get(key)
        if result is _MISSING:
            result = function(*args, **kwargs)
            recent.put(key, result)
        return result

    wrapper.cache_size = recent.__len__
    return wrapper  # type: ignore[return-value]


def by_identity(function: F) -> F:
    """Remember `function`'s result for one argument object (kept alive while remembered, so its id
    cannot be reused): for objects that `by_content` functions hand back, such as a remembered chart."""
    recent = _Recent()

    @functools.wraps(function)
    def wrapper(argument):
        kept = recent.get(id(argument))
        if kept is not _MISSING and kept[0] is argument:
            return kept[1]
        result = function(argument)
        recent.put(id(argument), (argument, result))
        return result

    return wrapper  # type: ignore[return-value]
