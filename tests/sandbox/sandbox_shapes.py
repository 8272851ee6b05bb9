"""Compare the shape (keys, JSON types, envelopes) of a response with a recorded sample."""

import json
from pathlib import Path

PAYLOADS = Path(__file__).parents[2].parent / "shared/reference/sendcloud-payloads"


def sample(name):
    return json.loads((PAYLOADS / name).read_text())


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _common_keys(items):
    dicts = [i for i in items if isinstance(i, dict)]
    if not dicts:
        return None
    keys = set(dicts[0])
    for d in dicts[1:]:
        keys &= set(d)
    merged = {}
    for d in dicts:
        for k in keys:
            if k not in merged or merged[k] is None:
                merged[k] = d[k]
    return merged


def shape_errors(actual, expected, path="$", loose=()):
    """Differences: keys of ``expected`` missing in ``actual`` and JSON types that differ.

    ``null`` on either side matches any type (fields are nullable); paths in ``loose`` are not
    type-checked (documented conflicts such as string-or-number values).
    """
    if path in loose or expected is None or actual is None:
        return []
    if _kind(actual) != _kind(expected):
        return [f"{path}: {_kind(actual)} instead of {_kind(expected)}"]
    errors = []
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key not in actual:
                errors.append(f"{path}.{key}: missing")
            else:
                errors += shape_errors(actual[key], value, f"{path}.{key}", loose)
    elif isinstance(expected, list) and expected and actual:
        model = _common_keys(expected)
        if model is None:
            model = expected[0]
        for item in actual:
            errors += shape_errors(item, model, f"{path}[]", loose)
    return errors


def assert_shape(actual, expected, loose=()):
    errors = shape_errors(actual, expected, loose=set(loose))
    assert not errors, "\n".join(errors)
