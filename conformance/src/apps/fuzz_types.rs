//! Mirrors apps/fuzz_types.py: the differential fuzzer's twin, one route per
//! type in a JSON body and in the query string, each echoing its input.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::NaiveDate;
use ferroapi::{get, post, App, Cookie, Form, Header, Json, ParamEnum, Path, Query};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

// `class Color(str, Enum)`
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema, ParamEnum)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Red,
    Green,
}

// `class Level(IntEnum)`
#[derive(
    Debug,
    Clone,
    Copy,
    serde_repr::Deserialize_repr,
    serde_repr::Serialize_repr,
    schemars::JsonSchema_repr,
)]
#[repr(u8)]
pub enum Level {
    Low = 1,
    High = 2,
}

// `Literal["a", "b"]`
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline, transform = ferroapi::literal)]
pub enum AOrB {
    A,
    B,
}

fn x() -> String {
    "x".into()
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Inner {
    i: i64,
    #[serde(default = "x")]
    s: String,
}

/// A body model `Body_<name>` with one field `v`, and its echo route.
macro_rules! body {
    ($fn:ident, $model:ident, $path:literal, $ty:ty $(, #[$attr:meta])*) => {
        #[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
        #[allow(non_camel_case_types)]
        #[garde(allow_unvalidated)]
        pub struct $model {
            $(#[$attr])*
            v: $ty,
        }

        #[post($path)]
        async fn $fn(body: Json<$model>) -> Json<$model> {
            body
        }
    };
}

body!(body_int, Body_int, "/body/int", i64);
body!(body_float, Body_float, "/body/float", f64);
body!(body_str, Body_str, "/body/str", String);
body!(body_bool, Body_bool, "/body/bool", bool);
body!(
    body_optional_int,
    Body_optional_int,
    "/body/optional_int",
    ferroapi::Nullable<i64>
);
body!(body_list_int, Body_list_int, "/body/list_int", Vec<i64>);
body!(body_list_str, Body_list_str, "/body/list_str", Vec<String>);
body!(body_dict_str_int, Body_dict_str_int, "/body/dict_str_int", IndexMap<String, i64>);
body!(body_dict_int_float, Body_dict_int_float, "/body/dict_int_float", IndexMap<i64, f64>);
body!(body_int_ge0_le100, Body_int_ge0_le100, "/body/int_ge0_le100", i64, #[garde(range(min = 0, max = 100))]);
body!(
    body_int_multiple_of_3,
    Body_int_multiple_of_3,
    "/body/int_multiple_of_3",
    i64,
    #[garde(custom(ferroapi::rules::multiple_of(3)))],
    #[schemars(extend("multipleOf" = 3))]
);
body!(body_str_len_2_5, Body_str_len_2_5, "/body/str_len_2_5", String, #[garde(length(chars, min = 2, max = 5))]);
body!(body_str_pattern, Body_str_pattern, "/body/str_pattern", String, #[garde(pattern(r"^[a-z]+\d*$"))]);
body!(
    body_float_gt0_lt1,
    Body_float_gt0_lt1,
    "/body/float_gt0_lt1",
    f64,
    #[garde(custom(ferroapi::rules::gt(0.0)), custom(ferroapi::rules::lt(1.0)))],
    #[schemars(extend("exclusiveMinimum" = 0.0, "exclusiveMaximum" = 1.0))]
);
body!(body_list_len_1_3, Body_list_len_1_3, "/body/list_len_1_3", Vec<i64>, #[garde(length(min = 1, max = 3))]);
body!(
    body_datetime,
    Body_datetime,
    "/body/datetime",
    ferroapi::Datetime
);
body!(body_date, Body_date, "/body/date", NaiveDate);
body!(body_uuid, Body_uuid, "/body/uuid", Uuid);
body!(body_str_enum, Body_str_enum, "/body/str_enum", Color);
body!(body_int_enum, Body_int_enum, "/body/int_enum", Level);
body!(body_literal, Body_literal, "/body/literal", AOrB);
body!(body_inner, Body_inner, "/body/inner", Inner, #[garde(dive)]);
body!(body_list_inner, Body_list_inner, "/body/list_inner", Vec<Inner>, #[garde(dive)]);
body!(
    body_optional_inner,
    Body_optional_inner,
    "/body/optional_inner",
    ferroapi::Nullable<Inner>,
    #[garde(dive)]
);
body!(
    body_tuple_int_str,
    Body_tuple_int_str,
    "/body/tuple_int_str",
    (i64, String)
);
body!(
    body_tuple_ints,
    Body_tuple_ints,
    "/body/tuple_ints",
    ferroapi::Tuple<i64>
);
body!(body_set_int, Body_set_int, "/body/set_int", BTreeSet<i64>);
// Python's `time`: naive or aware, as sent.
body!(body_time, Body_time, "/body/time", ferroapi::Time);
body!(body_ipv4, Body_ipv4, "/body/ipv4", Ipv4Addr);
body!(body_ipv6, Body_ipv6, "/body/ipv6", Ipv6Addr);
body!(body_ip_any, Body_ip_any, "/body/ip_any", IpAddr);
body!(
    body_aware_datetime,
    Body_aware_datetime,
    "/body/aware_datetime",
    ferroapi::AwareDatetime
);
body!(
    body_naive_datetime,
    Body_naive_datetime,
    "/body/naive_datetime",
    ferroapi::NaiveDatetime
);
body!(
    body_past_date,
    Body_past_date,
    "/body/past_date",
    ferroapi::PastDate
);
body!(
    body_future_date,
    Body_future_date,
    "/body/future_date",
    ferroapi::FutureDate
);
body!(
    body_past_datetime,
    Body_past_datetime,
    "/body/past_datetime",
    ferroapi::PastDatetime
);
body!(
    body_ipv4_network,
    Body_ipv4_network,
    "/body/ipv4_network",
    ferroapi::Ipv4Network
);
body!(
    body_ipv6_network,
    Body_ipv6_network,
    "/body/ipv6_network",
    ferroapi::Ipv6Network
);
body!(
    body_ip_any_network,
    Body_ip_any_network,
    "/body/ip_any_network",
    ferroapi::IpNetwork
);
body!(
    body_ipv4_interface,
    Body_ipv4_interface,
    "/body/ipv4_interface",
    ferroapi::Ipv4Interface
);
body!(
    body_ipv6_interface,
    Body_ipv6_interface,
    "/body/ipv6_interface",
    ferroapi::Ipv6Interface
);
body!(
    body_ip_any_interface,
    Body_ip_any_interface,
    "/body/ip_any_interface",
    ferroapi::IpInterface
);
body!(
    body_future_datetime,
    Body_future_datetime,
    "/body/future_datetime",
    ferroapi::FutureDatetime
);

body!(
    body_decimal,
    Body_decimal,
    "/body/decimal",
    ferroapi::Decimal
);
body!(body_decimal_5_2, Body_decimal_5_2, "/body/decimal_5_2", ferroapi::Condecimal<5, 2>);
// Bounds that are read from text are made once (garde builds its rules on
// each validation).
static DECIMAL_MIN: std::sync::LazyLock<ferroapi::Decimal> =
    std::sync::LazyLock::new(|| ferroapi::Decimal::literal("-1.5"));
static DECIMAL_STEP: std::sync::LazyLock<ferroapi::Decimal> =
    std::sync::LazyLock::new(|| ferroapi::Decimal::literal("0.25"));
body!(
    body_decimal_bounds,
    Body_decimal_bounds,
    "/body/decimal_bounds",
    ferroapi::Decimal,
    #[garde(
        custom(ferroapi::rules::ge(&*DECIMAL_MIN)),
        custom(ferroapi::rules::lt(ferroapi::Decimal::from(100))),
        custom(ferroapi::rules::multiple_of(&*DECIMAL_STEP))
    )],
    #[schemars(extend("minimum" = -1.5, "exclusiveMaximum" = 100, "multipleOf" = 0.25))]
);
body!(
    body_list_decimal,
    Body_list_decimal,
    "/body/list_decimal",
    Vec<ferroapi::Decimal>
);

/// A required query parameter `v`, echoed as `{"v": ...}`.
macro_rules! query {
    ($fn:ident, $path:literal, $ty:ty $(, $param:meta)?) => {
        #[get($path)]
        async fn $fn($(#[$param])? v: Query<$ty>) -> Json<Value> {
            Json(json!({ "v": v.0 }))
        }
    };
}

query!(query_int, "/query/int", i64);
query!(query_float, "/query/float", f64);
query!(query_bool, "/query/bool", bool);
query!(query_str, "/query/str", String);
query!(query_uuid, "/query/uuid", Uuid);
query!(query_date, "/query/date", NaiveDate);
query!(
    query_int_ge0_le100,
    "/query/int_ge0_le100",
    i64,
    param(ge = 0, le = 100)
);
query!(
    query_str_len_2_5,
    "/query/str_len_2_5",
    String,
    param(min_length = 2, max_length = 5)
);
query!(query_str_enum, "/query/str_enum", Color);
query!(query_list_int, "/query/list_int", Vec<i64>);

/// A parameter's value as FastAPI's `jsonable_encoder` writes it.
fn echo<T: Serialize>(v: &T) -> Value {
    json!({ "v": v })
}

/// A date-time as `jsonable_encoder` writes it (`isoformat()`).
fn echo_datetime(v: &ferroapi::Datetime) -> Value {
    json!({ "v": ferroapi::datetime::PydanticText::isoformat(v) })
}

/// One route a source and type: path, header, cookie and form parameters
/// named `v`, echoed as `{"v": ...}`.
macro_rules! sources {
    ($($ty:ty, $echo:ident, [$path:ident $pp:literal, $header:ident $hp:literal, $cookie:ident $cp:literal, $form:ident $fp:literal]);* $(;)?) => {
        $(
            #[get($pp)]
            async fn $path(v: Path<$ty>) -> Json<Value> {
                Json($echo(&v.0))
            }
            #[get($hp)]
            async fn $header(v: Header<$ty>) -> Json<Value> {
                Json($echo(&v.0))
            }
            #[get($cp)]
            async fn $cookie(v: Cookie<$ty>) -> Json<Value> {
                Json($echo(&v.0))
            }
            #[post($fp)]
            async fn $form(v: Form<$ty>) -> Json<Value> {
                Json($echo(&v.0))
            }
        )*
        fn with_sources(app: App) -> App {
            app$(.route($path).route($header).route($cookie).route($form))*
        }
    };
}

sources! {
    i64, echo, [path_int "/path/int/{v}", header_int "/header/int", cookie_int "/cookie/int", form_int "/form/int"];
    f64, echo, [path_float "/path/float/{v}", header_float "/header/float", cookie_float "/cookie/float", form_float "/form/float"];
    bool, echo, [path_bool "/path/bool/{v}", header_bool "/header/bool", cookie_bool "/cookie/bool", form_bool "/form/bool"];
    Uuid, echo, [path_uuid "/path/uuid/{v}", header_uuid "/header/uuid", cookie_uuid "/cookie/uuid", form_uuid "/form/uuid"];
    NaiveDate, echo, [path_date "/path/date/{v}", header_date "/header/date", cookie_date "/cookie/date", form_date "/form/date"];
    ferroapi::Datetime, echo_datetime, [path_datetime "/path/datetime/{v}", header_datetime "/header/datetime", cookie_datetime "/cookie/datetime", form_datetime "/form/datetime"];
    Color, echo, [path_str_enum "/path/str_enum/{v}", header_str_enum "/header/str_enum", cookie_str_enum "/cookie/str_enum", form_str_enum "/form/str_enum"];
}

#[get("/query/aware_datetime")]
async fn query_aware_datetime(v: Query<ferroapi::AwareDatetime>) -> Json<Value> {
    Json(json!({ "v": ferroapi::datetime::PydanticText::isoformat(&v.0) }))
}

query!(query_past_date, "/query/past_date", ferroapi::PastDate);
query!(
    query_ip_any_network,
    "/query/ip_any_network",
    ferroapi::IpNetwork
);

// FastAPI writes a decimal parameter back through `jsonable_encoder`: a
// number, not the text a model writes.
#[get("/query/decimal")]
async fn query_decimal(v: Query<ferroapi::Decimal>) -> Json<Value> {
    Json(json!({ "v": v.0.to_jsonable() }))
}

#[get("/query/decimal_5_2")]
async fn query_decimal_5_2(v: Query<ferroapi::Condecimal<5, 2>>) -> Json<Value> {
    Json(json!({ "v": v.0.to_jsonable() }))
}

#[get("/query/decimal_ge0_le1000")]
async fn query_decimal_ge0_le1000(
    #[param(ge = 0, le = 1000)] v: Query<ferroapi::Decimal>,
) -> Json<Value> {
    Json(json!({ "v": v.0.to_jsonable() }))
}

#[get("/query/datetime")]
async fn query_datetime(v: Query<ferroapi::Datetime>) -> Json<Value> {
    Json(json!({ "v": ferroapi::datetime::PydanticText::isoformat(&v.0) }))
}

pub fn app() -> ferroapi::axum::Router {
    let app = App::new()
        .route(body_int)
        .route(body_float)
        .route(body_str)
        .route(body_bool)
        .route(body_optional_int)
        .route(body_list_int)
        .route(body_list_str)
        .route(body_dict_str_int)
        .route(body_dict_int_float)
        .route(body_int_ge0_le100)
        .route(body_int_multiple_of_3)
        .route(body_str_len_2_5)
        .route(body_str_pattern)
        .route(body_float_gt0_lt1)
        .route(body_list_len_1_3)
        .route(body_datetime)
        .route(body_date)
        .route(body_uuid)
        .route(body_str_enum)
        .route(body_int_enum)
        .route(body_literal)
        .route(body_inner)
        .route(body_list_inner)
        .route(body_optional_inner)
        .route(body_tuple_int_str)
        .route(body_tuple_ints)
        .route(body_set_int)
        .route(body_time)
        .route(body_ipv4)
        .route(body_ipv6)
        .route(body_ip_any)
        .route(body_aware_datetime)
        .route(body_naive_datetime)
        .route(body_past_date)
        .route(body_future_date)
        .route(body_past_datetime)
        .route(body_future_datetime)
        .route(body_ipv4_network)
        .route(body_ipv6_network)
        .route(body_ip_any_network)
        .route(body_ipv4_interface)
        .route(body_ipv6_interface)
        .route(body_ip_any_interface)
        .route(body_decimal)
        .route(body_decimal_5_2)
        .route(body_decimal_bounds)
        .route(body_list_decimal)
        .route(query_int)
        .route(query_float)
        .route(query_bool)
        .route(query_str)
        .route(query_uuid)
        .route(query_date)
        .route(query_datetime)
        .route(query_int_ge0_le100)
        .route(query_str_len_2_5)
        .route(query_str_enum)
        .route(query_list_int)
        .route(query_aware_datetime)
        .route(query_past_date)
        .route(query_ip_any_network)
        .route(query_decimal)
        .route(query_decimal_5_2)
        .route(query_decimal_ge0_le1000);
    with_sources(app).into_router()
}
