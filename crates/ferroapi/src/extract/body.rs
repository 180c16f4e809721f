//! Request bodies: JSON (single, optional, embedded, several merged), form
//! fields (urlencoded or multipart) and uploaded files.
//!
//! The body is read once, before any parameter, with the route's size limit.
//! A JSON body on the fast path goes straight from bytes to the user's type
//! with serde, then through its garde rules; only a refused body is decoded
//! again the way FastAPI would, to report pydantic's errors.

use std::collections::HashMap;
use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::params::PairSource;
use super::{
    BodyKind, Extract, FormLimits, FromParam, Location, Outcome, ParamSpec, RequestCtx, WithDefault,
};
use crate::request_body::{BodyTimedOut, ReadError};
use crate::validation::{
    kinds, pyjson,
    schema::{self, Mode},
    ErrorItem, LocPart, PyValue,
};
use crate::HTTPException;

/// Files larger than this are spooled to a temporary file while the request is
/// read (Starlette's `SpooledTemporaryFile` threshold).
const SPOOL_THRESHOLD: usize = 1024 * 1024;

#[derive(Debug, Default)]
pub(crate) enum BodyData {
    #[default]
    None,
    Empty,
    Json {
        bytes: Bytes,
        json_ct: bool,
        /// Boxed: only routes with several body parameters have it, and
        /// every request's data holds this enum (a map itself takes 48
        /// bytes in place, the box 8).
        #[allow(clippy::box_collection)]
        embedded: Option<Box<HashMap<String, Box<RawValue>>>>,
    },
    Form {
        fields: Vec<(String, String)>,
        files: Vec<(String, UploadFile)>,
    },
}

fn content_too_large() -> Response {
    let mut res = (StatusCode::PAYLOAD_TOO_LARGE, "Content Too Large").into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

fn parse_error() -> Response {
    parse_exception().into_response()
}

/// FastAPI's answer to a body it could not decode, raised through the app's
/// handler for `HTTPException` as FastAPI raises it.
fn parse_exception() -> HTTPException {
    HTTPException::new(400, "There was an error parsing the body")
}

/// `application/json` or `application/*+json`, parameters ignored, any case
/// (no allocation: this runs on every JSON request).
fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim();
    let starts = |p: &str| {
        essence
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    let ends = |p: &str| {
        essence
            .len()
            .checked_sub(p.len())
            .and_then(|i| essence.get(i..))
            .is_some_and(|t| t.eq_ignore_ascii_case(p))
    };
    essence.eq_ignore_ascii_case("application/json") || (starts("application/") && ends("+json"))
}

impl super::RequestData {
    /// Reads the body before any parameter is extracted. Returns a response to
    /// send instead when the body cannot be read at all (413, 400).
    pub(crate) async fn read_body(&mut self, body: axum::body::Body) -> Result<(), Response> {
        let limit = self.route.max_body;
        if self.route.body != BodyKind::None && declared_over(&self.parts.headers, limit) {
            // Refused before a byte is read: hyper sends `100 Continue` only
            // when the body is polled, so an `Expect: 100-continue` client is
            // not invited to upload.
            return Err(content_too_large());
        }
        match self.route.body {
            BodyKind::None => Ok(()),
            BodyKind::Json => {
                let bytes = read_limited(body, limit).await?;
                if bytes.is_empty() {
                    self.body = BodyData::Empty;
                    return Ok(());
                }
                // `strict_content_type=False`: a body sent with no content
                // type at all is read as JSON.
                let json_ct = is_json(&self.parts.headers)
                    || (!self.route.strict_content_type
                        && !self.parts.headers.contains_key(header::CONTENT_TYPE));
                let embedded = if self.route.embed && json_ct {
                    serde_json::from_slice::<HashMap<String, Box<RawValue>>>(&bytes)
                        .ok()
                        .map(Box::new)
                } else {
                    None
                };
                self.body = BodyData::Json {
                    bytes,
                    json_ct,
                    embedded,
                };
                Ok(())
            }
            BodyKind::Form | BodyKind::File => {
                let ct = self
                    .parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let essence = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                if essence == "multipart/form-data" {
                    let Ok(boundary) = multer::parse_boundary(&ct) else {
                        return Err(HTTPException::new(400, "Missing boundary in multipart.")
                            .into_response());
                    };
                    // Boxed: multipart's reader is large, and every route's
                    // future would carry its size.
                    self.body =
                        Box::pin(read_multipart(body, boundary, limit, *self.route.form)).await?;
                } else if essence == "application/x-www-form-urlencoded" {
                    let bytes = read_limited(body, limit).await?;
                    check_urlencoded(&bytes, *self.route.form)?;
                    let fields = form_urlencoded::parse(&crate::latin1::urlencoded(&bytes))
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect();
                    self.body = BodyData::Form {
                        fields,
                        files: Vec::new(),
                    };
                } else {
                    // Any other body gives a form route no fields at all.
                    let _ = read_limited(body, limit).await?;
                    self.body = BodyData::Form {
                        fields: Vec::new(),
                        files: Vec::new(),
                    };
                }
                Ok(())
            }
        }
    }
}

/// Starlette's 400 for a form beyond its limits.
fn form_refused(message: String) -> Response {
    HTTPException::new(400, message).into_response()
}

/// Python's `int(n / 1024)`: the limit in whole KB, as Starlette words it.
fn kb(bytes: usize) -> usize {
    bytes / 1024
}

/// Starlette's urlencoded limits: each field's raw name and value bytes
/// against `max_part_size` (checked first), then the field count.
fn check_urlencoded(bytes: &[u8], limits: FormLimits) -> Result<(), Response> {
    let mut count = 0usize;
    for piece in bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let size = piece.len() - usize::from(piece.contains(&b'='));
        if size > limits.part_size() {
            return Err(form_refused(format!(
                "Field exceeded maximum size of {}KB.",
                kb(limits.part_size())
            )));
        }
        count += 1;
        if count > limits.fields() {
            return Err(form_refused(format!(
                "Too many fields. Maximum number of fields is {}.",
                limits.fields()
            )));
        }
    }
    Ok(())
}

/// Whether `Content-Length` declares more than `limit` bytes.
fn declared_over(headers: &HeaderMap, limit: usize) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
}

async fn read_limited(body: axum::body::Body, limit: usize) -> Result<Bytes, Response> {
    match crate::request_body::read(body, limit).await {
        Ok(bytes) => Ok(bytes),
        Err(ReadError::TooLarge) => Err(content_too_large()),
        Err(ReadError::Failed(e)) => Err(read_failure(&e)),
    }
}

