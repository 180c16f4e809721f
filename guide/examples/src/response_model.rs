//! Chapter "Response model".

use ferroapi::{get, post, App, Json, Path};
use serde::{Deserialize, Serialize};

// ANCHOR: models
#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct ReaderIn {
    pub name: String,
    pub password: String,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ReaderOut {
    pub name: String,
    pub email: Option<String>,
}

impl From<ReaderIn> for ReaderOut {
    fn from(r: ReaderIn) -> Self {
        ReaderOut {
            name: r.name,
            email: r.email,
        }
    }
}

#[post("/readers/", response_model = ReaderOut)]
async fn create_reader(reader: Json<ReaderIn>) -> Json<ReaderIn> {
    reader
}
// ANCHOR_END: models

// ANCHOR: exclude_none
#[get("/readers/{name}", response_model_exclude_none = true)]
async fn read_reader(name: Path<String>) -> Json<ReaderOut> {
    Json(ReaderOut {
        name: name.0,
        email: None,
    })
}
// ANCHOR_END: exclude_none

// ANCHOR: list
#[get("/readers/")]
async fn list_readers() -> Json<Vec<ReaderOut>> {
    Json(vec![
        ReaderOut {
            name: "ann".into(),
            email: Some("ann@example.com".into()),
        },
        ReaderOut {
            name: "bo".into(),
            email: None,
        },
    ])
}
// ANCHOR_END: list

/// The chapter's app.
pub fn app() -> App {
    App::new()
        .route(create_reader)
        .route(read_reader)
        .route(list_readers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;
    use serde_json::json;

    #[tokio::test]
    async fn the_password_never_leaves() {
        let client = TestClient::new(app());
        let res = client
            .post("/readers/")
            .json(&json!({"name": "ann", "password": "pw"}))
            .send()
            .await;
        assert_eq!(res.text(), r#"{"name":"ann","email":null}"#);
        assert_eq!(
            client.get("/readers/bo").send().await.text(),
            r#"{"name":"bo"}"#
        );
    }
}
