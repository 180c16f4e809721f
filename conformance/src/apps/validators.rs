//! Mirrors apps/validators.py: a model's own validators (pydantic's
//! `field_validator`, `AfterValidator` and `model_validator`) as garde
//! `custom` rules on a field and on the struct.

use ferroapi::{post, App, Json};
use serde::{Deserialize, Serialize};

fn no_shouting(v: &str, _: &()) -> garde::Result {
    // Python's `str.isupper()`: at least one cased character, none lower.
    let cased = v.chars().any(|c| c.is_uppercase() || c.is_lowercase());
    if cased && !v.chars().any(char::is_lowercase) {
        return Err(garde::Error::new("no shouting"));
    }
    Ok(())
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Tag {
    #[garde(custom(no_shouting))]
    label: String,
    #[garde(range(min = 0))]
    weight: i64,
}

// ANCHOR: signup
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(custom(passwords_match))]
pub struct Signup {
    #[garde(length(chars, min = 2))]
    name: String,
    #[garde(custom(no_shouting))]
    nickname: String,
    #[garde(range(min = 0))]
    age: i64,
    #[garde(custom(long_password))]
    password: String,
    #[garde(skip)]
    repeat: String,
    #[serde(default)]
    #[garde(dive)]
    tags: Vec<Tag>,
    #[serde(default)]
    #[garde(custom(some_scores))]
    scores: Vec<i64>,
}

/// `@field_validator("password")`
fn long_password(v: &str, _: &()) -> garde::Result {
    if v.chars().count() < 8 {
        return Err(garde::Error::new("password too short"));
    }
    Ok(())
}

/// `@model_validator(mode="after")`: runs only when every field passed.
fn passwords_match(s: &Signup, _: &()) -> garde::Result {
    if s.password != s.repeat {
        return Err(garde::Error::new("passwords do not match"));
    }
    Ok(())
}
// ANCHOR_END: signup

fn some_scores(v: &[i64], _: &()) -> garde::Result {
    if v.iter().sum::<i64>() > 100 {
        return Err(garde::Error::new("too many points"));
    }
    Ok(())
}

#[post("/signup")]
fn signup(body: Json<Signup>) -> Json<Signup> {
    body
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(custom(ordered))]
pub struct Pair {
    #[garde(skip)]
    low: i64,
    #[garde(skip)]
    high: i64,
}

fn ordered(p: &Pair, _: &()) -> garde::Result {
    if p.low > p.high {
        return Err(garde::Error::new("low is above high"));
    }
    Ok(())
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Range {
    #[garde(custom(no_shouting))]
    name: String,
    #[garde(dive)]
    pair: Pair,
    #[serde(default)]
    #[garde(dive)]
    pairs: Vec<Pair>,
}

#[post("/range")]
fn ranges(body: Json<Range>) -> Json<Range> {
    body
}

pub fn app() -> ferroapi::axum::Router {
    App::new().route(signup).route(ranges).into_router()
}
