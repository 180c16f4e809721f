//! The interactive documentation pages: Swagger UI at `/docs` (with its OAuth2
//! redirect page at `/docs/oauth2-redirect`) and ReDoc at `/redoc`, both reading
//! the app's `/openapi.json`.
//!
//! Nothing is fetched from a CDN: Swagger UI's files come from the
//! `swagger-ui-dist` crate and ReDoc's bundle from its npm package, embedded in
//! this crate (`assets/redoc/`, refreshed by `scripts/vendor-assets`). The HTML
//! pages are rendered once, when the router is built.

use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
use serde_json::{Map, Value};

const REDOC_JS: &[u8] = include_bytes!("../../assets/redoc/redoc.standalone.js");

/// Where the pages live and how Swagger UI is configured.
#[derive(Debug, Clone)]
pub struct DocsConfig {
    /// Swagger UI's URL (`/docs`); `None` disables it.
    pub docs_url: Option<String>,
    /// ReDoc's URL (`/redoc`); `None` disables it.
    pub redoc_url: Option<String>,
    /// Extra Swagger UI parameters, merged over FastAPI's defaults
    /// (e.g. `{"persistAuthorization": true}`).
    pub swagger_ui_parameters: Map<String, Value>,
    /// The prefix the pages' links carry (FastAPI's `root_path`: behind a
    /// proxy, or a mounted sub-application).
    pub root_path: String,
}

impl Default for DocsConfig {
    fn default() -> Self {
        DocsConfig {
            docs_url: Some("/docs".into()),
            redoc_url: Some("/redoc".into()),
            swagger_ui_parameters: Map::new(),
            root_path: String::new(),
        }
    }
}

/// FastAPI's default Swagger UI parameters.
fn swagger_defaults() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("dom_id".into(), Value::String("#swagger-ui".into()));
    m.insert("layout".into(), Value::String("BaseLayout".into()));
    m.insert("deepLinking".into(), Value::Bool(true));
    m.insert("showExtensions".into(), Value::Bool(true));
    m.insert("showCommonExtensions".into(), Value::Bool(true));
    m
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JSON value that is safe inside a `<script>` element.
fn script_json(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/")
}

/// The Swagger UI page.
pub fn swagger_ui_html(
    title: &str,
    openapi_url: &str,
    assets: &str,
    oauth2_redirect_url: &str,
    parameters: &Map<String, Value>,
) -> String {
    let mut params = swagger_defaults();
    for (k, v) in parameters {
        params.insert(k.clone(), v.clone());
    }
    params.insert("url".into(), Value::String(openapi_url.into()));
    let title = html_escape(title);
    let params = script_json(&Value::Object(params));
    let redirect = script_json(&Value::String(oauth2_redirect_url.into()));
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Swagger UI</title>
<link rel="stylesheet" type="text/css" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script>
  const config = {params};
  config.oauth2RedirectUrl = window.location.origin + {redirect};
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  window.ui = SwaggerUIBundle(config);
</script>
</body>
</html>
"#
    )
}

/// The ReDoc page.
pub fn redoc_html(title: &str, openapi_url: &str, script_url: &str) -> String {
    let title = html_escape(title);
    let spec = html_escape(openapi_url);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - ReDoc</title>
<style>body {{ margin: 0; padding: 0; }} a[href*="redocly.com"] {{ display: none; }}</style>
</head>
<body>
<redoc spec-url="{spec}"></redoc>
<script src="{script_url}"></script>
</body>
</html>
"#
    )
}

