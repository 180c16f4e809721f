//! The API's bodies, named and shaped as the template's OpenAPI components
//! (field order is the JSON order; constraints are garde's, documented by
//! schemars). The models carry `//` comments, not doc comments: a doc comment
//! would become the schema's `description`, which the template's have not.

use chrono::{DateTime, Utc};
use ferroapi::EmailStr;
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

fn yes() -> bool {
    true
}

fn bearer() -> String {
    "bearer".to_string()
}

/// A field of a partial update: absent (leave it), `null` or a value
/// (pydantic's `exclude_unset`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Patch<T> {
    /// Not sent.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with a value.
    Value(T),
}

impl<T> Patch<T> {
    /// `Some(new value)` when sent (`Some(None)` for `null`).
    pub fn sent(self) -> Option<Option<T>> {
        match self {
            Patch::Absent => None,
            Patch::Null => Some(None),
            Patch::Value(v) => Some(Some(v)),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            None => Patch::Null,
            Some(v) => Patch::Value(v),
        })
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Patch<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        Option::<T>::schema_name()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Option::<T>::json_schema(g)
    }
}

/// `#[garde(length(chars, ..))]` checks a sent value only.
impl<T: garde::rules::length::chars::Chars> garde::rules::length::chars::Chars for Patch<T> {
    fn validate_num_chars(&self, min: usize, max: usize) -> Result<(), garde::Error> {
        match self {
            Patch::Value(v) => v.validate_num_chars(min, max),
            _ => Ok(()),
        }
    }
}

/// Text that may be stored: PostgreSQL's text cannot hold NUL (U+0000), so
/// a string carrying one is refused with a 422 before it reaches the
/// database (DEVIATIONS.md). Used as `#[garde(custom(no_nul))]`.
pub trait StoredText {
    /// The text, when there is one.
    fn text(&self) -> Option<&str>;
}

impl StoredText for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl StoredText for EmailStr {
    fn text(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

impl<T: StoredText> StoredText for Option<T> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(StoredText::text)
    }
}

impl<T: StoredText> StoredText for Patch<T> {
    fn text(&self) -> Option<&str> {
        match self {
            Patch::Value(v) => v.text(),
            _ => None,
        }
    }
}

/// The garde rule behind [`StoredText`].
pub fn no_nul<T: StoredText>(value: &T, _: &()) -> garde::Result {
    match value.text() {
        Some(t) if t.contains('\0') => Err(garde::Error::new(crate::NUL_MESSAGE)),
        _ => Ok(()),
    }
}

// A user as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(title = "UserPublic")]
pub struct UserPublic {
    #[schemars(length(max = 255))]
    pub email: EmailStr,
    #[serde(default = "yes")]
    pub is_active: bool,
    #[serde(default)]
    pub is_superuser: bool,
    #[serde(default)]
    #[schemars(length(max = 255))]
    pub full_name: Option<String>,
    pub id: Uuid,
    #[serde(default, serialize_with = "ferroapi::datetime::serialize")]
    pub created_at: Option<DateTime<Utc>>,
}

// A page of users.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UsersPublic {
    pub data: Vec<UserPublic>,
    pub count: i64,
}

// A user created by a superuser.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct UserCreate {
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub email: EmailStr,
    #[serde(default = "yes")]
    #[garde(skip)]
    pub is_active: bool,
    #[serde(default)]
    #[garde(skip)]
    pub is_superuser: bool,
    #[serde(default)]
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub full_name: Option<String>,
    #[garde(length(chars, min = 8, max = 128))]
    pub password: String,
}

// A user signing up.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct UserRegister {
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub email: EmailStr,
    #[garde(length(chars, min = 8, max = 128))]
    pub password: String,
    #[serde(default)]
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub full_name: Option<String>,
}

// A superuser's partial update of a user.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct UserUpdate {
    #[serde(default)]
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub email: Patch<EmailStr>,
    #[serde(default)]
    #[garde(skip)]
    pub is_active: Patch<bool>,
    #[serde(default)]
    #[garde(skip)]
    pub is_superuser: Patch<bool>,
    #[serde(default)]
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub full_name: Patch<String>,
    #[serde(default)]
    #[garde(length(chars, min = 8, max = 128))]
    pub password: Patch<String>,
}

// A user's update of themselves.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct UserUpdateMe {
    #[serde(default)]
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub full_name: Patch<String>,
    #[serde(default)]
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub email: Patch<EmailStr>,
}

// A password change.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct UpdatePassword {
    #[garde(length(chars, min = 8, max = 128))]
    pub current_password: String,
    #[garde(length(chars, min = 8, max = 128))]
    pub new_password: String,
}

// A password reset.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct NewPassword {
    #[garde(skip)]
    pub token: String,
    #[garde(length(chars, min = 8, max = 128))]
    pub new_password: String,
}

// A user created without checks (development only).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct PrivateUserCreate {
    #[garde(custom(no_nul))]
    pub email: String,
    #[garde(skip)]
    pub password: String,
    #[garde(custom(no_nul))]
    pub full_name: String,
    #[serde(default)]
    #[garde(skip)]
    pub is_verified: bool,
}

// An item as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ItemPublic {
    #[schemars(length(min = 1, max = 255))]
    pub title: String,
    #[serde(default)]
    #[schemars(length(max = 255))]
    pub description: Option<String>,
    pub id: Uuid,
    pub owner_id: Uuid,
    #[serde(default, serialize_with = "ferroapi::datetime::serialize")]
    pub created_at: Option<DateTime<Utc>>,
}

// A page of items.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ItemsPublic {
    pub data: Vec<ItemPublic>,
    pub count: i64,
}

// A new item.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct ItemCreate {
    #[garde(length(chars, min = 1, max = 255), custom(no_nul))]
    pub title: String,
    #[serde(default)]
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub description: Option<String>,
}

// A partial update of an item.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct ItemUpdate {
    #[serde(default)]
    #[garde(length(chars, min = 1, max = 255), custom(no_nul))]
    pub title: Patch<String>,
    #[serde(default)]
    #[garde(length(chars, max = 255), custom(no_nul))]
    pub description: Patch<String>,
}

// A message.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Message {
    pub message: String,
}

impl Message {
    /// `{"message": text}`.
    pub fn new(text: &str) -> ferroapi::Json<Message> {
        ferroapi::Json(Message {
            message: text.to_string(),
        })
    }
}

// An access token.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Token {
    pub access_token: String,
    #[serde(default = "bearer")]
    pub token_type: String,
}
