#!/usr/bin/env python3
"""Checks README.md and docs/*.md. Every relative link: the file exists, and a `#section`
names a heading of that file (GitHub's anchor rules). Every Rust code block (a fence whose
info string is empty or starts with `rust`; rustdoc compiles these as doctests): no hidden
line (`# code`, or a lone `#`, after any indentation), because GitHub renders the page as
it is and would show them; `#[attr]` and `#![attr]` lines are ordinary Rust. Exit 1 with
the list of problems."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# rustdoc hides a line whose first non-blank characters are `# ` or that is just `#`.
HIDDEN = re.compile(r"^\s*#( |$)")


def slug(heading: str) -> str:
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path: pathlib.Path) -> set:
    out, seen = set(), {}
    in_code = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        m = re.match(r"#+\s+(.*)", line)
        if not m:
            continue
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def main() -> int:
    broken = []
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for f in files:
        in_code = in_rust = False
        for no, line in enumerate(f.read_text().splitlines(), 1):
            if line.startswith("```"):
                in_code = not in_code
                info = line[3:].strip()
                in_rust = in_code and (info == "" or info.startswith("rust"))
                continue
            if in_rust and HIDDEN.match(line):
                broken.append(f"{f.relative_to(ROOT)}:{no}: hidden doctest line (GitHub shows it)")
            if in_code:
                continue
            for target in LINK.findall(line):
                if re.match(r"[a-z]+:", target):
                    continue
                path, _, frag = target.partition("#")
                dest = (f.parent / path).resolve() if path else f
                if not dest.exists():
                    broken.append(f"{f.relative_to(ROOT)}:{no}: {target}: no such file")
                elif frag and dest.suffix == ".md" and frag not in anchors(dest):
                    broken.append(f"{f.relative_to(ROOT)}:{no}: {target}: no such section")
    for b in broken:
        print(b)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
