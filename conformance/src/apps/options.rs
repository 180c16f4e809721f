//! Mirrors apps/options.py: pydantic's `Field` and `model_config` options.
//! The options that change nothing on the wire have no Rust counterpart
//! (`Quiet` is a plain struct); the others are serde and schemars
//! attributes.

use ferroapi::{post, App, Json};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Red,
    Green,
}

fn red() -> Color {
    Color::Red
}

fn one() -> i64 {
    1
}

fn ab() -> String {
    "ab".into()
}

fn x() -> String {
    "x".into()
}

/// Options without an effect on the wire.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Quiet {
    #[garde(skip)]
    name: String,
    #[serde(default = "red")]
    #[garde(skip)]
    color: Color,
    #[serde(default = "one")]
    #[garde(range(min = 0))]
    count: i64,
    #[serde(default = "ab")]
    #[garde(pattern(r"^[a-z]+$"))]
    code: String,
}

#[post("/quiet")]
fn quiet(body: Json<Quiet>) -> Json<Quiet> {
    body
}

// ANCHOR: camel
// `alias_generator=to_camel, populate_by_name=True`
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
#[garde(allow_unvalidated)]
pub struct Camel {
    #[serde(alias = "first_name")]
    first_name: String,
    #[serde(default, alias = "item_count")]
    item_count: i64,
}
// ANCHOR_END: camel

#[post("/camel")]
fn camel(body: Json<Camel>) -> Json<Camel> {
    body
}

// ANCHOR: split
/// Read under one name, written under another.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Split {
    // `Field(validation_alias="inName")`
    #[serde(rename(deserialize = "inName"))]
    in_only: String,
    // `Field(serialization_alias="outName")`
    #[serde(rename(serialize = "outName"))]
    out_only: String,
    // `Field(validation_alias=AliasChoices("either", "other"))`
    #[serde(alias = "other")]
    either: i64,
    // `Field(alias="Aliased")`
    #[serde(rename = "Aliased")]
    aliased: String,
    // An optional field written under another name.
    #[serde(default, rename(serialize = "nickName"))]
    nick: Option<String>,
}
// ANCHOR_END: split

#[post("/split")]
fn split(body: Json<Split>) -> Json<Split> {
    body
}

// ANCHOR: open
// `model_config = ConfigDict(extra="allow")`
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Open {
    name: String,
    #[serde(flatten)]
    extra: IndexMap<String, Value>,
}
// ANCHOR_END: open

#[post("/open")]
fn open_model(body: Json<Open>) -> Json<Open> {
    body
}

// ANCHOR: documented
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[schemars(title = "A documented model", extend("x-kind" = "doc"))]
#[garde(allow_unvalidated)]
pub struct Documented {
    /// Who it is.
    #[schemars(title = "The name", example = &"ann")]
    name: String,
    #[serde(default)]
    #[deprecated]
    old: Option<i64>,
    /// Said by Field
    #[serde(default = "x")]
    #[schemars(extend("x-shown" = true))]
    shown: String,
}
// ANCHOR_END: documented

#[post("/documented")]
fn documented(body: Json<Documented>) -> Json<Documented> {
    body
}

fn s() -> String {
    "s".into()
}

fn medium() -> IndexMap<String, i64> {
    IndexMap::from([("m".to_string(), 1)])
}

// ANCHOR: shaped
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Shaped {
    name: String,
    // `Field(default="s", exclude=True)`: read, never written.
    #[serde(default = "s", skip_serializing)]
    #[schemars(extend("default" = "s"))]
    secret: String,
    // `Field(default_factory=list)`: no `default` in the document.
    #[serde(default)]
    #[schemars(transform = ferroapi::default_factory)]
    tags: Vec<String>,
    #[serde(default = "medium")]
    #[schemars(transform = ferroapi::default_factory)]
    sizes: IndexMap<String, i64>,
}
// ANCHOR_END: shaped

impl Shaped {
    /// What the handler would use the excluded field for.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

#[post("/shaped")]
fn shaped(body: Json<Shaped>) -> Json<Shaped> {
    body
}

// ANCHOR: finite
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Finite {
    // `Field(allow_inf_nan=False)`
    #[schemars(transform = ferroapi::finite)]
    v: f64,
    // `FiniteFloat`
    #[serde(default)]
    #[schemars(transform = ferroapi::finite)]
    w: f64,
    #[serde(default)]
    free: f64,
}
// ANCHOR_END: finite

#[post("/finite")]
fn finite(body: Json<Finite>) -> Json<Finite> {
    body
}

// ANCHOR: kinds
// `UserId = NewType("UserId", int)`
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(transparent)]
#[schemars(inline)]
pub struct UserId(i64);

fn half() -> f64 {
    0.5
}

fn t() -> String {
    "t".into()
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Kinds {
    #[garde(skip)]
    uid: UserId,
    // `Mapping[str, int]`
    #[serde(default)]
    #[schemars(extend("default" = {}))]
    #[garde(skip)]
    counts: IndexMap<String, i64>,
    // `confloat(ge=0, lt=1)`
    #[serde(default = "half")]
    #[garde(range(min = 0.0), custom(ferroapi::rules::lt(1.0)))]
    #[schemars(extend("exclusiveMaximum" = 1.0))]
    ratio: f64,
    // `StrictStr`
    #[serde(default = "t")]
    #[schemars(transform = ferroapi::strict)]
    #[garde(skip)]
    tag: String,
    // `conbytes(max_length=3)`
    #[serde(default)]
    #[garde(length(max = 3))]
    blob: ferroapi::Bytes,
}
// ANCHOR_END: kinds

#[post("/kinds")]
fn kinds(body: Json<Kinds>) -> Json<Kinds> {
    body
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
#[garde(allow_unvalidated)]
pub struct Team {
    members: Vec<Camel>,
    #[serde(default)]
    lead: Option<Camel>,
}

#[post("/team")]
fn team(body: Json<Team>) -> Json<Team> {
    body
}

pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(quiet)
        .route(camel)
        .route(split)
        .route(open_model)
        .route(documented)
        .route(team)
        .route(shaped)
        .route(finite)
        .route(kinds)
        .into_router()
}
