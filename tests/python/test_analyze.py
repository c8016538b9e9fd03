"""newsframe.analyze: the CLI's tables from articles in memory."""
import subprocess
import threading
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import newsframe
from corpus import REPO, TABLES, corpus_rows

EN = [r for r in corpus_rows() if r["input_file"] == "corpora/en.jsonl"]


def cli_table(out, name):
    return pq.read_table(out / name)


def test_analyze_gives_the_cli_rows_on_the_corpora_table_by_table_in_order(cli_out):
    # Every column is compared, provenance included: the rows carry the input_file /
    # input_record the CLI records (see corpus.py).
    got = newsframe.analyze(corpus_rows(), threads=2)
    assert list(got) == list(TABLES)
    for name in TABLES:
        want = cli_table(cli_out, name)
        assert got[name].schema.equals(want.schema, check_metadata=False), name
        assert got[name].num_rows == want.num_rows, name
        assert got[name].equals(want.cast(got[name].schema)), name
    assert got["articles"].num_rows == 38 and got["figures"].num_rows > 0


def test_without_provenance_rows_are_numbered_like_a_json_array():
    rows = [{k: v for k, v in r.items() if not k.startswith("input_")} for r in EN]
    articles = newsframe.analyze(rows)["articles"]
    assert articles["input_file"].to_pylist() == ["<memory>"] * len(EN)
    assert articles["input_record"].to_pylist() == list(range(len(EN)))


def _strip(table):
    return table.drop_columns(["input_file", "input_record"]) if "input_file" in table.column_names else table


@pytest.mark.parametrize("kind", ["pyarrow", "polars", "pandas", "records"])
def test_each_input_type_gives_the_same_tables(kind):
    rows = [{k: v for k, v in r.items() if not k.startswith("input_")} for r in EN]
    if kind == "pyarrow":
        articles = pa.Table.from_pylist(rows)
    elif kind == "polars":
        pl = pytest.importorskip("polars")
        articles = pl.DataFrame(rows)
    elif kind == "pandas":
        pd = pytest.importorskip("pandas")
        articles = pd.DataFrame(rows)
    else:
        articles = rows
    got = newsframe.analyze(articles, threads=1)
    want = newsframe.analyze(pa.Table.from_pylist(rows), threads=2)
    for name in TABLES:
        assert got[name].equals(want[name]), (kind, name)
    assert got["articles"].num_rows == len(EN)


def test_pandas_datetimes_numeric_ids_and_paragraph_lists_read_like_json():
    pd = pytest.importorskip("pandas")
    text = "Officials in Goris said 1,200 people arrived on Tuesday. The shelters are full."
    as_json = [{"id": 7, "published": "2023-09-26T10:00:00Z", "content": [text, "More later."]}]
    frame = pd.DataFrame(
        {"id": [7], "published": [pd.Timestamp("2023-09-26 14:00:00+04:00")], "content": [[text, "More later."]]}
    )
    a = newsframe.analyze(as_json)["articles"]
    b = newsframe.analyze(frame)["articles"]
    for column in ("article_id", "published", "text", "content_hash"):
        assert a[column].to_pylist() == b[column].to_pylist(), column
    assert a["article_id"].to_pylist() == ["7"]
    assert "\n\nMore later." in a["text"][0].as_py()


def test_mixed_value_types_in_a_list_of_dicts():
    rows = [
        {"id": 1, "text": "The convoy reached Kornidzor at noon on Monday."},
        {"id": "b-2", "body": ["Two paragraphs.", "Here is the second one about Lachin."], "source": {"name": "Wire"}},
    ]
    articles = newsframe.analyze(rows)["articles"]
    assert articles["article_id"].to_pylist() == ["1", "b-2"]
    assert articles["source"].to_pylist()[1] == "Wire"
    assert articles["text"][1].as_py().endswith("Two paragraphs.\n\nHere is the second one about Lachin.")


