//! Items (tag `items`, prefix `/items`): a superuser sees every item, other
//! users their own.

use ferroapi::{delete, get, post, put, APIRouter, Deferred, Depends, Json, Path, Query, State};
use uuid::Uuid;

use crate::db::{now, ItemRow, UserRow};
use crate::deps::{admit, current_user, token_claims, user_for};
use crate::models::{ItemCreate, ItemPublic, ItemUpdate, ItemsPublic, Message, Patch};
use crate::{http, ApiError, AppState};

fn public(i: ItemRow) -> ItemPublic {
    ItemPublic {
        title: i.title,
        description: i.description,
        id: i.id,
        owner_id: i.owner_id,
        created_at: i.created_at,
    }
}

/// The item, if the user may touch it: 404 first, then 403.
async fn owned(state: &AppState, user: &UserRow, id: Uuid) -> Result<ItemRow, ApiError> {
    let item = state
        .db
        .item_by_id(id)
        .await?
        .ok_or_else(|| http(404, "Item not found"))?;
    if !user.is_superuser && item.owner_id != user.id {
        return Err(http(403, "Not enough permissions"));
    }
    Ok(item)
}

// The user is checked in the page's own statement (one round trip, not
// two); `Deferred<current_user>` answers first when `skip` or `limit` is
// invalid, as the template's dependency does.
/// Retrieve items.
#[get("/", tags = ["items"])]
async fn read_items(
    State(state): State<AppState>,
    Depends(claims): Depends<token_claims>,
    _user: Deferred<current_user>,
    #[param(default = 0, ge = 0)] skip: Query<i64>,
    #[param(default = 100, ge = 0)] limit: Query<i64>,
) -> Result<Json<ItemsPublic>, ApiError> {
    let page = state
        .db
        .list_items_for(claims.id, skip.0, limit.0)
        .await?
        .ok_or_else(|| http(404, "User not found"))?;
    admit(&state, claims, page.tokens_after, page.is_active)?;
    Ok(Json(ItemsPublic {
        data: page.items.into_iter().map(public).collect(),
        count: page.count,
    }))
}

// ANCHOR: create
// The user is looked up in the insert itself (one round trip, not two):
// `Deferred<current_user>` lets `current_user` answer first only when the
// body is invalid, as the template's dependency does.
/// Create new item.
#[post("/", tags = ["items"])]
async fn create_item(
    State(state): State<AppState>,
    Depends(claims): Depends<token_claims>,
    _user: Deferred<current_user>,
    item_in: Json<ItemCreate>,
) -> Result<Json<ItemPublic>, ApiError> {
    let row = ItemRow {
        id: Uuid::new_v4(),
        title: item_in.0.title,
        description: item_in.0.description,
        owner_id: claims.id,
        created_at: Some(now()),
    };
    if !state
        .db
        .insert_item_for(&row, claims.issued_at(&state))
        .await?
    {
        // Nothing was written: the user's checks say why. Passing now
        // (the user changed in between), the item is added as it would
        // have been a moment later.
        user_for(&state, claims).await?;
        state.db.insert_item(&row).await?;
    }
    Ok(Json(public(row)))
}
// ANCHOR_END: create

/// Get item by ID.
#[get("/{id}", tags = ["items"])]
async fn read_item(
    State(state): State<AppState>,
    Depends(user): Depends<current_user>,
    id: Path<Uuid>,
) -> Result<Json<ItemPublic>, ApiError> {
    Ok(Json(public(owned(&state, &user, id.0).await?)))
}

/// Update an item.
#[put("/{id}", tags = ["items"])]
async fn update_item(
    State(state): State<AppState>,
    Depends(user): Depends<current_user>,
    id: Path<Uuid>,
    item_in: Json<ItemUpdate>,
) -> Result<Json<ItemPublic>, ApiError> {
    let mut item = owned(&state, &user, id.0).await?;
    let update = item_in.0;
    match update.title {
        Patch::Absent => {}
        // The column cannot be empty: pydantic's words for a null string.
        Patch::Null => return Err(crate::null_field("title")),
        Patch::Value(title) => item.title = title,
    }
    if let Some(description) = update.description.sent() {
        item.description = description;
    }
    state.db.update_item(&item).await?;
    Ok(Json(public(item)))
}

/// Delete an item.
#[delete("/{id}", tags = ["items"])]
async fn delete_item(
    State(state): State<AppState>,
    Depends(user): Depends<current_user>,
    id: Path<Uuid>,
) -> Result<Json<Message>, ApiError> {
    let item = owned(&state, &user, id.0).await?;
    state.db.delete_item(item.id).await?;
    Ok(Message::new("Item deleted successfully"))
}

/// The router.
pub fn router() -> APIRouter<AppState> {
    APIRouter::new()
        .prefix("/items")
        .route(read_items)
        .route(create_item)
        .route(read_item)
        .route(update_item)
        .route(delete_item)
}
