//! Main-text extraction through `newsframe run` on real news pages: four pages of the
//! article-extraction benchmark (MIT, `tests/fixtures/extraction/`) with comment
//! sections, share and like widgets, author boxes and related links, wrapped as WARC response
//! records, scored like the benchmark's evaluate.py (4-word shingles); and the same
//! pages under listing URLs, which are skipped.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use common::*;
use regex::Regex;
use warc::RecordType;

fn fixtures() -> std::path::PathBuf {
    repo().join("tests/fixtures/extraction")
}

/// `key` → (`url`, `articleBody`) of the fixture pages.
fn ground_truth() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(fixtures().join("ground-truth.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut pages: Vec<(String, String, String)> = json
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v["url"].as_str().unwrap().to_string(),
                v["articleBody"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pages.sort();
    pages
}

fn page(key: &str) -> Vec<u8> {
    let file = std::fs::File::open(fixtures().join(format!("{key}.html.gz"))).unwrap();
    let mut html = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut html)
        .unwrap();
    html
}

fn response(uri: &str, html: &[u8]) -> Vec<u8> {
    let mut block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
        html.len()
    )
    .into_bytes();
    block.extend_from_slice(html);
    warc_record(RecordType::Response, uri, block)
}

/// 4-word shingles of `\w+` tokens with their counts, as evaluate.py makes them.
fn shingles(text: &str) -> HashMap<Vec<&str>, i64> {
    let word = Regex::new(r"\w+").unwrap();
    let tokens: Vec<&str> = word.find_iter(text).map(|m| m.as_str()).collect();
    let mut counts = HashMap::new();
    for n in 0..tokens.len().saturating_sub(3).max(1) {
        let shingle = tokens[n.min(tokens.len())..(n + 4).min(tokens.len())].to_vec();
        if !shingle.is_empty() {
            *counts.entry(shingle).or_default() += 1;
        }
    }
    counts
}

/// evaluate.py's score of one page: F1 over the shingles.
fn shingle_f1(truth: &str, predicted: &str) -> f64 {
    let (t, p) = (shingles(truth), shingles(predicted));
    let tp: i64 = p.iter().map(|(k, &n)| n.min(*t.get(k).unwrap_or(&0))).sum();
    if tp == 0 {
        return 0.0;
    }
    let (pn, tn): (i64, i64) = (p.values().sum(), t.values().sum());
    let (precision, recall) = (tp as f64 / pn as f64, tp as f64 / tn as f64);
    2.0 * precision * recall / (precision + recall)
}

/// Runs the WARC and returns `url` → body (the text without its title line).
fn bodies(warc: &[u8], out: &Path) -> (HashMap<String, String>, serde_json::Value) {
    let input = out.with_extension("warc");
    std::fs::write(&input, warc).unwrap();
    let output = run(&[input.to_str().unwrap(), "--extract", "frames"], out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let articles = table(out, "articles");
    let bodies = strings(&articles, "url")
        .into_iter()
        .zip(strings(&articles, "title"))
        .zip(strings(&articles, "text"))
        .map(|((url, title), text)| {
            let (title, text) = (title.unwrap(), text.unwrap());
            let body = text
                .strip_prefix(title.as_str())
                .filter(|_| !title.is_empty())
                .map_or(text.as_str(), |b| b.trim_start_matches('\n'));
            (url.unwrap(), body.to_string())
        })
        .collect();
    (bodies, manifest(out))
}

#[test]
fn news_pages_lose_comments_share_widgets_and_related_links() {
    let pages = ground_truth();
    let warc: Vec<u8> = pages
        .iter()
        .flat_map(|(key, url, _)| response(url, &page(key)))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (bodies, _) = bodies(&warc, &dir.path().join("out"));
    assert_eq!(bodies.len(), pages.len(), "every page has an article");
    for (key, url, truth) in &pages {
        let body = &bodies[url];
        let f1 = shingle_f1(truth, body);
        assert!(f1 >= 0.9, "{key}: F1 {f1:.3}\n{body}");
    }
    let all: String = bodies.values().cloned().collect::<Vec<_>>().join("\n");
    for furniture in [
        // Jetpack share and like boxes, the comment form.
        "Share this:",
        "Like this:",
        "Share your thoughts",
        // Readers' comments.
        "It‘s good to see Apple",
        "Top Rated Comments",
        "Rating: 36 Votes",
        // The author box under the article.
        "About the Author",
    ] {
        assert!(!all.contains(furniture), "{furniture} in a body");
    }
}

#[test]
fn the_same_pages_under_listing_urls_are_skipped() {
    let (key, _, _) = &ground_truth()[1];
    let html = page(key);
    let warc: Vec<u8> = [
        "https://www.macrumors.com/",
        "https://www.macrumors.com/tag/macbook-pro/",
        "https://www.macrumors.com/category/news/page/2/",
        "https://www.macrumors.com/author/joe/",
        "https://www.macrumors.com/2019/11/18/13-inch-macbook-pro-scissor-keyboard-2020/",
    ]
    .iter()
    .flat_map(|url| response(url, &html))
    .collect();
    let dir = tempfile::tempdir().unwrap();
    let (bodies, manifest) = bodies(&warc, &dir.path().join("out"));
    assert_eq!(manifest["counts"]["skipped_records"]["not_article"], 4);
    assert_eq!(bodies.len(), 1);
    assert!(bodies.contains_key(
        "https://www.macrumors.com/2019/11/18/13-inch-macbook-pro-scissor-keyboard-2020/"
    ));
}
