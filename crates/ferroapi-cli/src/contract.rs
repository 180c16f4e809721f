//! `ferroapi contract replay`: sends a recording's requests to a running
//! port and compares each answer with the one FastAPI gave.
//!
//! Compared as the conformance suite compares: the status, the headers that
//! are part of the contract, and the body (JSON with its key order, other
//! bodies byte for byte). A difference listed in the ledger (a Markdown
//! table, `| case | reason |`) is expected; an unlisted one fails, and so
//! does a listed case that no longer differs: the ledger stays exact.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use serde_json::Value;

/// The recording format this command reads.
pub const FORMAT: &str = "ferroapi-contract/1";

/// What a header given at record time (`--header`) is recorded as.
pub const GIVEN: &str = "<given at replay>";
/// What a secret of an answer is recorded as (`contract record
/// --redact-header`, `--redact-json`): the replay asks only that the port
/// answers something there.
pub const REDACTED: &str = "<redacted>";

/// Headers whose value is part of the contract.
const COMPARED_HEADERS: [&str; 15] = [
    "www-authenticate",
    "vary",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-max-age",
    "content-type",
    "location",
    "allow",
    "set-cookie",
    "retry-after",
    "content-encoding",
    "content-disposition",
];

/// The most of one answer's body that is read: a port that sends more is
/// a difference, not a reason to hold it all.
const MAX_ANSWER: usize = 64 << 20;

/// How long one answer may take.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// What `replay` is told.
#[derive(Debug, Default)]
pub struct Replay {
    /// `http://host:port`, optionally with a path prefix.
    pub against: String,
    /// The ledger's text, when one was given.
    pub ledger: Option<String>,
    /// Headers not compared.
    pub ignore_headers: Vec<String>,
    /// JSON pointers (`*` matches any key or index) left out of JSON bodies.
    pub ignore_pointers: Vec<String>,
    /// Values of the headers recorded as given (`--header`).
    pub headers: Vec<(String, String)>,
    /// Only cases whose `expect` is one of these (all when empty).
    pub only: Vec<String>,
    /// Only cases FastAPI answered without running the app's own code (a
    /// handler, a dependency): what a freshly generated port, all stubs,
    /// must already answer the same.
    pub before_handler: bool,
    /// The port's PostgreSQL database, put in the state each recorded suite
    /// request met before that request is sent (`--restore-db`).
    pub restore_db: Option<String>,
    /// Each case's own noise, as the recorder saw it between two sends
    /// (`body /id`, `header date`), left out of that case's comparison.
    pub ignore_noise: bool,
}

/// The outcome: counts, and a line for each case that fails.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Cases answered as FastAPI answered.
    pub identical: usize,
    /// Cases that differ as the ledger says.
    pub listed: usize,
    /// Cases that differ and are not in the ledger, with what differs.
    pub different: Vec<String>,
    /// Ledger rows whose case no longer differs, or is not in the recording.
    pub stale: Vec<String>,
    /// Cases left out by `only`.
    pub skipped: usize,
    /// Proposed noise the recording saw (`header date`, `body /id`), with
    /// how many cases showed it, not applied.
    pub noise: Vec<(String, usize)>,
}

impl Outcome {
    /// The summary line.
    pub fn summary(&self) -> String {
        format!(
            "contract: {} identical, {} listed, {} different, {} stale ledger rows{}",
            self.identical,
            self.listed,
            self.different.len(),
            self.stale.len(),
            match self.skipped {
                0 => String::new(),
                n => format!(" ({n} cases not replayed: --only, --before-handler)"),
            }
        )
    }

    /// Whether the port keeps the contract.
    pub fn kept(&self) -> bool {
        self.different.is_empty() && self.stale.is_empty()
    }
}

