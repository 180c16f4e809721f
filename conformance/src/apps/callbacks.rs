//! Mirrors apps/callbacks.py: `callbacks = [invoice_notification]` names the
//! route functions documented as the route's callbacks.

use ferroapi::{post, App, HttpUrl, Json, Query};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
#[allow(dead_code)] // read from the client, answered with a message
pub struct Invoice {
    id: String,
    #[serde(default)]
    title: Option<String>,
    customer: String,
    total: f64,
}

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
#[allow(dead_code)] // a callback's body: documented, never received
pub struct InvoiceEvent {
    description: String,
    paid: bool,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct InvoiceEventReceived {
    ok: bool,
}

#[post("{$callback_url}/invoices/{$request.body.id}")]
async fn invoice_notification(body: Json<InvoiceEvent>) -> Json<InvoiceEventReceived> {
    let _ = body;
    Json(InvoiceEventReceived { ok: true })
}

/// Create an invoice; the callback URL hears when it is paid.
#[post("/invoices/", callbacks = [invoice_notification])]
async fn create_invoice(
    invoice: Json<Invoice>,
    callback_url: Query<Option<HttpUrl>>,
) -> Json<Value> {
    let _ = (invoice, callback_url);
    Json(json!({"msg": "Invoice received"}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new().route(create_invoice).into_router()
}
