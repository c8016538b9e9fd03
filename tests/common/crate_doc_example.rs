{
    use newsframe::extract::Extractors;
    use newsframe::ingest::RawArticle;
    use newsframe::lexicon::LexiconSet;
    use newsframe::prepare::Preparer;

    let lexicons = LexiconSet::bundled();
    let preparer = Preparer::new(&lexicons)?;
    let wanted = ["frames".to_string(), "figures".to_string()];
    let extractors = Extractors::load(&lexicons, Some(&wanted), None)?;
    let article = RawArticle {
        text: "More than 100,000 people have fled the region since the offensive \
               began, officials said on Sunday."
            .to_string(),
        ..RawArticle::default()
    };
    let doc = preparer
        .prepare(article, "example".into(), 0)
        .map_err(|reject| format!("{reject:?}"))?;
    assert_eq!(doc.lang, "en");
    let mentions = extractors.extract(&doc);
    assert!(mentions.figures().iter().any(|f| f.value == 100_000.0));
    Ok::<(), Box<dyn std::error::Error>>(())
}
