//! Logging set up for a service (feature `logging`): one call at the top of
//! `main`, what uvicorn's logging gives a FastAPI service, with the settings
//! a deployment expects.
//!
//! - Lines go to standard output, filtered by `RUST_LOG` (`info` when unset;
//!   `RUST_LOG=debug,sqlx=warn` and the like).
//! - `LOG_FORMAT=json`: one JSON object a line (`timestamp`, `level`,
//!   `target`, `fields`, and the request's span with its ids), for a log
//!   collector. Otherwise plain text.
//! - Plain text is coloured only when standard output is a terminal and
//!   `NO_COLOR` is unset or empty (<https://no-color.org>): a file, a pipe or
//!   a container's log never gets escape codes.
//! - With [`App::tracing`](crate::App::tracing), every line logged while a
//!   request is served carries that request's `request_id` (its
//!   `x-request-id`) and `trace_id` (from its W3C `traceparent`, when it has
//!   one).
//! - While a server serves, and standard output is not a terminal, lines at
//!   INFO and below are written in batches, at most [`BATCH_EVERY`] apart
//!   (one write for many access lines instead of one a line). A warning or an error is written at once, with
//!   every line before it; a panic writes what is gathered before its
//!   message; when the server stops, everything is written before
//!   [`App::serve`](crate::App::serve) returns. Outside a server (start-up,
//!   shut-down, a tool, a test) every line is written as it comes.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, Once};
use std::time::Duration;

/// The longest a batched line waits before it is written.
pub const BATCH_EVERY: Duration = Duration::from_millis(50);

/// A batch this large is written at once, whatever its age.
const BATCH_BYTES: usize = 64 * 1024;

/// Installs the process's logger (see the module's text). Call it once,
/// first thing in `main`; a second call, or a logger installed before, is
/// left as it was.
///
/// ```no_run
/// #[tokio::main]
/// async fn main() {
///     ferroapi::logs::init();
///     tracing::info!("starting");
/// }
/// ```
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let terminal = std::io::stdout().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(MakeLine);
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let installed = if json {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder
            .with_ansi(colour(terminal, std::env::var_os("NO_COLOR")))
            .try_init()
    };
    if installed.is_ok() && !terminal {
        OUT.may_batch.store(true, Ordering::Relaxed);
        // A panic's message comes after the lines gathered before it.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            OUT.flush();
            previous(info)
        }));
    }
}

/// Writes every gathered line now. [`App::serve`](crate::App::serve) does
/// when it stops; a program that stops otherwise while a server serves (say,
/// `std::process::exit`) calls it first.
pub fn flush() {
    OUT.flush();
}

/// A server starts (`true`) or stops serving: lines are batched while at
/// least one serves.
pub(crate) fn serving(started: bool) {
    if !OUT.may_batch.load(Ordering::Relaxed) {
        return;
    }
    if started {
        OUT.servers.fetch_add(1, Ordering::Relaxed);
        static FLUSHER: Once = Once::new();
        FLUSHER.call_once(|| {
            let _ = std::thread::Builder::new()
                .name("ferroapi-logs".into())
                .spawn(|| loop {
                    std::thread::sleep(BATCH_EVERY);
                    OUT.flush();
                });
        });
    } else {
        // Never below zero: a server started before `init` made batching
        // possible stops without having counted itself.
        let _ = OUT
            .servers
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        OUT.flush();
    }
}

/// The process's standard output, through [`Batch`].
static OUT: Batch<Stdout> = Batch::new(Stdout);

/// Standard output as a sink.
struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::io::stdout().lock().write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        std::io::stdout().lock().write_all(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().lock().flush()
    }
}

