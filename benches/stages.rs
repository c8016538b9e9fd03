//! Per-stage throughput on the bundled corpora (criterion). The whole-pipeline figure
//! (MB/s and peak RSS on a 200 MB corpus) comes from `benches/throughput.sh`.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsframe::ingest::{read_input, resolve_inputs, Payload, RawArticle, ReadLimits};
use newsframe::lexicon::LexiconSet;
use newsframe::prepare::Preparer;

fn corpus() -> Vec<RawArticle> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora").to_string();
    let (inputs, _) = resolve_inputs(&[dir]).unwrap();
    let mut out = Vec::new();
    for input in &inputs {
        read_input(
            input,
            &ReadLimits::default(),
            &Arc::new(AtomicU64::new(0)),
            &mut |r| {
                if let Payload::Article(a) = r.payload {
                    out.push(a);
                }
                true
            },
        );
    }
    out
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

criterion_group!(benches, prepare);
criterion_main!(benches);
