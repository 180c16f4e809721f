//! Chapter "Lifespan events".

use std::collections::HashMap;
use std::sync::Arc;

use ferroapi::{get, App, HTTPException, Json, LifespanState, Path};

// ANCHOR: lifespan
/// Loaded once at start-up (FastAPI: the code before `yield` in `lifespan`).
#[derive(Debug, Clone)]
pub struct Catalogue(Arc<HashMap<String, String>>);

async fn load_catalogue() -> Catalogue {
    // A real app reads a file, warms a model or opens a pool here.
    let books = [("odes", "Odes"), ("fables", "Fables")];
    Catalogue(Arc::new(
        books
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    ))
}

#[get("/books/{slug}")]
async fn read_book(
    catalogue: LifespanState<Catalogue>,
    slug: Path<String>,
) -> Result<Json<String>, HTTPException> {
    catalogue
        .0
         .0
        .get(slug.as_str())
        .cloned()
        .map(Json)
        .ok_or_else(|| HTTPException::new(404, "Book not found"))
}

/// The chapter's app: the state comes from the lifespan, the shut-down hook
/// runs after the last request (FastAPI: the code after `yield`).
pub fn app() -> App {
    App::new()
        .lifespan_state(load_catalogue)
        .on_shutdown(|| async { tracing::info!("catalogue closed") })
        .route(read_book)
}
// ANCHOR_END: lifespan

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn state_is_ready_before_the_first_request() {
        let client = TestClient::new(app());
        assert_eq!(client.get("/books/odes").send().await.text(), "\"Odes\"");
        assert_eq!(client.get("/books/epics").send().await.status(), 404);
    }
}
