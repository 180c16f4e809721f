//! Chapter "Static files".

use ferroapi::{App, StaticFiles};

// ANCHOR: mount
/// Serves `dir` under `/static`, as FastAPI's
/// `app.mount("/static", StaticFiles(directory=dir, html=True))`.
pub fn app(dir: &std::path::Path) -> App {
    App::new().mount("/static", StaticFiles::new(dir).html(true))
}
// ANCHOR_END: mount

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn files_index_and_traversal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("style.css"), "body{}").unwrap();
        std::fs::create_dir(dir.path().join("about")).unwrap();
        std::fs::write(dir.path().join("about/index.html"), "<h1>About</h1>").unwrap();
        let client = TestClient::new(app(dir.path()));
        let res = client.get("/static/style.css").send().await;
        assert_eq!(res.header("content-type"), Some("text/css; charset=utf-8"));
        assert_eq!(client.get("/static/about").send().await.status(), 307);
        assert_eq!(
            client.get("/static/about/").send().await.text(),
            "<h1>About</h1>"
        );
        assert_eq!(
            client.get("/static/../Cargo.toml").send().await.status(),
            404
        );
    }
}
