//! Chapters "Custom responses" and "Additional responses".

use ferroapi::http::StatusCode;
use ferroapi::{
    get, App, FileResponse, HTTPException, Html, Json, Path, PlainText, Redirect, ResponseHeaders,
    SetCookie,
};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Message {
    pub message: String,
}

// ANCHOR: classes
#[get("/page")]
async fn page() -> Html<&'static str> {
    Html("<h1>Bookshop</h1>")
}

#[get("/robots.txt")]
async fn robots() -> PlainText<&'static str> {
    PlainText("User-agent: *\nDisallow:\n")
}

#[get("/old-catalogue")]
async fn old_catalogue() -> Redirect {
    Redirect::to("/books/").with_status(StatusCode::MOVED_PERMANENTLY)
}

#[get("/download")]
async fn download() -> FileResponse {
    FileResponse::new(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
}
// ANCHOR_END: classes

// ANCHOR: headers
#[get("/welcome")]
async fn welcome() -> (ResponseHeaders, Json<Value>) {
    let headers = ResponseHeaders::new()
        .header("x-shop", "bookshop")
        .cookie(SetCookie::new("visited", "yes").max_age(3600).http_only());
    (headers, Json(json!({"hello": "reader"})))
}
// ANCHOR_END: headers

// ANCHOR: additional
/// A 404 documented with its own model, beside the 200.
#[get("/books/{slug}", responses = [(404, Message, "No such book")])]
async fn read_book(slug: Path<String>) -> Result<Json<Value>, HTTPException> {
    match slug.as_str() {
        "odes" => Ok(Json(json!({"title": "Odes"}))),
        _ => Err(HTTPException::new(404, "Book not found")),
    }
}
// ANCHOR_END: additional

/// The chapters' app.
pub fn app() -> App {
    App::new()
        .route(page)
        .route(robots)
        .route(old_catalogue)
        .route(download)
        .route(welcome)
        .route(read_book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn each_response_class() {
        let client = TestClient::new(app());
        assert_eq!(
            client.get("/page").send().await.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(
            client
                .get("/robots.txt")
                .send()
                .await
                .header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        let res = client.get("/old-catalogue").send().await;
        assert_eq!(
            (res.status().as_u16(), res.header("location")),
            (301, Some("/books/"))
        );
        assert!(client
            .get("/download")
            .send()
            .await
            .text()
            .contains("guide-examples"));
        let res = client.get("/welcome").send().await;
        assert_eq!(
            res.header("set-cookie"),
            Some("visited=yes; HttpOnly; Max-Age=3600; Path=/; SameSite=lax")
        );
        let doc = client.get("/openapi.json").send().await.json();
        let r404 = &doc["paths"]["/books/{slug}"]["get"]["responses"]["404"];
        assert_eq!(
            r404["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Message"
        );
    }
}
