//! Chapters "Security: first steps", "Get the current user", "OAuth2 with
//! password and JWT".

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use ferroapi::security::{OAuth2Config, OAuth2PasswordBearer, OAuth2PasswordRequestForm};
use ferroapi::{dependency, get, post, App, Depends, HTTPException, Json};
use jsonwebtoken::{decode, encode, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

// ANCHOR: scheme
/// Where clients get a token: documented in `securitySchemes`, and the
/// "Authorize" button of /docs posts there.
#[derive(Debug)]
pub struct Login;

impl OAuth2Config for Login {
    const TOKEN_URL: &'static str = "token";
}
// ANCHOR_END: scheme

// ANCHOR: user
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Reader {
    pub username: String,
    pub full_name: String,
}

/// A stored reader: the password only as an argon2 hash.
struct Stored {
    reader: Reader,
    password_hash: String,
}

/// The demo's one reader, "ann" / "secret", hashed once at start-up.
static ANN_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"secret")
        .map(|h| h.to_string())
        .unwrap_or_default()
});

fn find(username: &str) -> Option<Stored> {
    (username == "ann").then(|| Stored {
        reader: Reader {
            username: "ann".into(),
            full_name: "Ann Lee".into(),
        },
        password_hash: ANN_HASH.clone(),
    })
}
// ANCHOR_END: user

// ANCHOR: jwt
const SECRET: &[u8] = b"change me: read it from the settings";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    exp: u64,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Token {
    pub access_token: String,
    pub token_type: &'static str,
}

#[post("/token")]
fn login(form: OAuth2PasswordRequestForm) -> Result<Json<Token>, HTTPException> {
    let wrong = || HTTPException::new(400, "Incorrect username or password");
    let stored = find(&form.username).ok_or_else(wrong)?;
    Argon2::default()
        .verify_password(form.password.as_bytes(), stored.password_hash.as_str())
        .map_err(|_| wrong())?;
    let exp = jsonwebtoken::get_current_timestamp() + 30 * 60;
    let claims = Claims {
        sub: stored.reader.username,
        exp,
    };
    let token = encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(SECRET),
    )
    .map_err(|_| HTTPException::new(500, "Could not sign the token"))?;
    Ok(Json(Token {
        access_token: token,
        token_type: "bearer",
    }))
}

/// The reader behind the bearer token, or 401.
#[dependency]
async fn current_reader(token: OAuth2PasswordBearer<Login>) -> Result<Reader, HTTPException> {
    let invalid = || {
        HTTPException::new(401, "Could not validate credentials")
            .header("www-authenticate", "Bearer")
    };
    let data = decode::<Claims>(
        token.token(),
        &DecodingKey::from_secret(SECRET),
        &Validation::default(),
    )
    .map_err(|_| invalid())?;
    find(&data.claims.sub).map(|s| s.reader).ok_or_else(invalid)
}

#[get("/readers/me")]
async fn read_me(Depends(reader): Depends<current_reader>) -> Json<Reader> {
    Json(reader)
}
// ANCHOR_END: jwt

/// The chapters' app.
pub fn app() -> App {
    App::new().route(login).route(read_me)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn password_flow_with_jwt() {
        let client = TestClient::new(app());
        let res = client.get("/readers/me").send().await;
        assert_eq!(res.status(), 401);
        assert_eq!(res.header("www-authenticate"), Some("Bearer"));
        let res = client
            .post("/token")
            .form(&[("username", "ann"), ("password", "wrong")])
            .send()
            .await;
        assert_eq!(res.status(), 400);
        let res = client
            .post("/token")
            .form(&[("username", "ann"), ("password", "secret")])
            .send()
            .await;
        assert_eq!(res.status(), 200, "{}", res.text());
        let token = res.json()["access_token"].as_str().unwrap().to_string();
        let res = client
            .get("/readers/me")
            .header("authorization", &format!("Bearer {token}"))
            .send()
            .await;
        assert_eq!(res.json()["full_name"], "Ann Lee");
        let res = client
            .get("/readers/me")
            .header("authorization", "Bearer forged")
            .send()
            .await;
        assert_eq!(res.status(), 401);
        let doc = client.get("/openapi.json").send().await.json();
        assert_eq!(
            doc["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]
                ["tokenUrl"],
            "token"
        );
    }
}
