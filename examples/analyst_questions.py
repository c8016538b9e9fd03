"""Three questions an analyst asks of a newsframe output, answered with polars and
DuckDB, with the answers checked against what the bundled corpora should show.

    cargo run --release -- run corpora --out out
    python examples/analyst_questions.py out

The same steps are in analyst_questions.ipynb.
"""
import os
import sys
from pathlib import Path

import duckdb
import polars as pl

# %% Where the output is
# A folder given on the command line, else $NEWSFRAME_OUT, else ./out. (In Jupyter,
# sys.argv holds the kernel's own arguments, which are not folders.)
OUT = next(
    (Path(a) for a in sys.argv[1:2] if Path(a).is_dir()),
    Path(os.environ.get("NEWSFRAME_OUT", "out")),
)
COMPARE = OUT / "compare"
pl.Config.set_tbl_rows(30)
pl.Config.set_fmt_str_lengths(40)
pl.Config.set_tbl_width_chars(120)
LANGS = ["en", "hy", "az"]

# %% 1. The most distinctive frames of each language's coverage (polars)
# compare/frames.parquet has one row per language x frame with a keyness z-score:
# the log-odds ratio of the frame in that language's coverage against the others,
# with an informative Dirichlet prior (Monroe et al. 2008).
frames = pl.read_parquet(COMPARE / "frames.parquet")
distinctive = (
    frames.filter(pl.col("lang").is_in(LANGS) & (pl.col("keyness_z") > 0))
    .sort(["lang", "keyness_z"], descending=[False, True])
    .group_by("lang", maintain_order=True)
    .head(3)
    .select("lang", "frame_id", "mentions", "share_of_articles", pl.col("keyness_z").round(2))
)
print("1. Most distinctive frames per language\n", distinctive, sep="")
top = {lang: distinctive.filter(pl.col("lang") == lang)["frame_id"].to_list() for lang in LANGS}
assert "artsakh_name" in top["hy"], top
assert "separatists" in top["az"], top
assert "nagorno_karabakh_name" in top["en"], top

# %% 2. Which name each side uses for Stepanakert/Khankendi and for the region (DuckDB)
naming = duckdb.sql(
    f"""
    select lang, entity_id, variant, perspective, mentions, round(share, 2) as share
    from read_parquet('{COMPARE / "naming.parquet"}')
    where entity_id in ('stepanakert', 'nagorno_karabakh') and lang in ('en', 'hy', 'az')
    order by entity_id, lang, mentions desc, variant
    """
).pl()
print("\n2. Naming variants by language\n", naming, sep="")
favourite = {
    (r["entity_id"], r["lang"]): (r["variant"], r["perspective"])
    for r in naming.group_by(["entity_id", "lang"], maintain_order=True).first().iter_rows(named=True)
}
assert favourite[("stepanakert", "hy")] == ("Ստեփանակերտ", "hy"), favourite
assert favourite[("stepanakert", "az")] == ("Xankəndi", "az"), favourite
assert favourite[("stepanakert", "en")][1] == "hy", favourite
assert favourite[("nagorno_karabakh", "hy")] == ("Արցախ", "hy"), favourite
assert favourite[("nagorno_karabakh", "az")] == ("Qarabağ", "az"), favourite
assert favourite[("nagorno_karabakh", "en")] == ("Nagorno-Karabakh", "neutral"), favourite

# %% 3. The displacement figures each language reports, and who they are attributed to
# The figures table has one row per numeric claim; polars scans every part of it.
displaced = (
    pl.scan_parquet(OUT / "figures" / "*.parquet")
    .filter((pl.col("category") == "people.displaced") & (pl.col("value") >= 1000))
    .select("lang", "surface", "value", "qualifier", "attributed_to")
    .sort(["lang", "value"], descending=[False, True])
    .collect()
)
print("\n3. Displacement figures by language\n", displaced, sep="")
summary = duckdb.sql(
    """
    select lang, count(*) as figures, max(value) as largest,
           count(attributed_to) as attributed,
           string_agg(distinct attributed_to, '; ') as sources
    from displaced group by lang order by lang
    """
).pl()
print(summary)
by_lang = {r["lang"]: r for r in summary.iter_rows(named=True)}
for lang in LANGS:
    assert by_lang[lang]["largest"] >= 50_000, by_lang
    assert by_lang[lang]["attributed"] >= 1, by_lang
print("\nok: all three answers check out")
