//! Path, query, header and cookie parameters (and form fields, which share the
//! same text sources): the value is found by the parameter's name, parsed with
//! [`ParamValue`], and every failure recorded with FastAPI's `loc`.

use std::borrow::Cow;

use http::HeaderMap;

use crate::latin1::header_text;

use super::source::Source;
use super::{Extract, Location, Outcome, ParamSpec, ParamValue, RequestCtx, WithDefault};
use crate::validation::{kinds, schema::Mode, ErrorItem, LocPart, PyValue};

/// Pairs grouped by key in one pass: keys in first-seen order, values in
/// order (those `keep` refuses dropped, their key kept).
fn group<'a>(
    pairs: impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)>,
    keep: impl Fn(&str) -> bool,
) -> Vec<(Cow<'a, str>, Vec<Cow<'a, str>>)> {
    let mut index: std::collections::HashMap<Cow<'a, str>, usize> = Default::default();
    let mut out: Vec<(Cow<'a, str>, Vec<Cow<'a, str>>)> = Vec::new();
    for (k, v) in pairs {
        let i = *index.entry(k.clone()).or_insert_with(|| {
            out.push((k, Vec::new()));
            out.len() - 1
        });
        if keep(&v) {
            out[i].1.push(v);
        }
    }
    out
}

pub(crate) struct QuerySource<'a>(pub(crate) &'a str);

impl Source for QuerySource<'_> {
    fn last(&self, name: &str) -> Option<Cow<'_, str>> {
        form_urlencoded::parse(self.0.as_bytes())
            .filter(|(k, _)| k == name)
            .last()
            .map(|(_, v)| v)
    }
    fn all(&self, name: &str) -> Vec<Cow<'_, str>> {
        form_urlencoded::parse(self.0.as_bytes())
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect()
    }
    fn keys(&self) -> Vec<Cow<'_, str>> {
        self.grouped().into_iter().map(|(k, _)| k).collect()
    }
    fn grouped(&self) -> Vec<(Cow<'_, str>, Vec<Cow<'_, str>>)> {
        group(form_urlencoded::parse(self.0.as_bytes()), |_| true)
    }
}

pub(crate) struct HeaderSource<'a>(pub(crate) &'a HeaderMap);

impl Source for HeaderSource<'_> {
    /// Headers are the exception: Starlette's `Headers.get` returns the *first*.
    fn last(&self, name: &str) -> Option<Cow<'_, str>> {
        self.0.get(name).map(header_text)
    }
    fn all(&self, name: &str) -> Vec<Cow<'_, str>> {
        self.0.get_all(name).iter().map(header_text).collect()
    }
    fn keys(&self) -> Vec<Cow<'_, str>> {
        self.0.keys().map(|k| Cow::Borrowed(k.as_str())).collect()
    }
}

pub(crate) struct CookieSource<'a>(pub(crate) &'a HeaderMap);

impl<'a> CookieSource<'a> {
    /// Calls `f` with every `name=value` pair of the `Cookie` headers, in
    /// order: each header read as latin-1 (Starlette's decoding), a quoted
    /// value unquoted. Borrowed from the headers when they are ASCII, so the
    /// usual request allocates nothing.
    fn each_pair(&self, mut f: impl FnMut(Cow<'a, str>, Cow<'a, str>)) {
        for value in self.0.get_all(http::header::COOKIE) {
            match header_text(value) {
                Cow::Borrowed(text) => {
                    cookie_pairs(text).for_each(|(k, v)| f(Cow::Borrowed(k), v));
                }
                Cow::Owned(text) => cookie_pairs(&text).for_each(|(k, v)| {
                    f(Cow::Owned(k.to_owned()), Cow::Owned(v.into_owned()));
                }),
            }
        }
    }
}

fn cookie_pairs(text: &str) -> impl Iterator<Item = (&str, Cow<'_, str>)> {
    text.split(';').filter_map(|chunk| {
        let (k, v) = chunk.split_once('=').unwrap_or(("", chunk));
        let (k, v) = (k.trim(), v.trim());
        (!k.is_empty() || !v.is_empty()).then(|| (k, unquote_cookie(v)))
    })
}

