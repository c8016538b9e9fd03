//! `--shard K/N`: a deterministic 1/N of the inputs, so N machines share a crawl.
//!
//! An input belongs to shard `xxh3(name) mod N`, where the name is its path relative
//! to the folder given on the command line. The name, not the absolute path, is hashed
//! so that machines mounting the crawl at different places agree on the split.

use std::fmt;
use std::str::FromStr;

use super::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn contains(&self, input: &Input) -> bool {
        xxhash_rust::xxh3::xxh3_64(input.name.as_bytes()) % self.count == self.index
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("--shard expects K/N with 0 <= K < N (e.g. 0/4), got `{s}`");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> Input {
        Input {
            path: None,
            display: format!("/mnt/crawl/{name}"),
            name: name.to_string(),
            size: None,
            unreadable: None,
        }
    }

    #[test]
    fn parses_k_of_n_and_rejects_the_rest() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, count: 4 }));
        for bad in ["4/4", "1/0", "x/2", "1", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_input_is_in_exactly_one_shard_and_the_split_is_roughly_even() {
        let shards: Vec<Shard> = (0..3).map(|k| Shard { index: k, count: 3 }).collect();
        let mut sizes = [0usize; 3];
        for i in 0..300 {
            let inp = input(&format!("2023/09/crawl-{i:05}.warc.gz"));
            let owners: Vec<usize> = (0..3).filter(|&k| shards[k].contains(&inp)).collect();
            assert_eq!(owners.len(), 1);
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 70), "{sizes:?}");
    }
}
