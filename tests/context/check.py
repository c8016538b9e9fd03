#!/usr/bin/env python3
"""Validate the speaker/stance development set in this folder.

Usage: python3 check.py [--sources DIR]

Checks every line of en.jsonl, hy.jsonl and az.jsonl:
  * required keys and their types (item and mention level);
  * `id` unique, `<lang>-NNNN`; `origin` in the documented format;
  * every item has at least one mention; mentions do not overlap;
  * text[start:end] == surface (Python str offsets);
  * kind is "frame" or "figure"; frame_id (optional, frames only) exists in
    ../../lexicons/frames.tsv;
  * speaker is null or a non-empty string; speaker_surface only appears with a
    speaker, differs from it, and the written form (speaker_surface if present,
    else speaker) occurs verbatim in text or context;
  * negated / distanced are booleans;
  * at least MIN_ITEMS items per language.
If the source data is available (default /work/shared/data, or --sources DIR)
it also checks that `text` and `context` are verbatim from the cited source.

Prints per-language counts (items, mentions, frame vs figure, with speaker vs
null, negated, distanced). Exits 1 on any error; fewer than MIN_FRAMES frame
mentions in a language is reported as a warning only (the sources may not
contain more).
"""
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = ("en", "hy", "az")
MIN_ITEMS = 150
MIN_FRAMES = 40
ITEM_KEYS = {"id": str, "origin": str, "context": str, "text": str, "mentions": list}
MENTION_KEYS = {"start": int, "end": int, "surface": str, "kind": str,
                "speaker": (str, type(None)), "negated": bool, "distanced": bool}
OPTIONAL_MENTION_KEYS = {"frame_id": str, "speaker_surface": str}
ORIGIN_RE = {
    "en": re.compile(r"^extraction:[0-9a-f]{64}$"),
    "hy": re.compile(r"^(armner-(train|dev)|langid-hy):\d+$"),
    "az": re.compile(r"^langid-az:\d+$"),
}

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def load_frame_ids():
    path = os.path.join(HERE, "..", "..", "lexicons", "frames.tsv")
    ids = set()
    try:
        with open(path, encoding="utf-8") as f:
            rows = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    except OSError:
        print(f"warning: {path} not found, frame_id values not checked")
        return None
    for row in rows[1:]:  # skip header
        ids.add(row.split("\t")[0])
    return ids