/// The answer to a body that could not be read: 408 when the client stopped
/// sending (the server's body timeout), else FastAPI's 400.
fn read_failure(e: &(dyn std::error::Error + 'static)) -> Response {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        // Ours (`App::serve`'s body timeout), or tower-http's when an app
        // adds its body timeout layer.
        if c.is::<BodyTimedOut>() || c.is::<tower_http::timeout::TimeoutError>() {
            return HTTPException::new(408, "Request Timeout")
                .header("connection", "close")
                .into_response();
        }
        cause = c.source();
    }
    parse_error()
}

/// A part's field name and file name. multer reads `name=` and `filename=`
/// in lower case only; Starlette reads the parameters in any case, so the
/// header is read again here where multer missed one (for a plain field, a
/// scan for `filename` in any case, no copy). `None`: the part has no name.
fn part_names(field: &multer::Field<'_>) -> Option<(String, Option<String>)> {
    let header = field.headers().get(header::CONTENT_DISPOSITION);
    let reread = |key: &str| {
        let value = header?;
        let mentioned = value
            .as_bytes()
            .windows(key.len())
            .any(|w| w.eq_ignore_ascii_case(key.as_bytes()));
        mentioned
            .then(|| disposition_param(&crate::latin1::header_text(value), key))
            .flatten()
    };
    let name = field
        .name()
        .map(str::to_string)
        .or_else(|| reread("name"))?;
    let filename = field
        .file_name()
        .map(str::to_string)
        .or_else(|| reread("filename"));
    Some((name, filename))
}

/// A parameter of a `Content-Disposition` value (`form-data; NAME="a"`),
/// its name matched in any case, its value unquoted.
fn disposition_param(value: &str, key: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|part| {
        let (k, v) = part.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case(key) {
            return None;
        }
        let v = v.trim();
        Some(
            v.strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v)
                .to_string(),
        )
    })
}

/// The answer to a multipart body that could not be read: the client's
/// stream failing is a read failure (408 on the body timeout); anything
/// else is malformed multipart, answered as Starlette's parser answers it.
fn multipart_failure(e: &multer::Error) -> Response {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            content_too_large()
        }
        multer::Error::StreamReadFailed(_) => read_failure(e),
        _ => form_refused("Invalid multipart data.".to_string()),
    }
}

async fn read_multipart(
    body: axum::body::Body,
    boundary: String,
    limit: usize,
    limits: FormLimits,
) -> Result<BodyData, Response> {
    // An empty body is a form without fields (python-multipart reads
    // nothing and finds no fault): the parameters answer "missing".
    if http_body::Body::size_hint(&body).exact() == Some(0) {
        return Ok(BodyData::Form {
            fields: Vec::new(),
            files: Vec::new(),
        });
    }
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit as u64));
    let mut mp =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let mut fields = Vec::new();
    let mut files = Vec::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_failure(&e)),
        };
        let Some((name, filename)) = part_names(&field) else {
            return Err(form_refused(
                "The Content-Disposition header field \"name\" must be provided.".to_string(),
            ));
        };
        match filename {
            Some(filename) => {
                if files.len() >= limits.files() {
                    return Err(form_refused(format!(
                        "Too many files. Maximum number of files is {}.",
                        limits.files()
                    )));
                }
                let content_type = field.content_type().map(|m| m.to_string());
                let file = spool(field, filename, content_type).await?;
                // What a browser sends for a file input left empty: FastAPI
                // reads it as no file.
                if file.filename.is_empty() && file.size == 0 {
                    continue;
                }
                files.push((name, file));
            }
            None => {
                if fields.len() >= limits.fields() {
                    return Err(form_refused(format!(
                        "Too many fields. Maximum number of fields is {}.",
                        limits.fields()
                    )));
                }
                let text = field_text(field, limits.part_size()).await?;
                fields.push((name, text));
            }
        }
    }
    Ok(BodyData::Form { fields, files })
}

/// A non-file part's text, refused past `max_part_size` bytes before more
/// is read (Starlette's "Part exceeded maximum size").
async fn field_text(mut field: multer::Field<'static>, max: usize) -> Result<String, Response> {
    let mut data = BytesMut::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if data.len() + chunk.len() > max {
                    return Err(form_refused(format!(
                        "Part exceeded maximum size of {}KB.",
                        kb(max)
                    )));
                }
                data.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return Err(multipart_failure(&e)),
        }
    }
    // As Starlette decodes a part: UTF-8, else Latin-1.
    Ok(match String::from_utf8(data.to_vec()) {
        Ok(t) => t,
        Err(e) => e.into_bytes().iter().map(|b| char::from(*b)).collect(),
    })
}

async fn spool(
    mut field: multer::Field<'static>,
    filename: String,
    content_type: Option<String>,
) -> Result<UploadFile, Response> {
    use std::io::Write;
    let mut mem = BytesMut::new();
    let mut disk: Option<tempfile::NamedTempFile> = None;
    let mut size = 0usize;
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(multipart_failure(&e)),
        };
        size += chunk.len();
        if let Some(f) = disk.as_mut() {
            f.write_all(&chunk)
                .map_err(|_| crate::error::internal_server_error())?;
        } else if mem.len() + chunk.len() > SPOOL_THRESHOLD {
            let mut f = tempfile::NamedTempFile::new()
                .map_err(|_| crate::error::internal_server_error())?;
            f.write_all(&mem)
                .and_then(|_| f.write_all(&chunk))
                .map_err(|_| crate::error::internal_server_error())?;
            mem.clear();
            disk = Some(f);
        } else {
            mem.extend_from_slice(&chunk);
        }
    }
    Ok(UploadFile {
        filename,
        content_type,
        size,
        data: match disk {
            Some(f) => FileData::Disk(Arc::new(f)),
            None => FileData::Memory(mem.freeze()),
        },
    })
}

/// A JSON request body (FastAPI's body model parameter).
///
/// `T` must deserialize with serde, describe itself with schemars (for the
/// document and for error reports) and validate with garde (use
/// `#[garde(allow_unvalidated)]` on types without rules). Several `Json`
/// parameters, or one marked `#[param(embed)]`, read one object keyed by the
/// parameter names, as in FastAPI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> super::Constrained for Json<T> {
    type Value = T;
}

impl<T> super::Constrained for Option<Json<T>> {
    type Value = T;
}

impl<T> super::Constrained for Form<T> {
    type Value = T;
}

impl<T> WithDefault for Json<T> {
    type Inner = T;
    fn with_default(inner: T) -> Self {
        Json(inner)
    }
}

/// A plain value as a JSON body (`Json<i64>`, `Json<Vec<String>>`,
/// `Json<HashMap<String, f64>>`): the route macro reads such a body through
/// this wrapper, which has no garde rules of its own, so that plain values
/// need no newtype. Its schema and its serde form are the inner type's.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Plain<T>(pub T);

impl<T: schemars::JsonSchema> schemars::JsonSchema for Plain<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