def test_a_bad_row_gives_a_reject_row_and_the_others_go_on():
    rows = [
        {"title": "No body at all"},
        {"text": "   "},
        {"text": "Residents of Stepanakert queued for fuel on Monday evening."},
    ]
    got = newsframe.analyze(rows)
    rejects = got["rejects"].to_pylist()
    assert [r["reason"] for r in rejects] == ["empty_text", "empty_text"]
    assert [r["input_record"] for r in rejects] == [0, 1]
    assert "No body at all" in rejects[0]["raw_prefix"]
    assert got["articles"]["input_record"].to_pylist() == [2]


def test_wrong_input_types_raise_type_errors():
    with pytest.raises(TypeError):
        newsframe.analyze("not a table")
    with pytest.raises(TypeError):
        newsframe.analyze([{"text": "fine"}, "not a dict"])


def test_a_bad_lexicon_folder_raises_with_the_cli_message(tmp_path, cli):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "frames.tsv").write_text("not\ta valid\tfile with\ttoo many\tcolumns\textra\n")
    with pytest.raises(newsframe.UsageError) as error:
        newsframe.analyze(EN, lexicons=tmp_path)
    message = str(error.value)
    assert message.startswith("lexicons:")
    cli_run = subprocess.run(
        [cli, "run", "corpora/en.jsonl", "--out", str(tmp_path / "out"), "--lexicons", str(tmp_path), "--no-progress"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert cli_run.returncode == 2
    assert message in cli_run.stderr


def test_unknown_extractor_is_a_usage_error_and_left_out_tables_are_empty():
    with pytest.raises(newsframe.UsageError, match="nouns"):
        newsframe.analyze(EN, extract="nouns")
    got = newsframe.analyze(EN, extract=["figures"])
    assert got["figures"].num_rows > 0
    assert got["frames"].num_rows == 0 and got["entities"].num_rows == 0
    assert got["frames"].schema == newsframe.analyze(EN)["frames"].schema


def test_empty_input_gives_empty_tables_with_the_schemas():
    got = newsframe.analyze([])
    full = newsframe.analyze(EN)
    for name in TABLES:
        assert got[name].num_rows == 0
        assert got[name].schema == full[name].schema


def test_the_gil_is_released_two_calls_overlap():
    rows = EN * 20  # 200 articles: long enough to see both calls in flight
    spans = {}

    def call(key):
        start = time.perf_counter()
        newsframe.analyze(rows, threads=1)
        spans[key] = (start, time.perf_counter())

    threads = [threading.Thread(target=call, args=(k,)) for k in (0, 1)]
    ticks = []
    for t in threads:
        t.start()
    # This thread keeps running Python while both calls are in Rust: with the GIL held
    # by one of them it would not get a tick in until that call returned.
    while any(t.is_alive() for t in threads):
        ticks.append(time.perf_counter())
        time.sleep(0.002)
    for t in threads:
        t.join()
    both_from = max(s for s, _ in spans.values())
    both_until = min(e for _, e in spans.values())
    assert both_until > both_from, spans
    during = [t for t in ticks if both_from < t < both_until]
    assert len(during) >= 10, (len(during), both_until - both_from)


def test_a_table_of_files_is_read_by_the_cli_readers(cli_out):
    # Spark's binaryFile shape: path + bytes. Rows, order and rejects as the CLI's.
    from corpus import corpus_files

    paths = corpus_files()
    files = pa.table({"path": paths, "content": [(REPO / p).read_bytes() for p in paths]})
    got = newsframe.analyze(files, threads=2)
    for name in TABLES:
        assert got[name].equals(cli_table(cli_out, name).cast(got[name].schema)), name
    bad = pa.table({"path": ["x.jsonl"], "content": [b'{"text": "ok text here."}\n{oops\n']})
    rejects = newsframe.analyze(bad)["rejects"].to_pylist()
    assert [(r["reason"], r["input_record"]) for r in rejects] == [("invalid_json", 2)]
