"""Language ID through `newsframe run`, as a user would run it (see eval_langid.sh).

  python3 eval_langid.py build LANGID_DIR OUT.jsonl
      One article per line of LANGID_DIR/<set>/<lang>.txt, with an empty title and the
      id `<set>|<lang>|<line>`; plus a derived set `paragraphs` (four consecutive
      sentences joined), which reaches the long-text path of the detector.
  python3 eval_langid.py score LANGID_DIR RUN_OUT [--show N]
      Reads RUN_OUT/articles (pyarrow) and prints, per set and language: accuracy
      (`lang` equals the line's language), the false-claim rate (`lang` is en, hy or az
      but not the line's language), `und` and missing rows; then the issue's targets.
      --show N prints up to N misses per set and language of en/hy/az and N false
      claims, to tell noisy lines from real errors.

Only the standard library and pyarrow (as installed by .ci/run) are needed.
"""
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

OURS = ("en", "hy", "az")
SETS = ("sentences", "word-pairs", "single-words")


def lines_of(data: Path):
    """(set, lang, index, text) for every non-blank line of the test files."""
    for set_name in SETS:
        folder = data / set_name
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")):
            lang = path.stem
            texts = [t.strip() for t in path.read_text(encoding="utf-8").split("\n")]
            for i, text in enumerate(texts):
                if text:
                    yield set_name, lang, i, text
            if set_name == "sentences":
                kept = [t for t in texts if t]
                for i in range(0, len(kept) - 3, 4):
                    yield "paragraphs", lang, i // 4, " ".join(kept[i:i + 4])


def build(data: Path, out: Path):
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for set_name, lang, i, text in lines_of(data):
            row = {"id": f"{set_name}|{lang}|{i}", "title": "", "text": text}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} articles written to {out}", file=sys.stderr)


def read_articles(run_out: Path):
    import pyarrow.dataset as ds

    table = ds.dataset(str(run_out / "articles"), format="parquet",
                       partitioning="hive").to_table(
        columns=["article_id", "lang", "lang_confidence"])
    return {a: (l, c) for a, l, c in zip(*(table.column(n).to_pylist() for n in
                                          ("article_id", "lang", "lang_confidence")))}


def score(data: Path, run_out: Path, show: int):
    got = read_articles(run_out)
    stats = defaultdict(Counter)
    texts = {}
    for set_name, lang, i, text in lines_of(data):
        key = (set_name, lang)
        s = stats[key]
        s["n"] += 1
        row = got.get(f"{set_name}|{lang}|{i}")
        if row is None:
            s["missing"] += 1
            continue
        found = row[0]
        if found == lang:
            s["right"] += 1
        else:
            texts.setdefault(key, []).append((found, row[1], text))
        if found == "und":
            s["und"] += 1
        if found in OURS and found != lang:
            s["claim"] += 1
            s[f"claim_{found}"] += 1
    order = ["sentences", "paragraphs", "word-pairs", "single-words"]
    langs = sorted({l for _, l in stats}, key=lambda l: (l not in OURS, OURS.index(l) if l in OURS else 0, l))
    print(f"{'set':<13} {'lang':<4} {'n':>5} {'right':>7} {'claims':>7} {'und':>6} {'missing':>7}")
    for set_name in order:
        for lang in langs:
            s = stats.get((set_name, lang))
            if not s:
                continue
            pct = lambda k: 100.0 * s[k] / s["n"]
            claims = f"{pct('claim'):6.1f}%" if lang not in OURS else "      -"
            print(f"{set_name:<13} {lang:<4} {s['n']:>5} {pct('right'):6.1f}% {claims} "
                  f"{pct('und'):5.1f}% {s['missing']:>7}")
    print()
    targets = []
    for lang in OURS:
        for set_name, goal in (("sentences", 99.5), ("word-pairs", 95.0)):
            s = stats.get((set_name, lang))
            if s:
                acc = 100.0 * s["right"] / s["n"]
                targets.append((f"{set_name} {lang} right >= {goal}%", f"{acc:.1f}%", acc >= goal))
    distractors = [l for l in langs if l not in OURS]
    worst = max(((100.0 * stats[("sentences", l)]["claim"] / stats[("sentences", l)]["n"], l)
                 for l in distractors if ("sentences", l) in stats), default=(0.0, "-"))
    targets.append(("distractor sentences claimed en/hy/az <= 0.5% (worst language)",
                    f"{worst[0]:.1f}% ({worst[1]})", worst[0] <= 0.5))
    if ("sentences", "kk") in stats:
        kk_az = stats[("sentences", "kk")]["claim_az"]
        targets.append(("Kazakh sentences labelled az: none", str(kk_az), kk_az == 0))
    for name, value, ok in targets:
        print(f"{'met' if ok else 'NOT MET':<8} {name}: {value}")
    if show:
        print()
        for (set_name, lang), misses in sorted(texts.items()):
            if set_name not in ("sentences", "word-pairs"):
                continue
            picked = [m for m in misses if lang in OURS or m[0] in OURS][:show]
            for found, conf, text in picked:
                kind = "miss " if lang in OURS else "claim"
                print(f"{kind} {set_name:<10} {lang} -> {found} ({conf:.2f}): {text[:120]}")


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("build", "score"):
        sys.exit(__doc__)
    data, target = Path(sys.argv[2]), Path(sys.argv[3])
    if sys.argv[1] == "build":
        build(data, target)
    else:
        show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
        score(data, target, show)


if __name__ == "__main__":
    main()