impl<T> garde::Validate for Plain<T> {
    type Context = ();
    fn validate_into(
        &self,
        _ctx: &Self::Context,
        _parent: &mut dyn FnMut() -> garde::Path,
        _report: &mut garde::Report,
    ) {
    }
}

/// `Json<Plain<T>>` back to what the route function declared.
#[doc(hidden)]
pub trait Unplain {
    /// The declared type.
    type Declared;
    /// Unwraps.
    fn unplain(self) -> Self::Declared;
}

impl<T> Unplain for Json<Plain<T>> {
    type Declared = Json<T>;
    fn unplain(self) -> Json<T> {
        Json(self.0 .0)
    }
}

impl<T> Unplain for Option<Json<Plain<T>>> {
    type Declared = Option<Json<T>>;
    fn unplain(self) -> Option<Json<T>> {
        self.map(|j| Json(j.0 .0))
    }
}

/// What a JSON body type needs: serde, schemars and garde.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a JSON body",
    label = "not a body model",
    note = "derive serde::Deserialize, schemars::JsonSchema and garde::Validate (use #[garde(allow_unvalidated)] when it has no rules); plain values (Json<i64>, Json<Vec<String>>, Json<HashMap<String, f64>>) need nothing"
)]
pub trait BodyModel:
    DeserializeOwned + schemars::JsonSchema + garde::Validate<Context = ()> + Send + 'static
{
}
impl<T> BodyModel for T where
    T: DeserializeOwned + schemars::JsonSchema + garde::Validate<Context = ()> + Send + 'static
{
}

/// The fast path: serde straight from the bytes, then garde. `Err(None)`:
/// serde refused; `Err(Some(report))`: garde refused.
///
/// garde runs every rule of a field, where pydantic runs a field's validator
/// only once its type and constraints passed: a `custom` rule that panics on
/// a value its field's pattern refuses (it trusted the pattern) is caught
/// here, and the body goes to the diagnose path, which reports the broken
/// rule. One that panics on a value the schema accepts panics again there,
/// as a pydantic validator raising something else than `ValueError` fails
/// the request.
///
/// The body is checked to be UTF-8 once, whole, and read as text: serde
/// reading bytes checks every string it keeps on its own (a fifth of a small
/// body's decoding), and none it skips, which Python's decoder refuses.
fn fast_value<T: BodyModel>(bytes: &[u8]) -> Result<T, Option<garde::Report>> {
    let text = std::str::from_utf8(bytes).map_err(|_| None)?;
    let v = serde_json::from_str::<T>(text).map_err(|_| None)?;
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.validate())) {
        Ok(Ok(())) => Ok(v),
        Ok(Err(report)) => Err(Some(report)),
        Err(_) => Err(None),
    }
}

/// What the start-up probe of a body type found.
struct Unchecked {
    /// The rules `T`'s schema states that serde and garde do not check.
    rules: Vec<String>,
    /// Where serde reads a model of `T` from a JSON array.
    arrays: ArrayWalk,
    /// A date field of `T` takes text pydantic refuses.
    lax_dates: bool,
}

/// Where a body's JSON may hold a model given as an array, which serde's
/// derived structs read and pydantic refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum ArrayWalk {
    /// Nowhere: serde refuses an array for every model of the type.
    Never = 0,
    /// Only at the top: the type has no nested model, so the body's first
    /// byte tells (no scan).
    Root = 1,
    /// Anywhere: the type nests models, so any `[` in the body may be one.
    Anywhere = 2,
}

/// The rules `T`'s schema states that serde and garde do not check, found
/// once at start-up: from a valid value of the schema, each rule is broken
/// in turn and the result given to serde and garde. When they accept one,
/// the schema walker checks that type's accepted values too (slower, never
/// silent), and a warning says which attribute to add. The same probe gives
/// each model as the array of its values, to find where serde takes one.
fn unchecked_rules<T: BodyModel>() -> Unchecked {
    use crate::validation::probe::{body_fields, set_path, valid_value, violations, Defs};
    let root = schemars::SchemaGenerator::default()
        .into_root_schema_for::<T>()
        .to_value();
    let defs = Defs::of_root(&root);
    // A rule that panics on the value breaking another (see `fast_value`)
    // refuses it, as the request path does.
    let accepted = |v: serde_json::Value| {
        serde_json::from_value::<T>(v).is_ok_and(|t| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| t.validate()))
                .is_ok_and(|r| r.is_ok())
        })
    };
    let base = valid_value(defs, &root);
    let mut out = Unchecked {
        rules: Vec::new(),
        arrays: ArrayWalk::Never,
        lax_dates: false,
    };
    // Without a valid value to start from, nothing can be told apart.
    if !accepted(base.clone()) {
        return out;
    }
    let mut fields = Vec::new();
    body_fields(defs, &root, Vec::new(), 0, &mut fields);
    let mut as_arrays = false;
    for (path, schema) in fields {
        // A model given as the array of its values: serde's derived structs
        // take it, pydantic does not.
        if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
            // Every field in declaration order, as serde reads a sequence; a
            // field the valid value leaves out is tried as null, then as a
            // valid value of its own.
            let as_array = |absent: &dyn Fn(&serde_json::Value) -> serde_json::Value| {
                let mut probe = base.clone();
                let slot = path
                    .iter()
                    .try_fold(&mut probe, |v, k| v.get_mut(k.as_str()))?;
                let fields = slot.as_object()?;
                let values = props
                    .iter()
                    .map(|(name, sub)| fields.get(name).cloned().unwrap_or_else(|| absent(sub)))
                    .collect();
                *slot = serde_json::Value::Array(values);
                Some(probe)
            };
            let nulls = as_array(&|_| serde_json::Value::Null);
            let valids = as_array(&|sub| valid_value(defs, sub));
            // The empty array: serde fills a sequence's missing tail with
            // the fields' defaults, so a model whose fields all have one
            // takes `[]` (found by `ferroapi contract replay`).
            let mut empty = base.clone();
            let empty = path
                .iter()
                .try_fold(&mut empty, |v, k| v.get_mut(k.as_str()))
                .map(|slot| *slot = serde_json::Value::Array(Vec::new()))
                .map(|()| empty);
            as_arrays |= nulls.into_iter().chain(valids).chain(empty).any(&accepted);
        }
        for v in violations(defs, &schema) {
            let mut probe = base.clone();
            if set_path(&mut probe, &path, v.value) && accepted(probe) {
                out.rules.push(format!("{} {}", path.join("."), v.rule));
            }
        }
        // A date pydantic refuses that chrono's `NaiveDate` reads
        // (`2024-1-2`): such a type's accepted bodies are walked too, with
        // no warning (no attribute would keep the fast path).
        if schema.get("format").and_then(|f| f.as_str()) == Some("date") {
            let mut probe = base.clone();
            if set_path(&mut probe, &path, serde_json::json!("2024-1-2")) && accepted(probe) {
                out.lax_dates = true;
            }
        }
    }
    out.arrays = match (as_arrays, nests_models(&root, 0)) {
        (false, _) => ArrayWalk::Never,
        (true, false) => ArrayWalk::Root,
        // Models inside lists and maps are not probed one by one: their
        // arrays are found by the scan.
        (true, true) => ArrayWalk::Anywhere,
    };
    if !out.rules.is_empty() {
        tracing::warn!(
            target: "ferroapi",
            "{}: the document states {} but no garde attribute checks it; the schema checks every accepted body of this type (add the garde rule to keep the fast path)",
            std::any::type_name::<T>(),
            out.rules.join(", ")
        );
    }
    out
}

