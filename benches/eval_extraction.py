"""Main-text extraction through `newsframe run` (see eval_extraction.sh).

  python3 eval_extraction.py warc PAGES_DIR OUT.warc.gz
      Wraps PAGES_DIR/html/<key>.html.gz as `response` records (HTTP 200,
      Content-Type text/html, WARC-Target-URI the page's URL from ground-truth.json),
      one gzip member per record. The bytes are passed as stored: the page's own
      <meta> charset (or UTF-8) decodes them.
  python3 eval_extraction.py predictions PAGES_DIR RUN_OUT OUT.json
      Reads RUN_OUT/articles (pyarrow) and writes {key: {"articleBody": body}} for
      every page, body being the article's text without its title line; a page
      without an article gets an empty body.

Only the standard library and pyarrow (as installed by .ci/run) are needed.
"""
import gzip
import json
import sys
import uuid
from pathlib import Path


def record(uri: str, block: bytes) -> bytes:
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: 2019-11-20T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block)}\r\n\r\n")
    return gzip.compress(head.encode() + block + b"\r\n\r\n", compresslevel=6)


def warc(pages: Path, out: Path):
    truth = json.loads((pages / "ground-truth.json").read_text(encoding="utf-8"))
    with out.open("wb") as f:
        for key, item in truth.items():
            body = gzip.decompress((pages / "html" / f"{key}.html.gz").read_bytes())
            http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            f.write(record(item["url"], http))
    print(f"{len(truth)} pages written to {out}", file=sys.stderr)


def predictions(pages: Path, run_out: Path, out: Path):
    import pyarrow.dataset as ds

    truth = json.loads((pages / "ground-truth.json").read_text(encoding="utf-8"))
    table = ds.dataset(str(run_out / "articles"), format="parquet",
                       partitioning="hive").to_table(columns=["url", "title", "text"])
    by_url = {}
    for url, title, text in zip(*(table.column(n).to_pylist() for n in ("url", "title", "text"))):
        if title and text.startswith(title):
            text = text[len(title):].lstrip("\n")
        by_url[url] = text
    result = {key: {"articleBody": by_url.get(item["url"], "")} for key, item in truth.items()}
    missing = sum(1 for v in result.values() if not v["articleBody"])
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    print(f"{len(result) - missing} of {len(result)} pages have a body", file=sys.stderr)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "warc":
        warc(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "predictions":
        predictions(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