/// Python's `http.cookies._unquote`: a value in double quotes loses them, and
/// inside, `\ooo` (three octal digits, the first 0–3) is that character and
/// a backslash before any other character is that character.
fn unquote_cookie(v: &str) -> Cow<'_, str> {
    let Some(inner) = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) else {
        return Cow::Borrowed(v);
    };
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        // `\ooo`, the first digit 0–3: one byte's character.
        if let [a @ b'0'..=b'3', b @ b'0'..=b'7', c @ b'0'..=b'7', ..] = chars.as_str().as_bytes() {
            out.push(char::from((a - b'0') * 64 + (b - b'0') * 8 + (c - b'0')));
            chars.nth(2);
        } else {
            // A header value holds no newline, which Python's `.` would
            // not match; a backslash at the end stays.
            out.push(chars.next().unwrap_or('\\'));
        }
    }
    Cow::Owned(out)
}

impl Source for CookieSource<'_> {
    fn last(&self, name: &str) -> Option<Cow<'_, str>> {
        let mut found = None;
        self.each_pair(|k, v| {
            if k == name {
                found = Some(v);
            }
        });
        found
    }
    fn all(&self, name: &str) -> Vec<Cow<'_, str>> {
        self.last(name).into_iter().collect()
    }
    fn keys(&self) -> Vec<Cow<'_, str>> {
        self.grouped().into_iter().map(|(k, _)| k).collect()
    }
    /// A name sent twice is one cookie, its last value (Starlette's dict).
    fn grouped(&self) -> Vec<(Cow<'_, str>, Vec<Cow<'_, str>>)> {
        let mut pairs = Vec::new();
        self.each_pair(|k, v| pairs.push((k, v)));
        let mut out = group(pairs.into_iter(), |_| true);
        for (_, values) in &mut out {
            let last = values.pop();
            values.clear();
            values.extend(last);
        }
        out
    }
}

pub(crate) struct PathSource<'a>(pub(crate) &'a super::PathParams);

impl Source for PathSource<'_> {
    fn last(&self, name: &str) -> Option<Cow<'_, str>> {
        self.0.get(name).map(Cow::Borrowed)
    }
    fn all(&self, name: &str) -> Vec<Cow<'_, str>> {
        self.last(name).into_iter().collect()
    }
    fn keys(&self) -> Vec<Cow<'_, str>> {
        self.0.iter().map(|(k, _)| Cow::Borrowed(k)).collect()
    }
}

pub(crate) struct PairSource<'a> {
    pub(crate) pairs: &'a [(String, String)],
    /// Forms: an empty string counts as absent (FastAPI's form rule).
    pub(crate) empty_is_missing: bool,
}

impl Source for PairSource<'_> {
    fn last(&self, name: &str) -> Option<Cow<'_, str>> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, v)| k == name && !(self.empty_is_missing && v.is_empty()))
            .map(|(_, v)| Cow::Borrowed(v.as_str()))
    }
    fn all(&self, name: &str) -> Vec<Cow<'_, str>> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == name && !(self.empty_is_missing && v.is_empty()))
            .map(|(_, v)| Cow::Borrowed(v.as_str()))
            .collect()
    }
    fn keys(&self) -> Vec<Cow<'_, str>> {
        self.grouped().into_iter().map(|(k, _)| k).collect()
    }
    fn grouped(&self) -> Vec<(Cow<'_, str>, Vec<Cow<'_, str>>)> {
        let pairs = self
            .pairs
            .iter()
            .map(|(k, v)| (Cow::Borrowed(k.as_str()), Cow::Borrowed(v.as_str())));
        group(pairs, |v| !(self.empty_is_missing && v.is_empty()))
    }
}

/// A parameter read from a [`Source`] by name: a scalar ([`ParamValue`]), an
/// `Option` or `Vec` of one, or a struct of parameters (`#[derive(ParamModel)]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from the path, query, headers, cookies or form fields",
    label = "not a parameter type",
    note = "use a scalar (integers, floats, bool, String, Uuid, dates), Option<T>, Vec<T>, an enum with #[derive(ferroapi::ParamEnum)], or a struct with #[derive(ferroapi::ParamModel)]"
)]
pub trait FromParam: Sized + Send {
    /// Reads the value named by `spec` (or the whole source, for models).
    fn from_source(
        src: &dyn Source,
        spec: &'static ParamSpec,
        loc: Location,
        errors: &mut Vec<ErrorItem>,
    ) -> Outcome<Self>;

