#!/usr/bin/env bash
# check_openapi.sh - guards the API description against drift from the server:
# every row of the route table in src/http/routes.c must be an operation (path and
# method) of data/openapi.json, which the server ships at /api/v1/openapi.json.
# Why: the document is the contract clients and the UI are written against; a
# route added without its description is an undocumented API.
#
# It also fails when data/openapi.json is not valid JSON, does not say
# "openapi": "3.1.x", has a "$ref" that points nowhere, or has a path template
# whose {param} no "in: path" parameter declares; and when the route table is
# missing or has no rows (a missing route table is an error, not a pass).
#
# Route rows are lines of the shape
#     {"GET", "/api/v1/items/{id}", api_items_get},
# (designated initializers, {.method = "GET", .path = "...", ...}, are read too).
# Path parameters match by position, not name: /items/{id} equals /items/{item_id}.
# Operations documented but not routed are listed as notes and do not fail.
#
# Usage: bash tests/style/check_openapi.sh REPO_ROOT [ROUTES_C]
#   ROUTES_C overrides REPO_ROOT/src/http/routes.c (for testing this check).
set -euo pipefail

root=${1:?usage: check_openapi.sh REPO_ROOT [ROUTES_C]}
routes=${2:-$root/src/http/routes.c}
doc=$root/data/openapi.json

python3 - "$routes" "$doc" <<'PY'
import json
import re
import sys

routes_path, doc_path = sys.argv[1], sys.argv[2]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ROW = re.compile(r'^\s*\{\s*(?:\.\w+\s*=\s*)?"([A-Za-z]+)"\s*,\s*(?:\.\w+\s*=\s*)?"([^"]+)"\s*,')
failures = []


def norm(path):
    """/items/{id}/events -> /items/{}/events, so parameter names do not matter."""
    return re.sub(r"\{[^}/]*\}", "{}", path.rstrip("/") or "/")


# ---- the route table ----
try:
    with open(routes_path, encoding="utf-8") as fh:
        src = fh.read()
except OSError as e:
    print("check_openapi: cannot read the route table %s: %s" % (routes_path, e.strerror))
    sys.exit(1)
routes = []
for lineno, line in enumerate(src.splitlines(), 1):
    m = ROW.match(line)
    if m:
        routes.append((m.group(1).lower(), m.group(2), lineno))
if not routes:
    print("check_openapi: no route rows like {\"GET\", \"/path\", handler}, in %s" % routes_path)
    sys.exit(1)

# ---- the document ----
try:
    with open(doc_path, encoding="utf-8") as fh:
        doc = json.load(fh)
except OSError as e:
    print("check_openapi: cannot read %s: %s" % (doc_path, e.strerror))
    sys.exit(1)
except ValueError as e:
    print("check_openapi: %s is not valid JSON: %s" % (doc_path, e))
    sys.exit(1)
if not isinstance(doc, dict):
    print("check_openapi: %s is not a JSON object" % doc_path)
    sys.exit(1)
version = doc.get("openapi")
if not (isinstance(version, str) and re.fullmatch(r"3\.1\.\d+", version)):
    failures.append('"openapi" is %r, expected "3.1.x"' % (version,))
paths = doc.get("paths")
if not isinstance(paths, dict):
    failures.append('no "paths" object')
    paths = {}


def resolve(ref):
    if not ref.startswith("#/"):
        return True  # external references are not ours to check
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def walk(node, where):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not resolve(ref):
            failures.append("%s: $ref %s points nowhere" % (where, ref))
        for k, v in node.items():
            walk(v, where + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, "%s/%d" % (where, i))


walk(doc, "#")


def deref(node):
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and resolve(node["$ref"]):
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


documented = {}
for p, item in paths.items():
    if not isinstance(item, dict):
        failures.append("path %s is not an object" % p)
        continue
    names = set(re.findall(r"\{([^}/]+)\}", p))
    shared = [deref(x) for x in item.get("parameters", []) or []]
    for method in METHODS:
        op = item.get(method)
        if op is None:
            continue
        documented[(method, norm(p))] = p
        if not isinstance(op, dict) or not isinstance(op.get("responses"), dict) \
                or not op["responses"]:
            failures.append("%s %s has no responses" % (method.upper(), p))
            continue
        params = shared + [deref(x) for x in op.get("parameters", []) or []]
        declared = {x.get("name") for x in params if isinstance(x, dict) and x.get("in") == "path"}
        for n in sorted(names - declared):
            failures.append("%s %s: path parameter {%s} is not declared" % (method.upper(), p, n))

routed = set()
for method, path, lineno in routes:
    key = (method, norm(path))
    routed.add(key)
    if key not in documented:
        failures.append("%s:%d: route %s %s is not in %s"
                        % (routes_path, lineno, method.upper(), path, doc_path))

for key in sorted(set(documented) - routed):
    print("check_openapi: note: %s %s is documented but not routed"
          % (key[0].upper(), documented[key]))

for f in failures:
    print("check_openapi: " + f)
if failures:
    sys.exit(1)
print("check_openapi: %d route(s), all documented in %s" % (len(routes), doc_path))
PY
