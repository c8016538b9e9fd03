//! The duplicate index: for each article text seen, the id of the first article with
//! that text. It is the one part of a run's memory that grows with the dataset (it is
//! seeded with every committed article), so it is kept compact: per text, its 16-byte
//! hash, a 4-byte slot in a hash table (plus one control byte per bucket) and the 4-byte
//! end of its first id in one string of ids.

use hashbrown::HashTable;

#[derive(Debug, Default)]
pub struct DuplicateIndex {
    /// Slots, found by content hash: slot `i` is the `i`th text remembered.
    slots: HashTable<u32>,
    /// The content hash of each slot.
    hashes: Vec<u128>,
    /// The ids, one after another; slot `i` ends at `ends[i]`.
    ids: String,
    ends: Vec<u32>,
}

/// The content hash is already uniform: its low half serves as the table's hash.
fn table_hash(hash: u128) -> u64 {
    hash as u64
}

/// Grows `v` by half its length (not double) when full: the index is the largest thing
/// a run keeps, and doubling would leave up to half of it unused.
fn reserve_half<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.len() / 2).max(1024));
    }
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
        let start = if slot == 0 {
            0
        } else {
            self.ends[slot - 1] as usize
        };
        &self.ids[start..self.ends[slot] as usize]
    }

    /// The id of the first article with text `hash`; when there is none yet, `id`
    /// becomes it and the answer is `None`.
    pub fn first_or_insert(&mut self, hash: u128, id: &str) -> Option<&str> {
        let hashes = &self.hashes;
        if let Some(&slot) = self
            .slots
            .find(table_hash(hash), |&slot| hashes[slot as usize] == hash)
        {
            return Some(self.id(slot));
        }
        // Past 4 billion texts or 4 GB of ids a slot or an end would not fit: texts are
        // then not remembered (never wrongly reported as duplicates).
        let slot = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.ids.len() + id.len()).ok()?;
        if self.ids.len() + id.len() > self.ids.capacity() {
            self.ids
                .reserve_exact((self.ids.len() / 2).max(id.len()).max(16 * 1024));
        }
        self.ids.push_str(id);
        reserve_half(&mut self.ends);
        self.ends.push(end);
        reserve_half(&mut self.hashes);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.slots
            .insert_unique(table_hash(hash), slot, |&s| table_hash(hashes[s as usize]));
        None
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

    #[test]
    fn thousands_of_texts_keep_their_first_ids_as_the_index_grows() {
        let mut index = DuplicateIndex::default();
        let hash = |i: u128| i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        for i in 0..20_000u128 {
            assert_eq!(index.first_or_insert(hash(i), &format!("id-{i}")), None);
        }
        for i in (0..20_000u128).step_by(7) {
            let expected = format!("id-{i}");
            assert_eq!(
                index.first_or_insert(hash(i), "later"),
                Some(expected.as_str())
            );
        }
        assert_eq!(index.len(), 20_000);
    }
}