/// Whether a ledger row names a case: the same name, or a pattern whose `*`
/// stands for any text (`* as 'inf'`).
pub fn row_matches(row: &str, case: &str) -> bool {
    if !row.contains('*') {
        return row == case;
    }
    let parts: Vec<&str> = row.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !case.starts_with(first) || case.len() < first.len() + last.len() || !case.ends_with(last) {
        return false;
    }
    let mut rest = &case[first.len()..case.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

/// The case names a ledger lists: the first cell of each table row, with
/// backticks dropped; the header row and the separator are not cases.
pub fn ledger_cases(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix('|'))
        .filter_map(|rest| rest.split('|').next())
        .map(|cell| cell.trim().trim_matches('`').to_string())
        .filter(|cell| !cell.is_empty() && cell != "case" && !cell.starts_with("---"))
        .collect()
}

/// A recorded body's bytes.
fn body_bytes(body: &Value) -> Result<Vec<u8>, String> {
    if let Some(t) = body.get("text").and_then(Value::as_str) {
        Ok(t.as_bytes().to_vec())
    } else if let Some(b) = body.get("base64").and_then(Value::as_str) {
        base64::engine::general_purpose::STANDARD
            .decode(b)
            .map_err(|e| format!("a recorded body is not base64: {e}"))
    } else {
        Ok(Vec::new())
    }
}

/// Calls `leaf` with each value a pointer's parts lead to but for the last
/// part, and that last part (`*` matches every key or index on the way).
fn parents(value: &mut Value, parts: &[String], leaf: &mut dyn FnMut(&mut Value, &str)) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    if rest.is_empty() {
        return leaf(value, first);
    }
    match value {
        Value::Object(map) if first == "*" => {
            map.values_mut().for_each(|v| parents(v, rest, leaf));
        }
        Value::Object(map) => {
            if let Some(v) = map.get_mut(first.as_str()) {
                parents(v, rest, leaf);
            }
        }
        Value::Array(items) if first == "*" => {
            items.iter_mut().for_each(|v| parents(v, rest, leaf));
        }
        Value::Array(items) => {
            if let Some(v) = first.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                parents(v, rest, leaf);
            }
        }
        _ => {}
    }
}

/// Removes what `pointer` names from `value` (`*` matches every key or
/// index; a list item named by its index is left as `null`, so that the
/// items after it keep their places).
fn remove_pointer(value: &mut Value, parts: &[String]) {
    parents(value, parts, &mut |container, last| match container {
        Value::Object(map) if last == "*" => map.clear(),
        Value::Object(map) => {
            map.shift_remove(last);
        }
        Value::Array(items) if last == "*" => items.clear(),
        Value::Array(items) => {
            if let Some(v) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *v = Value::Null;
            }
        }
        _ => {}
    });
}

/// Replaces what `parts` name in `value` (`*`: every key or index) with
/// [`REDACTED`], as the recorder wrote the secrets of the answer.
fn redact(value: &mut Value, parts: &[String]) {
    let secret = || Value::String(REDACTED.to_string());
    parents(value, parts, &mut |container, last| match container {
        Value::Object(map) if last == "*" => map.values_mut().for_each(|v| *v = secret()),
        Value::Object(map) => {
            if let Some(v) = map.get_mut(last) {
                *v = secret();
            }
        }
        Value::Array(items) if last == "*" => items.iter_mut().for_each(|v| *v = secret()),
        Value::Array(items) => {
            if let Some(v) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *v = secret();
            }
        }
        _ => {}
    });
}

