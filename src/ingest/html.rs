//! An HTML page to an article. The main text is found by `dom_smoothie`, a Rust port of
//! Mozilla's Readability.js (the reader view of Firefox), after three kinds of page
//! furniture are removed that it would keep: figures with their captions, small or
//! link-heavy boxes whose class or id names a share widget, comment section, tag list
//! and the like, and datelines (`<time>` outside a paragraph). The title and published
//! date come from the page's metadata. Parsing is html5ever's, through `dom_query`,
//! once per page.

use std::sync::LazyLock;

use dom_query::{Document, Matcher, NodeRef, Selection};
use dom_smoothie::{Config, Readability, TextMode};
use regex::Regex;

/// The crate that finds the main text, with its version, for the run manifest.
pub const EXTRACTOR: &str = concat!("dom_smoothie ", env!("NEWSFRAME_DOM_SMOOTHIE_VERSION"));

/// What a page yields. `text` is the body only (the prepare stage puts the title first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub title: Option<String>,
    pub text: String,
    pub published: Option<String>,
    /// `<html lang>`, passed on as a language hint.
    pub lang: Option<String>,
}

fn matcher(s: &str) -> Matcher {
    Matcher::new(s).expect("valid selector")
}

static OG_TITLE: LazyLock<Matcher> = LazyLock::new(|| matcher(r#"meta[property="og:title"]"#));
static TITLE: LazyLock<Matcher> = LazyLock::new(|| matcher("title"));
static H1: LazyLock<Matcher> = LazyLock::new(|| matcher("h1"));
static PUBLISHED_META: LazyLock<Matcher> = LazyLock::new(|| {
    matcher(
        r#"meta[property="article:published_time"], meta[name="article:published_time"], meta[itemprop="datePublished"], meta[name="pubdate"], meta[name="date"]"#,
    )
});
static TIME: LazyLock<Matcher> = LazyLock::new(|| matcher("time[datetime]"));
static JSON_LD: LazyLock<Matcher> =
    LazyLock::new(|| matcher(r#"script[type="application/ld+json"]"#));
static HTML: LazyLock<Matcher> = LazyLock::new(|| matcher("html"));
/// Not article text: pictures and their captions (credits, alt text).
static FIGURES: LazyLock<Matcher> = LazyLock::new(|| matcher("figure, figcaption, picture"));
static NAMED: LazyLock<Matcher> = LazyLock::new(|| matcher("[class], [id]"));
static TIMES: LazyLock<Matcher> = LazyLock::new(|| matcher("time"));
static LINKS: LazyLock<Matcher> = LazyLock::new(|| matcher("a"));

/// Class or id words of page furniture: comment sections, share and social widgets,
/// menus, related links, newsletter and cookie boxes. Matched as whole words of the
/// attribute (split at `-`, `_`, spaces), so `article-body` is not `ad`.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|[-_\s])(comments?|comment-list|disqus|share|sharing|sharethis|social|menu|nav|navbar|navigation|related|recommended|newsletter|subscribe|subscription|cookies?|consent|breadcrumbs?|promo|ads?|advert\w*|banner|sidebar|footer|widget|popular|most-read|tags|author-bio|pagination)([-_\s]|$)",
    )
    .expect("valid regex")
});

/// A box named like furniture is removed only when it holds fewer letters than this,
/// or mostly links: a big container may carry such a class next to the article (on
/// the benchmark pages, removing every named box costs 0.05 F1).
const FURNITURE_MAX_CHARS: usize = 200;

/// Extracts the article parts of a decoded HTML page; `url` (absolute) helps the
/// extractor resolve links and is otherwise optional.
pub fn extract(html: &str, url: Option<&str>) -> Page {
    let doc = Document::from(html);
    let title = first_content(&doc, &OG_TITLE)
        .or_else(|| first_text(&doc, &TITLE))
        .or_else(|| first_text(&doc, &H1));
    let published = first_content(&doc, &PUBLISHED_META)
        .or_else(|| {
            doc.select_matcher(&TIME)
                .nodes()
                .iter()
                .find_map(|t| t.attr("datetime").map(|d| d.trim().to_string()))
                .filter(|d| !d.is_empty())
        })
        .or_else(|| json_ld_date(&doc));
    let lang = doc
        .select_matcher(&HTML)
        .attr("lang")
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| !l.is_empty());
    doc.select_matcher(&FIGURES).remove();
    remove_furniture(&doc);
    let mut text = main_text(doc, url);
    // A headline repeated as the first paragraph: the title line already says it.
    if let Some(title) = &title {
        let first = text.split("\n\n").next().unwrap_or("");
        if !first.is_empty() && first.to_lowercase() == title.to_lowercase() {
            text = text[first.len()..].trim_start().to_string();
        }
    }
    Page {
        title,
        text,
        published,
        lang,
    }
}

