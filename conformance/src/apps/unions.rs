//! Mirrors apps/unions.py.

use ferroapi::{post, App, Json};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Cat {
    meows: i64,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Dog {
    barks: f64,
    #[serde(default = "yes")]
    good: bool,
}

// `Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]`: serde's
// internally tagged enum; the tag is each member's `pet_type`.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(tag = "pet_type", rename_all = "lowercase")]
#[schemars(inline)]
pub enum Pet {
    Cat(Cat),
    Dog(Dog),
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Owner {
    name: String,
    pet: Pet,
}

// `Union[int, str]`: an untagged enum, tried in order.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
#[schemars(inline)]
pub enum IntOrStr {
    Int(i64),
    Str(String),
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
#[schemars(inline)]
pub enum IntOrBool {
    Int(i64),
    Bool(bool),
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Mixed {
    value: IntOrStr,
    #[serde(default)]
    maybe: Option<IntOrBool>,
}

#[post("/owners")]
async fn owners(owner: Json<Owner>) -> Json<Owner> {
    owner
}

#[post("/mixed")]
async fn mixed(m: Json<Mixed>) -> Json<Mixed> {
    m
}

pub fn app() -> ferroapi::axum::Router {
    App::new().route(owners).route(mixed).into_router()
}