/// Lines on their way to `W`: gathered while batching, else written at once.
struct Batch<W> {
    /// Lines gathered and not yet written.
    pending: Mutex<Vec<u8>>,
    /// The sink, and a spare buffer that takes the pending lines while they
    /// are written (held while writing: lines keep their order).
    sink: Mutex<(W, Vec<u8>)>,
    /// `logs::init` installed this writer, not on a terminal.
    may_batch: AtomicBool,
    /// Servers serving now.
    servers: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<W: Write> Batch<W> {
    const fn new(sink: W) -> Self {
        Batch {
            pending: Mutex::new(Vec::new()),
            sink: Mutex::new((sink, Vec::new())),
            may_batch: AtomicBool::new(false),
            servers: AtomicUsize::new(0),
        }
    }

    /// One formatted line (or more); `urgent` ones are written at once, after
    /// what was gathered before them.
    fn line(&self, line: &[u8], urgent: bool) {
        if urgent || self.servers.load(Ordering::Relaxed) == 0 {
            self.write_out(Some(line));
            return;
        }
        let mut pending = lock(&self.pending);
        pending.extend_from_slice(line);
        if pending.len() >= BATCH_BYTES {
            drop(pending);
            self.write_out(None);
        }
    }

    /// Writes what is gathered.
    fn flush(&self) {
        self.write_out(None);
    }

    fn write_out(&self, then: Option<&[u8]>) {
        let mut sink = lock(&self.sink);
        let (out, spare) = &mut *sink;
        std::mem::swap(spare, &mut *lock(&self.pending));
        if let Some(line) = then {
            spare.extend_from_slice(line);
        }
        if !spare.is_empty() {
            // A log line that cannot be written is dropped, as `println!`'s
            // would not be: logging never takes the server down.
            let _ = out.write_all(spare);
            let _ = out.flush();
            spare.clear();
        }
    }
}

/// What the formatter writes one event to.
struct MakeLine;

/// One event's text, handed to [`OUT`] whole.
struct Line {
    urgent: bool,
}

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        OUT.line(buf, self.urgent);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for MakeLine {
    type Writer = Line;
    fn make_writer(&'a self) -> Line {
        Line { urgent: true }
    }
    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> Line {
        // tracing orders levels by verbosity: ERROR < WARN < INFO.
        Line {
            urgent: *meta.level() <= tracing::Level::WARN,
        }
    }
}

/// Colour when writing to a terminal, unless `NO_COLOR` is set to anything.
fn colour(terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink that counts its writes.
    #[derive(Default)]
    struct Sink {
        text: Vec<u8>,
        writes: usize,
    }

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.writes += 1;
            self.text.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn written(b: &Batch<Sink>) -> (String, usize) {
        let sink = lock(&b.sink);
        (
            String::from_utf8(sink.0.text.clone()).unwrap(),
            sink.0.writes,
        )
    }

    #[test]
    fn lines_are_written_at_once_unless_a_server_serves() {
        let b = Batch::new(Sink::default());
        b.line(b"one\n", false);
        b.line(b"two\n", false);
        assert_eq!(written(&b), ("one\ntwo\n".into(), 2));
    }

    #[test]
    fn while_serving_lines_wait_for_a_flush_a_warning_or_the_size() {
        let b = Batch::new(Sink::default());
        b.servers.store(1, Ordering::Relaxed);
        b.line(b"a\n", false);
        b.line(b"b\n", false);
        assert_eq!(written(&b), (String::new(), 0));
        b.flush();
        assert_eq!(written(&b), ("a\nb\n".into(), 1));
        // A warning takes what waits before it, in order, in one write.
        b.line(b"c\n", false);
        b.line(b"warn\n", true);
        assert_eq!(written(&b), ("a\nb\nc\nwarn\n".into(), 2));
        // A full batch is written without waiting.
        let long = vec![b'x'; BATCH_BYTES];
        b.line(&long, false);
        assert_eq!(written(&b).1, 3);
        assert_eq!(lock(&b.pending).len(), 0);
        // Nothing to write: no write.
        b.flush();
        assert_eq!(written(&b).1, 3);
    }

    #[test]
    fn lines_from_many_threads_all_arrive_whole() {
        let b = std::sync::Arc::new(Batch::new(Sink::default()));
        b.servers.store(1, Ordering::Relaxed);
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let b = b.clone();
                std::thread::spawn(move || {
                    for i in 0..2000 {
                        b.line(format!("{t}:{i}\n").as_bytes(), i % 500 == 0);
                        if i % 300 == 0 {
                            b.flush();
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        b.flush();
        let (text, _) = written(&b);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8000);
        // Each thread's lines in its own order.
        for t in 0..4 {
            let mine: Vec<usize> = lines
                .iter()
                .filter_map(|l| l.strip_prefix(&format!("{t}:")))
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(mine, (0..2000).collect::<Vec<_>>());
        }
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(super::colour(true, None));
        assert!(super::colour(true, Some("".into())));
        assert!(!super::colour(true, Some("1".into())));
        assert!(!super::colour(false, None));
    }
}
