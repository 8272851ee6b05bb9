"""Field-by-field comparison of a sandbox answer with a reference sample (or a documented skeleton).

Both bodies are flattened into *paths*: ``$`` is the body, ``.key`` enters an object, ``[]``
enters the items of a list (every item lands on the same path). At each path that holds objects:

* a key present in **every** reference object there is required in **every** sandbox object;
* a key present in **some** reference objects only ("present on some only") may be absent from
  some sandbox objects, but must be present in at least one of them;
* a sandbox key the reference never shows is an extra and fails, unless the case allows it;
* a path that holds objects in the reference but never in the sandbox answer fails too (a list
  the sandbox always leaves empty would otherwise hide all its fields).

Types are JSON types (``object``, ``array``, ``string``, ``number``, ``bool``); ``null`` on either
side matches anything, because fields the reference shows as ``null`` are nullable and a value
the sandbox leaves ``null`` may be filled on the real API. Paths listed in ``loose`` skip the type
check (documented conflicts, such as a weight that is a string in one official example and a
number in the next).
"""

from collections import defaultdict


class Each(list):
    """Several reference bodies for one answer (a detail endpoint against every list item)."""


def kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def collect(body, path="$", into=None) -> dict[str, list]:
    """Every value of ``body`` by path (list items share their list's path + ``[]``)."""
    into = defaultdict(list) if into is None else into
    into[path].append(body)
    if isinstance(body, dict):
        for key, value in body.items():
            collect(value, f"{path}.{key}", into)
    elif isinstance(body, list):
        for item in body:
            collect(item, f"{path}[]", into)
    return into


def differences(actual, expected, *, loose=(), extra=(), single=False) -> list[str]:
    """Human-readable differences between a sandbox body and a reference body.

    ``expected`` may be an ``Each`` of reference bodies; ``single`` is for an answer that holds
    one object where the reference holds several (a key present on some only is then optional).
    """
    got, want = collect(actual), defaultdict(list)
    for body in expected if isinstance(expected, Each) else [expected]:
        for path, values in collect(body).items():
            want[path] += values
    problems = []
    for path, references in want.items():
        values = got.get(path)
        if values is None:
            # A missing key is reported at its object; a list that is empty in every sandbox
            # answer where the reference has items is reported here, once.
            if path.endswith("[]") and _parent(path) in got and not single:
                problems.append(f"{path}: no items in the sandbox answer")
            continue
        if path not in loose:
            problems += _type_problems(path, values, references)
        ref_objects = [v for v in references if isinstance(v, dict)]
        objects = [v for v in values if isinstance(v, dict)]
        if ref_objects and objects:
            problems += _key_problems(path, objects, ref_objects, extra, single)
    return problems


def _parent(path) -> str:
    return path[:-2] if path.endswith("[]") else path.rsplit(".", 1)[0]


def _type_problems(path, values, references) -> list[str]:
    allowed = {kind(v) for v in references} - {"null"}
    if not allowed:
        return []
    wrong = sorted({kind(v) for v in values} - allowed - {"null"})
    if wrong:
        return [f"{path}: {'/'.join(wrong)} instead of {'/'.join(sorted(allowed))}"]
    return []


def _key_problems(path, objects, ref_objects, extra, single) -> list[str]:
    problems = []
    every = set.intersection(*(set(o) for o in ref_objects))
    some = set.union(*(set(o) for o in ref_objects)) - every
    for key in sorted(every):
        missing = sum(1 for o in objects if key not in o)
        if missing:
            problems.append(f"{path}.{key}: missing in {missing} of {len(objects)}")
    for key in sorted(some):
        if not single and not any(key in o for o in objects):
            problems.append(f"{path}.{key}: present on some only, but on none here")
    known = every | some
    for key in sorted(set.union(*(set(o) for o in objects)) - known):
        if f"{path}.{key}" not in extra:
            problems.append(f"{path}.{key}: not in the reference")
    return problems
