// Test: a pydantic pattern with a look-around (which pydantic's default
// engine refuses too) is refused where it is written.
use ferroapi::{post, App, Json};

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Signup {
    // `Field(pattern=r"^(?=.*\d)\w{8,}$")`
    #[garde(pattern(r"^(?=.*\d)\w{8,}$"))]
    password: String,
}

#[post("/signup")]
async fn signup(form: Json<Signup>) -> Json<Signup> {
    form
}

fn main() {
    let _ = App::new().route(signup);
}
