//! Progress on stderr: indicatif bars and spinners on a terminal, plain
//! lines when stderr is a pipe or a file (logs, CI), nothing with `--json`
//! or `--quiet`.
//!
//! [`Progress`] chooses the [`Style`] once; [`Progress::transfer`] makes a
//! byte counter that the SDK's uploads and downloads report to, and
//! [`Progress::activity`] a spinner for task waits.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use minimax_sdk::DownloadProgress;

use crate::output::human_bytes;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// indicatif bars and spinners (stderr is a terminal).
    Bar,
    /// One plain line now and then (stderr is not a terminal).
    Plain,
    /// Nothing (`--json`, `--quiet`).
    Hidden,
}

/// The factory for progress indicators of one command run.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    style: Style,
}

/// The least time between two plain progress lines.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

impl Progress {
    /// Picks the style from the flags and whether stderr is a terminal.
    pub fn new(json: bool, quiet: bool) -> Self {
        let style = if json || quiet {
            Style::Hidden
        } else if std::io::stderr().is_terminal() {
            Style::Bar
        } else {
            Style::Plain
        };
        Self { style }
    }

    /// The chosen style.
    #[cfg(test)]
    pub fn style(&self) -> Style {
        self.style
    }

    /// A byte counter for an upload or download labelled `label`; pass it to
    /// the SDK's `.progress(…)` / `UploadSource::with_progress` and call
    /// [`Transfer::finish`] when done.
    pub fn transfer(&self, label: impl Into<String>) -> Transfer {
        let label = label.into();
        let bar = match self.style {
            Style::Bar => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                bar.set_style(bytes_style(false));
                bar.set_message(label.clone());
                Some(bar)
            }
            _ => None,
        };
        Transfer {
            inner: Arc::new(TransferInner {
                style: self.style,
                label,
                bar,
                plain: Mutex::new(PlainState::default()),
            }),
        }
    }

    /// A spinner with a message (a task wait).
    pub fn activity(&self, message: impl Into<String>) -> Activity {
        let message = message.into();
        let bar = match self.style {
            Style::Bar => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.set_message(message.clone());
                bar.enable_steady_tick(Duration::from_millis(120));
                Some(bar)
            }
            Style::Plain => {
                plain_line(&message);
                None
            }
            Style::Hidden => None,
        };
        Activity {
            style: self.style,
            bar,
            message,
            started: Instant::now(),
        }
    }
}

fn bytes_style(known_total: bool) -> ProgressStyle {
    let template = if known_total {
        "{msg} [{bar:20}] {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} {eta}"
    } else {
        "{spinner} {msg} {decimal_bytes} {decimal_bytes_per_sec}"
    };
    ProgressStyle::with_template(template)
        .map(|style| style.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A short label for a file: its name without the directories.
pub fn file_label(path: &std::path::Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn plain_line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// An upload's or download's progress (see [`Progress::transfer`]). Cloning shares it.
#[derive(Clone)]
pub struct Transfer {
    inner: Arc<TransferInner>,
}

struct TransferInner {
    style: Style,
    label: String,
    bar: Option<ProgressBar>,
    plain: Mutex<PlainState>,
}

#[derive(Default)]
struct PlainState {
    started: bool,
    last_line: Option<Instant>,
    total: Option<u64>,
    bytes_done: u64,
}

impl Transfer {
    /// Ends the indicator, whatever the outcome: clears the bar (the
    /// command then reports the result; plain progress lines need no end
    /// line). The SDK may still hold clones, so dropping this handle is
    /// not enough.
    pub fn finish(&self) {
        if let Some(bar) = &self.inner.bar {
            bar.finish_and_clear();
        }
    }

    fn update(&self, progress: DownloadProgress) {
        let inner = &self.inner;
        match inner.style {
            Style::Bar => {
                if let Some(bar) = &inner.bar {
                    if let Some(total) = progress.total {
                        if bar.length() != Some(total) {
                            bar.set_length(total);
                            bar.set_style(bytes_style(true));
                        }
                    }
                    bar.set_position(progress.bytes_done);
                }
            }
            Style::Plain => {
                let mut state = match inner.plain.lock() {
                    Ok(state) => state,
                    Err(poisoned) => poisoned.into_inner(),
                };
                state.total = progress.total;
                state.bytes_done = progress.bytes_done;
                let now = Instant::now();
                let due = state
                    .last_line
                    .is_none_or(|last| now.duration_since(last) >= PLAIN_EVERY);
                if !state.started {
                    state.started = true;
                    state.last_line = Some(now);
                    let size = progress
                        .total
                        .map(|total| format!(" ({})", human_bytes(total)))
                        .unwrap_or_default();
                    plain_line(&format!("{}: started{size}", inner.label));
                } else if due {
                    state.last_line = Some(now);
                    plain_line(&format!(
                        "{}: {}{}",
                        inner.label,
                        human_bytes(progress.bytes_done),
                        progress
                            .total
                            .map(|total| format!(" of {}", human_bytes(total)))
                            .unwrap_or_default()
                    ));
                }
            }
            Style::Hidden => {}
        }
    }
}

impl minimax_sdk::Progress for Transfer {
    fn update(&self, progress: DownloadProgress) {
        Transfer::update(self, progress);
    }
}

/// A spinner for work without a byte count (see [`Progress::activity`]).
pub struct Activity {
    style: Style,
    bar: Option<ProgressBar>,
    message: String,
    started: Instant,
}

impl Activity {
    /// Changes the message (a new task status); a plain line is printed
    /// only when the message changes.
    pub fn set_message(&mut self, message: impl Into<String>) {
        let message = message.into();
        if message == self.message {
            return;
        }
        match (&self.bar, self.style) {
            (Some(bar), _) => bar.set_message(message.clone()),
            (None, Style::Plain) => plain_line(&format!(
                "{message} [{}s]",
                self.started.elapsed().as_secs()
            )),
            _ => {}
        }
        self.message = message;
    }

    /// Removes the spinner.
    pub fn finish(self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Activity {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            if !bar.is_finished() {
                bar.finish_and_clear();
            }
        }
    }
}

impl Drop for TransferInner {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            if !bar.is_finished() {
                bar.finish_and_clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_quiet_hide_progress() {
        assert_eq!(Progress::new(true, false).style(), Style::Hidden);
        assert_eq!(Progress::new(false, true).style(), Style::Hidden);
    }

    #[test]
    fn hidden_indicators_accept_updates() {
        let progress = Progress {
            style: Style::Hidden,
        };
        let transfer = progress.transfer("download");
        transfer.update(DownloadProgress {
            bytes_done: 10,
            total: Some(20),
        });
        transfer.finish();
        let mut activity = progress.activity("waiting");
        activity.set_message("Processing");
        activity.finish();
    }
}
