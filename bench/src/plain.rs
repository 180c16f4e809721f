//! The models of the servers written without a FastAPI-like layer (axum and
//! actix-web by hand): serde + garde, shared so that they differ only in
//! their framework. ferroapi and poem-openapi declare their own, in their idiom.

use garde::Validate;
use serde::{Deserialize, Serialize};

/// The query of `GET /items/{item_id}`.
#[derive(Debug, Deserialize, Validate)]
pub struct ItemQuery {
    /// Optional text, at most 20 characters.
    #[garde(length(chars, max = 20))]
    pub q: Option<String>,
    /// 1 to 100, 10 by default.
    #[serde(default = "ten")]
    #[garde(range(min = 1, max = 100))]
    pub limit: i64,
}

fn ten() -> i64 {
    10
}

/// The answer of `GET /items/{item_id}`.
#[derive(Debug, Serialize)]
pub struct ItemOut {
    /// The path parameter.
    pub item_id: i64,
    /// The query text.
    pub q: Option<String>,
    /// The limit.
    pub limit: i64,
}

/// One order line.
#[derive(Debug, Deserialize, Validate)]
pub struct Line {
    /// `ABC-1234`.
    #[garde(pattern(r"^[A-Z]{3}-\d{4}$"))]
    pub sku: String,
    /// 1 to 1000.
    #[garde(range(min = 1, max = 1000))]
    pub quantity: i64,
    /// Strictly positive.
    #[garde(custom(positive))]
    pub unit_price: f64,
}

fn positive(value: &f64, _: &()) -> garde::Result {
    if *value > 0.0 {
        Ok(())
    } else {
        Err(garde::Error::new("must be greater than 0"))
    }
}

/// The body of `POST /orders`.
#[derive(Debug, Deserialize, Validate)]
pub struct Order {
    /// 1 to 50 characters.
    #[garde(length(chars, min = 1, max = 50))]
    pub customer: String,
    /// 1 to 50 lines.
    #[garde(length(min = 1, max = 50), dive)]
    pub lines: Vec<Line>,
    /// At most 16 characters.
    #[garde(length(chars, max = 16))]
    pub coupon: Option<String>,
}

/// The answer of `POST /orders`.
#[derive(Debug, Serialize)]
pub struct Receipt {
    /// Who ordered.
    pub customer: String,
    /// How many lines.
    pub lines: usize,
    /// The sum of quantity × unit price.
    pub total: f64,
}

impl Order {
    /// The receipt of a validated order.
    pub fn receipt(self) -> Receipt {
        Receipt {
            total: crate::order_total(self.lines.iter().map(|l| (l.quantity, l.unit_price))),
            lines: self.lines.len(),
            customer: self.customer,
        }
    }
}
