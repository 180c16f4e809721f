//! Chapter "Forms and files".

use ferroapi::{post, App, FileBytes, Form, Json, UploadFile};
use serde_json::{json, Value};

// ANCHOR: form
#[post("/login/")]
async fn login(
    username: Form<String>,
    #[param(min_length = 4)] password: Form<String>,
) -> Json<Value> {
    let _ = password;
    Json(json!({"username": username.0}))
}
// ANCHOR_END: form

// ANCHOR: upload
#[post("/covers/")]
async fn upload_cover(
    cover: UploadFile,
    #[param(default = String::new())] caption: Form<String>,
) -> Json<Value> {
    let size = cover.bytes().await.map(|b| b.len()).unwrap_or(0);
    Json(json!({
        "filename": cover.filename(),
        "content_type": cover.content_type(),
        "size": size,
        "caption": caption.0,
    }))
}

#[post("/scans/")]
async fn upload_scans(scans: Vec<UploadFile>) -> Json<Value> {
    let names: Vec<&str> = scans.iter().map(UploadFile::filename).collect();
    Json(json!({"filenames": names}))
}
// ANCHOR_END: upload

// ANCHOR: bytes
#[post("/raw/")]
async fn raw_file(blob: FileBytes) -> Json<Value> {
    Json(json!({"size": blob.len()}))
}
// ANCHOR_END: bytes

/// The chapter's app.
pub fn app() -> App {
    App::new()
        .route(login)
        .route(upload_cover)
        .route(upload_scans)
        .route(raw_file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn forms_are_validated_like_fields() {
        let client = TestClient::new(app());
        let res = client
            .post("/login/")
            .form(&[("username", "ann"), ("password", "pw")])
            .send()
            .await;
        assert_eq!(res.json()["detail"][0]["type"], "string_too_short");
        let res = client
            .post("/login/")
            .form(&[("username", "ann"), ("password", "long enough")])
            .send()
            .await;
        assert_eq!(res.text(), r#"{"username":"ann"}"#);
        let body = "--b\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"c.png\"\r\nContent-Type: image/png\r\n\r\nPNG!\r\n--b--\r\n";
        let res = client
            .post("/covers/")
            .header("content-type", "multipart/form-data; boundary=b")
            .body(body)
            .send()
            .await;
        assert_eq!(
            res.text(),
            r#"{"filename":"c.png","content_type":"image/png","size":4,"caption":""}"#
        );
    }
}
