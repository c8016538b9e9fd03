//! Per-stage throughput on the bundled corpora (criterion). The whole-pipeline figure
//! (MB/s and peak RSS on a 200 MB corpus) comes from `benches/throughput.sh`.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsframe::extract::ner::Taggers;
use newsframe::extract::{Extractors, LanguageData};
use newsframe::ingest::{read_articles, RawArticle};
use newsframe::lexicon::LexiconSet;
use newsframe::prepare::Preparer;

fn corpus() -> Vec<RawArticle> {
    read_articles(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpora"
    )))
    .unwrap()
}

fn prepare(c: &mut Criterion) {
    let articles = corpus();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let preparer = Preparer::new(&LexiconSet::bundled()).unwrap();
    let name: Arc<str> = Arc::from("bench");
    let mut group = c.benchmark_group("prepare");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("corpora", |b| {
        b.iter(|| {
            for a in &articles {
                let _ = preparer.prepare(a.clone(), Arc::clone(&name), 0);
            }
        })
    });
    group.finish();
}

/// Frame matching with its context rules (cues, quotes, speakers) on prepared
/// documents: no I/O, no preparation.
fn extract_frames(c: &mut Criterion) {
    let lexicons = LexiconSet::bundled();
    let preparer = Preparer::new(&lexicons).unwrap();
    let extractors = Extractors::load(&lexicons, Some(&["frames".to_string()]), None).unwrap();
    let name: Arc<str> = Arc::from("bench");
    let docs: Vec<_> = corpus()
        .into_iter()
        .filter_map(|a| preparer.prepare(a, Arc::clone(&name), 0).ok())
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("frames", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| extractors.extract(d).frames().len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// The NER labeller alone (features, gazetteer lookups, Viterbi) on prepared
/// documents, per language, in tokens per second.
fn ner_tagging(c: &mut Criterion) {
    let lexicons = LexiconSet::bundled();
    let preparer = Preparer::new(&lexicons).unwrap();
    let languages = LanguageData::load_all(&lexicons).unwrap();
    let taggers = Taggers::load(None, &lexicons, &languages).unwrap();
    let name: Arc<str> = Arc::from("bench");
    let docs: Vec<_> = corpus()
        .into_iter()
        .filter_map(|a| preparer.prepare(a, Arc::clone(&name), 0).ok())
        .collect();
    let mut group = c.benchmark_group("ner");
    for lang in ["en", "hy", "az"] {
        let of_lang: Vec<_> = docs.iter().filter(|d| d.lang == lang).collect();
        let tokens: usize = of_lang.iter().map(|d| d.tokens.len()).sum();
        let tagger = taggers.get(lang).unwrap();
        group.throughput(Throughput::Elements(tokens as u64));
        group.bench_function(lang, |b| {
            b.iter(|| {
                of_lang
                    .iter()
                    .map(|d| tagger.tag(&d.text, &d.tokens, None).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, prepare, extract_frames, ner_tagging);
criterion_main!(benches);
