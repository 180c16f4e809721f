//! Chapter "Settings and environment variables".

use ferroapi::{get, App, Json, State};
use serde::Serialize;

// ANCHOR: settings
/// FastAPI's `class Settings(BaseSettings)`: read once, from the environment.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Settings {
    pub app_name: String,
    pub admin_email: String,
    pub items_per_user: u32,
}

impl Settings {
    /// Reads `APP_NAME`, `ADMIN_EMAIL`, `ITEMS_PER_USER` through `var`
    /// (`std::env::var` in `main`, a map in tests), with defaults.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let items = var("ITEMS_PER_USER").unwrap_or_else(|| "50".into());
        Ok(Settings {
            app_name: var("APP_NAME").unwrap_or_else(|| "Bookshop".into()),
            admin_email: var("ADMIN_EMAIL").ok_or("ADMIN_EMAIL is required")?,
            items_per_user: items
                .parse()
                .map_err(|_| format!("ITEMS_PER_USER: not a number: {items}"))?,
        })
    }
}

#[get("/info")]
async fn info(State(settings): State<Settings>) -> Json<Settings> {
    Json(settings)
}

/// The app takes its settings as state: one value, shared by every request.
pub fn app(settings: Settings) -> App<Settings> {
    App::with_state(settings).route(info)
}
// ANCHOR_END: settings

// ANCHOR: main
/// What `main` does: fail at start-up, with the reason, on a bad setting.
pub fn from_process_env() -> Result<App<Settings>, String> {
    Settings::from_env(|k| std::env::var(k).ok()).map(app)
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn settings_come_from_the_environment() {
        let env = |k: &str| match k {
            "ADMIN_EMAIL" => Some("desk@shop.example".to_string()),
            "ITEMS_PER_USER" => Some("7".to_string()),
            _ => None,
        };
        let client = TestClient::new(app(Settings::from_env(env).unwrap()));
        let res = client.get("/info").send().await;
        assert_eq!(
            res.text(),
            r#"{"app_name":"Bookshop","admin_email":"desk@shop.example","items_per_user":7}"#
        );
        assert_eq!(
            Settings::from_env(|_| None).unwrap_err(),
            "ADMIN_EMAIL is required"
        );
    }
}
