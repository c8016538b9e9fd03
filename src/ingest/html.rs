//! An HTML page to an article: main text without navigation, menus, footers, comment
//! sections and share widgets; title; published date. Parsing is html5ever's (via
//! `scraper`); this module only decides which parts of the tree are the article.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};

/// What a page yields. `text` is the body only (the prepare stage puts the title first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub title: Option<String>,
    pub text: String,
    pub published: Option<String>,
    /// `<html lang>`, passed on as a language hint.
    pub lang: Option<String>,
}

/// Elements that are never article text.
const SKIP_TAGS: &[&str] = &[
    "nav", "header", "footer", "aside", "form", "script", "style", "noscript", "template",
    "iframe", "button", "select", "svg", "figure", "h1",
];

/// Elements whose text is one paragraph of the article.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "td",
    "th",
];

/// Class or id words of page furniture: comment sections, share and social widgets,
/// menus, related links, newsletter and cookie boxes. Matched as whole words of the
/// attribute (split at `-`, `_`, spaces), so `article-body` is not `ad`.
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|[-_\s])(comments?|comment-list|disqus|share|sharing|sharethis|social|menu|nav|navbar|navigation|related|recommended|newsletter|subscribe|subscription|cookies?|consent|breadcrumbs?|promo|ads?|advert\w*|banner|sidebar|footer|widget|popular|most-read|tags|author-bio|pagination)([-_\s]|$)",
    )
    .expect("valid regex")
});

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

static OG_TITLE: LazyLock<Selector> = LazyLock::new(|| selector(r#"meta[property="og:title"]"#));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static PUBLISHED_META: LazyLock<Selector> = LazyLock::new(|| {
    selector(
        r#"meta[property="article:published_time"], meta[name="article:published_time"], meta[itemprop="datePublished"], meta[name="pubdate"], meta[name="date"]"#,
    )
});
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
static JSON_LD: LazyLock<Selector> =
    LazyLock::new(|| selector(r#"script[type="application/ld+json"]"#));
static ARTICLE: LazyLock<Selector> =
    LazyLock::new(|| selector(r#"article, [itemprop="articleBody"], main"#));
static PARAGRAPH: LazyLock<Selector> = LazyLock::new(|| selector("p"));
static HTML: LazyLock<Selector> = LazyLock::new(|| selector("html"));

/// Extracts the article parts of a decoded HTML page.
pub fn extract(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let root = doc.root_element();
    let title = first_content(&doc, &OG_TITLE)
        .or_else(|| first_text(&doc, &TITLE))
        .or_else(|| first_text(&doc, &H1));
    let published = first_content(&doc, &PUBLISHED_META)
        .or_else(|| {
            doc.select(&TIME)
                .find_map(|t| t.attr("datetime").map(str::trim).map(str::to_string))
        })
        .or_else(|| json_ld_date(&doc));
    let lang = doc
        .select(&HTML)
        .next()
        .and_then(|h| h.attr("lang"))
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| !l.is_empty());
    let container = main_container(&doc).unwrap_or(root);
    let mut paragraphs = Vec::new();
    collect(container, &mut paragraphs);
    Page {
        title,
        text: paragraphs.join("\n\n"),
        published,
        lang,
    }
}

/// The `<article>` (or `articleBody`, `<main>`) with the most text, else the element
/// whose direct `<p>` children hold the most text: where the story is.
fn main_container(doc: &Html) -> Option<ElementRef<'_>> {
    let candidates = doc
        .select(&ARTICLE)
        .filter(|e| !is_boilerplate(e))
        .map(|e| (text_len(e), e))
        .filter(|(n, _)| *n > 0);
    if let Some((_, best)) = candidates.max_by_key(|(n, _)| *n) {
        return Some(best);
    }
    let mut scores: Vec<(ElementRef, usize)> = Vec::new();
    for p in doc.select(&PARAGRAPH) {
        let Some(parent) = p.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        let n = text_len(p);
        match scores.iter_mut().find(|(e, _)| e.id() == parent.id()) {
            Some((_, score)) => *score += n,
            None => scores.push((parent, n)),
        }
    }
    scores
        .into_iter()
        .filter(|(e, _)| {
            !e.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| is_boilerplate(&a))
        })
        .max_by_key(|(_, n)| *n)
        .map(|(e, _)| e)
}

fn text_len(e: ElementRef) -> usize {
    let mut paragraphs = Vec::new();
    collect(e, &mut paragraphs);
    paragraphs.iter().map(|p| p.chars().count()).sum()
}

fn is_boilerplate(e: &ElementRef) -> bool {
    let el = e.value();
    if SKIP_TAGS.contains(&el.name()) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(
        el.attr("role"),
        Some("navigation" | "complementary" | "banner" | "contentinfo")
    ) {
        return true;
    }
    [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| BOILERPLATE.is_match(v))
}

/// Appends the paragraphs under `e`, skipping furniture and link lists.
fn collect(e: ElementRef, out: &mut Vec<String>) {
    let mut loose = String::new();
    for child in e.children() {
        match child.value() {
            Node::Text(t) => loose.push_str(t),
            Node::Element(_) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                if is_boilerplate(&child) {
                    continue;
                }
                let name = child.value().name();
                if name == "time" {
                    // A dateline between blocks; the date is taken from its attribute.
                    continue;
                }
                if BLOCK_TAGS.contains(&name) {
                    flush(&mut loose, out);
                    let (text, linked) = block_text(child);
                    let text = squash(&text);
                    // Mostly links: a list of headlines or tags, not prose.
                    if !text.is_empty() && linked * 2 <= text.len() {
                        out.push(text);
                    }
                } else if matches!(name, "a" | "span" | "b" | "i" | "em" | "strong" | "br") {
                    loose.push_str(&child.text().collect::<String>());
                    loose.push(' ');
                } else {
                    flush(&mut loose, out);
                    collect(child, out);
                }
            }
            _ => {}
        }
    }
    flush(&mut loose, out);
}

