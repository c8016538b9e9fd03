//! WARC response record → article (criterion): HTTP parsing, charset decoding, HTML
//! parsing, main-text and metadata extraction, on two kinds of page:
//! - `synthetic`: the bundled articles as `benches/warc_corpus.py` writes them (about
//!   3 KB, with a menu, share widget, comments and footer), as in `warc_speed.sh`;
//! - `news`: the four real news pages of `tests/fixtures/extraction/` (60-120 KB).

use std::io::Read;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsframe::ingest::{read_articles, Payload, PendingRecord};

fn http(html: &[u8]) -> Vec<u8> {
    let mut block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        html.len()
    )
    .into_bytes();
    block.extend_from_slice(html);
    block
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The bundled articles as warc_corpus.py wraps them.
fn synthetic() -> Vec<(String, Vec<u8>)> {
    let top = format!(
        r#"<header><a href="/">Site</a></header><nav class="menu"><ul>{}</ul></nav>"#,
        (0..12)
            .map(|i| format!(r#"<li><a href="/s{i}">Section {i}</a></li>"#))
            .collect::<String>()
    );
    let bottom = format!(
        r##"<div class="share-buttons"><a href="#">Share</a></div><section id="comments">{}</section><footer><p>All rights reserved.</p></footer>"##,
        "<p>A reader comment.</p>".repeat(5)
    );
    let corpora = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora"));
    read_articles(corpora)
        .unwrap()
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let title = escape(a.title.as_deref().unwrap_or(""));
            let paras: String = a
                .text
                .split('\n')
                .filter(|p| !p.trim().is_empty())
                .map(|p| format!("<p>{}</p>", escape(p)))
                .collect();
            let page = format!(
                r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title><meta property="og:title" content="{title}"><meta property="article:published_time" content="2023-09-28T10:00:00Z"></head><body>{top}<article><h1>{title}</h1>{paras}</article>{bottom}</body></html>"#
            );
            (
                format!("https://news.example/2023/09/28/story-{n}"),
                http(page.as_bytes()),
            )
        })
        .collect()
}

fn news() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/extraction"
    ));
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ground-truth.json")).unwrap())
            .unwrap();
    truth
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, v)| {
            let mut html = Vec::new();
            flate2::read::GzDecoder::new(
                std::fs::File::open(dir.join(format!("{key}.html.gz"))).unwrap(),
            )
            .read_to_end(&mut html)
            .unwrap();
            (v["url"].as_str().unwrap().to_string(), http(&html))
        })
        .collect()
}

fn pages(c: &mut Criterion) {
    let mut group = c.benchmark_group("web_page");
    for (name, pages) in [("synthetic", synthetic()), ("news", news())] {
        group.throughput(Throughput::Elements(pages.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                pages
                    .iter()
                    .filter(|(url, block)| {
                        let record = PendingRecord {
                            warc_type: Some("response".to_string()),
                            url: Some(url.clone()),
                            record_id: None,
                            block: block.clone(),
                        };
                        matches!(record.resolve(), Payload::Article(_))
                    })
                    .count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, pages);
criterion_main!(benches);