/// A pointer's parts, unescaped (`~1` is `/`, `~0` is `~`).
fn pointer_parts(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Whether two bodies are the same answer: equal bytes, or equal JSON
/// (key order kept unless `unordered`) once the ignored pointers are gone.
fn same_body(
    content_type: &str,
    want: &[u8],
    got: &[u8],
    ignored: &[Vec<String>],
    redacted: &[Vec<String>],
    unordered: bool,
) -> bool {
    if want == got && ignored.is_empty() {
        return true;
    }
    let json = content_type.starts_with("application/json") || content_type.contains("+json");
    if json {
        if let (Ok(mut a), Ok(mut b)) = (
            serde_json::from_slice::<Value>(want),
            serde_json::from_slice::<Value>(got),
        ) {
            for parts in ignored {
                remove_pointer(&mut a, parts);
                remove_pointer(&mut b, parts);
            }
            // A secret the recording left out: the port's value is not
            // compared, only that it answers one where FastAPI did.
            for parts in redacted {
                redact(&mut b, parts);
            }
            return match unordered {
                true => same_data(&a, &b),
                false => serde_json::to_string(&a).ok() == serde_json::to_string(&b).ok(),
            };
        }
    }
    want == got
}

/// Where two JSON values differ, as JSON pointers with both sides (at most
/// `max`), for the report.
fn json_differences(want: &Value, got: &Value, at: &str, max: usize, out: &mut Vec<String>) {
    if out.len() >= max {
        return;
    }
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match g.get(k) {
                    Some(gv) => json_differences(wv, gv, &here, max, out),
                    None => out.push(format!("{here}: missing (want {})", short(wv))),
                }
                if out.len() >= max {
                    return;
                }
            }
            for (k, gv) in g {
                if !w.contains_key(k) && out.len() < max {
                    out.push(format!("{at}/{k}: not wanted (got {})", short(gv)));
                }
            }
            if out.is_empty() && w.keys().ne(g.keys()) {
                out.push(format!(
                    "{}: keys in another order",
                    if at.is_empty() { "/" } else { at }
                ));
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                json_differences(wv, gv, &format!("{at}/{i}"), max, out);
            }
        }
        _ if want == got => {}
        _ => out.push(format!(
            "{}: got {}, want {}",
            if at.is_empty() { "/" } else { at },
            short(got),
            short(want)
        )),
    }
}

fn short(v: &Value) -> String {
    clip_to(&v.to_string(), 200)
}

/// Equal as data: objects without their key order, numbers by value
/// (`1000` and `1000.0` are one JSON number).
fn same_data(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_data(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_data(v, w))
        }
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match flate2::read::GzDecoder::new(data).read_to_end(&mut out) {
        Ok(_) => out,
        Err(e) => format!("<invalid gzip: {e}>").into_bytes(),
    }
}

/// An answer as the port gave it.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The port's address: `host:port` to connect to, the `Host` header, and a
/// path prefix.
fn target(against: &str) -> Result<(String, String, String), String> {
    let rest = against.strip_prefix("http://").ok_or_else(|| {
        format!(
            "--against {against}: say http://HOST:PORT (plain HTTP; put TLS in front elsewhere)"
        )
    })?;
    let (authority, prefix) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err(format!("--against {against}: no host"));
    }
    let addr = match authority.rsplit_once(':') {
        Some((_, port)) if port.parse::<u16>().is_ok() => authority.to_string(),
        _ => format!("{authority}:80"),
    };
    Ok((addr, authority.to_string(), prefix.to_string()))
}

/// Sends one request on a connection of its own.
async fn send(
    addr: &str,
    host: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Answer, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let io = hyper_util::rt::TokioIo::new(stream);
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Full<Bytes>>(io)
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    let driver = tokio::spawn(conn);
    let method = http::Method::from_bytes(method.as_bytes()).map_err(|e| format!("method: {e}"))?;
    let mut req = http::Request::builder().method(method).uri(path);
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req = req.header("host", host);
    }
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("request: {e}"))?;
    let res = sender
        .send_request(req)
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = http_body_util::Limited::new(res.into_body(), MAX_ANSWER)
        .collect()
        .await
        .map_err(|e| format!("body (at most {MAX_ANSWER} bytes read): {e}"))?
        .to_bytes()
        .to_vec();
    driver.abort();
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// GETs `url` (`http://host:port/path`), with `host` as the `Host` header
/// when given: the body of a 200 answer.
pub fn get(url: &str, host: Option<&str>) -> Result<Vec<u8>, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: say http://HOST:PORT/PATH"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (addr, authority_host, _) = target(&format!("http://{authority}"))?;
    let host = host.map_or(authority_host, str::to_string);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let answer = runtime.block_on(async {
        tokio::time::timeout(
            ANSWER_TIMEOUT,
            send(&addr, &host, "GET", path, &[], Vec::new()),
        )
        .await
        .unwrap_or_else(|_| Err(format!("no answer in {ANSWER_TIMEOUT:?}")))
    })?;
    match answer.status {
        200 => Ok(answer.body),
        s => Err(format!("{url}: answered {s}")),
    }
}