    /// Start-up hook.
    fn prepare() {}

    /// What the parameter adds to the OpenAPI operation.
    fn describe(spec: &'static ParamSpec, loc: Location, cx: &mut crate::openapi::parts::Describe);
}

fn describe_one<T: schemars::JsonSchema>(
    spec: &'static ParamSpec,
    loc: Location,
    required: bool,
    cx: &mut crate::openapi::parts::Describe,
) {
    let schema = cx.schema_for::<T>();
    let name = wire_name(spec, loc).to_string();
    document(cx, spec, loc, name, required && !spec.has_default, schema);
}

/// Records one documented input: a form field in the body, or a parameter.
fn document(
    cx: &mut crate::openapi::parts::Describe,
    spec: &'static ParamSpec,
    loc: Location,
    name: String,
    required: bool,
    schema: schemars::Schema,
) {
    if loc == Location::Body {
        cx.body(crate::openapi::parts::BodyDoc {
            openapi_examples: None,
            model: false,
            name,
            kind: super::BodyKind::Form,
            required,
            schema,
            default: None,
            password: false,
            spec,
        });
    } else {
        cx.parameter(crate::openapi::parts::ParameterDoc {
            openapi_examples: None,
            name,
            location: loc,
            required,
            schema,
            default: None,
            spec,
        });
    }
}

fn wire_name(spec: &'static ParamSpec, loc: Location) -> &'static str {
    if loc == Location::Header {
        spec.header_name
    } else {
        spec.name
    }
}

fn param_loc(loc: Location, name: &'static str) -> Vec<LocPart> {
    loc.loc(name)
}

/// Parses one present value, recording pydantic's error at the parameter's loc.
fn parse_raw<T: ParamValue>(
    raw: Cow<'_, str>,
    spec: &'static ParamSpec,
    loc: Location,
    name: &'static str,
    errors: &mut Vec<ErrorItem>,
) -> Outcome<T> {
    match T::parse(&raw, &spec.constraints) {
        Ok(v) => Outcome::Value(v),
        Err(k) => {
            errors.push(ErrorItem::from_kind(
                k,
                param_loc(loc, name),
                PyValue::Str(raw.into_owned()),
            ));
            Outcome::Invalid
        }
    }
}

impl<T: ParamValue> FromParam for T {
    fn prepare() {
        T::prepare();
    }

    fn describe(spec: &'static ParamSpec, loc: Location, cx: &mut crate::openapi::parts::Describe) {
        describe_one::<T>(spec, loc, true, cx);
    }

    fn from_source(
        src: &dyn Source,
        spec: &'static ParamSpec,
        loc: Location,
        errors: &mut Vec<ErrorItem>,
    ) -> Outcome<Self> {
        let name = wire_name(spec, loc);
        match src.last(name) {
            Some(raw) => parse_raw(raw, spec, loc, name, errors),
            None if spec.has_default => Outcome::Missing,
            None => {
                errors.push(ErrorItem::missing(param_loc(loc, name), PyValue::Null));
                Outcome::Invalid
            }
        }
    }
}

impl<T: ParamValue> FromParam for Option<T> {
    fn prepare() {
        T::prepare();
    }

    fn describe(spec: &'static ParamSpec, loc: Location, cx: &mut crate::openapi::parts::Describe) {
        describe_one::<Option<T>>(spec, loc, false, cx);
    }

    fn from_source(
        src: &dyn Source,
        spec: &'static ParamSpec,
        loc: Location,
        errors: &mut Vec<ErrorItem>,
    ) -> Outcome<Self> {
        let name = wire_name(spec, loc);
        let Some(raw) = src.last(name) else {
            return if spec.has_default {
                Outcome::Missing
            } else {
                Outcome::Value(None)
            };
        };
        match parse_raw::<T>(raw, spec, loc, name, errors) {
            Outcome::Value(v) => Outcome::Value(Some(v)),
            _ => Outcome::Invalid,
        }
    }
}

impl<T: ParamValue> FromParam for Vec<T> {
    fn prepare() {
        T::prepare();
    }

    fn describe(spec: &'static ParamSpec, loc: Location, cx: &mut crate::openapi::parts::Describe) {
        describe_one::<Vec<T>>(spec, loc, true, cx);
    }

    fn from_source(
        src: &dyn Source,
        spec: &'static ParamSpec,
        loc: Location,
        errors: &mut Vec<ErrorItem>,
    ) -> Outcome<Self> {
        let name = wire_name(spec, loc);
        let raw = src.all(name);
        if raw.is_empty() {
            if spec.has_default {
                return Outcome::Missing;
            }
            errors.push(ErrorItem::missing(param_loc(loc, name), PyValue::Null));
            return Outcome::Invalid;
        }
        let mut out = Vec::with_capacity(raw.len());
        let before = errors.len();
        for (i, r) in raw.iter().enumerate() {
            // The declared lengths apply to the list, not to its items.
            match T::parse(r, &super::Constraints::NONE) {
                Ok(v) => out.push(v),
                Err(k) => {
                    let mut l = param_loc(loc, name);
                    l.push(LocPart::Index(i));
                    errors.push(ErrorItem::from_kind(k, l, PyValue::Str(r.to_string())));
                }
            }
        }
        if errors.len() > before {
            return Outcome::Invalid;
        }
        let n = out.len();
        let list_err = if let Some(min) = spec.constraints.min_length.filter(|m| n < *m) {
            Some(kinds::too_short(min, n))
        } else {
            spec.constraints
                .max_length
                .filter(|m| n > *m)
                .map(|max| kinds::too_long(max, n))
        };
        if let Some(k) = list_err {
            let input = PyValue::List(raw.iter().map(|r| PyValue::Str(r.to_string())).collect());
            errors.push(ErrorItem::from_kind(k, param_loc(loc, name), input));
            return Outcome::Invalid;
        }
        Outcome::Value(out)
    }
}

impl<T: ParamValue> FromParam for Option<Vec<T>> {
    fn prepare() {
        T::prepare();
    }

    fn describe(spec: &'static ParamSpec, loc: Location, cx: &mut crate::openapi::parts::Describe) {
        describe_one::<Option<Vec<T>>>(spec, loc, false, cx);
    }

    fn from_source(
        src: &dyn Source,
        spec: &'static ParamSpec,
        loc: Location,
        errors: &mut Vec<ErrorItem>,
    ) -> Outcome<Self> {
        if src.last(wire_name(spec, loc)).is_none() {
            return if spec.has_default {
                Outcome::Missing
            } else {
                Outcome::Value(None)
            };
        }
        match Vec::<T>::from_source(src, spec, loc, errors) {
            Outcome::Value(v) => Outcome::Value(Some(v)),
            _ => Outcome::Invalid,
        }
    }
}

/// The fields of a parameter model that collect repeated keys (lists),
/// computed once per type at start-up.
#[derive(Debug)]
pub struct ModelInfo {
    list_fields: Vec<String>,
    /// The schema states rules serde does not check (bounds, lengths,
    /// patterns): a parsed model is walked against it too.
    constrained: bool,
    /// Fields whose header name differs (`x_shop` is read from `x-shop`, as
    /// FastAPI's `convert_underscores` does for a header model's fields).
    header_names: Vec<(String, String)>,
}

impl ModelInfo {
    /// Reads the model's schema.
    pub fn of<T: schemars::JsonSchema + 'static>() -> Self {
        let diag = crate::validation::schema::cached::<T>();
        ModelInfo {
            list_fields: diag
                .field_names()
                .into_iter()
                .filter(|(_, list)| *list)
                .map(|(n, _)| n.to_string())
                .collect(),
            constrained: diag.constrained(),
            header_names: diag
                .field_names()
                .into_iter()
                .filter(|(n, _)| n.contains('_'))
                .map(|(n, _)| (n.to_string(), n.replace('_', "-")))
                .collect(),
        }
    }
}

/// A header model's view of the headers: each field under its own name, read
/// from its hyphenated header; the unconverted spelling (`x_shop: ..`) is not
/// read, nor passed on as an extra key (FastAPI's rule).
struct HeaderFields<'a> {
    inner: &'a dyn Source,
    names: &'a [(String, String)],
}

