//! Chapter "Deployment": server limits, proxies, graceful shutdown.

use std::time::Duration;

use ferroapi::{get, App, Json, ServerConfig};

#[get("/health")]
async fn health() -> Json<&'static str> {
    Json("ok")
}

// ANCHOR: config
/// A production app: timeouts, body limit, trusted hosts, a prefix set by the
/// proxy, and a drain deadline for SIGTERM.
pub fn app() -> App {
    App::new()
        .route(health)
        .max_body_size(2 * 1024 * 1024)
        .timeout(Duration::from_secs(30))
        .trusted_hosts(["shop.example", "*.shop.example", "testserver"])
        .root_path("/api")
        .server_config(ServerConfig {
            header_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(75),
            shutdown_timeout: Duration::from_secs(20),
            ..ServerConfig::default()
        })
}
// ANCHOR_END: config

// ANCHOR: serve
/// `main`: serve until SIGTERM or Ctrl-C, then drain.
pub async fn serve() -> Result<(), ferroapi::Error> {
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "0.0.0.0:8000".into());
    app().serve(&addr).await
}
// ANCHOR_END: serve

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn hosts_and_limits() {
        let client = TestClient::new(app());
        assert_eq!(client.get("/health").send().await.status(), 200);
        let res = client
            .get("/health")
            .header("host", "evil.example")
            .send()
            .await;
        assert_eq!(res.status(), 400);
        let doc = client.get("/openapi.json").send().await.json();
        assert_eq!(doc["servers"][0]["url"], "/api");
    }
}
