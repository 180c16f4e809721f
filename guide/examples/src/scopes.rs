//! Chapter "OAuth2 scopes".

use ferroapi::security::{OAuth2Config, OAuth2PasswordBearer, SecurityScopes};
use ferroapi::{dependency, get, App, Depends, HTTPException, Json};
use serde_json::{json, Value};

// ANCHOR: scopes
#[derive(Debug)]
pub struct Login;

impl OAuth2Config for Login {
    const TOKEN_URL: &'static str = "token";
    const SCOPES: &'static [(&'static str, &'static str)] = &[
        ("books:read", "Read books."),
        ("books:write", "Change books."),
    ];
}

/// The token here is "name:scope scope" (a real app decodes a JWT).
#[dependency]
async fn reader(
    scopes: SecurityScopes,
    token: OAuth2PasswordBearer<Login>,
) -> Result<String, HTTPException> {
    let (name, granted) = token.token().split_once(':').unwrap_or((token.token(), ""));
    let granted: Vec<&str> = granted.split(' ').collect();
    let authenticate = format!("Bearer scope=\"{}\"", scopes.scope_str());
    for needed in &scopes.scopes {
        if !granted.contains(&needed.as_str()) {
            return Err(HTTPException::new(401, "Not enough permissions")
                .header("www-authenticate", &authenticate));
        }
    }
    Ok(name.to_string())
}

#[get("/books/")]
async fn list_books(
    #[param(scopes = ["books:read"])] Depends(who): Depends<reader>,
) -> Json<Value> {
    Json(json!({"reader": who, "books": []}))
}

#[get("/books/edit")]
async fn edit_books(
    #[param(scopes = ["books:read", "books:write"])] Depends(who): Depends<reader>,
) -> Json<Value> {
    Json(json!({"editor": who}))
}
// ANCHOR_END: scopes

/// The chapter's app.
pub fn app() -> App {
    App::new().route(list_books).route(edit_books)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn each_route_needs_its_scopes() {
        let client = TestClient::new(app());
        let auth = ("authorization", "Bearer ann:books:read");
        assert_eq!(
            client
                .get("/books/")
                .header(auth.0, auth.1)
                .send()
                .await
                .status(),
            200
        );
        let res = client
            .get("/books/edit")
            .header(auth.0, auth.1)
            .send()
            .await;
        assert_eq!(res.status(), 401);
        assert_eq!(
            res.header("www-authenticate"),
            Some("Bearer scope=\"books:read books:write\"")
        );
        let doc = client.get("/openapi.json").send().await.json();
        assert_eq!(
            doc["paths"]["/books/edit"]["get"]["security"][0]["OAuth2PasswordBearer"],
            json!(["books:read", "books:write"])
        );
    }
}
