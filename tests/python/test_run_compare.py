"""newsframe.run / newsframe.compare: the CLI's code, its manifest, its errors."""
import fcntl
import json
import subprocess

import pyarrow.parquet as pq
import pytest

import newsframe
from corpus import REPO, TABLES


def test_run_writes_the_cli_tables_and_returns_its_manifest(tmp_path, cli_out):
    manifest = newsframe.run(REPO / "corpora", tmp_path / "out", threads=2, run_id="py1")
    assert manifest["run_id"] == "py1"
    assert manifest["arguments"][:2] == ["newsframe", "run"]
    cli_manifest = json.loads((cli_out / "manifest.json").read_text())
    assert manifest["counts"] == cli_manifest["counts"]
    assert manifest["compare_refreshed"] is True
    on_disk = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert on_disk["run_id"] == "py1" and on_disk["counts"] == manifest["counts"]
    for name in TABLES:
        # input_file is the path as given: absolute here, relative in the CLI run.
        got = _without_input_file(pq.read_table(tmp_path / "out" / name))
        assert got.equals(_without_input_file(pq.read_table(cli_out / name))), name
    # A second run over the same inputs skips them, as the CLI does.
    again = newsframe.run(REPO / "corpora", tmp_path / "out")
    assert again["counts"]["records_read"] == 0
    assert len(again["skipped_inputs"]) == len(manifest["inputs"])


def _without_input_file(table):
    return table.drop_columns(["input_file"]) if "input_file" in table.column_names else table


def test_compare_regroups_and_returns_row_counts(tmp_path):
    newsframe.run([REPO / "corpora" / "en.jsonl", REPO / "corpora" / "hy.jsonl"], tmp_path / "out")
    result = newsframe.compare(tmp_path / "out", by="lang,published:month", report=True)
    assert result["compare"]["by"] == "lang,published:month"
    rows = result["compare"]["rows"]
    assert rows and all(n >= 0 for n in rows.values())
    assert (tmp_path / "out" / "report.html").exists()
    assert result["run_id"]  # the folder's manifest
    groups = pq.read_table(tmp_path / "out" / "compare")
    assert groups.num_rows > 0


def test_cli_errors_become_exceptions_with_the_cli_messages(tmp_path, cli):
    def cli_stderr(*args):
        done = subprocess.run([cli, *args, "--no-progress"], cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 2, done.stderr
        return done.stderr

    with pytest.raises(newsframe.UsageError) as e:
        newsframe.run(REPO / "corpora" / "missing.jsonl", tmp_path / "o1")
    assert str(e.value) in cli_stderr("run", str(REPO / "corpora" / "missing.jsonl"), "--out", str(tmp_path / "c1"))

    bad = tmp_path / "lexicons"
    (bad / "hy").mkdir(parents=True)
    (bad / "hy" / "frames.tsv").write_text("one column only\n")
    with pytest.raises(newsframe.UsageError) as e:
        newsframe.run(REPO / "corpora" / "hy.jsonl", tmp_path / "o2", lexicons=bad)
    assert str(e.value).startswith("lexicons:")
    assert str(e.value) in cli_stderr("run", str(REPO / "corpora" / "hy.jsonl"), "--out", str(tmp_path / "c2"), "--lexicons", str(bad))

    with pytest.raises(newsframe.UsageError, match="--shard expects K/N"):
        newsframe.run(REPO / "corpora", tmp_path / "o3", shard="5/2")
    with pytest.raises(newsframe.UsageError, match="possible values: frames, entities, figures"):
        newsframe.run(REPO / "corpora", tmp_path / "o4", extract="nouns")
    with pytest.raises(newsframe.UsageError, match="published:day"):
        newsframe.run(REPO / "corpora", tmp_path / "o5", partition_by="source")
    with pytest.raises(newsframe.UsageError):
        newsframe.compare(tmp_path / "o5", by="colour")
    with pytest.raises(newsframe.NewsframeError, match="no articles table"):
        newsframe.compare(tmp_path / "empty")


def test_a_locked_output_folder_raises(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # What a run in progress holds: the advisory lock on OUT/.newsframe.lock.
    with open(out / ".newsframe.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(newsframe.NewsframeError, match="another newsframe run .* is writing"):
            newsframe.run(REPO / "corpora" / "en.jsonl", out)
    assert newsframe.run(REPO / "corpora" / "en.jsonl", out)["counts"]["articles"] == 10
