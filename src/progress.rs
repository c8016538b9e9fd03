//! Progress on a terminal: an `indicatif` bar over input bytes (a spinner when the
//! total is unknown, as with stdin), hidden when stderr is not a TTY or with
//! `--no-progress`, so logs of batch jobs stay clean.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::dataset::manifest::Counts;

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(enabled: bool, total_bytes: Option<u64>) -> Self {
        let visible = enabled && std::io::stderr().is_terminal();
        let bar = match total_bytes {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} {bytes} {bytes_per_sec} {msg}")
                    .expect("valid template"),
            ),
        };
        bar.set_draw_target(if visible {
            ProgressDrawTarget::stderr_with_hz(4)
        } else {
            ProgressDrawTarget::hidden()
        });
        if visible {
            bar.enable_steady_tick(Duration::from_millis(250));
        }
        Progress { bar }
    }

    pub fn update(&self, bytes: u64, counts: &Counts) {
        self.bar.set_position(bytes);
        let elapsed = self.bar.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} articles ({:.0}/s), {} rejects",
            counts.articles,
            counts.articles as f64 / elapsed,
            counts.rejects
        ));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