/// Whether a root schema holds a model (an object schema with properties)
/// anywhere below its top: in `$defs`, a property, list items, a map's
/// values or a union's branches. Depth-limited, as every schema walk.
fn nests_models(s: &serde_json::Value, depth: usize) -> bool {
    const MAX_DEPTH: usize = 64;
    if depth > MAX_DEPTH {
        // Too deep to tell: assume the worst.
        return true;
    }
    // Below the top (a field named `properties` makes a false "yes": slower,
    // never less checked).
    let model_below = |c: &serde_json::Value| {
        c.get("properties").is_some_and(|p| p.is_object()) || nests_models(c, depth + 1)
    };
    match s {
        serde_json::Value::Object(o) => o.values().any(model_below),
        serde_json::Value::Array(a) => a.iter().any(model_below),
        _ => false,
    }
}

/// When the accepted values of a body type are walked by its schema too.
#[derive(Debug, Clone, Copy)]
struct Walk {
    /// Always: the type documents a rule garde does not check.
    always: bool,
    /// Where serde may have read a model from an array.
    arrays: ArrayWalk,
}

impl Walk {
    fn of(spec: &ParamSpec) -> Self {
        use std::sync::atomic::Ordering::Relaxed;
        Walk {
            always: spec.walk_accepted.load(Relaxed),
            arrays: match spec.walk_arrays.load(Relaxed) {
                0 => ArrayWalk::Never,
                1 => ArrayWalk::Root,
                _ => ArrayWalk::Anywhere,
            },
        }
    }

    fn needed(self, bytes: &[u8]) -> bool {
        self.always
            || match self.arrays {
                ArrayWalk::Never => false,
                ArrayWalk::Root => bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'['),
                ArrayWalk::Anywhere => bytes.contains(&b'['),
            }
    }
}

/// Start-up: which walks a body type needs.
fn prepare_walk<T: BodyModel>(spec: &ParamSpec) {
    use std::sync::atomic::Ordering::Relaxed;
    let found = unchecked_rules::<T>();
    spec.walk_accepted
        .store(!found.rules.is_empty() || found.lax_dates, Relaxed);
    spec.walk_arrays.store(found.arrays as u8, Relaxed);
    let number = match schema::cached::<T>().number_root() {
        Some(true) => 2,
        Some(false) => 1,
        None => 0,
    };
    spec.number_kind.store(number, Relaxed);
}

/// Reads one body value (the whole body, or one embedded key) from bytes.
/// `walk`: the type documents rules garde does not check
/// ([`ParamSpec::walk_accepted`]).
fn body_value<S, T: BodyModel>(
    cx: &mut RequestCtx<'_, S>,
    bytes: &[u8],
    loc: Vec<LocPart>,
    walk: Walk,
) -> Outcome<T> {
    let failure = match fast_value::<T>(bytes) {
        Ok(v) if !walk.needed(bytes) => return Outcome::Value(v),
        Ok(v) => {
            let decoded = std::str::from_utf8(bytes)
                .ok()
                .and_then(|t| pyjson::loads(t).ok());
            let Some(value) = decoded else {
                return Outcome::Value(v);
            };
            let before = cx.data.errors.len();
            let mut loc = loc;
            let _ =
                schema::cached::<T>().diagnose(&value, &mut loc, Mode::Json, &mut cx.data.errors);
            return if cx.data.errors.len() == before {
                Outcome::Value(v)
            } else {
                Outcome::Invalid
            };
        }
        Err(f) => f,
    };
    // Diagnose path: decode as Python would (UTF-16 and UTF-32 too), then
    // compare with the schema.
    let Some(text) = pyjson::body_text(bytes) else {
        cx.raise(parse_exception());
        return Outcome::Invalid;
    };
    let value = match pyjson::loads(&text) {
        Ok(v) => v,
        // CPython's `RecursionError`, which FastAPI answers as any other
        // failure to read the body.
        Err(pyjson::DecodeError::TooDeep) => {
            cx.raise(parse_exception());
            return Outcome::Invalid;
        }
        Err(pyjson::DecodeError::Invalid { msg, pos }) => {
            cx.raise(json_invalid(msg, pos));
            return Outcome::Invalid;
        }
    };
    diagnose_value::<S, T>(cx, &value, loc, failure)
}

/// FastAPI's answer to a body Python's decoder refuses: one `json_invalid`
/// error at the position it stopped.
fn json_invalid(msg: String, pos: usize) -> crate::error::RequestValidationError {
    let item = ErrorItem::from_kind(
        crate::validation::Kind {
            kind: "json_invalid",
            msg: "JSON decode error".into(),
            ctx: Some(vec![("error".into(), PyValue::Str(msg))].into()),
        },
        vec![LocPart::from("body"), LocPart::Index(pos)],
        PyValue::empty_dict(),
    );
    crate::error::RequestValidationError::new(vec![item])
}

/// See [`RequestCtx::decode_body_first`]: a JSON body serde reads is JSON to
/// Python too; only one serde refuses is decoded as Python would, to tell a
/// body Python reads (`NaN`, a byte-order mark, UTF-16) from one it refuses.
pub(crate) fn decode_first<S>(cx: &mut RequestCtx<'_, S>) {
    let BodyData::Json {
        bytes,
        json_ct: true,
        embedded,
    } = &cx.data.body
    else {
        return;
    };
    // serde skips a string's bytes unchecked when it ignores them: the text
    // is checked to be UTF-8 first (Python's decoder refuses it otherwise).
    let json = std::str::from_utf8(bytes)
        .is_ok_and(|text| serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok());
    if embedded.is_some() || json {
        return;
    }
    let refused = match pyjson::body_text(bytes) {
        None => Err(parse_exception()),
        Some(text) => match pyjson::loads(&text) {
            Ok(_) => Ok(()),
            Err(pyjson::DecodeError::TooDeep) => Err(parse_exception()),
            Err(pyjson::DecodeError::Invalid { msg, pos }) => {
                cx.raise(json_invalid(msg, pos));
                return;
            }
        },
    };
    if let Err(e) = refused {
        cx.raise(e);
    }
}

