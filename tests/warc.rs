//! End-to-end tests of WARC input: HTML pages in English, Armenian and Azerbaijani (and
//! one Russian page in windows-1251), with menus, share widgets, comment sections and
//! footers to strip, written into `.warc` and record-at-a-time `.warc.gz` files with the
//! `warc` crate, next to records that must be skipped (a robots.txt, a 404, an image,
//! a request, a home page, a tag listing).

mod common;

use std::path::Path;

use common::*;
use warc::RecordType;

const FURNITURE_TOP: &str = r#"<header class="site-header"><a href="/">Logo</a></header>
<nav class="main-menu"><ul><li><a href="/politics">Politics</a></li><li><a href="/economy">Economy</a></li><li><a href="/sport">Sport</a></li></ul></nav>"#;
const FURNITURE_BOTTOM: &str = r##"<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
<section id="comments"><h3>Comments</h3><div class="comment"><p>Great article, visit my blog for more news!</p></div></section>
<aside class="related"><ul><li><a href="/1">Related story one</a></li></ul></aside>
<footer><p>Copyright 2023. All rights reserved.</p></footer>"##;

fn en_page() -> Vec<u8> {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Depot blast | Highland Wire</title>
<meta property="og:title" content="Fuel depot blast near Stepanakert kills dozens">
<meta property="article:published_time" content="2023-09-25T21:30:00+04:00">
</head><body>{FURNITURE_TOP}
<article><h1>Fuel depot blast near Stepanakert kills dozens</h1>
<p>A blast at a fuel depot near Stepanakert killed at least 20 people on Monday evening, as thousands of families queued for petrol to leave the region.</p>
<p>Hundreds of people were injured, the local health ministry said, and hospitals were struggling to cope with the number of burns victims.</p>
<p>Officials said the cause of the explosion was still being investigated.</p>
</article>{FURNITURE_BOTTOM}</body></html>"#
    )
    .into_bytes()
}

fn hy_page() -> Vec<u8> {
    format!(
        r#"<!DOCTYPE html><html lang="hy"><head><meta charset="utf-8">
<title>Ստեփանակերտից տարհանումը շարունակվում է</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2023-09-28T09:00:00+04:00"}}</script>
</head><body>{FURNITURE_TOP}
<div class="content"><div class="article-body">
<p>Լեռնային Ղարաբաղից Հայաստան է տեղափոխվել ավելի քան հիսուն հազար մարդ, հայտնել է կառավարությունը հինգշաբթի օրը։</p>
<p>Գորիսում փախստականների համար բացվել են ժամանակավոր կացարաններ, և կամավորները բաժանում են սնունդ ու դեղորայք։</p>
<p>Միջազգային կազմակերպությունները կոչ են արել ապահովել մարդասիրական օգնության անարգել մուտքը տարածաշրջան։</p>
</div></div>{FURNITURE_BOTTOM}</body></html>"#
    )
    .into_bytes()
}

fn az_page() -> Vec<u8> {
    format!(
        r#"<!DOCTYPE html><html lang="az"><head><meta charset="utf-8">
<meta property="og:title" content="Xankəndidə antiterror tədbirləri başa çatıb">
</head><body>{FURNITURE_TOP}
<article><time datetime="2023-09-20T18:00:00+04:00">20 sentyabr</time>
<p>Azərbaycan Müdafiə Nazirliyi Qarabağ iqtisadi rayonunda lokal xarakterli antiterror tədbirlərinin başa çatdığını bəyan edib.</p>
<p>Nazirliyin məlumatına görə, qanunsuz silahlı birləşmələr silahlarını təhvil verməyə başlayıb və mövqelərini tərk edir.</p>
<p>Rəsmi Bakı bölgədə yaşayan ermənilərin reinteqrasiyası üçün təkliflər hazırlandığını açıqlayıb.</p>
</article>{FURNITURE_BOTTOM}</body></html>"#
    )
    .into_bytes()
}

/// Azerbaijani without ə (not in ISO-8859-9), as older sites wrote it, declared only in
/// a `<meta http-equiv>`.
fn az_latin5_page() -> Vec<u8> {
    let html = format!(
        r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-9">
<title>Bakıda yeni qaz kəməri xəttinin açılışı</title>
<meta name="article:published_time" content="2023-09-29T10:00:00+04:00">
</head><body>{FURNITURE_TOP}
<article>
<p>Bakıda yeni qaz xəttinin açılış mərasimi keçirilib, bu barədə Energetika Nazirliyi xəbər verib. Layihə çərçivəsində qırx kilometrlik boru xətti çəkilib.</p>
<p>Nazir bildirib ki, xətt şəhərin şimal qəsəbələrini təbii qazla təmin edəcək və qış mövsümünə qədər tam istismara veriləcək.</p>
</article>{FURNITURE_BOTTOM}</body></html>"#
    )
    .replace('ə', "e")
    .replace('Ə', "E");
    encoding_rs::WINDOWS_1254.encode(&html).0.into_owned()
}

