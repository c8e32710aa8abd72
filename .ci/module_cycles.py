"""Reports cycles between the runtime's modules (imports in code, not doc links).

A module is a file under runtime/src (mod.rs files name their folder); `a -> b` when a
line of code in a names `crate::b`. Exit 1 when any cycle exists.
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "runtime/src"
mods = {}
for dirpath, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".rs"):
            continue
        rel = os.path.relpath(os.path.join(dirpath, f), root)[:-3]
        name = rel.replace(os.sep, "::")
        if name.endswith("::mod"):
            name = name[:-5]
        if name == "lib":
            continue
        mods[name] = os.path.join(dirpath, f)

def owner(path):
    """The known module a `crate::a::b::c` path lands in (longest prefix)."""
    parts = path.split("::")
    for n in range(len(parts), 0, -1):
        cand = "::".join(parts[:n])
        if cand in mods:
            return cand
    return None

graph = {m: set() for m in mods}
for m, path in mods.items():
    in_tests = False
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("#[cfg(test)]"):
            in_tests = True
        if in_tests or s.startswith("//"):
            continue
        for hit in re.findall(r"crate::([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)", s):
            o = owner(hit)
            # A submodule using its parent (or a parent its child) is one concept.
            if o and o != m and not o.startswith(m + "::") and not m.startswith(o + "::"):
                graph[m].add(o)
        # `use super::x` inside a folder module stays within it.

# Tarjan's strongly connected components.
index, low, stack, on, sccs = {}, {}, [], set(), []
counter = [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in graph[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(graph):
    if v not in index:
        visit(v)
for c in sccs:
    edges = [f"{a} -> {b}" for a in c for b in sorted(graph[a]) if b in c]
    print("cycle: " + ", ".join(c) + "\n  " + "\n  ".join(edges))
print(f"{len(mods)} modules, {len(sccs)} cycles")
sys.exit(1 if sccs else 0)