fn diagnose_value<S, T: BodyModel>(
    cx: &mut RequestCtx<'_, S>,
    value: &PyValue,
    loc: Vec<LocPart>,
    garde: Option<garde::Report>,
) -> Outcome<T> {
    match diagnose_into::<T>(value, loc, garde, &mut cx.data.errors) {
        Some(v) => Outcome::Value(v),
        None => Outcome::Invalid,
    }
}

/// The diagnose path on a decoded value: pydantic's error items into `errors`,
/// or the value when Python would have accepted it.
fn diagnose_into<T: BodyModel>(
    value: &PyValue,
    mut loc: Vec<LocPart>,
    garde: Option<garde::Report>,
    errors: &mut Vec<ErrorItem>,
) -> Option<T> {
    let before = errors.len();
    let schema = schema::cached::<T>();
    schema.read_with(read_as::<T>);
    let coerced = schema.diagnose_partial(value, &mut loc, Mode::Json, errors);
    if errors.len() != before {
        // The model's own validators still run on the fields that were
        // valid, as pydantic's do (a value kept as text is not re-read).
        if !value.contains_raw() {
            validators_beside::<T>(
                &schema,
                coerced.as_ref().unwrap_or(value),
                value,
                &loc,
                before,
                errors,
                garde.as_ref(),
            );
        }
        return None;
    }
    // A value partly kept as text (the decoder's budget) is not re-read: the
    // bytes serde refused are the same.
    if garde.is_none() && !value.contains_raw() {
        // Python's decoder accepts what serde's refuses (duplicate keys, a
        // byte-order mark), and pydantic's lax mode what serde's types refuse
        // (`"5"` for an int): when the value is valid as pydantic reads it,
        // take it in the form pydantic made of it.
        let accepted = coerced.as_ref().unwrap_or(value);
        if let Some(v) = crate::validation::value_de::from_py::<T>(accepted) {
            match v.validate() {
                Ok(()) => return Some(v),
                Err(report) => return diagnose_into::<T>(value, loc, Some(report), errors),
            }
        }
    }
    // The schema cannot express the rule that failed: report garde's words.
    match garde {
        Some(report) => {
            let mut items = validator_errors(&report, value, &loc, &[]);
            // garde's order is not pydantic's (a `dive` may come after
            // later fields): the model's field order.
            items.sort_by_cached_key(|(rel, _)| schema.order_key(rel, value));
            errors.extend(items.into_iter().map(|(_, item)| item));
        }
        None => errors.push(ErrorItem::from_kind(
            kinds::value_error("the value does not match the expected type"),
            loc,
            value.clone(),
        )),
    }
    None
}

/// Whether serde reads a value as `T` (its error's text when not): what
/// tells the schema walker a field's other names.
fn read_as<T: BodyModel>(value: &PyValue) -> Result<(), String> {
    crate::validation::value_de::from_py_result::<T>(value).map(drop)
}

/// garde's errors as pydantic's `value_error` items, each at its location
/// under `loc` with the input there as sent, with their locations relative
/// to `loc`. Left out: an error on a location `skip` covers or contains,
/// and one on a container of another error (pydantic runs a model's or a
/// list's validator only when everything inside it passed).
fn validator_errors(
    report: &garde::Report,
    value: &PyValue,
    loc: &[LocPart],
    skip: &[&[LocPart]],
) -> Vec<(Vec<LocPart>, ErrorItem)> {
    let found: Vec<(Vec<LocPart>, &garde::Error)> = report
        .iter()
        .map(|(path, error)| (schema::garde_loc(path), error))
        .collect();
    let mut items = Vec::new();
    for (i, (rel, error)) in found.iter().enumerate() {
        let inside_skipped = skip.iter().any(|s| schema::on_one_branch(s, rel));
        let holds_another = found
            .iter()
            .enumerate()
            .any(|(j, (other, _))| j != i && other.len() > rel.len() && other.starts_with(rel));
        if inside_skipped || holds_another {
            continue;
        }
        // pydantic's `input` is the value the rule was given.
        let mut input = Some(value);
        for part in rel {
            input = input.and_then(|v| match (v, part) {
                (PyValue::List(items), LocPart::Index(i)) => items.get(*i),
                (_, LocPart::Index(i)) => v.get(&i.to_string()),
                (_, LocPart::Key(k)) => v.get(k),
            });
        }
        // Beside schema errors, a field left to its default was not
        // validated (pydantic does not validate defaults).
        if input.is_none() && !skip.is_empty() {
            continue;
        }
        let mut l = loc.to_vec();
        l.extend(rel.iter().cloned());
        let item = ErrorItem::from_kind(
            kinds::value_error(error.message()),
            l,
            input.unwrap_or(value).clone(),
        );
        items.push((rel.clone(), item));
    }
    items
}

/// Levels of nesting up to which a model's validators run beside schema
/// errors (serde_json's own recursion limit).
const MAX_VALIDATOR_DEPTH: usize = 128;

/// A model's own validators (garde rules the schema does not state) on the
/// parts of a body that passed the schema, their errors merged among the
/// schema's `errors[before..]` in pydantic's order. `mended` is the value
/// as the schema walk coerced it.
fn validators_beside<T: BodyModel>(
    schema: &schema::Diagnoser,
    coerced: &PyValue,
    sent: &PyValue,
    loc: &[LocPart],
    before: usize,
    errors: &mut Vec<ErrorItem>,
    garde: Option<&garde::Report>,
) {
    let base = loc.len();
    if let Some(report) = garde {
        // serde read the body as sent and garde ran on it: its errors away
        // from the schema's are the validators' (checked first without
        // allocating: usually there are none).
        let off_branch = |path: &garde::Path| {
            let parts = schema::GardeParts::of(path);
            errors[before..]
                .iter()
                .all(|e| !parts.on_branch(below(e, base)))
        };
        if !report.iter().any(|(path, _)| off_branch(path)) {
            return;
        }
        let skip: Vec<&[LocPart]> = errors[before..].iter().map(|e| below(e, base)).collect();
        let extra = validator_errors(report, sent, loc, &skip);
        merge_validator_errors(schema, sent, base, before, errors, extra);
        return;
    }
    // Most refused bodies leave nothing valid to run a validator on.
    let mut found: Vec<&[LocPart]> = errors[before..].iter().map(|e| below(e, base)).collect();
    found.sort_by(|a, b| schema::loc_order(a, b));
    if schema.covered(coerced, &found, MAX_VALIDATOR_DEPTH) {
        return;
    }
    // serde, garde and the mending recurse once per level: a body nested
    // deeper than serde_json itself reads is reported by the schema alone.
    if sent.nests_deeper_than(MAX_VALIDATOR_DEPTH) {
        return;
    }
    let Some((mended, replaced)) = schema.repair(coerced, found.iter().copied()) else {
        return;
    };
    let Some(v) = crate::validation::value_de::from_py::<T>(&mended) else {
        return;
    };
    // The user's validators now see stand-in values where the body was
    // wrong, which pydantic would never give them: one that panics on such
    // a value (it trusted its field's pattern) costs its errors, not the
    // request.
    let validated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.validate()));
    let Ok(Err(report)) = validated else {
        return;
    };
    found.extend(replaced.iter().map(Vec::as_slice));
    let extra = validator_errors(&report, sent, loc, &found);
    merge_validator_errors(schema, sent, base, before, errors, extra);
}

