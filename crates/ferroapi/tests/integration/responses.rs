use ferroapi::{get, App, FileResponse, HTTPException, Json, Path, TestClient};
use serde::Serialize;

#[derive(Serialize)]
struct Full {
    name: String,
    secret: String,
}

#[derive(Serialize, schemars::JsonSchema)]
struct Public {
    name: String,
}

impl From<Full> for Public {
    fn from(f: Full) -> Self {
        Public { name: f.name }
    }
}

#[get("/users/{id}", response_model = Public)]
async fn user(id: Path<u32>) -> Result<Json<Full>, HTTPException> {
    if *id == 0 {
        return Err(HTTPException::new(404, "no user"));
    }
    Ok(Json(Full {
        name: "ann".into(),
        secret: "hunter2".into(),
    }))
}

#[tokio::test]
async fn response_model_filters_results() {
    let client = TestClient::new(App::new().route(user));
    assert_eq!(
        client.get("/users/1").send().await.text(),
        r#"{"name":"ann"}"#
    );
    assert_eq!(client.get("/users/0").send().await.status(), 404);
}

#[get("/file")]
async fn file() -> FileResponse {
    FileResponse::new(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).filename("Cargo.toml")
}

#[get("/missing-file")]
async fn missing_file() -> FileResponse {
    FileResponse::new("/definitely/not/here.txt")
}

#[tokio::test]
async fn file_responses_stream_with_metadata() {
    let client = TestClient::new(App::new().route(file).route(missing_file));
    let res = client.get("/file").send().await;
    assert_eq!(res.status(), 200);
    assert!(res.text().contains("[package]"));
    assert_eq!(res.header("accept-ranges"), Some("bytes"));
    assert_eq!(
        res.header("content-disposition"),
        Some("attachment; filename=\"Cargo.toml\"")
    );
    assert!(res.header("last-modified").unwrap().ends_with("GMT"));
    assert!(res.header("etag").is_some());
    assert_eq!(client.get("/missing-file").send().await.status(), 404);
}
