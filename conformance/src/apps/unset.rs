//! Mirrors apps/unset.py: `Maybe<T>` fields, left out of an answer when
//! unset, and a PATCH that changes only what was sent.

use ferroapi::{get, patch, App, HTTPException, Json, Maybe, Path};
use serde::{Deserialize, Serialize};

// ANCHOR: item
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Item {
    #[serde(default, skip_serializing_if = "Maybe::is_unset")]
    name: Maybe<Option<String>>,
    #[serde(default, skip_serializing_if = "Maybe::is_unset")]
    description: Maybe<Option<String>>,
    #[serde(default, skip_serializing_if = "Maybe::is_unset")]
    price: Maybe<Option<f64>>,
    #[serde(default, skip_serializing_if = "Maybe::is_unset")]
    #[schemars(extend("default" = 10.5))]
    tax: Maybe<f64>,
    #[serde(default, skip_serializing_if = "Maybe::is_unset")]
    #[schemars(extend("default" = []))]
    tags: Maybe<Vec<String>>,
}
// ANCHOR_END: item

impl Item {
    /// Every field set, its default where it was not: what pydantic writes
    /// without `exclude_unset`.
    fn complete(self) -> Item {
        Item {
            name: Maybe::Set(self.name.unwrap_or_default()),
            description: Maybe::Set(self.description.unwrap_or_default()),
            price: Maybe::Set(self.price.unwrap_or_default()),
            tax: Maybe::Set(self.tax.unwrap_or(10.5)),
            tags: Maybe::Set(self.tags.unwrap_or_default()),
        }
    }

    // ANCHOR: update
    /// `stored.model_copy(update=patch.model_dump(exclude_unset=True))`.
    fn update(self, patch: Item) -> Item {
        Item {
            name: patch.name.or(self.name),
            description: patch.description.or(self.description),
            price: patch.price.or(self.price),
            tax: patch.tax.or(self.tax),
            tags: patch.tags.or(self.tags),
        }
    }
    // ANCHOR_END: update
}

fn items(id: &str) -> Result<Item, HTTPException> {
    let s = |t: &str| Maybe::Set(Some(t.to_string()));
    match id {
        "foo" => Ok(Item {
            name: s("Foo"),
            price: Maybe::Set(Some(50.2)),
            ..Item::default()
        }),
        "bar" => Ok(Item {
            name: s("Bar"),
            description: s("The bartenders"),
            price: Maybe::Set(Some(62.0)),
            tax: Maybe::Set(20.2),
            ..Item::default()
        }),
        "baz" => Ok(Item {
            name: s("Baz"),
            description: Maybe::Set(None),
            price: Maybe::Set(Some(50.2)),
            tax: Maybe::Set(10.5),
            tags: Maybe::Set(Vec::new()),
        }),
        _ => Err(HTTPException::new(404, "Item not found")),
    }
}

#[get("/items/{item_id}")]
async fn read_item(item_id: Path<String>) -> Result<Json<Item>, HTTPException> {
    Ok(Json(items(&item_id)?))
}

#[patch("/items/{item_id}")]
async fn update_item(item_id: Path<String>, item: Json<Item>) -> Result<Json<Item>, HTTPException> {
    let stored = items(&item_id)?.complete();
    Ok(Json(stored.update(item.0)))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new().route(read_item).route(update_item).into_router()
}
