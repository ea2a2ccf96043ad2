"""JSON with money as Decimal both ways: numbers parse to Decimal and Decimals print as numbers.

The standard `json` module can read with `parse_float=Decimal` but cannot write a Decimal as a
JSON number, and `float` would round money. Both the client and the emulator use these two.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str | bytes) -> Any:
    """Parse JSON; non-integral numbers become Decimal, NaN/Infinity are refused."""
    return json.loads(text, parse_float=Decimal, parse_constant=_no_constants)


def dumps(obj: Any) -> str:
    """Serialise dicts, lists, str, int, bool, None and Decimal. Floats are refused on purpose."""
    out: list[str] = []
    _encode(obj, out.append)
    return "".join(out)


def _encode(obj: Any, write) -> None:
    if obj is None or isinstance(obj, (bool, str)):
        write(json.dumps(obj, ensure_ascii=False))
    elif isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"cannot write {obj} as JSON")
        write(format(obj, "f"))
    elif isinstance(obj, int):
        write(str(int(obj)))
    elif isinstance(obj, float):
        raise TypeError("float in a JSON body: use Decimal for money")
    elif isinstance(obj, dict):
        write("{")
        for i, (key, value) in enumerate(obj.items()):
            if not isinstance(key, str):
                raise TypeError(f"JSON object key {key!r} is not a string")
            if i:
                write(",")
            write(json.dumps(key, ensure_ascii=False))
            write(":")
            _encode(value, write)
        write("}")
    elif isinstance(obj, (list, tuple)):
        write("[")
        for i, value in enumerate(obj):
            if i:
                write(",")
            _encode(value, write)
        write("]")
    else:
        raise TypeError(f"cannot write {type(obj).__name__} as JSON")