impl HeaderFields<'_> {
    fn header<'n>(&'n self, name: &'n str) -> &'n str {
        self.names
            .iter()
            .find(|(field, _)| field == name)
            .map_or(name, |(_, header)| header.as_str())
    }
}

impl Source for HeaderFields<'_> {
    fn last(&self, name: &str) -> Option<Cow<'_, str>> {
        self.inner.last(self.header(name))
    }
    fn all(&self, name: &str) -> Vec<Cow<'_, str>> {
        self.inner.all(self.header(name))
    }
    fn keys(&self) -> Vec<Cow<'_, str>> {
        self.inner
            .keys()
            .into_iter()
            .filter(|k| !self.names.iter().any(|(field, _)| field == k))
            .map(
                |k| match self.names.iter().find(|(_, header)| *header == k) {
                    Some((field, _)) => Cow::Owned(field.clone()),
                    None => k,
                },
            )
            .collect()
    }
}

/// Describes a parameter model as FastAPI does: one parameter per field.
/// Used by `#[derive(ParamModel)]`.
pub fn describe_model<T: schemars::JsonSchema>(
    spec: &'static ParamSpec,
    loc: Location,
    cx: &mut crate::openapi::parts::Describe,
) {
    if loc == Location::Body {
        // FastAPI documents a form model by reference to the model itself.
        let schema = cx.schema_for::<T>();
        cx.body(crate::openapi::parts::BodyDoc {
            openapi_examples: None,
            model: true,
            name: spec.name.to_string(),
            kind: super::BodyKind::Form,
            required: true,
            schema,
            default: None,
            password: false,
            spec,
        });
        return;
    }
    let root = cx.root_schema_for::<T>();
    let required: Vec<String> = root
        .get("required")
        .and_then(|r| r.as_array())
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let Some(props) = root.get("properties").and_then(|p| p.as_object()) else {
        return;
    };
    for (name, schema) in props {
        let mut schema = schema.clone();
        let documented = if loc == Location::Header {
            // Titled by the field, named by the header.
            if let Some(o) = schema.as_object_mut() {
                o.entry("title")
                    .or_insert_with(|| crate::openapi::parts::py_title(name).into());
            }
            name.replace('_', "-")
        } else {
            name.clone()
        };
        let schema = schemars::Schema::try_from(schema).unwrap_or_default();
        document(cx, spec, loc, documented, required.contains(name), schema);
    }
}

