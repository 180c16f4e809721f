//! FastAPI's `responses=`: extra documented responses of a route or router,
//! with a model, media types, examples and headers, merged into the operation
//! by FastAPI's rules (its `deep_dict_update`, status phrases, the 422 kept
//! out when a `4XX` or `default` answer is documented).

use schemars::{generate::SchemaSettings, JsonSchema};
use serde_json::{Map, Value};

/// One documented response besides the route's own, FastAPI's
/// `responses={404: {"model": Message, "description": "..."}}`.
///
/// ```
/// use ferroapi::AdditionalResponse;
/// # #[derive(schemars::JsonSchema)] struct Message { message: String }
/// let not_found = AdditionalResponse::new(404)
///     .model::<Message>()
///     .description("The item was not found");
/// let image = AdditionalResponse::new(200).content("image/png");
/// let teapot = AdditionalResponse::new("4XX").description("Client trouble");
/// # let _ = (not_found, image, teapot);
/// ```
///
/// In a route attribute the same is written
/// `responses = [(404, Message, "The item was not found"), (200, content = "image/png")]`.
#[derive(Debug, Clone)]
pub struct AdditionalResponse {
    pub(crate) status: String,
    pub(crate) description: Option<String>,
    pub(crate) model: Option<ModelDoc>,
    /// The rest of the response object (content, headers, links), merged as
    /// FastAPI merges it.
    pub(crate) extra: Map<String, Value>,
}

/// A response model's schema, with the named schemas it refers to.
#[derive(Debug, Clone)]
pub(crate) struct ModelDoc {
    pub(crate) schema: Value,
    /// As serde serializes them.
    pub(crate) definitions: Map<String, Value>,
    /// The same types as serde deserializes them (required fields, unknown fields).
    pub(crate) read_definitions: Map<String, Value>,
}

impl AdditionalResponse {
    /// A response for `status`: a code (`404`) or a range or default key
    /// (`"4XX"`, `"default"`), as FastAPI writes them.
    pub fn new(status: impl std::fmt::Display) -> Self {
        let key = status.to_string().to_ascii_uppercase();
        AdditionalResponse {
            status: if key == "DEFAULT" {
                "default".into()
            } else {
                key
            },
            description: None,
            model: None,
            extra: Map::new(),
        }
    }

    /// The description (FastAPI uses the status phrase when none is given).
    pub fn description(mut self, description: &str) -> Self {
        self.description = Some(description.to_string());
        self
    }

    /// The body's model: its schema goes under the route's media type
    /// (`application/json` unless the route answers another), the model
    /// into `components/schemas`.
    pub fn model<T: ?Sized + JsonSchema>(mut self) -> Self {
        let mut settings = SchemaSettings::draft2020_12();
        settings.definitions_path = "/components/schemas/".into();
        let mut out = settings.clone().for_serialize().into_generator();
        let mut read = settings.for_deserialize().into_generator();
        read.subschema_for::<T>();
        let schema = out.subschema_for::<T>();
        self.model = Some(ModelDoc {
            schema: schema.to_value(),
            definitions: out.take_definitions(true),
            read_definitions: read.take_definitions(true),
        });
        self
    }

    /// Documents another media type for this response (`"image/png"`), with
    /// no schema, as `{"content": {"image/png": {}}}` does.
    pub fn content(mut self, media_type: &str) -> Self {
        let content = self
            .extra
            .entry("content")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(c) = content {
            c.entry(media_type.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
        }
        self
    }

    /// Merges a piece of the OpenAPI response object as written, e.g.
    /// `json!({"content": {"application/json": {"example": {"id": "x"}}}})`
    /// or `json!({"headers": {...}})`.
    ///
    /// # Panics
    /// If `object` is not a JSON object.
    pub fn extra(mut self, object: Value) -> Self {
        match object {
            Value::Object(o) => {
                let mut target = Value::Object(std::mem::take(&mut self.extra));
                deep_update(&mut target, &Value::Object(o));
                if let Value::Object(t) = target {
                    self.extra = t;
                }
            }
            other => panic!("an additional response's extra must be a JSON object, not {other}"),
        }
        self
    }

    /// The documented status key (`"404"`, `"4XX"`, `"default"`).
    pub fn status(&self) -> &str {
        &self.status
    }
}

/// FastAPI's `deep_dict_update`: objects merge key by key, lists are
/// concatenated, anything else is replaced.
pub(crate) fn deep_update(target: &mut Value, update: &Value) {
    let (Value::Object(t), Value::Object(u)) = (&mut *target, update) else {
        *target = update.clone();
        return;
    };
    for (k, v) in u {
        match (t.get_mut(k), v) {
            (Some(existing @ Value::Object(_)), Value::Object(_)) => deep_update(existing, v),
            (Some(Value::Array(a)), Value::Array(b)) => a.extend(b.iter().cloned()),
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Merges a router's responses under a route's (`{**outer, **inner}`): the
/// outer order, the inner value for a status both document.
pub(crate) fn merge_responses(
    outer: &[AdditionalResponse],
    inner: Vec<AdditionalResponse>,
) -> Vec<AdditionalResponse> {
    let mut out = outer.to_vec();
    for r in inner {
        match out.iter_mut().find(|o| o.status == r.status) {
            Some(slot) => *slot = r,
            None => out.push(r),
        }
    }
    out
}

/// The description FastAPI gives a documented status without one: the range
/// names, else Python's `http.client.responses` phrase (CPython 3.11, the
/// recorded oracle), else "Additional Response".
pub(crate) fn status_text(key: &str) -> &'static str {
    match key {
        "1XX" => return "Information",
        "2XX" => return "Success",
        "3XX" => return "Redirection",
        "4XX" => return "Client Error",
        "5XX" => return "Server Error",
        "default" => return "Default Response",
        _ => {}
    }
    match key.parse::<u16>().unwrap_or(0) {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "Additional Response",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_update_merges_objects_and_concatenates_lists() {
        let mut a = json!({"a": {"b": 1, "c": [1]}, "d": 1});
        deep_update(&mut a, &json!({"a": {"c": [2], "e": 3}, "d": {"x": 1}}));
        assert_eq!(
            a,
            json!({"a": {"b": 1, "c": [1, 2], "e": 3}, "d": {"x": 1}})
        );
    }

    #[test]
    fn keys_and_phrases() {
        assert_eq!(AdditionalResponse::new("Default").status(), "default");
        assert_eq!(AdditionalResponse::new("4xx").status(), "4XX");
        assert_eq!(status_text("418"), "I'm a Teapot");
        assert_eq!(status_text("4XX"), "Client Error");
        assert_eq!(status_text("299"), "Additional Response");
    }

    #[test]
    fn inner_wins_in_outer_order() {
        let outer = vec![
            AdditionalResponse::new(418),
            AdditionalResponse::new(404).description("outer"),
        ];
        let merged = merge_responses(
            &outer,
            vec![
                AdditionalResponse::new(403),
                AdditionalResponse::new(404).description("inner"),
            ],
        );
        let keys: Vec<&str> = merged.iter().map(|r| r.status()).collect();
        assert_eq!(keys, ["418", "404", "403"]);
        assert_eq!(merged[1].description.as_deref(), Some("inner"));
    }
}
