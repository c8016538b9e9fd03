//! Per-language matchers over lexicon forms: `lexicons/<lang>/<file>` rows of
//! `id, form[, extra]`, where `id` names a row of a shared table (frames, entities).

use std::collections::HashMap;
use std::sync::Arc;

use super::terms::{TermMatch, TermMatcher, TermMatcherBuilder, WordHits};
use super::LanguageData;
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::Document;

/// What a matched form stands for.
#[derive(Debug, Clone)]
pub struct FormRef {
    /// Index into the shared table the ids refer to.
    pub concept: usize,
    /// The form as written in the lexicon.
    pub form: Arc<str>,
    /// The optional third column (an entity name's perspective), `""` when absent.
    pub extra: Arc<str>,
}

pub struct FormMatchers {
    by_language: HashMap<&'static str, (TermMatcher, Vec<FormRef>)>,
}

impl FormMatchers {
    /// Loads `<lang>/<file>` for every language; `columns` are the file's header
    /// (id and form first), `shared` names the table `index` was built from.
    pub fn load(
        lexicons: &LexiconSet,
        languages: &[LanguageData],
        file: &str,
        columns: &[&str],
        index: &HashMap<String, usize>,
        shared: &str,
    ) -> Result<Self, LexiconError> {
        let mut by_language = HashMap::new();
        for data in languages {
            let language = &*data.language;
            let path = format!("{}/{file}", language.code());
            let mut builder = TermMatcherBuilder::new(language, data.suffixes.clone());
            let mut refs = Vec::new();
            for row in lexicons.tsv(&path, columns, 2)? {
                let Some(&concept) = index.get(row.get(0)) else {
                    return Err(row.error(format!("`{}` is not in {shared}", row.get(0))));
                };
                if !builder.add(row.get(1), refs.len()) {
                    return Err(row.error("form has no word"));
                }
                refs.push(FormRef {
                    concept,
                    form: Arc::from(row.get(1)),
                    extra: Arc::from(row.fields.get(2).copied().unwrap_or("")),
                });
            }
            by_language.insert(language.code(), (builder.build(), refs));
        }
        Ok(FormMatchers { by_language })
    }

    /// Matches in `doc` (none for languages without forms), with what each stands for;
    /// `hits` are the document's tokens scanned with the language's vocabulary.
    pub fn find<'a>(&'a self, doc: &Document, hits: &WordHits) -> Vec<(TermMatch, &'a FormRef)> {
        let Some((matcher, refs)) = self.by_language.get(doc.lang.as_str()) else {
            return Vec::new();
        };
        matcher
            .find_in(&doc.tokens, &doc.text, hits)
            .into_iter()
            .map(|m| (m, &refs[m.payload]))
            .collect()
    }
}

impl super::TermMatchers for FormMatchers {
    fn term_matchers(&mut self) -> Vec<(&'static str, &mut TermMatcher)> {
        self.by_language
            .iter_mut()
            .map(|(code, (matcher, _))| (*code, matcher))
            .collect()
    }
}

/// Maps ids of a shared table to their row index, rejecting malformed or repeated ids.
pub fn id_index<'a>(
    rows: impl Iterator<Item = &'a crate::lexicon::TsvRow<'a>>,
) -> Result<HashMap<String, usize>, LexiconError> {
    let mut index = HashMap::new();
    for (i, row) in rows.enumerate() {
        let id = row.get(0);
        if !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(row.error(format!("id `{id}` must be snake_case ASCII")));
        }
        if index.insert(id.to_string(), i).is_some() {
            return Err(row.error(format!("id `{id}` is defined twice")));
        }
    }
    Ok(index)
}
