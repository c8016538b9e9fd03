//! A synthetic corpus for throughput runs: articles rebuilt from the paragraphs of the
//! bundled corpora in a fixed pseudo-random order, so every machine measures the same
//! bytes.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Context};
use serde_json::json;
use xxhash_rust::xxh3::xxh3_64;

use crate::ingest::read_articles;

/// Writes about `mb` megabytes of JSONL to `out`; returns the bytes written.
pub fn write(corpora: &Path, out: &Path, mb: usize) -> anyhow::Result<u64> {
    let articles = read_articles(corpora)?;
    if articles.is_empty() {
        bail!("no articles found in {}", corpora.display());
    }
    let target = mb as u64 * 1_000_000;
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut w = BufWriter::new(file);
    let mut written = 0u64;
    let mut n = 0u64;
    while written < target {
        let base = &articles[(n as usize) % articles.len()];
        // Paragraphs of the base article in a shuffled order, so texts differ.
        // The last paragraph stays last: it may be a scraped trailer.
        let mut paragraphs: Vec<&str> = base.text.split("\n\n").collect();
        let last = paragraphs.len() - 1;
        paragraphs[..last].sort_by_key(|p| xxh3_64(format!("{n}{p}").as_bytes()));
        let line = json!({
            "id": format!("bench-{n:08}"),
            "title": base.title,
            "text": paragraphs.join("\n\n"),
            "url": base.url.as_ref().map(|u| format!("{u}?v={n}")),
            "source": base.source,
            "published": base.published,
        })
        .to_string();
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
        written += line.len() as u64 + 1;
        n += 1;
    }
    w.flush()?;
    Ok(written)
}