fn flush(loose: &mut String, out: &mut Vec<String>) {
    let text = squash(loose);
    if !text.is_empty() {
        out.push(text);
    }
    loose.clear();
}

/// A block's text (furniture inside it removed) and how many bytes of it are links.
fn block_text(e: ElementRef) -> (String, usize) {
    let mut text = String::new();
    let mut linked = 0;
    fn walk(e: ElementRef, in_link: bool, text: &mut String, linked: &mut usize) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => {
                    text.push_str(t);
                    if in_link {
                        *linked += t.trim().len();
                    }
                }
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        if !is_boilerplate(&c) {
                            let name = c.value().name();
                            if name == "br" {
                                text.push(' ');
                            }
                            walk(c, in_link || name == "a", text, linked);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    walk(e, false, &mut text, &mut linked);
    (text, linked)
}

/// Collapses runs of whitespace to one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn first_content(doc: &Html, sel: &Selector) -> Option<String> {
    doc.select(sel)
        .filter_map(|m| m.attr("content"))
        .map(squash)
        .find(|s| !s.is_empty())
}

fn first_text(doc: &Html, sel: &Selector) -> Option<String> {
    doc.select(sel)
        .map(|e| squash(&e.text().collect::<String>()))
        .find(|s| !s.is_empty())
}

/// `datePublished` from JSON-LD, at any depth (`@graph` lists, nested objects).
fn json_ld_date(doc: &Html) -> Option<String> {
    fn find(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(m) => m
                .get("datePublished")
                .and_then(|d| d.as_str())
                .map(str::to_string)
                .or_else(|| m.values().find_map(find)),
            serde_json::Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    doc.select(&JSON_LD).find_map(|s| {
        let json: serde_json::Value = serde_json::from_str(&s.text().collect::<String>()).ok()?;
        find(&json)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!doctype html><html lang="en"><head>
<title>Depot fire | Highland Wire</title>
<meta property="og:title" content="Fuel depot fire kills dozens">
<meta property="article:published_time" content="2023-09-25T21:30:00+04:00">
</head><body>
<header><a href="/">Highland Wire</a></header>
<nav class="main-menu"><ul><li><a href="/politics">Politics</a></li><li><a href="/world">World</a></li></ul></nav>
<article>
  <h1>Fuel depot fire kills dozens</h1>
  <div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
  <p>A fire at a fuel depot near the city killed at least 20 people on Monday evening.</p>
  <p>Hundreds were <a href="/x">injured</a>, officials said.</p>
  <ul class="tags"><li><a href="/t/fire">fire</a></li></ul>
</article>
<section id="comments"><p>Great article! Visit my site.</p></section>
<footer><p>© 2023 Highland Wire. All rights reserved.</p></footer>
</body></html>"##;

    #[test]
    fn article_text_without_menus_share_widgets_comments_and_footer() {
        let page = extract(PAGE);
        assert_eq!(page.title.as_deref(), Some("Fuel depot fire kills dozens"));
        assert_eq!(page.published.as_deref(), Some("2023-09-25T21:30:00+04:00"));
        assert_eq!(page.lang.as_deref(), Some("en"));
        assert_eq!(
            page.text,
            "A fire at a fuel depot near the city killed at least 20 people on Monday evening.\n\nHundreds were injured, officials said."
        );
    }

    #[test]
    fn without_article_element_the_paragraph_richest_container_wins_and_json_ld_dates() {
        let html = r#"<html><head><title>T</title>
<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2023-09-28"}]}</script>
</head><body><div class="sidebar"><p>Most read: a b c</p></div>
<div class="content"><p>First paragraph of the story is long enough.</p><p>Second one.</p></div>
<div class="comment-list"><p>me too</p><p>and me</p><p>and me again and again and again</p></div>
</body></html>"#;
        let page = extract(html);
        assert_eq!(page.title.as_deref(), Some("T"));
        assert_eq!(page.published.as_deref(), Some("2023-09-28"));
        assert_eq!(
            page.text,
            "First paragraph of the story is long enough.\n\nSecond one."
        );
    }

    #[test]
    fn time_element_and_h1_fallbacks() {
        let html = "<html><body><h1>Headline</h1><time datetime=\"2023-10-01T08:00:00Z\">1 Oct</time><p>Body.</p></body></html>";
        let page = extract(html);
        assert_eq!(page.title.as_deref(), Some("Headline"));
        assert_eq!(page.published.as_deref(), Some("2023-10-01T08:00:00Z"));
        assert_eq!(page.text, "Body.");
    }
}
