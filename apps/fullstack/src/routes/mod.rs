//! The routers, mounted under `/api/v1` as the template mounts them.

pub mod items;
pub mod login;
pub mod private;
pub mod users;
pub mod utils;

use ferroapi::APIRouter;

use crate::AppState;

/// Every router; `/private` only in development.
pub fn api_router(development: bool) -> APIRouter<AppState> {
    let mut api = APIRouter::new()
        .prefix(crate::API_V1)
        .include_router(login::router())
        .include_router(users::router())
        .include_router(utils::router())
        .include_router(items::router());
    if development {
        api = api.include_router(private::router());
    }
    api
}