def load_sources(root):
    """Return lookups for verbatim checks, or None if the data is missing."""
    src = {}
    try:
        with open(os.path.join(root, "extraction", "ground-truth.json"), encoding="utf-8") as f:
            src["en"] = {k: v["articleBody"] for k, v in json.load(f).items()}
        hy = {}
        for part in ("train", "dev"):
            with open(os.path.join(root, "ner", "hy", f"armner-{part}.jsonl"), encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    hy[f"armner-{part}:{d['id']}"] = d["text"]
        src["hy"] = hy
        with open(os.path.join(root, "langid", "sentences", "az.txt"), encoding="utf-8") as f:
            src["az"] = f.read().split("\n")
        with open(os.path.join(root, "langid", "sentences", "hy.txt"), encoding="utf-8") as f:
            src["hy-langid"] = f.read().split("\n")
    except (OSError, KeyError, ValueError) as e:
        print(f"warning: source data not usable ({e}); verbatim checks skipped")
        return None
    return src


def check_verbatim(lang, item, where, sources):
    origin, text, context = item["origin"], item["text"], item["context"]
    if origin.startswith("langid-"):
        n = int(origin.split(":")[1])
        lines = sources["az" if lang == "az" else "hy-langid"]
        if not 1 <= n <= len(lines) or lines[n - 1] != text:
            err(where, f"text is not line {n} of {lang}.txt")
        if context:
            err(where, "langid items have no context (single sentences)")
        return
    if lang == "en":
        body = sources["en"].get(origin.split(":", 1)[1])
    else:
        body = sources["hy"].get(origin)
    if body is None:
        err(where, f"origin {origin} not found in the source data")
        return
    pos = body.find(text)
    if pos < 0:
        err(where, "text is not verbatim in the source document")
        return
    if context:
        cpos = body.find(context)
        if cpos < 0:
            err(where, "context is not verbatim in the source document")
        elif body.find(text, cpos + len(context)) < 0:
            err(where, "context does not precede text in the source document")


def check_lang(lang, frame_ids, sources):
    path = os.path.join(HERE, f"{lang}.jsonl")
    stats = Counter()
    ids = set()
    try:
        f = open(path, encoding="utf-8")
    except OSError:
        err(path, "missing")
        return stats
    with f:
        for lineno, line in enumerate(f, 1):
            where = f"{lang}.jsonl:{lineno}"
            if not line.strip():
                err(where, "blank line")
                continue
            try:
                item = json.loads(line)
            except ValueError as e:
                err(where, f"invalid JSON: {e}")
                continue
            if not isinstance(item, dict):
                err(where, "not a JSON object")
                continue
            bad = False
            for k, t in ITEM_KEYS.items():
                if k not in item:
                    err(where, f"missing key {k!r}"); bad = True
                elif not isinstance(item[k], t):
                    err(where, f"{k!r} has wrong type"); bad = True
            extra = set(item) - set(ITEM_KEYS)
            if extra:
                err(where, f"unexpected keys {sorted(extra)}")
            if bad:
                continue
            where = f"{lang}.jsonl:{lineno} ({item['id']})"
            if not re.fullmatch(rf"{lang}-\d{{4}}", item["id"]):
                err(where, "id must look like <lang>-NNNN")
            if item["id"] in ids:
                err(where, "duplicate id")
            ids.add(item["id"])
            if not ORIGIN_RE[lang].match(item["origin"]):
                err(where, f"bad origin {item['origin']!r}")
            text, context = item["text"], item["context"]
            if not text.strip():
                err(where, "empty text")
            if not item["mentions"]:
                err(where, "no mentions")
            if sources is not None:
                check_verbatim(lang, item, where, sources)
            stats["items"] += 1
            spans = []
            has_speaker = False
            for mi, m in enumerate(item["mentions"]):
                mw = f"{where} mention {mi}"
                if not isinstance(m, dict):
                    err(mw, "not an object"); continue
                mbad = False
                for k, t in MENTION_KEYS.items():
                    if k not in m:
                        err(mw, f"missing key {k!r}"); mbad = True
                    elif not isinstance(m[k], t) or (t is int and isinstance(m[k], bool)):
                        err(mw, f"{k!r} has wrong type"); mbad = True
                for k, t in OPTIONAL_MENTION_KEYS.items():
                    if k in m and not isinstance(m[k], t):
                        err(mw, f"{k!r} has wrong type"); mbad = True
                extra = set(m) - set(MENTION_KEYS) - set(OPTIONAL_MENTION_KEYS)
                if extra:
                    err(mw, f"unexpected keys {sorted(extra)}")
                if mbad:
                    continue
                s, e = m["start"], m["end"]
                if not (0 <= s < e <= len(text)):
                    err(mw, f"offsets {s}:{e} out of range")
                elif text[s:e] != m["surface"]:
                    err(mw, f"text[{s}:{e}]={text[s:e]!r} != surface {m['surface']!r}")
                spans.append((s, e))
                if m["kind"] not in ("frame", "figure"):
                    err(mw, f"bad kind {m['kind']!r}")
                if "frame_id" in m:
                    if m["kind"] != "frame":
                        err(mw, "frame_id on a figure")
                    elif frame_ids is not None and m["frame_id"] not in frame_ids:
                        err(mw, f"unknown frame_id {m['frame_id']!r}")
                sp = m["speaker"]
                if sp is not None:
                    if not sp.strip():
                        err(mw, "empty speaker (use null)")
                    written = m.get("speaker_surface", sp)
                    if "speaker_surface" in m and m["speaker_surface"] == sp:
                        err(mw, "speaker_surface equals speaker (omit it)")
                    if written not in text and written not in context:
                        err(mw, f"speaker {written!r} not found in text or context")
                    has_speaker = True
                elif "speaker_surface" in m:
                    err(mw, "speaker_surface without speaker")
                kind = m["kind"]
                stats["mentions"] += 1
                stats[kind] += 1
                stats[f"{kind}_speaker" if sp is not None else f"{kind}_null"] += 1
                if m["negated"]:
                    stats["negated"] += 1
                if m["distanced"]:
                    stats["distanced"] += 1
            spans.sort()
            for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
                if a2 < b1:
                    err(where, f"overlapping mentions {a1}:{b1} and {a2}:{b2}")
            stats["items_speaker" if has_speaker else "items_null"] += 1
    if stats["items"] < MIN_ITEMS:
        err(f"{lang}.jsonl", f"only {stats['items']} items (need >= {MIN_ITEMS})")
    return stats


def main():
    root = "/work/shared/data"
    if "--sources" in sys.argv:
        root = sys.argv[sys.argv.index("--sources") + 1]
    frame_ids = load_frame_ids()
    sources = load_sources(root) if os.path.isdir(root) else None
    if sources is None and not os.path.isdir(root):
        print(f"note: {root} not found; verbatim checks skipped")
    all_stats = {lang: check_lang(lang, frame_ids, sources) for lang in LANGS}
    cols = ["items", "items_speaker", "items_null", "mentions", "frame", "frame_speaker",
            "frame_null", "figure", "figure_speaker", "figure_null", "negated", "distanced"]
    print("lang " + " ".join(f"{c:>14}" for c in cols))
    for lang, st in all_stats.items():
        print(f"{lang:4} " + " ".join(f"{st[c]:>14}" for c in cols))
    for lang, st in all_stats.items():
        if st["frame"] < MIN_FRAMES:
            print(f"warning: {lang}: {st['frame']} frame mentions (< {MIN_FRAMES}; see README)")
    if errors:
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
