#!/usr/bin/env python3
"""test_references.py ROOT - every reference in the repository resolves inside it (issue 12).

A clone has only the repository: no file may cite the project's shared folder, the contract or
style files that live beside it (docs/design.md is the copy), an absolute path of the machine
it was written on, a relative path that climbs out of the repository, a markdown link to a
file that does not exist, or a docs/ file that does not exist.
"""
import os
import re
import subprocess
import sys

SHARED = "sha" + "red"

root = os.path.abspath(sys.argv[1])
files = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, text=True, check=True).stdout.split()
forbidden = [
    # the pattern is assembled so that this file does not match what it looks for
    (re.compile(r"\.\./" + SHARED + r"\b|\b" + SHARED + r"/reference\b|\b" + SHARED + r" reference/"),
     "the project's shared folder"),
    (re.compile(r"(?<![\w./])/wo" r"rk/"), "an absolute path of the build machine"),
    (re.compile(r"(?<![\w/])(DESIGN|STYLE)\.md\b"), "a file outside the repository (use docs/design.md)"),
]
climb = re.compile(r"(?:\.\./)+[\w.-][\w./-]*")
md_link = re.compile(r"\]\(([^)\s]+)\)")
docs_ref = re.compile(r"(?<![\w/.-])docs/[\w.-]+\.(?:md|yaml)\b")
bad = []
for rel in files:
    path = os.path.join(root, rel)
    try:
        text = open(path, encoding="utf-8").read()
    except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
        continue  # binary files (charts) and files deleted in the work tree
    here = os.path.dirname(path)
    for n, line in enumerate(text.splitlines(), 1):
        where = f"{rel}:{n}"
        for rx, what in forbidden:
            if rx.search(line):
                bad.append(f"{where}: cites {what}: {line.strip()[:120]}")
        for m in climb.finditer(line):
            target = os.path.normpath(os.path.join(here, m.group(0)))
            if not (target + "/").startswith(root + "/"):
                bad.append(f"{where}: '{m.group(0)}' points outside the repository")
        if rel.endswith(".md"):
            for m in md_link.finditer(line):
                target = m.group(1).split("#")[0]
                if not target or re.match(r"[a-z]+:", target):
                    continue
                if not os.path.exists(os.path.normpath(os.path.join(here, target))):
                    bad.append(f"{where}: link to a missing file '{target}'")
        for m in docs_ref.finditer(line):
            if re.search(r"[\w-]+/[\w.-]+ `?$", line[: m.start()]):
                continue  # "owner/repo docs/x.md": a file of another repository, cited as a source
            if not os.path.exists(os.path.join(root, m.group(0))):
                bad.append(f"{where}: '{m.group(0)}' does not exist")
for b in bad:
    print("references: FAIL:", b)
print(f"references: {len(files)} files checked, {len(bad)} problems")
sys.exit(1 if bad else 0)