/// Russian in windows-1251, declared only in the HTTP header.
fn ru_page() -> Vec<u8> {
    let html = format!(
        r#"<html><head><title>В Баку прошли переговоры</title></head><body>{FURNITURE_TOP}
<article><p>В Баку в пятницу прошли переговоры представителей правительства и местных жителей, сообщило государственное агентство.</p>
<p>Стороны обсудили вопросы безопасности, восстановления инфраструктуры и возвращения беженцев в свои дома до наступления зимы.</p></article>
{FURNITURE_BOTTOM}</body></html>"#
    );
    encoding_rs::WINDOWS_1251.encode(&html).0.into_owned()
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut msg = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    msg.extend_from_slice(body);
    msg
}

fn record(kind: RecordType, uri: &str, block: Vec<u8>) -> Vec<u8> {
    warc_record(kind, uri, block)
}

/// The crawl's records, each serialised on its own.
fn records() -> Vec<Vec<u8>> {
    vec![
        record(RecordType::WarcInfo, "", b"software: test\r\n".to_vec()),
        record(
            RecordType::Request,
            "https://highland-wire.example/robots.txt",
            b"GET /robots.txt HTTP/1.1\r\n\r\n".to_vec(),
        ),
        record(
            RecordType::Response,
            "https://highland-wire.example/robots.txt",
            http("200 OK", "text/plain", b"User-agent: *\nDisallow:\n"),
        ),
        record(
            RecordType::Response,
            "https://www.highland-wire.example/2023/09/25/depot-blast",
            http("200 OK", "text/html; charset=utf-8", &en_page()),
        ),
        record(
            RecordType::Response,
            "https://highland-wire.example/missing",
            http(
                "404 Not Found",
                "text/html",
                b"<html><body>Not found</body></html>",
            ),
        ),
        record(
            RecordType::Response,
            "https://highland-wire.example/logo.png",
            http("200 OK", "image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ),
        record(
            RecordType::Response,
            "https://lratu.example/hy/2023/09/28/evacuation",
            http("200 OK", "text/html", &hy_page()),
        ),
        record(
            RecordType::Response,
            "https://lratu.example/",
            http("200 OK", "text/html", &en_page()),
        ),
        record(
            RecordType::Response,
            "https://murovdag.example/az/xeber/antiterror",
            http("200 OK", "text/html; charset=UTF-8", &az_page()),
        ),
        record(
            RecordType::Response,
            "https://murovdag.example/tag/energetika",
            http("200 OK", "text/html", &az_page()),
        ),
        record(
            RecordType::Response,
            "https://kohne-xeber.example/2023/09/29/qaz",
            http("200 OK", "text/html", &az_latin5_page()),
        ),
        record(
            RecordType::Response,
            "https://vesti.example/news/baku-talks",
            http("200 OK", "text/html; charset=windows-1251", &ru_page()),
        ),
    ]
}

fn run_ok(input: &Path, out: &Path) -> serde_json::Value {
    let output = run(&[input.to_str().unwrap()], out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    manifest(out)
}

#[test]
fn warc_pages_in_three_languages_become_articles_without_boilerplate() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("crawl-00001.warc");
    std::fs::write(&input, records().concat()).unwrap();
    let out = dir.path().join("out");
    let m = run_ok(&input, &out);

    let skipped = &m["counts"]["skipped_records"];
    assert_eq!(skipped["not_response"], 2, "{skipped}");
    assert_eq!(skipped["status"], 1);
    assert_eq!(skipped["not_html"], 2);
    assert_eq!(skipped["not_article"], 2);
    assert_eq!(m["counts"]["rejects"], 0);

    let articles = table(&out, "articles");
    assert_eq!(articles.height(), 5);
    let col = |c: &str| strings(&articles, c);
    let (langs, titles, texts, sources, urls) = (
        col("lang"),
        col("title"),
        col("text"),
        col("source"),
        col("url"),
    );
    let lang_list: Vec<&str> = langs.iter().map(|l| l.as_deref().unwrap()).collect();
    assert_eq!(lang_list, ["en", "hy", "az", "az", "ru"]);
    assert_eq!(
        titles[0].as_deref(),
        Some("Fuel depot blast near Stepanakert kills dozens")
    );
    assert_eq!(
        titles[1].as_deref(),
        Some("Ստեփանակերտից տարհանումը շարունակվում է")
    );
    assert_eq!(
        titles[2].as_deref(),
        Some("Xankəndidə antiterror tədbirləri başa çatıb")
    );
    assert_eq!(titles[4].as_deref(), Some("В Баку прошли переговоры"));
    assert_eq!(sources[0].as_deref(), Some("highland-wire.example"));
    assert_eq!(
        urls[1].as_deref(),
        Some("https://lratu.example/hy/2023/09/28/evacuation")
    );
    for text in &texts {
        let text = text.as_deref().unwrap();
        for furniture in [
            "Politics",
            "Share on",
            "Great article",
            "All rights reserved",
            "Related story",
            "Logo",
            "20 sentyabr",
        ] {
            assert!(!text.contains(furniture), "{furniture} in {text}");
        }
    }
    assert!(texts[0]
        .as_deref()
        .unwrap()
        .contains("killed at least 20 people"));
    assert!(texts[3]
        .as_deref()
        .unwrap()
        .contains("Bakıda yeni qaz xəttinin".replace('ə', "e").as_str()));
    assert!(texts[3]
        .as_deref()
        .unwrap()
        .contains("qış mövsümünə".replace('ə', "e").as_str()));
    assert!(texts[4].as_deref().unwrap().contains("беженцев"));
    // Every page's date was found: og/meta, JSON-LD, <time>, meta name.
    let published = articles.column("published").unwrap();
    assert_eq!(
        published.null_count(),
        1,
        "only the Russian page has no date"
    );
    assert!(published.get(4).unwrap().is_null());
    // The record index in the file, and the record id as article id.
    let records: Vec<u64> = articles
        .column("input_record")
        .unwrap()
        .u64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(records, [3, 6, 8, 10, 11]);
    assert!(col("article_id")
        .iter()
        .all(|id| id.as_deref().unwrap().len() == 36));
}

#[test]
fn record_at_a_time_gzip_reads_like_plain_warc_and_a_cut_file_keeps_what_came_before() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("a/crawl.warc");
    std::fs::create_dir_all(plain.parent().unwrap()).unwrap();
    std::fs::write(&plain, records().concat()).unwrap();
    let gz = dir.path().join("b/crawl.warc.gz");
    std::fs::create_dir_all(gz.parent().unwrap()).unwrap();
    let members: Vec<Vec<u8>> = records().iter().map(|r| gzip(r)).collect();
    std::fs::write(&gz, members.concat()).unwrap();
    run_ok(&plain, &dir.path().join("o1"));
    run_ok(&gz, &dir.path().join("o2"));
    let texts = |o: &str| strings(&table(&dir.path().join(o), "articles"), "text");
    assert_eq!(texts("o1"), texts("o2"));

    // Cut in the middle of the Armenian page's member: the English article survives.
    let mut cut = members[..6].concat();
    cut.extend_from_slice(&members[6][..members[6].len() / 2]);
    let truncated = dir.path().join("c/cut.warc.gz");
    std::fs::create_dir_all(truncated.parent().unwrap()).unwrap();
    std::fs::write(&truncated, cut).unwrap();
    let m = run_ok(&truncated, &dir.path().join("o3"));
    assert_eq!(m["counts"]["articles"], 1);
    assert_eq!(m["counts"]["rejects_by_reason"]["truncated_input"], 1);
}

#[test]
fn folders_of_warc_files_are_walked_and_rerun_skips_them() {
    let dir = tempfile::tempdir().unwrap();
    let crawl = dir.path().join("crawl");
    std::fs::create_dir_all(&crawl).unwrap();
    let recs = records();
    std::fs::write(
        crawl.join("part-1.warc.gz"),
        recs[..6]
            .iter()
            .map(|r| gzip(r))
            .collect::<Vec<_>>()
            .concat(),
    )
    .unwrap();
    std::fs::write(crawl.join("part-2.warc"), recs[6..].concat()).unwrap();
    let out = dir.path().join("out");
    let m = run_ok(&crawl, &out);
    assert_eq!(m["counts"]["articles"], 5);
    let again = run_ok(&crawl, &out);
    assert_eq!(again["counts"]["articles"], 0);
    assert_eq!(again["skipped_inputs"].as_array().unwrap().len(), 2);
}
