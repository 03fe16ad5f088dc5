#!/usr/bin/env python3
"""Checks that every `#include "<module>/..."` in src/ follows the allowed module edges.

The build already refuses an include of a module a library does not link
(cmake/svc_helpers.cmake); this table states which links are intended, so that
an upward edge cannot creep in by adding a library to another's DEPS.
Prints each violation as `file:line: module -> module` and exits 1 if any.
"""
import os
import re
import sys

# module -> modules whose headers it may include (itself always allowed).
# Dependencies point one way: http -> api/<dialect> -> api/stages -> service
# -> jobs -> store -> metrics, common; auth and common sit beneath.
ALLOWED = {
    "common": set(),
    "metrics": set(),
    "console": set(),
    "auth": {"common"},
    "store": {"metrics", "common"},
    "jobs": {"store", "metrics", "common"},
    "service": {"jobs", "store", "auth", "metrics", "common"},
    "api/stages": {"service", "store", "common"},
    "api/dms": {"api/stages", "service", "jobs", "store", "auth", "common"},
    "api/zenlayer": {"api/stages", "service", "jobs", "store", "auth", "common"},
    "api/admin": {"service", "jobs", "store", "console", "metrics", "common"},
    "api/iam": {"api/stages", "service", "auth", "common"},  # Keystone v3 identity calls
    "http": {"api/dms", "api/zenlayer", "api/admin", "api/iam", "metrics", "common"},
    "admin_client": {"common"},  # `connectplane admin`: speaks HTTP to a server, links no server module
    "cli": {"common"},
    "main": None,  # wires everything
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def module_of(path):
    """The module a path under src/ (or an include path) belongs to."""
    for module in sorted(ALLOWED, key=len, reverse=True):
        if path == module or path.startswith(module + "/"):
            return module
    return None


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    violations = []
    for directory, _, files in os.walk(root):
        for name in files:
            if not name.endswith((".h", ".cc")):
                continue
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            owner = module_of(rel)
            if owner is None:
                violations.append(f"src/{rel}: not in a known module (add it to ALLOWED)")
                continue
            allowed = ALLOWED[owner]
            with open(path, encoding="utf-8") as source:
                for line_no, line in enumerate(source, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    target = module_of(match.group(1))
                    if target is None or target == owner or allowed is None:
                        continue  # third-party or own header
                    if target not in allowed:
                        violations.append(f"src/{rel}:{line_no}: {owner} -> {target}")
    for violation in violations:
        print(violation)
    print(f"layering: {len(violations)} violation(s)")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
