"""How stored versions are encoded: the newest two whole, older ones as what changed.

A plan's newest version (its head) is stored whole, as plain JSON text like every row
written before deltas existed, so opening a plan never replays history; so is the version
before it, so a damaged head can be repaired by restoring that one. When a save makes a new
head, the version before the old head is rewritten as a *reverse delta*: the edits that turn
the new head back into it. An autosave then adds about the size of what changed, not the
size of the plan. Every `KEYFRAME_EVERY`-th version (compressed) and every conflict copy
stays whole, so a lost or damaged row cuts off at most that many older versions, and
reading an old version replays at most that many deltas.

Row formats in `plan_versions.data` (all read back by `decode_row`):

- text: the whole plan as JSON (`whole_text`);
- bytes: zlib-compressed JSON, either the whole plan (`full_row`) or
  `{"$base": N, "$patch": op}` (`delta_row`), the edits that turn version N into this one.

A patch op (`diff(a, b)` makes one, `apply(a, op)` replays it) is one of:

- `{"=": value}`: the value itself;
- `{"k": {key: op}, "x": [removed keys], "o": [key order]}` for an object (`o` only when
  the key order changed);
- `{"i": [[index, op], ...]}` for an array: the items changed in place; and, when its length
  changed, `"p": start, "s": suffix, "m": [items]`: then keep the first `p` and last `s`
  items and put `m` between them.

Values count as unchanged only when they are the same JSON: equal, of the same types all the
way down (`0` is not `false`, nor `1` `1.0`) and with their keys in the same order. The store
still checks every delta it writes by replaying it and keeps the version whole if it does not
give the exact text.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

KEYFRAME_EVERY = 100
ZLIB_LEVEL = 6
BASE_KEY = "$base"
PATCH_KEY = "$patch"


def diff(a: Any, b: Any) -> dict[str, Any] | None:
    """The op that turns `a` into `b`, or None when they are equal (JSON values)."""
    if _same(a, b):
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        return _diff_object(a, b)
    if isinstance(a, list) and isinstance(b, list):
        return _diff_array(a, b)
    return {"=": b}


def _diff_object(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for key, value in b.items():
        if key in a:
            op = diff(a[key], value)
            if op is not None:
                changed[key] = op
        else:
            changed[key] = {"=": value}
    removed = [key for key in a if key not in b]
    out: dict[str, Any] = {"k": changed}
    if removed:
        out["x"] = removed
    gone = set(removed)
    order = [key for key in a if key not in gone] + [key for key in b if key not in a]
    if order != list(b):
        out["o"] = list(b)
    return out


def _diff_array(a: list[Any], b: list[Any]) -> dict[str, Any]:
    if len(a) == len(b):
        return {"i": _changed(a, b, 0, len(a))}
    shortest = min(len(a), len(b))
    prefix = 0
    while prefix < shortest and _same(a[prefix], b[prefix]):
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and _same(a[-1 - suffix], b[-1 - suffix]):
        suffix += 1
    # The first items of the changed stretch are changed in place, the rest replaced.
    paired = min(len(a), len(b)) - prefix - suffix
    start = prefix + paired
    return {
        "i": _changed(a, b, prefix, start),
        "p": start,
        "s": suffix,
        "m": b[start : len(b) - suffix],
    }


def _changed(a: list[Any], b: list[Any], start: int, stop: int) -> list[list[Any]]:
    ops = []
    for index in range(start, stop):
        op = diff(a[index], b[index])
        if op is not None:
            ops.append([index, op])
    return ops


def _same(x: Any, y: Any) -> bool:
    """The same JSON value: `==` alone takes `0` for `false` inside arrays and objects and
    ignores key order; `repr` (C speed, only for values already equal) tells them apart."""
    if type(x) is not type(y) or not x == y:
        return False
    return not isinstance(x, (list, dict)) or repr(x) == repr(y)


def apply(a: Any, op: dict[str, Any] | None) -> Any:
    """`a` changed by `op` (made by `diff`). Objects and arrays in `a` are changed in place."""
    if op is None:
        return a
    if "=" in op:
        return op["="]
    if "k" in op:
        if not isinstance(a, dict):
            raise ValueError("patch for an object applied to something else")
        for key, sub in op["k"].items():
            a[key] = apply(a.get(key), sub)
        for key in op.get("x", ()):
            del a[key]
        if "o" in op:
            return {key: a[key] for key in op["o"]}
        return a
    if not isinstance(a, list):
        raise ValueError("patch for an array applied to something else")
    for index, sub in op.get("i", ()):
        a[index] = apply(a[index], sub)
    if "m" not in op:
        return a
    prefix, suffix = int(op["p"]), int(op["s"])
    if prefix + suffix > len(a):
        raise ValueError("patch for a longer array")
    a[prefix : len(a) - suffix] = op["m"]
    return a


# ------------------------------------------------------------ rows


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def whole_text(data: dict[str, Any]) -> str:
    """A whole version as JSON text (the format every row had before deltas)."""
    return json.dumps(data, ensure_ascii=False)


def full_row(data: dict[str, Any]) -> bytes:
    """A whole version, compressed."""
    return zlib.compress(dumps(data).encode("utf-8"), ZLIB_LEVEL)


def delta_row(base: int, base_data: dict[str, Any], data: dict[str, Any]) -> bytes:
    """`data` stored as the edits that turn version `base` (holding `base_data`) into it."""
    payload = {BASE_KEY: base, PATCH_KEY: diff(base_data, data)}
    return zlib.compress(dumps(payload).encode("utf-8"), ZLIB_LEVEL)


def decode_row(data: object) -> tuple[int | None, Any]:
    """(None, the plan's JSON data) for a whole version, (base version, patch) for a delta.

    Raises json.JSONDecodeError, zlib.error, UnicodeDecodeError or TypeError when damaged.
    """
    if isinstance(data, bytes):
        raw: Any = json.loads(zlib.decompress(data).decode("utf-8"))
    elif isinstance(data, str):
        raw = json.loads(data)
    else:
        raise TypeError("empty row")
    if isinstance(raw, dict) and raw.keys() == {BASE_KEY, PATCH_KEY}:
        # A whole plan always has "schema_version", so it never has exactly these two keys.
        base = raw[BASE_KEY]
        if isinstance(base, bool) or not isinstance(base, int):
            raise TypeError("delta without a base version")
        return base, raw[PATCH_KEY]
    return None, raw
