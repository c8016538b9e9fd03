//! The `rejects` table: one row per input record that is not an article, with why.

use polars::prelude::*;

use super::TableRows;
use crate::ingest::Reject;

#[derive(Default)]
pub struct RejectRows {
    input_file: Vec<String>,
    input_record: Vec<u64>,
    reason: Vec<&'static str>,
    detail: Vec<String>,
    raw_prefix: Vec<String>,
}

impl RejectRows {
    pub fn push(&mut self, input_file: &str, input_record: u64, reject: Reject) {
        self.input_file.push(input_file.to_string());
        self.input_record.push(input_record);
        self.reason.push(reject.reason.as_str());
        self.detail.push(reject.detail);
        self.raw_prefix.push(reject.raw_prefix);
    }

    #[cfg(test)]
    pub fn push_test_row(&mut self) {
        let reject = Reject::new(crate::ingest::RejectReason::InvalidJson, "bad", b"{x");
        self.push("a.jsonl", 3, reject);
    }
}

impl RejectRows {
    pub const NAME: &'static str = "rejects";
}

impl TableRows for RejectRows {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn fresh(&self) -> Self {
        Self::default()
    }

    fn len(&self) -> usize {
        self.input_file.len()
    }

    fn buffered_bytes(&self) -> usize {
        self.len() * 400
    }

    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        let r = std::mem::take(self);
        DataFrame::new(
            r.input_file.len(),
            vec![
                Column::new("input_file".into(), r.input_file),
                Column::new("input_record".into(), r.input_record),
                Column::new("reason".into(), r.reason),
                Column::new("detail".into(), r.detail),
                Column::new("raw_prefix".into(), r.raw_prefix),
            ],
        )
    }
}