/// An error's location below the body's first `base` parts.
fn below(e: &ErrorItem, base: usize) -> &[LocPart] {
    e.loc.get(base..).unwrap_or_default()
}

/// Merges validator errors into the schema's `errors[before..]`, in the
/// model's field order (locations compared below the body's first `base`
/// parts).
fn merge_validator_errors(
    schema: &schema::Diagnoser,
    sent: &PyValue,
    base: usize,
    before: usize,
    errors: &mut Vec<ErrorItem>,
    extra: Vec<(Vec<LocPart>, ErrorItem)>,
) {
    if extra.is_empty() {
        return;
    }
    // The schema's errors are in pydantic's order already (garde's are
    // not: a `dive` may come after later fields).
    let theirs: Vec<ErrorItem> = errors.drain(before..).collect();
    let mut extra: Vec<(Vec<usize>, ErrorItem)> = extra
        .into_iter()
        .map(|(rel, item)| (schema.order_key(&rel, sent), item))
        .collect();
    extra.sort_by(|a, b| a.0.cmp(&b.0));
    let mut extra = extra.into_iter().peekable();
    for item in theirs {
        let key = schema.order_key(below(&item, base), sent);
        while let Some((k, _)) = extra.peek() {
            if *k < key {
                let (_, e) = extra.next().expect("peeked");
                errors.push(e);
            } else {
                break;
            }
        }
        errors.push(item);
    }
    errors.extend(extra.map(|(_, e)| e));
}

/// Validates a JSON value as a request body of type `T` would be, outside a
/// request: the value, or FastAPI's 422 error list with locations under
/// `loc` (`&["body"]` for a body). For the other doors of a service — a gRPC
/// method, a queue consumer — that must refuse input in the same words as
/// its REST routes.
///
/// ```
/// #[derive(Debug, serde::Deserialize, schemars::JsonSchema, garde::Validate)]
/// struct Batch {
///     #[garde(length(min = 1))]
///     texts: Vec<String>,
/// }
///
/// let err = ferroapi::validate_json::<Batch>(&serde_json::json!({"texts": []}), &["body"]).unwrap_err();
/// assert_eq!(err.errors()[0].kind, "too_short");
/// assert!(ferroapi::validate_json::<Batch>(&serde_json::json!({"texts": ["a"]}), &["body"]).is_ok());
/// ```
pub fn validate_json<T: BodyModel>(
    value: &serde_json::Value,
    loc: &[&str],
) -> Result<T, crate::RequestValidationError> {
    let garde = match T::deserialize(value) {
        Ok(v) => match v.validate() {
            Ok(()) => return Ok(v),
            Err(report) => Some(report),
        },
        Err(_) => None,
    };
    let loc = loc.iter().map(|p| LocPart::from(p.to_string())).collect();
    let mut errors = Vec::new();
    match diagnose_into::<T>(&PyValue::from_json(value), loc, garde, &mut errors) {
        Some(v) => Ok(v),
        None => Err(crate::RequestValidationError::new(errors)),
    }
}

fn describe_json<T: BodyModel>(
    spec: &'static ParamSpec,
    required: bool,
    cx: &mut crate::openapi::parts::Describe,
) {
    let schema = cx.schema_for::<T>();
    cx.body(crate::openapi::parts::BodyDoc {
        openapi_examples: None,
        model: false,
        name: spec.name.to_string(),
        kind: BodyKind::Json,
        required: required && !spec.has_default,
        schema,
        default: None,
        password: false,
        spec,
    });
}

impl<S: Sync, T: BodyModel> Extract<S> for Json<T> {
    const BODY: BodyKind = BodyKind::Json;

    fn prepare(spec: &'static ParamSpec) {
        schema::cached::<T>().read_with(read_as::<T>);
        prepare_walk::<T>(spec);
    }

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        describe_json::<T>(spec, true, cx);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        match extract_json::<S, T>(cx, spec, false) {
            Outcome::Value(Some(_)) if !declared_rules_hold::<S, T>(cx, spec) => Outcome::Invalid,
            Outcome::Value(Some(v)) => Outcome::Value(Json(v)),
            Outcome::Value(None) | Outcome::Missing => Outcome::Missing,
            Outcome::Invalid => Outcome::Invalid,
        }
    }
}

impl<S: Sync, T: BodyModel> Extract<S> for Option<Json<T>> {
    const BODY: BodyKind = BodyKind::Json;

    fn prepare(spec: &'static ParamSpec) {
        schema::cached::<T>().read_with(read_as::<T>);
        prepare_walk::<T>(spec);
    }

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        describe_json::<T>(spec, false, cx);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        match extract_json::<S, T>(cx, spec, true) {
            Outcome::Value(Some(_)) if !declared_rules_hold::<S, T>(cx, spec) => Outcome::Invalid,
            Outcome::Value(v) => Outcome::Value(v.map(Json)),
            Outcome::Missing => Outcome::Missing,
            Outcome::Invalid => Outcome::Invalid,
        }
    }
}