/// Removes small or link-heavy boxes named like furniture, and datelines.
fn remove_furniture(doc: &Document) {
    let mut doomed: Vec<NodeRef> = Vec::new();
    for node in doc.select_matcher(&NAMED).nodes() {
        if node
            .node_name()
            .is_some_and(|n| matches!(&*n, "html" | "body" | "article" | "main"))
        {
            continue;
        }
        let named = [node.attr("class"), node.attr("id")]
            .into_iter()
            .flatten()
            .any(|v| FURNITURE.is_match(&v));
        if named && small_or_links(node) {
            doomed.push(*node);
        }
    }
    for time in doc.select_matcher(&TIMES).nodes() {
        let in_text = time.ancestors_it(None).any(|a| {
            a.node_name()
                .is_some_and(|n| matches!(&*n, "p" | "li" | "td" | "dd" | "blockquote"))
        });
        if !in_text {
            doomed.push(*time);
        }
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

fn small_or_links(node: &NodeRef) -> bool {
    let letters = |text: &str| text.chars().filter(|c| !c.is_whitespace()).count();
    let all = letters(&node.text());
    if all < FURNITURE_MAX_CHARS {
        return true;
    }
    let linked: usize = Selection::from(*node)
        .select_matcher(&LINKS)
        .nodes()
        .iter()
        .map(|a| letters(&a.text()))
        .sum();
    linked * 2 >= all
}

/// The article's paragraphs, one per line pair, as dom_smoothie finds them; empty when
/// it finds none.
fn main_text(doc: Document, url: Option<&str>) -> String {
    let config = Config {
        text_mode: TextMode::Formatted,
        // The date is read from JSON-LD above; dom_smoothie takes the title from the
        // page's meta tags and <title> to drop a repeated headline.
        disable_json_ld: true,
        ..Config::default()
    };
    // dom_smoothie rejects a URL without a scheme; it only needs one to resolve links.
    let url = url.filter(|u| {
        u.split_once("://")
            .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && !rest.is_empty())
    });
    match Readability::with_document(doc, url, Some(config)).map(|mut r| r.parse()) {
        Ok(Ok(article)) => paragraphs(&article.text_content),
        _ => String::new(),
    }
}

/// dom_smoothie's formatted text (one space between words, a blank line after each
/// block, a line break after `br` and `li`) as paragraphs separated by blank lines.
fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(line);
    }
    out
}

/// Collapses runs of whitespace to one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn first_content(doc: &Document, m: &Matcher) -> Option<String> {
    doc.select_matcher(m)
        .nodes()
        .iter()
        .filter_map(|n| n.attr("content"))
        .map(|c| squash(&c))
        .find(|s| !s.is_empty())
}

fn first_text(doc: &Document, m: &Matcher) -> Option<String> {
    doc.select_matcher(m)
        .nodes()
        .iter()
        .map(|n| squash(&n.text()))
        .find(|s| !s.is_empty())
}

/// `datePublished` from JSON-LD, at any depth (`@graph` lists, nested objects).
fn json_ld_date(doc: &Document) -> Option<String> {
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
    doc.select_matcher(&JSON_LD).nodes().iter().find_map(|s| {
        let json: serde_json::Value = serde_json::from_str(&s.text()).ok()?;
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
        let page = extract(PAGE, None);
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
        let page = extract(html, None);
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
        let page = extract(html, None);
        assert_eq!(page.title.as_deref(), Some("Headline"));
        assert_eq!(page.published.as_deref(), Some("2023-10-01T08:00:00Z"));
        assert_eq!(page.text, "Body.");
    }
}
