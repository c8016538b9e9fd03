//! The duplicate index: for each article text seen, the id of the first article with
//! that text. It is the one part of a run's memory that grows with the dataset (it is
//! seeded with every committed article), so it is kept compact: a 16-byte hash and a
//! 4-byte slot per text, and the ids side by side in one string.

use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct DuplicateIndex {
    /// Content hash (as two words, so entries are not padded to 16-byte alignment)
    /// → slot of the first article's id.
    first: HashMap<[u64; 2], u32>,
    /// The ids, one after another; slot `i` ends at `ends[i]`.
    ids: String,
    ends: Vec<usize>,
}

fn key(hash: u128) -> [u64; 2] {
    [(hash >> 64) as u64, hash as u64]
}

impl DuplicateIndex {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn id(&self, slot: u32) -> &str {
        let slot = slot as usize;
        let start = if slot == 0 { 0 } else { self.ends[slot - 1] };
        &self.ids[start..self.ends[slot]]
    }

    /// The id of the first article with text `hash`; when there is none yet, `id`
    /// becomes it and the answer is `None`.
    pub fn first_or_insert(&mut self, hash: u128, id: &str) -> Option<&str> {
        match self.first.get(&key(hash)) {
            Some(&slot) => Some(self.id(slot)),
            None => {
                // More than 4 billion texts would not fit a slot; past that, texts are
                // not remembered (never wrongly reported as duplicates).
                let slot = u32::try_from(self.ends.len()).ok()?;
                self.ids.push_str(id);
                self.ends.push(self.ids.len());
                self.first.insert(key(hash), slot);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_id_of_each_text_is_kept() {
        let mut index = DuplicateIndex::default();
        assert_eq!(index.first_or_insert(1, "a"), None);
        assert_eq!(index.first_or_insert(u128::MAX, "ü-long-id"), None);
        assert_eq!(index.first_or_insert(1, "b"), Some("a"));
        assert_eq!(index.first_or_insert(u128::MAX, "c"), Some("ü-long-id"));
        assert_eq!(
            index.first_or_insert(1 << 64, "d"),
            None,
            "high word differs"
        );
        assert_eq!(index.len(), 3);
        assert_eq!(index.first_or_insert(1 << 64, "e"), Some("d"));
    }
}
