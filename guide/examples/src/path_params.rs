//! Chapter "Path parameters".

use ferroapi::{get, App, Json, ParamEnum, Path};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

// ANCHOR: typed
#[get("/books/{book_id}")]
async fn read_book(book_id: Path<i64>) -> Json<Value> {
    Json(json!({"book_id": *book_id}))
}
// ANCHOR_END: typed

// ANCHOR: order
#[get("/authors/me")]
async fn read_author_me() -> Json<Value> {
    Json(json!({"author": "the signed-in author"}))
}

#[get("/authors/{name}")]
async fn read_author(name: Path<String>) -> Json<Value> {
    Json(json!({"author": name.0}))
}
// ANCHOR_END: order

// ANCHOR: enum
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema, ParamEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Genre {
    Poetry,
    Drama,
    Essay,
}

#[get("/genres/{genre}")]
async fn read_genre(genre: Path<Genre>) -> Json<Value> {
    let shelf = match *genre {
        Genre::Poetry => "upstairs",
        Genre::Drama | Genre::Essay => "ground floor",
    };
    Json(json!({"genre": *genre, "shelf": shelf}))
}
// ANCHOR_END: enum

// ANCHOR: path
#[get("/files/{file_path:path}")]
async fn read_file(file_path: Path<String>) -> Json<Value> {
    Json(json!({"file_path": file_path.0}))
}
// ANCHOR_END: path

/// The chapter's app.
pub fn app() -> App {
    App::new()
        .route(read_book)
        .route(read_author_me)
        .route(read_author)
        .route(read_genre)
        .route(read_file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn typed_enum_and_path_parameters() {
        let client = TestClient::new(app());
        assert_eq!(
            client.get("/books/3").send().await.text(),
            r#"{"book_id":3}"#
        );
        let res = client.get("/books/three").send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json()["detail"][0]["type"], "int_parsing");
        assert_eq!(
            client.get("/authors/me").send().await.json()["author"],
            "the signed-in author"
        );
        assert_eq!(
            client.get("/authors/sappho").send().await.json()["author"],
            "sappho"
        );
        assert_eq!(
            client.get("/genres/poetry").send().await.json()["shelf"],
            "upstairs"
        );
        let res = client.get("/genres/opera").send().await;
        assert_eq!(
            res.json()["detail"][0]["msg"],
            "Input should be 'poetry', 'drama' or 'essay'"
        );
        let res = client.get("/files//etc/passwd").send().await;
        assert_eq!(res.json()["file_path"], "/etc/passwd");
    }
}