fn bytes_response(bytes: Bytes, content_type: &'static str) -> Response {
    let mut res = Response::new(axum::body::Body::from(bytes));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// Adds the pages to `router` (called once by `App::into_router`). Returns the
/// paths it added, for the slash-redirect table.
pub(crate) fn mount(
    mut router: axum::Router,
    config: &DocsConfig,
    title: &str,
    openapi_url: &str,
) -> (axum::Router, Vec<String>, Vec<String>) {
    // `added`: the pages' paths; `served`: every path the router gets here.
    let mut added = Vec::new();
    let mut served = Vec::new();
    // Links in the pages go through the root path; routes are the app's own.
    let link = |u: &str| format!("{}{u}", config.root_path);
    if let Some(docs) = &config.docs_url {
        let assets = format!("{docs}/static");
        let redirect = format!("{docs}/oauth2-redirect");
        let page = Bytes::from(swagger_ui_html(
            title,
            &link(openapi_url),
            &link(&assets),
            &link(&redirect),
            &config.swagger_ui_parameters,
        ));
        router = router.route(
            docs,
            axum::routing::get(move || {
                let page = page.clone();
                async move { bytes_response(page, "text/html; charset=utf-8") }
            }),
        );
        // Swagger UI's own files (and its OAuth2 redirect page) from the crate.
        router = router.merge(swagger_ui_dist::generate_routes(
            swagger_ui_dist::ApiDefinition {
                uri_prefix: assets.clone(),
                api_definition: swagger_ui_dist::OpenApiSource::Uri(link(openapi_url)),
                title: Some(title.to_string()),
            },
        ));
        let target = link(&format!("{assets}/oauth2-redirect.html"));
        router = router.route(
            &redirect,
            axum::routing::get(move |uri: http::Uri| {
                let target = target.clone();
                async move {
                    let location = match uri.query() {
                        Some(q) => format!("{target}?{q}"),
                        None => target,
                    };
                    let mut res = StatusCode::TEMPORARY_REDIRECT.into_response();
                    if let Ok(v) = HeaderValue::from_str(&location) {
                        res.headers_mut().insert(header::LOCATION, v);
                    }
                    res
                }
            }),
        );
        served.extend([
            docs.clone(),
            redirect.clone(),
            assets.clone(),
            format!("{assets}/{{*file}}"),
        ]);
        added.extend([docs.clone(), redirect]);
    }
    if let Some(redoc) = &config.redoc_url {
        let script = format!("{redoc}/redoc.standalone.js");
        let page = Bytes::from(redoc_html(title, &link(openapi_url), &link(&script)));
        router = router.route(
            redoc,
            axum::routing::get(move || {
                let page = page.clone();
                async move {
                    let mut res = bytes_response(page, "text/html; charset=utf-8");
                    // ReDoc's bundle shows a "powered by" logo from its CDN;
                    // the page loads images from the app only.
                    res.headers_mut().insert(
                        header::CONTENT_SECURITY_POLICY,
                        HeaderValue::from_static("img-src 'self' data: blob:"),
                    );
                    res
                }
            }),
        );
        router = router.route(
            &script,
            axum::routing::get(|| async {
                bytes_response(
                    Bytes::from_static(REDOC_JS),
                    "text/javascript; charset=utf-8",
                )
            }),
        );
        served.extend([redoc.clone(), script]);
        added.push(redoc.clone());
    }
    (router, added, served)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swagger_page_merges_parameters_and_escapes() {
        let mut p = Map::new();
        p.insert("persistAuthorization".into(), Value::Bool(true));
        p.insert("deepLinking".into(), Value::Bool(false));
        let html = swagger_ui_html(
            "A <b> API",
            "/openapi.json",
            "/docs/static",
            "/docs/oauth2-redirect",
            &p,
        );
        assert!(html.contains("<title>A &lt;b&gt; API - Swagger UI</title>"));
        assert!(html.contains(r#""persistAuthorization":true"#));
        assert!(html.contains(r#""deepLinking":false"#));
        assert!(html.contains(r#""url":"/openapi.json""#));
        assert!(!html.contains("cdn"));
    }

    #[test]
    fn redoc_bundle_is_embedded() {
        assert!(REDOC_JS.len() > 100_000);
        assert!(
            redoc_html("T", "/openapi.json", "/redoc/redoc.standalone.js")
                .contains(r#"<redoc spec-url="/openapi.json"></redoc>"#)
        );
    }
}
