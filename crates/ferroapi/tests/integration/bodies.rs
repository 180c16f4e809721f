use ferroapi::{post, App, Json, TestClient, UploadFile};
use serde_json::json;

#[post("/upload")]
async fn upload(file: UploadFile) -> Json<serde_json::Value> {
    let bytes = file.bytes().await.unwrap();
    Json(json!({"size": file.size(), "read": bytes.len(), "on_disk": file.is_on_disk()}))
}

fn multipart(size: usize) -> (String, Vec<u8>) {
    let boundary = "b0undary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'x', size));
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn large_uploads_are_spooled_to_disk() {
    let client = TestClient::new(App::new().route(upload));
    let (ct, body) = multipart(3 * 1024 * 1024);
    let res = client
        .post("/upload")
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({"size": 3145728, "read": 3145728, "on_disk": true})
    );

    let (ct, body) = multipart(10);
    let res = client
        .post("/upload")
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    assert_eq!(
        res.json(),
        json!({"size": 10, "read": 10, "on_disk": false})
    );
}

#[tokio::test]
async fn bodies_over_the_limit_answer_413() {
    let client = TestClient::new(App::new().route(upload).max_body_size(1024));
    let (ct, body) = multipart(4096);
    let res = client
        .post("/upload")
        .header("content-type", &ct)
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), 413);
    assert_eq!(res.text(), "Content Too Large");
    assert_eq!(
        res.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Note {
    #[garde(custom(check_no_shouting))]
    text: String,
}

fn check_no_shouting(v: &str, _: &()) -> garde::Result {
    if v.chars().any(|c| c.is_ascii_lowercase()) {
        Ok(())
    } else {
        Err(garde::Error::new("no shouting"))
    }
}

#[post("/notes")]
async fn notes(note: Json<Note>) -> Json<Note> {
    note
}

/// As pydantic reports a `field_validator`'s `ValueError`: the field's value
/// is the `input`, not the body around it.
#[tokio::test]
async fn custom_garde_rules_are_reported_as_value_errors() {
    let client = TestClient::new(App::new().route(notes));
    let res = client
        .post("/notes")
        .json(&json!({"text": "HEY"}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.text(),
        r#"{"detail":[{"type":"value_error","loc":["body","text"],"msg":"Value error, no shouting","input":"HEY","ctx":{"error":{}}}]}"#
    );
    let res = client
        .post("/notes")
        .json(&json!({"text": "hey"}))
        .send()
        .await;
    assert_eq!(res.status(), 200);
}

/// Python's decoder refuses a body that is not UTF-8 wherever the bad
/// bytes are, also in a key the model ignores (which serde, reading bytes,
/// skips unchecked): FastAPI answers 400.
#[tokio::test]
async fn a_body_not_utf8_in_an_ignored_field_is_refused_as_fastapi_does() {
    let client = TestClient::new(App::new().route(notes));
    let res = client
        .post("/notes")
        .header("content-type", "application/json")
        .body(&b"{\"text\": \"hey\", \"extra\": \"\xff\"}"[..])
        .send()
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.text(),
        r#"{"detail":"There was an error parsing the body"}"#
    );
    let res = client
        .post("/notes")
        .header("content-type", "application/json")
        .body(&b"{\"text\": \"hey\", \"extra\": \"\xc3\xa9\"}"[..])
        .send()
        .await;
    assert_eq!(res.status(), 200);
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Reading {
    #[garde(skip)]
    value: f64,
    #[garde(range(min = 0.0))]
    #[serde(default)]
    weight: f64,
}

#[post("/readings")]
async fn readings(reading: Json<Reading>) -> Json<serde_json::Value> {
    let v = reading.value;
    Json(
        json!({"reading": reading.0, "kind": if v.is_nan() { "nan" } else if v > 0.0 { "+inf" } else { "-inf" }}),
    )
}

/// pydantic's floats take what Python's decoder reads (`allow_inf_nan`):
/// the handler gets the non-finite `f64`, the response writes it `null`,
/// and `NaN` still fails every bound.
#[tokio::test]
async fn non_finite_floats_reach_the_handler_as_pydantic_keeps_them() {
    let client = TestClient::new(App::new().route(readings));
    for (body, kind) in [
        (r#"{"value": Infinity}"#, "+inf"),
        (r#"{"value": -1e400}"#, "-inf"),
        (r#"{"value": NaN}"#, "nan"),
        (r#"{"value": "inf"}"#, "+inf"),
        (r#"{"value": "-Infinity"}"#, "-inf"),
    ] {
        let res = client
            .post("/readings")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        assert_eq!(res.status(), 200, "{body}: {}", res.text());
        assert_eq!(
            res.text(),
            format!(r#"{{"reading":{{"value":null,"weight":0.0}},"kind":"{kind}"}}"#),
            "{body}"
        );
    }
    let res = client
        .post("/readings")
        .header("content-type", "application/json")
        .body(r#"{"value": 1, "weight": NaN}"#)
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.text(),
        r#"{"detail":[{"type":"greater_than_equal","loc":["body","weight"],"msg":"Input should be greater than or equal to 0","input":null,"ctx":{"ge":0.0}}]}"#
    );
}

#[post("/pair")]
async fn pair(a: Json<f64>, reading: Json<Reading>) -> Json<serde_json::Value> {
    Json(json!({"a": a.0.to_string(), "value": reading.value.to_string()}))
}

/// The same in an embedded body (two body parameters: one object keyed by
/// their names), which FastAPI decodes with the same decoder.
#[tokio::test]
async fn non_finite_floats_are_read_in_embedded_bodies_too() {
    let client = TestClient::new(App::new().route(pair));
    for (body, a, value) in [
        (
            r#"{"a": NaN, "reading": {"value": Infinity}}"#,
            "NaN",
            "inf",
        ),
        (
            r#"{"a": -Infinity, "reading": {"value": 1.5}}"#,
            "-inf",
            "1.5",
        ),
        (
            r#"{"a": 2, "reading": {"value": NaN, "weight": 1}}"#,
            "2",
            "NaN",
        ),
    ] {
        let res = client
            .post("/pair")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        assert_eq!(res.status(), 200, "{body}: {}", res.text());
        assert_eq!(res.json(), json!({"a": a, "value": value}), "{body}");
    }
}

mod plain_values {
    use std::collections::HashMap;

    use ferroapi::{post, App, Json, TestClient};
    use serde_json::json;

    #[post("/ids")]
    async fn ids(ids: Json<Vec<i64>>, note: Option<Json<String>>) -> Json<serde_json::Value> {
        Json(json!({"sum": ids.iter().sum::<i64>(), "note": note.map(|n| n.0)}))
    }

    #[post("/prices")]
    async fn prices(#[param(min_length = 1)] prices: Json<HashMap<String, f64>>) -> Json<usize> {
        Json(prices.len())
    }

    #[tokio::test]
    async fn plain_values_are_bodies_without_a_newtype() {
        let client = TestClient::new(App::new().route(ids).route(prices));
        // Two body parameters: one object keyed by their names, lax items.
        let res = client
            .post("/ids")
            .json(&json!({"ids": [1, "2", 3.0], "note": "n"}))
            .send()
            .await;
        assert_eq!(res.status(), 200, "{}", res.text());
        assert_eq!(res.json(), json!({"sum": 6, "note": "n"}));
        let res = client
            .post("/ids")
            .json(&json!({"ids": ["x"]}))
            .send()
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json()["detail"][0]["loc"], json!(["body", "ids", 0]));
        assert_eq!(res.json()["detail"][0]["type"], "int_parsing");
        let res = client
            .post("/prices")
            .json(&json!({"a": "1.5"}))
            .send()
            .await;
        assert_eq!(res.json(), json!(1));
        let res = client.post("/prices").json(&json!({})).send().await;
        assert_eq!(res.status(), 422, "{}", res.text());
        assert_eq!(res.json()["detail"][0]["type"], "too_short");
    }
}

#[post("/named")]
async fn named(name: ferroapi::Form<String>) -> Json<serde_json::Value> {
    Json(json!({"len": name.0.len()}))
}

/// Starlette's form limits hold without any declaration: 1000 fields and
/// 1 MiB per non-file field, each refused with its 400 before a handler runs.
#[tokio::test]
async fn starlettes_default_form_limits_hold() {
    let client = TestClient::new(App::new().route(named));
    let send = |body: String| {
        client
            .post("/named")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let fields: Vec<String> = (0..1000).map(|i| format!("f{i}=1")).collect();
    let ok = send(format!("name=a&{}", fields[1..].join("&"))).await;
    assert_eq!(ok.status(), 200, "1000 fields are accepted");
    let over = send(format!("name=a&{}", fields.join("&"))).await;
    assert_eq!(over.status(), 400);
    assert_eq!(
        over.json(),
        json!({"detail": "Too many fields. Maximum number of fields is 1000."})
    );
    let big = send(format!("name={}", "x".repeat(1024 * 1024))).await;
    assert_eq!(big.status(), 400);
    assert_eq!(
        big.json(),
        json!({"detail": "Field exceeded maximum size of 1024KB."})
    );
    let at_limit = send(format!("name={}", "x".repeat(1024 * 1024 - 4))).await;
    assert_eq!(at_limit.status(), 200);
    // A multipart text part past 1 MiB: Starlette's other wording.
    let boundary = "b0undary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n{}\r\n--{boundary}--\r\n",
        "y".repeat(1024 * 1024 + 1)
    );
    let res = client
        .post("/named")
        .header(
            "content-type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json(),
        json!({"detail": "Part exceeded maximum size of 1024KB."})
    );
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
struct Flat {
    name: String,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
struct Nested {
    name: String,
    items: Vec<Flat>,
}

#[post("/flat")]
async fn flat(v: Json<Flat>) -> Json<Flat> {
    v
}

fn one() -> i64 {
    1
}

/// Every field has a default: serde's derived struct takes `[]` and `[1]`.
#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Defaults {
    #[serde(default)]
    #[garde(skip)]
    count: i64,
    #[serde(default)]
    #[garde(skip)]
    ratio: f64,
    #[serde(default)]
    #[garde(skip)]
    maybe: Option<i64>,
    #[serde(default = "one")]
    #[garde(range(min = 1, max = 10))]
    bounded: i64,
    #[serde(default)]
    #[garde(skip)]
    tags: Vec<String>,
    #[serde(default)]
    #[garde(skip)]
    scores: std::collections::BTreeMap<String, f64>,
}

#[post("/defaults")]
async fn defaults(v: Json<Defaults>) -> Json<Defaults> {
    v
}

#[post("/nested")]
async fn nested(v: Json<Nested>) -> Json<Nested> {
    v
}

/// serde's derived structs read a model from the array of its values;
/// pydantic refuses it. At the top (a flat model: only the first byte is
/// looked at) and inside a list (a nesting model: any `[` is looked at).
#[tokio::test]
async fn a_model_is_never_read_from_an_array() {
    let client = TestClient::new(App::new().route(flat).route(nested).route(defaults));
    let res = client.post("/flat").json(&json!(["a", ["b"]])).send().await;
    assert_eq!(res.status(), 422, "{}", res.text());
    assert_eq!(res.json()["detail"][0]["type"], "model_attributes_type");
    for body in [json!([]), json!([1]), json!([1, 0.5])] {
        let res = client.post("/defaults").json(&body).send().await;
        assert_eq!(res.status(), 422, "{body}: {}", res.text());
        assert_eq!(res.json()["detail"][0]["type"], "model_attributes_type");
    }
    let res = client.post("/defaults").json(&json!({})).send().await;
    assert_eq!(
        res.text(),
        r#"{"count":0,"ratio":0.0,"maybe":null,"bounded":1,"tags":[],"scores":{}}"#
    );
    // A list of strings is still a list of strings.
    let res = client
        .post("/flat")
        .json(&json!({"name": "a", "tags": ["b"]}))
        .send()
        .await;
    assert_eq!(res.text(), r#"{"name":"a","tags":["b"]}"#);
    let res = client
        .post("/nested")
        .json(&json!({"name": "n", "items": [["a", []]]}))
        .send()
        .await;
    assert_eq!(res.status(), 422, "{}", res.text());
    assert_eq!(res.json()["detail"][0]["loc"], json!(["body", "items", 0]));
    let res = client
        .post("/nested")
        .json(&json!({"name": "n", "items": [{"name": "a"}]}))
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
struct Reminder {
    due: ferroapi::Nullable<i64>,
}

#[post("/reminders")]
async fn reminders(r: Json<Reminder>) -> Json<Reminder> {
    r
}

/// pydantic's `Optional[int]` with no default: `null` is a value, a missing
/// field is "Field required".
#[tokio::test]
async fn a_nullable_field_must_be_sent() {
    let client = TestClient::new(App::new().route(reminders));
    let res = client
        .post("/reminders")
        .json(&json!({"due": null}))
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text(), r#"{"due":null}"#);
    let res = client
        .post("/reminders")
        .json(&json!({"due": "5"}))
        .send()
        .await;
    assert_eq!(res.text(), r#"{"due":5}"#);
    let res = client.post("/reminders").json(&json!({})).send().await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.text(),
        r#"{"detail":[{"type":"missing","loc":["body","due"],"msg":"Field required","input":{}}]}"#
    );
}

#[post("/loans")]
async fn lend(
    #[param(gt = 0, le = 8)] weeks: Json<i64>,
    reader: Json<String>,
) -> Json<serde_json::Value> {
    Json(json!({"weeks": *weeks, "reader": reader.0}))
}

/// An embedded body parameter's own bounds (`Body(gt=0, le=8)`) hold for
/// the number lax mode reads from text, and `ctx` writes them in the
/// field's type whatever the input's (found by `ferroapi contract replay`).
#[tokio::test]
async fn an_embedded_parameters_bounds_hold_for_numbers_sent_as_text() {
    let client = TestClient::new(App::new().route(lend));
    for (weeks, kind, ctx) in [
        (json!("1_000"), "less_than_equal", json!({"le": 8})),
        (json!("-0"), "greater_than", json!({"gt": 0})),
        (json!(9.0), "less_than_equal", json!({"le": 8})),
        (json!(0), "greater_than", json!({"gt": 0})),
    ] {
        let res = client
            .post("/loans")
            .json(&json!({"weeks": weeks, "reader": "ann"}))
            .send()
            .await;
        assert_eq!(res.status(), 422, "{weeks}: {}", res.text());
        let e = &res.json()["detail"][0];
        assert_eq!(e["type"], kind, "{weeks}");
        assert_eq!(e["input"], weeks);
        assert_eq!(e["ctx"].to_string(), ctx.to_string(), "{weeks}");
    }
    let res = client
        .post("/loans")
        .json(&json!({"weeks": "2", "reader": "ann"}))
        .send()
        .await;
    assert_eq!(res.text(), r#"{"weeks":2,"reader":"ann"}"#);
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
struct Stay {
    arrive: chrono::NaiveDate,
    #[serde(default)]
    leave: Option<chrono::NaiveDate>,
}

#[post("/stays")]
async fn stay(s: Json<Stay>) -> Json<Stay> {
    s
}

/// chrono's `NaiveDate` reads `2024-1-2`, which pydantic refuses: a body
/// type with a date is walked by its schema when serde accepts one (found
/// by `ferroapi contract replay`).
#[tokio::test]
async fn a_date_pydantic_refuses_is_refused() {
    let client = TestClient::new(App::new().route(stay));
    for body in [
        json!({"arrive": "2024-1-2"}),
        json!({"arrive": "2024-01-02", "leave": "2024-1-3"}),
    ] {
        let res = client.post("/stays").json(&body).send().await;
        assert_eq!(res.status(), 422, "{body}: {}", res.text());
        assert_eq!(
            res.json()["detail"][0]["type"],
            "date_from_datetime_parsing",
            "{}",
            res.text()
        );
    }
    let res = client
        .post("/stays")
        .json(&json!({"arrive": "2024-01-02"}))
        .send()
        .await;
    assert_eq!(res.text(), r#"{"arrive":"2024-01-02","leave":null}"#);
}

/// A validator that trusts its field's pattern (as a pydantic `field_validator`
/// may: it only ever sees values that passed the field's type and rules).
#[derive(Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Ticket {
    #[garde(pattern(r"^[0-9]+$"), custom(small_number))]
    number: String,
    #[garde(custom(check_no_shouting))]
    note: String,
    #[garde(range(min = 1))]
    seats: i64,
}

fn small_number(v: &str, _: &()) -> garde::Result {
    let n: u64 = v.parse().expect("the pattern holds");
    match n < 1000 {
        true => Ok(()),
        false => Err(garde::Error::new("too large")),
    }
}

#[post("/tickets")]
async fn tickets(t: Json<Ticket>) -> Json<Ticket> {
    t
}

/// Beside schema errors, the model's validators run on the fields that
/// passed; a validator that panics on the stand-in value of a field that
/// failed costs those extra errors, never the request.
#[tokio::test]
async fn validators_beside_schema_errors_never_fail_the_request() {
    let client = TestClient::new(App::new().route(tickets));
    let res = client
        .post("/tickets")
        .json(&json!({"number": "12a", "note": "LOUD", "seats": 0}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    let kinds: Vec<String> = res.json()["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["type"], e["loc"]))
        .collect();
    // The pattern's error and the seats' bound; the note's validator
    // (its field passed) is reported when the stand-in did not panic.
    assert!(
        kinds.contains(&r#""string_pattern_mismatch" ["body","number"]"#.to_string()),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&r#""greater_than_equal" ["body","seats"]"#.to_string()),
        "{kinds:?}"
    );
    // A valid number with a failing validator, beside a bound.
    let res = client
        .post("/tickets")
        .json(&json!({"number": "5000", "note": "LOUD", "seats": 0}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json()["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["loc"][1].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        ["number", "note", "seats"]
    );
}

#[derive(Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
struct Person {
    #[serde(alias = "first_name")]
    #[garde(length(chars, min = 1))]
    first_name: String,
    #[garde(range(min = 0))]
    age: i64,
}

#[post("/people")]
async fn people(p: Json<Person>) -> Json<Person> {
    p
}

/// serde's other names of a field are found by asking the type itself, a
/// bounded number of keys a body; a client sending many junk keys neither
/// slows its request down without bound nor crowds a real alias out.
#[tokio::test]
async fn aliases_survive_bodies_full_of_unknown_keys() {
    let client = TestClient::new(App::new().route(people));
    for round in 0..4 {
        let mut body = serde_json::Map::new();
        for i in 0..3000 {
            body.insert(format!("junk{round}_{i}"), json!(i));
        }
        body.insert("age".into(), json!(-1));
        let started = std::time::Instant::now();
        let res = client.post("/people").json(&body).send().await;
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(res.status(), 422);
        // An alias used beside an error is found, and its error located
        // under it.
        let res = client
            .post("/people")
            .json(&json!({"first_name": "", "age": -1}))
            .send()
            .await;
        assert_eq!(res.status(), 422);
        let locs: Vec<String> = res.json()["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["loc"].to_string())
            .collect();
        assert_eq!(
            locs,
            [r#"["body","first_name"]"#, r#"["body","age"]"#],
            "round {round}"
        );
    }
}

#[post("/float")]
async fn float_echo(x: Json<f64>) -> Json<f64> {
    x
}

/// Python reads every float exactly (correctly rounded); so does ferroapi
/// (serde_json's `float_roundtrip`; without it `-7.615548927385517e-236`
/// was read one unit in the last place off, found by the lax-body fuzzer).
/// 5,000 bit patterns, each sent as its shortest text, come back the same.
#[tokio::test]
async fn floats_are_read_exactly() {
    let client = TestClient::new(App::new().route(float_echo));
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut sent = 0;
    while sent < 5000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let f = f64::from_bits(state);
        if !f.is_finite() {
            continue;
        }
        sent += 1;
        let text = serde_json::to_string(&f).unwrap();
        let res = client
            .post("/float")
            .header("content-type", "application/json")
            .body(text.clone())
            .send()
            .await;
        assert_eq!(res.text(), text, "{f:e}");
    }
}