/// The constraints declared on a body parameter itself (`#[param(gt = 0)]
/// n: Json<i64>`, FastAPI's `Body(gt=0)`), checked on the value serde
/// accepted: numbers against the bounds, strings against lengths and
/// pattern, lists against their length. Nothing to do (and no work) when
/// none is declared. Returns whether they hold; a failure is recorded.
fn declared_rules_hold<S, T: BodyModel>(
    cx: &mut RequestCtx<'_, S>,
    spec: &'static ParamSpec,
) -> bool {
    let rules = &spec.constraints;
    if rules.is_empty() {
        return true;
    }
    let (text, loc): (Option<&str>, Vec<LocPart>) = match &cx.data.body {
        BodyData::Json {
            embedded: Some(map),
            ..
        } if cx.data.route.embed => (
            map.get(spec.name).map(|r| r.get()),
            Location::Body.loc(spec.name),
        ),
        BodyData::Json { bytes, .. } if !cx.data.route.embed => {
            (std::str::from_utf8(bytes).ok(), vec![LocPart::from("body")])
        }
        _ => (None, Vec::new()),
    };
    let Some(value) = text.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok()) else {
        return true;
    };
    // Found at start-up (`prepare_walk`): 2 an integer, 1 a float.
    let number = spec.number_kind.load(std::sync::atomic::Ordering::Relaxed);
    let integer = number == 2;
    let kind = match &value {
        serde_json::Value::Number(n) => n.as_f64().and_then(|f| rules.bounds().check(f, integer)),
        // A number sent as text (`"1_000"`), which lax mode read: its bounds
        // hold for the number it became.
        serde_json::Value::String(_) if number != 0 => {
            let mut ignored = Vec::new();
            let sent = PyValue::from_json(&value);
            let read =
                schema::cached::<T>().diagnose(&sent, &mut Vec::new(), Mode::Json, &mut ignored);
            match read.as_ref().unwrap_or(&sent) {
                PyValue::Int(i) => rules.bounds().check(*i as f64, integer),
                PyValue::Float(f) => rules.bounds().check(*f, integer),
                _ => None,
            }
        }
        serde_json::Value::String(s) => rules.check_str(s),
        serde_json::Value::Array(items) => {
            let n = items.len();
            length_rule(
                rules,
                n,
                |m| kinds::too_short(m, n),
                |m| kinds::too_long(m, n),
            )
        }
        serde_json::Value::Object(entries) => {
            let n = entries.len();
            length_rule(
                rules,
                n,
                |m| kinds::dict_too_short(m, n),
                kinds::dict_too_long,
            )
        }
        _ => None,
    };
    match kind {
        Some(k) => {
            cx.data
                .errors
                .push(ErrorItem::from_kind(k, loc, PyValue::from_json(&value)));
            false
        }
        None => true,
    }
}

/// A list's or dict's declared length rules against its length `n`.
fn length_rule(
    rules: &crate::extract::Constraints,
    n: usize,
    short: impl Fn(usize) -> crate::validation::Kind,
    long: impl Fn(usize) -> crate::validation::Kind,
) -> Option<crate::validation::Kind> {
    match (rules.min_length, rules.max_length) {
        (Some(min), _) if n < min => Some(short(min)),
        (_, Some(max)) if n > max => Some(long(max)),
        _ => None,
    }
}

/// `Value(None)` means absent and allowed (optional).
fn extract_json<S, T: BodyModel>(
    cx: &mut RequestCtx<'_, S>,
    spec: &'static ParamSpec,
    optional: bool,
) -> Outcome<Option<T>> {
    let absent = |cx: &mut RequestCtx<'_, S>, loc: Vec<LocPart>| {
        if spec.has_default {
            Outcome::Missing
        } else if optional {
            Outcome::Value(None)
        } else {
            cx.push_missing(loc);
            Outcome::Invalid
        }
    };
    let walk = Walk::of(spec);
    if cx.data.route.embed {
        let loc = Location::Body.loc(spec.name);
        let raw = match &cx.data.body {
            BodyData::Json {
                embedded: Some(map),
                ..
            } => match map.get(spec.name) {
                // Fast path: straight from the borrowed slice of the body.
                Some(r) if !(optional && r.get() == "null") => {
                    match fast_value::<T>(r.get().as_bytes()) {
                        Ok(v) if !walk.needed(r.get().as_bytes()) => {
                            return Outcome::Value(Some(v))
                        }
                        _ => Some(Bytes::copy_from_slice(r.get().as_bytes())),
                    }
                }
                Some(_) => return Outcome::Value(None),
                None => None,
            },
            BodyData::Json {
                bytes,
                json_ct: true,
                embedded: None,
            } => {
                // Not an object of keys: either undecodable (json_invalid) or
                // another JSON value (every key missing).
                let Some(text) = pyjson::body_text(bytes) else {
                    cx.raise(parse_exception());
                    return Outcome::Invalid;
                };
                match pyjson::loads(&text) {
                    Err(_) => {
                        // Reports `json_invalid` (and nothing else, as FastAPI).
                        let bytes = bytes.clone();
                        let _ = body_value::<S, T>(cx, &bytes, loc, walk);
                        return Outcome::Invalid;
                    }
                    Ok(PyValue::Dict(items)) => {
                        // The last key wins, as in Python's dict.
                        items
                            .iter()
                            .rev()
                            .find(|(k, _)| k == spec.name)
                            .map(|(_, v)| {
                                let mut s = String::new();
                                v.write_pyjson(&mut s);
                                Bytes::from(s)
                            })
                    }
                    // An object too large to hold decoded: its compact text
                    // is JSON, so serde finds the key (the last one wins).
                    Ok(PyValue::RawDict(text)) => {
                        serde_json::from_str::<HashMap<String, &RawValue>>(&text)
                            .ok()
                            .and_then(|m| m.get(spec.name).map(|r| r.get().to_owned()))
                            .map(Bytes::from)
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        return match raw {
            Some(bytes) if optional && &bytes[..] == b"null" => Outcome::Value(None),
            Some(bytes) => match body_value::<S, T>(cx, &bytes, loc, walk) {
                Outcome::Value(v) => Outcome::Value(Some(v)),
                _ => Outcome::Invalid,
            },
            None => absent(cx, loc),
        };
    }
    let loc = vec![LocPart::from("body")];
    match &cx.data.body {
        BodyData::Json {
            bytes,
            json_ct: true,
            ..
        } => {
            if optional && &bytes[..] == b"null" {
                return Outcome::Value(None);
            }
            let bytes = bytes.clone();
            match body_value::<S, T>(cx, &bytes, loc, walk) {
                Outcome::Value(v) => Outcome::Value(Some(v)),
                _ => Outcome::Invalid,
            }
        }
        BodyData::Json { bytes, .. } => {
            // Without a JSON content type FastAPI validates the raw text.
            let text = String::from_utf8_lossy(bytes).into_owned();
            let value = PyValue::Str(text);
            match diagnose_value::<S, T>(cx, &value, loc, None) {
                Outcome::Value(v) => Outcome::Value(Some(v)),
                _ => Outcome::Invalid,
            }
        }
        _ => absent(cx, loc),
    }
}

/// A form field, or a struct of form fields (FastAPI's `Form()`), from an
/// urlencoded or multipart body. An empty value counts as absent, as in FastAPI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Form<T>(pub T);

impl<T> std::ops::Deref for Form<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> WithDefault for Form<T> {
    type Inner = T;
    fn with_default(inner: T) -> Self {
        Form(inner)
    }
}

impl<S: Sync, T: FromParam> Extract<S> for Form<T> {
    const BODY: BodyKind = BodyKind::Form;

    fn prepare(spec: &'static ParamSpec) {
        spec.constraints.warm();
        T::prepare();
    }

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        T::describe(spec, Location::Body, cx);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        let empty = Vec::new();
        let pairs = match &cx.data.body {
            BodyData::Form { fields, .. } => fields,
            _ => &empty,
        };
        let src = PairSource {
            pairs,
            empty_is_missing: true,
        };
        let mut errors = Vec::new();
        let out = T::from_source(&src, spec, Location::Body, &mut errors);
        cx.data.errors.append(&mut errors);
        match out {
            Outcome::Value(v) => Outcome::Value(Form(v)),
            Outcome::Missing => Outcome::Missing,
            Outcome::Invalid => Outcome::Invalid,
        }
    }
}

#[derive(Debug, Clone)]
enum FileData {
    Memory(Bytes),
    Disk(Arc<tempfile::NamedTempFile>),
}

/// An uploaded file from a multipart body (FastAPI's `UploadFile`). Small files
/// stay in memory; larger ones are streamed to a temporary file while the
/// request is read.
#[derive(Debug, Clone)]
pub struct UploadFile {
    filename: String,
    content_type: Option<String>,
    size: usize,
    data: FileData,
}

impl UploadFile {
    /// The client's file name.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The part's content type.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The size in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the content was spooled to disk.
    pub fn is_on_disk(&self) -> bool {
        matches!(self.data, FileData::Disk(_))
    }

    /// The whole content.
    pub async fn bytes(&self) -> std::io::Result<Bytes> {
        match &self.data {
            FileData::Memory(b) => Ok(b.clone()),
            FileData::Disk(f) => tokio::fs::read(f.path()).await.map(Bytes::from),
        }
    }
}

/// An uploaded file's schema, as FastAPI writes it for OpenAPI 3.1.
fn describe_file(
    spec: &'static ParamSpec,
    list: bool,
    required: bool,
    cx: &mut crate::openapi::parts::Describe,
) {
    let file =
        serde_json::json!({"type": "string", "contentMediaType": "application/octet-stream"});
    let schema = match (list, required) {
        (true, _) => serde_json::json!({"type": "array", "items": file}),
        (false, true) => file,
        (false, false) => serde_json::json!({"anyOf": [file, {"type": "null"}]}),
    };
    cx.body(crate::openapi::parts::BodyDoc {
        openapi_examples: None,
        model: false,
        name: spec.name.to_string(),
        kind: BodyKind::File,
        required: required && !spec.has_default,
        schema: schemars::Schema::try_from(schema).unwrap_or_default(),
        default: None,
        password: false,
        spec,
    });
}

fn take_files<S>(cx: &RequestCtx<'_, S>, name: &str) -> (Vec<UploadFile>, Option<String>) {
    match &cx.data.body {
        BodyData::Form { fields, files } => (
            files
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, f)| f.clone())
                .collect(),
            fields
                .iter()
                .rev()
                .find(|(k, v)| k == name && !v.is_empty())
                .map(|(_, v)| v.clone()),
        ),
        _ => (Vec::new(), None),
    }
}

