#!/usr/bin/env python3
"""Validate racoonctl's JSON output against tests/admin/racoonctl-status.schema.json.

Usage: check-json.py SCHEMA FILE [EXPR...]
Implements the JSON Schema keywords the schema uses (type, const, enum, pattern, minimum,
maximum, maxItems, required, properties, additionalProperties, items, oneOf, $ref), so
the test needs only the standard library. Each EXPR is a Python expression over `d` (the
parsed document) that must be true, e.g. "len(d['phase1']) == 1".
Exit status 0 when valid, 1 with the reasons on stderr otherwise.
"""
import json
import re
import sys

TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
}


def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise ValueError("unsupported $ref " + ref)
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def check(root, s, v, path, errs):
    if "$ref" in s:
        check(root, resolve(root, s["$ref"]), v, path, errs)
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in ts):
            errs.append("%s: %r is not of type %s" % (path, v, s["type"]))
            return
    if "const" in s and v != s["const"]:
        errs.append("%s: %r is not %r" % (path, v, s["const"]))
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r not one of %r" % (path, v, s["enum"]))
    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
        errs.append("%s: %r does not match %s" % (path, v, s["pattern"]))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "minimum" in s and v < s["minimum"]:
            errs.append("%s: %r < %r" % (path, v, s["minimum"]))
        if "maximum" in s and v > s["maximum"]:
            errs.append("%s: %r > %r" % (path, v, s["maximum"]))
    if "oneOf" in s:
        ok = 0
        for alt in s["oneOf"]:
            sub = []
            check(root, alt, v, path, sub)
            ok += not sub
        if ok != 1:
            errs.append("%s: %r matches %d of the oneOf alternatives" % (path, v, ok))
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: required member %r missing" % (path, k))
        props = s.get("properties", {})
        for k, sub in v.items():
            if k in props:
                check(root, props[k], sub, path + "." + k, errs)
            elif s.get("additionalProperties") is False:
                errs.append("%s: unexpected member %r" % (path, k))
    if isinstance(v, list):
        if "maxItems" in s and len(v) > s["maxItems"]:
            errs.append("%s: more than %d items" % (path, s["maxItems"]))
        if "items" in s:
            for i, sub in enumerate(v):
                check(root, s["items"], sub, "%s[%d]" % (path, i), errs)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    with open(sys.argv[2]) as f:
        text = f.read()
    try:
        d = json.loads(text)
    except ValueError as e:
        sys.stderr.write("not JSON (%s): %r\n" % (e, text[:300]))
        return 1
    errs = []
    check(schema, schema, d, "$", errs)
    for expr in sys.argv[3:]:
        try:
            if not eval(expr, {"len": len, "any": any, "all": all}, {"d": d}):
                errs.append("false: " + expr)
        except Exception as e:  # a missing key is a failed expectation, not a crash
            errs.append("%s: %s: %s" % (expr, type(e).__name__, e))
    for e in errs:
        sys.stderr.write(e + "\n")
    if errs:
        sys.stderr.write("document: %s\n" % text[:2000])
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
