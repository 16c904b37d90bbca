#!/usr/bin/env python3
"""Which broker-binding MQTT normative statements the tests cite.

Usage: tools/conformance_coverage.py [STATEMENTS_DIR] [-q]

STATEMENTS_DIR (default: tools/conformance) holds mqtt-3.1.1-statements.tsv and mqtt-5.0-statements.tsv (columns id,
section, applies_to, summary). A statement binds the broker unless applies_to is "client".
It counts as cited for a version when a line of a test under protocol-core, nio-broker or
model-tests that names a test (@DisplayName, a parameterized test's name = ...) carries its id
after that version's tag: "v3.1.1 [MQTT-3.1.2-24]", "v5 [MQTT-3.1.2-24] [MQTT-3.1.2-25]",
"v3.1.1 and v5 [MQTT-3.6.1-1]". "[MQTT-3.3.2-17/18]" names two ids; ranges ("-1..6") are not
expanded. Prints the counts, then (without -q) every statement not cited yet. Python 3 stdlib only.
"""
import csv
import os
import re
import sys

TEST_DIRS = ["protocol-core/src/test", "nio-broker/src/test", "model-tests/src/test"]
NAME_LINE = re.compile(r"@DisplayName\(|@ParameterizedTest\(|\bname\s*=")
TOKEN = re.compile(r"\bv(3\.1\.1|5)\b|MQTT-[0-9][0-9.\-/]*[0-9]")
TABLES = (("3.1.1", "mqtt-3.1.1-statements.tsv"), ("5", "mqtt-5.0-statements.tsv"))


def ids_of(token):
    head, *more = token.split("/")
    base = head.rsplit("-", 1)[0]
    return [head] + [base + "-" + m for m in more]


def cited(root):
    found = {"3.1.1": set(), "5": set()}
    for d in TEST_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for name in files:
                if not name.endswith(".java"):
                    continue
                with open(os.path.join(dirpath, name), encoding="utf-8") as fh:
                    for line in fh:
                        if not NAME_LINE.search(line):
                            continue
                        versions, after_id = set(), False
                        for m in TOKEN.finditer(line):
                            if m.group(1):
                                if after_id:  # a new version tag starts a new group
                                    versions = set()
                                versions.add(m.group(1))
                                after_id = False
                            else:
                                for i in ids_of(m.group(0)):
                                    for v in versions:
                                        found[v].add(i)
                                after_id = True
    return found


def main(argv):
    args = [a for a in argv[1:] if a != "-q"]
    if len(args) > 1:
        sys.exit(__doc__)
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..")
    tables = args[0] if args else os.path.join(here, "conformance")
    found = cited(root)
    for version, table in TABLES:
        with open(os.path.join(tables, table), encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["applies_to"] != "client"]
        missing = [r for r in rows if r["id"] not in found[version]]
        print(f"v{version}: {len(rows) - len(missing)} of {len(rows)} broker-binding statements cited")
        if "-q" not in argv:
            for r in missing:
                print(f"  {r['id']}\t{r['applies_to']}\t{r['summary']}")


if __name__ == "__main__":
    main(sys.argv)
