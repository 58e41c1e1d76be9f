#!/usr/bin/env python3
"""Checks the docs against the code: every `path` › "test name" citation names a test that exists, every backticked repo path exists, every relative link resolves. Usage: check-doc-citations.py ROOT FILE.md... """
import os, re, sys
root = sys.argv[1]
files = sys.argv[2:]
# Test and group names in the sources: it/test/describe("...") or `...`, plus it.each case names.
NAME = re.compile(r'''\b(?:it|test|describe)(?:\.each\([^)]*\))?(?:\.\w+)?\(\s*(["'`])((?:\\.|(?!\1).)*)\1''', re.S)
def names_in(path):
    src = open(os.path.join(root, path), encoding="utf8").read()
    found = set(m.group(2) for m in NAME.finditer(src))
    cases = set(re.findall(r'name:\s*"([^"]+)"', src))
    return found, cases
def top_quoted(text):
    out, depth, cur, inq = [], 0, "", False
    for ch in text:
        if inq:
            if ch == '"': inq = False; (out.append(cur) if depth == 0 else None); cur = ""
            else: cur += ch
        elif ch == '"': inq = True
        elif ch == '(': depth += 1
        elif ch == ')': depth -= 1
    return out
def template_match(t, name):
    if "${" not in t: return False
    parts = re.split(r'\$\{[^}]*\}', t)
    return re.fullmatch('.*'.join(re.escape(x) for x in parts), name) is not None
ROOTS = ("app/", "lib/", "tests/", "e2e/", "components/", "deploy/", "docs/", "scripts/", "messages/", "types/")
bad = 0; ok = 0; paths_ok = 0
for f in files:
    text = open(f, encoding="utf8").read()
    # citations: `file` › "a"; › "b" (names chained with ; › until next `file`)
    for seg in re.finditer(r'`([^`\s]+\.(?:ts|tsx|mts))` ›((?:\s*(?:describe\s+)?"[^"\n]+"(?:\s*\((?:"[^"]*"|[^)"])*\))?\s*(?:;\s*›)?)+)', text):
        path = seg.group(1)
        if not os.path.exists(os.path.join(root, path)):
            print(f"{f}: MISSING FILE {path}"); bad += 1; continue
        found, cases = names_in(path)
        for name in top_quoted(seg.group(2)):
            if name in found or any(template_match(t, name) for t in found): ok += 1
            else:
                print(f"{f}: {path}: NO TEST NAMED {name!r}"); bad += 1
    # case names cited as (its cases "a", "b") after bad-input
    for m in re.finditer(r'its cases ((?:"[^"]+",?\s*)+)', text):
        _, cases = names_in("tests/api/bad-input.test.ts")
        for c in re.findall(r'"([^"]+)"', m.group(1)):
            if c in cases: ok += 1
            else: print(f"{f}: bad-input: NO CASE {c!r}"); bad += 1
    # every backticked repo path
    for p in set(re.findall(r'`([^`\s]+)`', text)):
        q = p.split(" ")[0].rstrip(",.;:")
        q = re.sub(r'\s*\(.*$', '', q)
        if q.startswith(ROOTS) or q in ("proxy.ts", "server.mjs", "README.md", "BENCHMARKS.md", ".env.example", "package.json"):
            if "{" in q or "*" in q or "<" in q or q.startswith("/"): continue
            if os.path.exists(os.path.join(root, q)): paths_ok += 1
            else: print(f"{f}: MISSING PATH {q}"); bad += 1
    # relative markdown links
    for l in re.findall(r'\]\(([^)#\s]+)(?:#[^)]*)?\)', text):
        if l.startswith(("http", "mailto")): continue
        t = os.path.normpath(os.path.join(os.path.dirname(f), l))
        if not os.path.exists(t): print(f"{f}: BROKEN LINK {l}"); bad += 1
print(f"test names verified: {ok}; paths verified: {paths_ok}; problems: {bad}")
sys.exit(1 if bad else 0)
