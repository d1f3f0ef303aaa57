"""Pure functions of frames, remembered by the content of their arguments.

A rerun recomputes the same small frames, charts, summaries and formatted tables from the same query
results: that polars, Altair and formatting work was over half of a chart page's warm run (py-spy on
/displacement). The query results come out of `st.cache_data` as new objects on every run, so the key is
their content (a digest of the frame's columns, types and rows: microseconds for the frames a page draws), never
their identity. What is remembered is shared by every session and must not be changed by its callers:
polars frames cannot be, and Altair charts are only ever copied (`.properties()`, `.to_dict()`). Being
keyed by content only, a session gets a remembered result only for inputs it already holds, so nothing
crosses from a role that may read unpublished values to one that may not.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import polars as pl

F = TypeVar("F", bound=Callable)
REMEMBER = 256  # results per function: a handful of views, each language, each filter a visitor tried


_EVERY: list[OrderedDict] = []  # what each remembering function holds, for `forget`


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
        try:
            content = pickle.dumps(value)  # Arrow IPC inside: schema and data, faster than `hash_rows`
        except (pl.exceptions.PolarsError, pickle.PicklingError) as unkeyable:  # object columns
            raise Unkeyable("frame") from unkeyable
        return ("frame", hashlib.blake2b(content, digest_size=16).digest())
    if isinstance(value, list | tuple):
        return (type(value).__name__, *(content_key(item) for item in value))
    if isinstance(value, dict):
        return ("dict", *((key, content_key(item)) for key, item in sorted(value.items())))
    try:
        hash(value)
    except TypeError as unhashable:
        raise Unkeyable(type(value).__name__) from unhashable
    return value


def by_content(function: F) -> F:
    """Remember `function`'s results by the content of its arguments (least recently used first out)."""
    remembered: OrderedDict[Hashable, object] = OrderedDict()
    _EVERY.append(remembered)
    lock = threading.Lock()

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            key = (content_key(args), content_key(kwargs))
        except Unkeyable:
            return function(*args, **kwargs)
        with lock:
            if key in remembered:
                remembered.move_to_end(key)
                return remembered[key]
        result = function(*args, **kwargs)
        with lock:
            remembered[key] = result
            while len(remembered) > REMEMBER:
                remembered.popitem(last=False)
        return result

    wrapper.cache_size = remembered.__len__
    return wrapper  # type: ignore[return-value]


def by_identity(function: F) -> F:
    """Remember `function`'s result for one argument object (kept alive while remembered, so its id
    cannot be reused): for objects that `by_content` functions hand back, such as a remembered chart."""
    remembered: OrderedDict[int, tuple[object, object]] = OrderedDict()
    _EVERY.append(remembered)
    lock = threading.Lock()

    @functools.wraps(function)
    def wrapper(argument):
        with lock:
            kept = remembered.get(id(argument))
            if kept is not None and kept[0] is argument:
                remembered.move_to_end(id(argument))
                return kept[1]
        result = function(argument)
        with lock:
            remembered[id(argument)] = (argument, result)
            while len(remembered) > REMEMBER:
                remembered.popitem(last=False)
        return result

    return wrapper  # type: ignore[return-value]