/// Reads a struct of parameters (FastAPI's `Annotated[Model, Query()]`): a
/// serde pass straight over the pairs (fast path); on refusal, the model's
/// schema words the errors (unknown keys refused when the model denies unknown
/// fields). Used by `#[derive(ParamModel)]`.
pub fn model_from_source<T>(
    src: &dyn Source,
    loc: Location,
    errors: &mut Vec<ErrorItem>,
    info: &ModelInfo,
) -> Outcome<T>
where
    T: serde::de::DeserializeOwned + schemars::JsonSchema + 'static,
{
    if loc == Location::Header && !info.header_names.is_empty() {
        let renamed = HeaderFields {
            inner: src,
            names: &info.header_names,
        };
        let before = errors.len();
        let out = model_fields(&renamed, loc, errors, info);
        // Errors name the header, as FastAPI reports them.
        for e in &mut errors[before..] {
            if let Some(LocPart::Key(k)) = e.loc.get_mut(1) {
                if let Some((_, header)) = info.header_names.iter().find(|(f, _)| f == k) {
                    *k = Cow::Owned(header.clone());
                }
            }
        }
        return out;
    }
    model_fields(src, loc, errors, info)
}

fn model_fields<T>(
    src: &dyn Source,
    loc: Location,
    errors: &mut Vec<ErrorItem>,
    info: &ModelInfo,
) -> Outcome<T>
where
    T: serde::de::DeserializeOwned + schemars::JsonSchema + 'static,
{
    let de = super::pairs_de::PairsDe {
        src,
        list_fields: &info.list_fields,
    };
    let parsed = match T::deserialize(de) {
        Ok(v) if !info.constrained => return Outcome::Value(v),
        r => r.ok(),
    };
    // Diagnose path, or the model's rules over values serde accepted.
    let diag = crate::validation::schema::cached::<T>();
    let mut entries = Vec::new();
    for (key, mut values) in src.grouped() {
        let value = if info.list_fields.iter().any(|f| *f == key) {
            PyValue::List(
                values
                    .into_iter()
                    .map(|v| PyValue::Str(v.into_owned()))
                    .collect(),
            )
        } else {
            match values.pop() {
                Some(v) => PyValue::Str(v.into_owned()),
                None => continue,
            }
        };
        entries.push((key.into_owned(), value));
    }
    // FastAPI's order: the model's fields found, in declaration order, then
    // every other key as the request gave it.
    let mut ordered = Vec::with_capacity(entries.len());
    for (field, _) in diag.field_names() {
        if let Some(i) = entries.iter().position(|(k, _)| k == field) {
            ordered.push(entries.remove(i));
        }
    }
    ordered.append(&mut entries);
    let value = PyValue::Dict(ordered);
    let before = errors.len();
    // The serde pass over the pairs already read text as pydantic does.
    let _ = diag.diagnose(
        &value,
        &mut vec![LocPart::from(loc.as_str())],
        Mode::Strings,
        errors,
    );
    if let Some(v) = parsed {
        return if errors.len() == before {
            Outcome::Value(v)
        } else {
            Outcome::Invalid
        };
    }
    if errors.len() == before {
        errors.push(ErrorItem::from_kind(
            kinds::value_error("the parameters do not match the model"),
            vec![LocPart::from(loc.as_str())],
            value,
        ));
    }
    Outcome::Invalid
}

