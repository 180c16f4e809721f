//! Chapter "Bigger applications": routers in modules, included with options.

// ANCHOR: books
/// `books.rs` in a real project.
pub mod books {
    use ferroapi::{get, APIRouter, HTTPException, Json, Path};
    use serde_json::{json, Value};

    #[get("/")]
    async fn list_books() -> Json<Value> {
        Json(json!([{"slug": "odes"}]))
    }

    #[get("/{slug}")]
    async fn read_book(slug: Path<String>) -> Result<Json<Value>, HTTPException> {
        match slug.as_str() {
            "odes" => Ok(Json(json!({"slug": "odes", "title": "Odes"}))),
            _ => Err(HTTPException::new(404, "Book not found")),
        }
    }

    /// The router this module contributes.
    pub fn router() -> APIRouter {
        APIRouter::new().route(list_books).route(read_book)
    }
}
// ANCHOR_END: books

// ANCHOR: admin
/// `admin.rs`: a router the app includes with its own prefix, tags and guard.
pub mod admin {
    use ferroapi::{dependency, post, APIRouter, HTTPException, Header, Json};
    use serde_json::{json, Value};

    #[dependency]
    pub async fn admin_token(x_token: Header<String>) -> Result<(), HTTPException> {
        if x_token.as_str() == "admin" {
            Ok(())
        } else {
            Err(HTTPException::new(403, "Admins only"))
        }
    }

    #[post("/restock")]
    async fn restock() -> Json<Value> {
        Json(json!({"restocked": true}))
    }

    /// The router this module contributes.
    pub fn router() -> APIRouter {
        APIRouter::new().route(restock)
    }
}
// ANCHOR_END: admin

// ANCHOR: main
use ferroapi::{APIRouter, App};

/// `main.rs`: includes the routers, as FastAPI's
/// `app.include_router(books.router, prefix="/books", tags=["books"])`.
pub fn app() -> App {
    let teapot = ferroapi::AdditionalResponse::new(418).description("I'm a teapot");
    App::new()
        .include_router(books::router().prefix("/books").tag("books"))
        .include_router(
            APIRouter::new()
                .prefix("/admin")
                .tag("admin")
                .dependency::<admin::admin_token>()
                .additional_response(teapot)
                .include_router(admin::router()),
        )
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn routers_keep_their_options() {
        let client = TestClient::new(app());
        assert_eq!(
            client.get("/books/odes").send().await.json()["title"],
            "Odes"
        );
        assert_eq!(
            client
                .post("/admin/restock")
                .header("x-token", "no")
                .send()
                .await
                .status(),
            403
        );
        assert_eq!(
            client
                .post("/admin/restock")
                .header("x-token", "admin")
                .send()
                .await
                .status(),
            200
        );
        let doc = client.get("/openapi.json").send().await.json();
        let op = &doc["paths"]["/admin/restock"]["post"];
        assert_eq!(op["tags"], serde_json::json!(["admin"]));
        assert_eq!(op["responses"]["418"]["description"], "I'm a teapot");
    }
}