/// Replays `recording` (the text `contract record` wrote) as `opts` says.
pub fn replay(recording: &str, opts: &Replay) -> Result<Outcome, String> {
    let recording: Value =
        serde_json::from_str(recording).map_err(|e| format!("not a recording: {e}"))?;
    if recording["format"] != FORMAT {
        return Err(format!(
            "not a recording of this version (format {}, expected {FORMAT})",
            recording["format"]
        ));
    }
    let cases = recording["cases"]
        .as_array()
        .ok_or("a recording without cases")?;
    // A recorded `host` header (Starlette's TestClient sends `testserver`)
    // is sent as recorded, so redirects and URLs name the same server.
    let (addr, host, prefix) = target(&opts.against)?;
    let listed = opts.ledger.as_deref().map(ledger_cases).unwrap_or_default();
    let ignored_headers: BTreeSet<String> = opts
        .ignore_headers
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let pointers: Vec<Vec<String>> = opts
        .ignore_pointers
        .iter()
        .map(|p| pointer_parts(p))
        .collect();
    // The secrets the recorder left out of the answers.
    let redacted_headers: BTreeSet<String> = recording["redacted"]["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| Some(h.as_str()?.to_ascii_lowercase()))
        .collect();
    let redacted: Vec<Vec<String>> = recording["redacted"]["json"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some(pointer_parts(p.as_str()?)))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut out = Outcome::default();
    let mut noise = std::collections::BTreeMap::<String, usize>::new();
    // Rows that named a case, and patterns that named a differing one.
    let mut seen = BTreeSet::new();
    let mut differing_patterns = BTreeSet::new();
    // The state the database was last put in, and whether the request sent
    // since could not have changed it.
    let mut last_state: Option<(&str, bool)> = None;
    // The port's database, connected at the first state to write.
    let mut db: Option<crate::restore::Database> = None;
    for case in cases {
        let name = case["name"].as_str().ok_or("a case without a name")?;
        let expect = case["expect"].as_str().unwrap_or("");
        if !opts.only.is_empty() && !opts.only.iter().any(|o| o == expect) {
            out.skipped += 1;
            continue;
        }
        if opts.before_handler {
            match case["user_code"].as_bool() {
                Some(false) => {}
                Some(true) => {
                    out.skipped += 1;
                    continue;
                }
                None => {
                    return Err(format!(
                        "{name}: the recording does not say whether the app's code ran \
                         (recorded by an older `contract record`): record it again"
                    ))
                }
            }
        }
        // This case's own noise, when asked to leave it out.
        let mut case_pointers = Vec::new();
        let mut case_headers = BTreeSet::new();
        for n in case["noise"].as_array().into_iter().flatten() {
            if let Some(n) = n.as_str() {
                *noise.entry(n.to_string()).or_default() += 1;
                if opts.ignore_noise {
                    if let Some(p) = n.strip_prefix("body ") {
                        case_pointers.push(pointer_parts(p));
                    } else if let Some(h) = n.strip_prefix("header ") {
                        case_headers.insert(h.to_ascii_lowercase());
                    }
                }
            }
        }
        let case_pointers = match case_pointers.is_empty() {
            true => std::borrow::Cow::Borrowed(&pointers),
            false => std::borrow::Cow::Owned([pointers.clone(), case_pointers].concat()),
        };
        let req = &case["request"];
        let method = req["method"].as_str().unwrap_or("GET");
        // The database as the request found it under the Python app. Not
        // written again when the request before met the same state and
        // could not change it (a GET, HEAD or OPTIONS).
        let state = case["state"].as_str();
        if let Some(state) = state {
            if last_state != Some((state, true)) {
                let database = &recording["database"];
                if db.is_none() {
                    let url = opts.restore_db.as_deref().ok_or_else(|| {
                        format!(
                            "{name}: the recording holds the database state each suite request \
                             met: give --restore-db URL (the port's database)"
                        )
                    })?;
                    let dialect = database["dialect"].as_str().unwrap_or("?");
                    db = Some(runtime.block_on(crate::restore::Database::connect(url, dialect))?);
                }
                let order: Vec<String> = database["order"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(String::from))
                    .collect();
                let recorded = &database["states"][state];
                if recorded.is_null() {
                    return Err(format!("{name}: the recording has no `{state}`"));
                }
                let db = db.as_mut().expect("connected above");
                runtime
                    .block_on(db.put(recorded, &order))
                    .map_err(|e| format!("restoring the database for {name}: {e}"))?;
            }
        }
        let safe = ["GET", "HEAD", "OPTIONS"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(method));
        last_state = state.map(|s| (s, safe));
        let path = format!("{prefix}{}", req["path"].as_str().unwrap_or("/"));
        let mut headers = Vec::new();
        for h in req["headers"].as_array().into_iter().flatten() {
            let (k, v) = (h[0].as_str().unwrap_or(""), h[1].as_str().unwrap_or(""));
            let v = match v {
                GIVEN => opts
                    .headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| {
                        format!("the recording needs `--header \"{k}: ...\"` (it was given at record time)")
                    })?,
                v => v.to_string(),
            };
            headers.push((k.to_string(), v));
        }
        let body = match &req["body"] {
            Value::Null => Vec::new(),
            b => body_bytes(b)?,
        };
        let want = &case["response"];
        let answer = runtime.block_on(async {
            tokio::time::timeout(
                ANSWER_TIMEOUT,
                send(&addr, &host, method, &path, &headers, body),
            )
            .await
            .unwrap_or_else(|_| Err(format!("no answer in {ANSWER_TIMEOUT:?}")))
        });
        let mut problems = Vec::new();
        match answer {
            Err(e) => problems.push(e),
            Ok(got) => {
                let want_status = want["status"].as_u64().unwrap_or(0);
                if u64::from(got.status) != want_status {
                    problems.push(format!("status {} != {want_status}", got.status));
                }
                let want_headers: Vec<(&str, &str)> = want["headers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|h| (h[0].as_str().unwrap_or(""), h[1].as_str().unwrap_or("")))
                    .collect();
                for h in COMPARED_HEADERS {
                    if ignored_headers.contains(h) || case_headers.contains(h) {
                        continue;
                    }
                    let w: Vec<&str> = want_headers
                        .iter()
                        .filter(|(k, _)| *k == h)
                        .map(|(_, v)| *v)
                        .collect();
                    let g: Vec<&str> = got
                        .headers
                        .iter()
                        .filter(|(k, _)| k == h)
                        .map(|(_, v)| match redacted_headers.contains(h) {
                            // A secret: only that the port sends one.
                            true => REDACTED,
                            false => v.as_str(),
                        })
                        .collect();
                    if w != g {
                        problems.push(format!("header {h}: {g:?} != {w:?}"));
                    }
                }
                if !method.eq_ignore_ascii_case("HEAD") {
                    let header = |name: &str| {
                        got.headers
                            .iter()
                            .find(|(k, _)| k == name)
                            .map(|(_, v)| v.as_str())
                    };
                    let ct = header("content-type").unwrap_or("");
                    let want_body = match &want["body"] {
                        Value::Null => Vec::new(),
                        b => body_bytes(b)?,
                    };
                    // The recorder's client decompresses; so do we.
                    let got_body = match header("content-encoding") {
                        Some("gzip") => gunzip(&got.body),
                        _ => got.body.clone(),
                    };
                    let unordered = case["compare"] == "json-unordered";
                    if !same_body(
                        ct,
                        &want_body,
                        &got_body,
                        &case_pointers,
                        &redacted,
                        unordered,
                    ) {
                        // JSON on both sides: where they differ; else both bodies.
                        let mut at = Vec::new();
                        if let (Ok(w), Ok(g)) = (
                            serde_json::from_slice::<Value>(&want_body),
                            serde_json::from_slice::<Value>(&got_body),
                        ) {
                            json_differences(&w, &g, "", 8, &mut at);
                        }
                        problems.push(match at.is_empty() {
                            false => format!("body differs at\n      {}", at.join("\n      ")),
                            true => format!(
                                "body\n      got:  {}\n      want: {}",
                                clip(&String::from_utf8_lossy(&got_body)),
                                clip(&String::from_utf8_lossy(&want_body))
                            ),
                        });
                    }
                }
            }
        }
        let row = listed.iter().find(|row| row_matches(row, name));
        if let Some(row) = row {
            seen.insert(row.clone());
        }
        match (problems.is_empty(), row) {
            (true, None) => out.identical += 1,
            // A pattern also names cases that answer the same.
            (true, Some(row)) if row.contains('*') => out.identical += 1,
            (true, Some(_)) => out.stale.push(format!("{name} (now identical)")),
            (false, Some(row)) => {
                out.listed += 1;
                differing_patterns.insert(row.clone());
            }
            (false, None) => out.different.push(format!(
                "{name} ({method} {path}):\n    {}",
                problems.join("\n    ")
            )),
        }
    }
    if opts.only.is_empty() {
        for row in &listed {
            let stale = match row.contains('*') {
                // A pattern is stale when no case it names differs.
                true => !differing_patterns.contains(row),
                false => !seen.contains(row),
            };
            if stale {
                out.stale.push(format!("{row} (no such case differs)"));
            }
        }
    }
    out.noise = noise.into_iter().collect();
    Ok(out)
}

/// A body as shown in a report: at most 2,000 characters.
fn clip(s: &str) -> String {
    clip_to(s, 2000)
}

fn clip_to(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}… ({} bytes)", &s[..i], s.len()),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_lists_first_cells() {
        let text = "# Ledger\n\n| case | reason |\n|---|---|\n| `a: b` | why |\n| c | x |\nprose | not a row\n";
        let got: Vec<String> = ledger_cases(text).into_iter().collect();
        assert_eq!(got, ["a: b", "c"]);
    }

    #[test]
    fn rows_name_cases_or_patterns() {
        assert!(row_matches("a: b", "a: b"));
        assert!(!row_matches("a: b", "a: bc"));
        assert!(row_matches("* as 'inf'", "op: body x as 'inf'"));
        assert!(!row_matches("* as 'inf'", "op: body x as 'inf' (2)"));
        assert!(row_matches("op: *", "op: anything"));
        assert!(row_matches("op: * as *", "op: body x as 'NaN'"));
        assert!(!row_matches("op: * as *", "other: body x as 'NaN'"));
        assert!(!row_matches("ab*ba", "aba"));
    }

    #[test]
    fn pointers_with_wildcards_leave_bodies() {
        let mut v: Value =
            serde_json::from_str(r#"{"data":[{"id":1,"t":"a"},{"id":2,"t":"b"}],"n":2}"#).unwrap();
        remove_pointer(&mut v, &pointer_parts("/data/*/id"));
        assert_eq!(v.to_string(), r#"{"data":[{"t":"a"},{"t":"b"}],"n":2}"#);
        remove_pointer(&mut v, &pointer_parts("/n"));
        assert_eq!(v.to_string(), r#"{"data":[{"t":"a"},{"t":"b"}]}"#);
    }

    #[test]
    fn json_bodies_compare_with_key_order_and_without_ignored_parts() {
        let ct = "application/json";
        assert!(same_body(
            ct,
            br#"{"a":1, "b":2}"#,
            br#"{"a":1,"b":2}"#,
            &[],
            &[],
            false
        ));
        assert!(!same_body(
            ct,
            br#"{"a":1,"b":2}"#,
            br#"{"b":2,"a":1}"#,
            &[],
            &[],
            false
        ));
        assert!(same_body(
            ct,
            br#"{"a":1,"b":2}"#,
            br#"{"b":2,"a":1}"#,
            &[],
            &[],
            true
        ));
        assert!(same_body(
            ct,
            br#"{"m":1000.0}"#,
            br#"{"m":1000}"#,
            &[],
            &[],
            true
        ));
        assert!(!same_body(
            ct,
            br#"{"m":1000.0}"#,
            br#"{"m":1000}"#,
            &[],
            &[],
            false
        ));
        assert!(!same_body(
            ct,
            br#"{"m":[1,2]}"#,
            br#"{"m":[2,1]}"#,
            &[],
            &[],
            true
        ));
        assert!(!same_body(
            ct,
            br#"{"id":1}"#,
            br#"{"id":2}"#,
            &[],
            &[],
            true
        ));
        assert!(same_body(
            ct,
            br#"{"id":1}"#,
            br#"{"id":2}"#,
            &[pointer_parts("/id")],
            &[],
            false
        ));
        assert!(!same_body("text/plain", b"a b", b"a  b", &[], &[], false));
        // A redacted secret: any value there will do, none will not.
        let token = [pointer_parts("/access_token")];
        let want = br#"{"access_token":"<redacted>","token_type":"bearer"}"#;
        let got = br#"{"access_token":"eyJ.x.y","token_type":"bearer"}"#;
        assert!(same_body(ct, want, got, &[], &token, false));
        assert!(!same_body(
            ct,
            want,
            br#"{"token_type":"bearer"}"#,
            &[],
            &token,
            false
        ));
        assert!(!same_body(
            ct,
            want,
            br#"{"access_token":"eyJ.x.y","token_type":"mac"}"#,
            &[],
            &token,
            false
        ));
        // Wildcards, as the recorder's.
        let keys = [pointer_parts("/items/*/key")];
        assert!(same_body(
            ct,
            br#"{"items":[{"key":"<redacted>","n":1},{"key":"<redacted>","n":2}]}"#,
            br#"{"items":[{"key":"a","n":1},{"key":"b","n":2}]}"#,
            &[],
            &keys,
            false
        ));
    }

    #[test]
    fn targets() {
        assert_eq!(
            target("http://127.0.0.1:8000").unwrap(),
            ("127.0.0.1:8000".into(), "127.0.0.1:8000".into(), "".into())
        );
        assert_eq!(
            target("http://svc/api/").unwrap(),
            ("svc:80".into(), "svc".into(), "/api".into())
        );
        assert!(target("https://svc").is_err());
        assert!(target("http://").is_err());
    }

    /// Garbage in the comparisons: no panic; a body is the same as itself.
    mod garbage {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn rows_and_bodies_of_any_text(row in "\\PC{0,12}", case in "\\PC{0,16}",
                                           body in prop::collection::vec(any::<u8>(), 0..64),
                                           pointer in "(/[a-z*0-9~]{0,3}){0,4}") {
                let _ = row_matches(&row, &case);
                prop_assert!(row_matches(&case.replace('*', ""), &case.replace('*', "")));
                let ignored = [pointer_parts(&pointer)];
                for ct in ["application/json", "text/plain"] {
                    prop_assert!(same_body(ct, &body, &body, &[], &[], false));
                    let _ = same_body(ct, &body, b"{}", &ignored, &ignored, true);
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                    let mut at = Vec::new();
                    json_differences(&v, &v, "", 8, &mut at);
                    prop_assert!(at.is_empty());
                    let mut v2 = v.clone();
                    remove_pointer(&mut v2, &ignored[0]);
                }
            }
        }
    }
}
