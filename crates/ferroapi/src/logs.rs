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

use std::io::IsTerminal;

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
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout);
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let _ = if json {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder
            .with_ansi(colour(
                std::io::stdout().is_terminal(),
                std::env::var_os("NO_COLOR"),
            ))
            .try_init()
    };
}

/// Colour when writing to a terminal, unless `NO_COLOR` is set to anything.
fn colour(terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(super::colour(true, None));
        assert!(super::colour(true, Some("".into())));
        assert!(!super::colour(true, Some("1".into())));
        assert!(!super::colour(false, None));
    }
}