fn not_a_file<S>(
    cx: &mut RequestCtx<'_, S>,
    spec: &'static ParamSpec,
    text: String,
    index: Option<usize>,
) {
    let mut loc = Location::Body.loc(spec.name);
    loc.extend(index.map(LocPart::Index));
    cx.data.errors.push(ErrorItem::from_kind(
        kinds::value_error("Expected UploadFile, received: <class 'str'>"),
        loc,
        PyValue::Str(text),
    ));
}

impl<S: Sync> Extract<S> for UploadFile {
    const BODY: BodyKind = BodyKind::File;

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        describe_file(spec, false, true, cx);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        let (mut files, text) = take_files(cx, spec.name);
        if let Some(f) = files.pop() {
            return Outcome::Value(f);
        }
        match text {
            Some(t) => not_a_file(cx, spec, t, None),
            None => cx.push_missing(Location::Body.loc(spec.name)),
        }
        Outcome::Invalid
    }
}

impl<S: Sync> Extract<S> for Option<UploadFile> {
    const BODY: BodyKind = BodyKind::File;

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        describe_file(spec, false, false, cx);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        let (mut files, text) = take_files(cx, spec.name);
        if let Some(f) = files.pop() {
            return Outcome::Value(Some(f));
        }
        match text {
            Some(t) => {
                not_a_file(cx, spec, t, None);
                Outcome::Invalid
            }
            None => Outcome::Value(None),
        }
    }
}

impl<S: Sync> Extract<S> for Vec<UploadFile> {
    const BODY: BodyKind = BodyKind::File;

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        describe_file(spec, true, true, cx);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        let (files, text) = take_files(cx, spec.name);
        if !files.is_empty() {
            return Outcome::Value(files);
        }
        match text {
            Some(t) => not_a_file(cx, spec, t, Some(0)),
            None if spec.has_default => return Outcome::Missing,
            None => cx.push_missing(Location::Body.loc(spec.name)),
        }
        Outcome::Invalid
    }
}

/// FastAPI's `bytes = File()`: a form part's content read whole, whether the
/// client sent it as a file or as a plain text field (whose UTF-8 bytes it
/// then is, as pydantic reads `bytes` from a `str`). Documented as a file,
/// as FastAPI documents it. `Option<FileBytes>` when it may be left out.
///
/// ```
/// use ferroapi::{post, FileBytes, Json};
///
/// #[post("/raw/")]
/// async fn raw_file(blob: FileBytes) -> Json<usize> {
///     Json(blob.len())
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileBytes(pub Bytes);

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// The named part's bytes: the last file of that name, else its text.
async fn file_bytes<S>(
    cx: &mut RequestCtx<'_, S>,
    spec: &'static ParamSpec,
) -> Option<Result<FileBytes, ()>> {
    let (mut files, text) = take_files(cx, spec.name);
    if let Some(f) = files.pop() {
        return Some(match f.bytes().await {
            Ok(b) => Ok(FileBytes(b)),
            Err(e) => {
                tracing::error!(error = %e, part = spec.name, "an uploaded file could not be read back");
                cx.raise(crate::error::internal_server_error());
                Err(())
            }
        });
    }
    text.map(|t| Ok(FileBytes(Bytes::from(t))))
}

impl<S: Sync> Extract<S> for FileBytes {
    const BODY: BodyKind = BodyKind::File;

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        describe_file(spec, false, true, cx);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        match file_bytes(cx, spec).await {
            Some(Ok(b)) => Outcome::Value(b),
            Some(Err(())) => Outcome::Invalid,
            None => {
                cx.push_missing(Location::Body.loc(spec.name));
                Outcome::Invalid
            }
        }
    }
}

impl<S: Sync> Extract<S> for Option<FileBytes> {
    const BODY: BodyKind = BodyKind::File;

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        describe_file(spec, false, false, cx);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        match file_bytes(cx, spec).await {
            Some(Ok(b)) => Outcome::Value(Some(b)),
            Some(Err(())) => Outcome::Invalid,
            None => Outcome::Value(None),
        }
    }
}
