"""Writes a synthetic web crawl for WARC throughput measurements: each article of a
JSONL corpus (e.g. from `newsframe bench-corpus`) becomes an HTML page with a menu,
share widget, comment section and footer, as a request and a response record, plus
an image and a 404 every 20 pages; one gzip member per record, as crawlers write.
Usage: python3 benches/warc_corpus.py IN.jsonl OUT.warc.gz"""
import gzip
import html
import json
import sys
import uuid

FURNITURE_TOP = '<header><a href="/">Site</a></header><nav class="menu"><ul>' + "".join(
    f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(12)) + "</ul></nav>"
FURNITURE_BOTTOM = ('<div class="share-buttons"><a href="#">Share</a></div>'
                    '<section id="comments">' + "<p>A reader comment.</p>" * 5 + "</section>"
                    "<footer><p>All rights reserved.</p></footer>")


def record(kind, uri, block):
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: 2023-09-28T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype={kind}\r\nContent-Length: {len(block)}\r\n\r\n")
    return gzip.compress(head.encode() + block + b"\r\n\r\n", compresslevel=6)


def http(status, ctype, body):
    return f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "wb") as out:
    for n, line in enumerate(src):
        a = json.loads(line)
        text = a.get("text") or ""
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
        title = html.escape(a.get("title") or "")
        page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
                f'<meta property="og:title" content="{title}">'
                f'<meta property="article:published_time" content="2023-09-28T10:00:00Z"></head>'
                f"<body>{FURNITURE_TOP}<article><h1>{title}</h1>{paras}</article>{FURNITURE_BOTTOM}</body></html>")
        uri = f"https://news.example/2023/09/28/story-{n}"
        out.write(record("request", uri, f"GET /2023/09/28/story-{n} HTTP/1.1\r\n\r\n".encode()))
        out.write(record("response", uri, http("200 OK", "text/html; charset=utf-8", page.encode())))
        if n % 20 == 0:
            out.write(record("response", f"https://news.example/img/{n}.png", http("200 OK", "image/png", b"\x89PNG" + bytes(2000))))
            out.write(record("response", f"https://news.example/gone/{n}", http("404 Not Found", "text/html", b"<html>gone</html>")))
