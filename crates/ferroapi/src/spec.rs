//! What a route declares of each parameter, written by the route macros:
//! where it is read from, its constraints, what the document says of it.
//! Extraction reads these at run time and the OpenAPI document at build
//! time; both import them from here (the public path is `ferroapi::extract`).

use std::sync::OnceLock;

use regex::Regex;

use crate::validation::{schema::Bounds, Kind, Loc, LocPart};

/// What kind of request body a parameter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyKind {
    /// No body.
    None,
    /// A JSON body (or one key of an embedded JSON body).
    Json,
    /// Form fields (urlencoded or multipart).
    Form,
    /// A multipart file.
    File,
}

/// A parameter's static description, written by the route macro from the
/// parameter's name and its `#[param(...)]` attribute.
#[derive(Debug)]
pub struct ParamSpec {
    /// The name read from the request (the alias, if one was given).
    pub name: &'static str,
    /// The header name: `name` with underscores as hyphens, lowercased
    /// (FastAPI's `convert_underscores`).
    pub header_name: &'static str,
    /// The schema's title (OpenAPI), when not the one derived from the name
    /// (FastAPI's `Query(title=..)`).
    pub title: Option<&'static str>,
    /// Human description (OpenAPI).
    pub description: Option<&'static str>,
    /// Deprecated (OpenAPI).
    pub deprecated: bool,
    /// Example values as JSON texts (OpenAPI).
    pub examples: &'static [&'static str],
    /// A default exists: absence is not an error.
    pub has_default: bool,
    /// `Body(embed=True)`: the body is `{"<name>": <value>}`.
    pub embed: bool,
    /// Shown in the OpenAPI document.
    pub include_in_schema: bool,
    /// Declared constraints.
    pub constraints: Constraints,
    /// OAuth2 scopes a dependency parameter requires (FastAPI's
    /// `Security(dep, scopes=[...])`): they add to the scopes of everything
    /// that dependency resolves ([`SecurityScopes`](crate::security::SecurityScopes)).
    pub scopes: &'static [&'static str],
    /// A security scheme's `securitySchemes` key, when not the class name
    /// (FastAPI's `scheme_name=`).
    pub scheme_name: Option<&'static str>,
    /// HTTP Basic's realm: the challenge becomes `Basic realm="..."`.
    pub realm: Option<&'static str>,
    /// HTTP Bearer's documented `bearerFormat` (`JWT`).
    pub bearer_format: Option<&'static str>,
    /// FastAPI's `Depends(use_cache=False)`: the dependency runs again even
    /// when this request already has its value.
    pub use_cache: bool,
    /// FastAPI's `Depends(max_concurrency=N)`: at most N calls of the
    /// dependency through this declaration run at once; others wait.
    pub max_concurrency: Option<usize>,
    /// Set at start-up for a JSON body whose type documents a rule that its
    /// garde attributes do not check (`#[schemars(range(min = 1))]` alone):
    /// the values serde and garde accept are then walked by the schema too,
    /// so that no documented rule goes unenforced.
    pub walk_accepted: std::sync::atomic::AtomicBool,
    /// Set at start-up for a JSON body type that serde also reads from an
    /// array (a derived struct accepts `["Odes", 9.5]`, pydantic refuses it):
    /// 1 when only the top-level model can be one (a body starting with `[`
    /// is then walked by the schema too), 2 when nested models can (a body
    /// with any `[` is walked), 0 otherwise.
    pub walk_arrays: std::sync::atomic::AtomicU8,
    /// Set at start-up for a JSON body: 2 when its type is an integer, 1 a
    /// float, 0 neither (its declared bounds are checked, and written in
    /// `ctx`, in that type).
    pub number_kind: std::sync::atomic::AtomicU8,
}

impl ParamSpec {
    /// A spec with only a name, for struct-update syntax in generated code.
    // A template for struct-update syntax in statics: each static gets its
    // own `walk_accepted` flag.
    #[allow(clippy::declare_interior_mutable_const)]
    pub const DEFAULT: ParamSpec = ParamSpec {
        name: "",
        header_name: "",
        title: None,
        description: None,
        deprecated: false,
        examples: &[],
        has_default: false,
        embed: false,
        include_in_schema: true,
        constraints: Constraints::NONE,
        scopes: &[],
        scheme_name: None,
        realm: None,
        bearer_format: None,
        use_cache: true,
        max_concurrency: None,
        walk_accepted: std::sync::atomic::AtomicBool::new(false),
        walk_arrays: std::sync::atomic::AtomicU8::new(0),
        number_kind: std::sync::atomic::AtomicU8::new(0),
    };
}