macro_rules! text_param {
    ($(#[$doc:meta])* $name:ident, $loc:expr, |$cx:ident| $src:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name<T>(pub T);

        impl<T> std::ops::Deref for $name<T> {
            type Target = T;
            fn deref(&self) -> &T {
                &self.0
            }
        }

        impl<T> $name<T> {
            /// Unwraps the value.
            pub fn into_inner(self) -> T {
                self.0
            }
        }

        impl<T> super::Constrained for $name<T> {
            type Value = T;
        }

        impl<T> WithDefault for $name<T> {
            type Inner = T;
            fn with_default(inner: T) -> Self {
                $name(inner)
            }
        }

        impl<S: Sync, T: FromParam> Extract<S> for $name<T> {
            fn prepare(spec: &'static ParamSpec) {
                spec.constraints.warm();
                T::prepare();
            }

            fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
                T::describe(spec, $loc, cx);
            }

            async fn extract($cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
                let mut errors = Vec::new();
                let out = {
                    let src = $src;
                    T::from_source(&src, spec, $loc, &mut errors)
                };
                $cx.data.errors.append(&mut errors);
                match out {
                    Outcome::Value(v) => Outcome::Value($name(v)),
                    Outcome::Missing => Outcome::Missing,
                    Outcome::Invalid => Outcome::Invalid,
                }
            }
        }
    };
}

text_param!(
    /// A path parameter, `{name}` in the route's path (FastAPI's `Path()`).
    Path, Location::Path, |cx| PathSource(&cx.data.path)
);
text_param!(
    /// A query parameter (FastAPI's `Query()`); `Vec<T>` collects repeated keys,
    /// a struct deriving `ParamModel` reads several.
    Query, Location::Query, |cx| QuerySource(cx.data.parts.uri.query().unwrap_or(""))
);
text_param!(
    /// A header (FastAPI's `Header()`): the parameter name with underscores as
    /// hyphens (`x_token` reads `x-token`).
    Header, Location::Header, |cx| HeaderSource(&cx.data.parts.headers)
);
text_param!(
    /// A cookie (FastAPI's `Cookie()`).
    Cookie, Location::Cookie, |cx| CookieSource(&cx.data.parts.headers)
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_source_takes_last_and_all() {
        let q = QuerySource("n=1&n=2&s=a+b&e=");
        assert_eq!(q.last("n").as_deref(), Some("2"));
        assert_eq!(q.all("n"), vec!["1", "2"]);
        assert_eq!(q.last("s").as_deref(), Some("a b"));
        assert_eq!(q.last("e").as_deref(), Some(""));
        assert_eq!(q.keys(), vec!["n", "s", "e"]);
    }

    #[test]
    fn cookies_are_split_and_unquoted() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; session=\"xyz\"".parse().unwrap());
        let c = CookieSource(&h);
        assert_eq!(c.last("session").as_deref(), Some("xyz"));
        assert_eq!(c.last("a").as_deref(), Some("1"));
        assert!(c.last("b").is_none());
    }
}