/// Declared constraints of a parameter (FastAPI's `gt`, `ge`, `lt`, `le`,
/// `multiple_of`, `min_length`, `max_length`, `pattern`).
#[derive(Debug)]
pub struct Constraints {
    /// Exclusive minimum.
    pub gt: Option<f64>,
    /// Inclusive minimum.
    pub ge: Option<f64>,
    /// Exclusive maximum.
    pub lt: Option<f64>,
    /// Inclusive maximum.
    pub le: Option<f64>,
    /// Multiple of.
    pub multiple_of: Option<f64>,
    /// Minimum length (characters, or items for lists).
    pub min_length: Option<usize>,
    /// Maximum length (characters, or items for lists).
    pub max_length: Option<usize>,
    /// A regular expression searched in the value.
    pub pattern: Option<Pattern>,
    /// Where a decimal parameter keeps the bounds above as it compares
    /// them, converted on its first value (`check_decimal`); a route's
    /// parameters have one, other constraints none.
    #[doc(hidden)]
    pub decimal: Option<OnceLock<crate::decimal::Rules>>,
}

impl Constraints {
    /// No constraints.
    pub const NONE: Constraints = Constraints {
        gt: None,
        ge: None,
        lt: None,
        le: None,
        multiple_of: None,
        min_length: None,
        max_length: None,
        pattern: None,
        decimal: None,
    };

    /// A decimal parameter's rules: these bounds (`#[param(ge = ..)]`) and
    /// the type's digit limits.
    fn decimal_rules(
        &self,
        max_digits: Option<u32>,
        decimal_places: Option<u32>,
    ) -> crate::decimal::Rules {
        use crate::Decimal;
        // A whole bound was an int to Python (`Query(ge=0)`): `ctx` says 0.
        let d = |b: Option<f64>| {
            b.and_then(|b| match b.fract() == 0.0 && b.abs() < 1e18 {
                true => Some(Decimal::from_int(b as i128)),
                false => Decimal::from_f64(b).ok(),
            })
        };
        crate::decimal::Rules {
            max_digits,
            decimal_places,
            multiple_of: d(self.multiple_of),
            le: d(self.le),
            lt: d(self.lt),
            ge: d(self.ge),
            gt: d(self.gt),
        }
    }

    /// Checks a decimal parameter against these bounds and the type's digit
    /// limits, converted once (a parameter has one type).
    pub fn check_decimal(
        &self,
        d: &crate::Decimal,
        max_digits: Option<u32>,
        decimal_places: Option<u32>,
    ) -> Result<(), Kind> {
        let make = || self.decimal_rules(max_digits, decimal_places);
        match &self.decimal {
            Some(kept) => kept.get_or_init(make).check(d),
            None => make().check(d),
        }
    }

    /// Whether no constraint is declared.
    pub fn is_empty(&self) -> bool {
        self.gt.is_none()
            && self.ge.is_none()
            && self.lt.is_none()
            && self.le.is_none()
            && self.multiple_of.is_none()
            && self.min_length.is_none()
            && self.max_length.is_none()
            && self.pattern.is_none()
    }

    /// The numeric bounds.
    pub fn bounds(&self) -> Bounds {
        Bounds {
            gt: self.gt,
            ge: self.ge,
            lt: self.lt,
            le: self.le,
            multiple_of: self.multiple_of,
        }
    }

    /// Checks a string's length and pattern (pydantic's order).
    pub fn check_str(&self, s: &str) -> Option<Kind> {
        use crate::validation::kinds;
        if self.min_length.is_some() || self.max_length.is_some() {
            let n = s.chars().count();
            if let Some(min) = self.min_length.filter(|m| n < *m) {
                return Some(kinds::string_too_short(min));
            }
            if let Some(max) = self.max_length.filter(|m| n > *m) {
                return Some(kinds::string_too_long(max));
            }
        }
        if let Some(p) = &self.pattern {
            if !p.regex().is_match(s) {
                return Some(kinds::string_pattern_mismatch(p.text));
            }
        }
        None
    }

    pub(crate) fn warm(&self) {
        if let Some(p) = &self.pattern {
            p.regex();
        }
    }
}

/// A regular expression compiled once (at start-up, when the route is built).
#[derive(Debug)]
pub struct Pattern {
    text: &'static str,
    re: OnceLock<Regex>,
}

impl Pattern {
    /// A pattern from its source text.
    pub const fn new(text: &'static str) -> Self {
        Pattern {
            text,
            re: OnceLock::new(),
        }
    }

    /// The source text.
    pub fn text(&self) -> &'static str {
        self.text
    }

    /// The compiled expression.
    ///
    /// # Panics
    /// If the pattern is not a valid regular expression (at start-up).
    pub fn regex(&self) -> &Regex {
        self.re.get_or_init(|| {
            Regex::new(self.text).unwrap_or_else(|e| panic!("invalid pattern {:?}: {e}", self.text))
        })
    }
}

/// Where a parameter comes from, as the first element of its error `loc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Path.
    Path,
    /// Query string.
    Query,
    /// Header.
    Header,
    /// Cookie.
    Cookie,
    /// Body (JSON or form).
    Body,
}

impl Location {
    /// The `loc` word.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Body => "body",
        }
    }

    /// The loc of a parameter.
    pub fn loc(self, name: &'static str) -> Loc {
        vec![LocPart::from(self.as_str()), LocPart::from(name)]
    }
}
