//! pydantic's `EmailStr`: the syntax checks of the `email-validator` package
//! (no DNS), its reasons word for word, and its normalisation (the domain
//! lower-cased, the local part kept as given).

/// Domains (or their last label) that cannot receive mail.
const SPECIAL_USE: [&str; 6] = ["arpa", "invalid", "local", "localhost", "onion", "test"];

/// The characters of a local part besides letters and digits (RFC 5322 atext).
const ATEXT: &str = "!#$%&'*+-/=?^_`{|}~.";

/// Validates `input` and returns the normalised address, or the reason.
pub fn validate_email(input: &str) -> Result<String, String> {
    let addr = unwrap_pretty(input)?;
    let Some((local, domain)) = addr.split_once('@') else {
        return Err("An email address must have an @-sign.".into());
    };
    if local.is_empty() {
        return Err("There must be something before the @-sign.".into());
    }
    if domain.is_empty() {
        return Err("There must be something after the @-sign.".into());
    }
    check_local(local)?;
    let domain = check_domain(domain)?;
    Ok(format!("{local}@{domain}"))
}

/// `Name <addr>` → `addr`, as pydantic accepts.
fn unwrap_pretty(input: &str) -> Result<&str, String> {
    let t = input.trim_matches(' ');
    match t.find('<') {
        None => Ok(input),
        Some(open) => match t.strip_suffix('>') {
            Some(rest) if rest.len() > open => Ok(&rest[open + 1..]),
            _ => Err("An open angle bracket at the start of the email address has to be followed by a close angle bracket at the end.".into()),
        },
    }
}

/// How `email-validator` names a character it refuses.
fn char_name(c: char) -> String {
    match c {
        ' ' => "SPACE".into(),
        c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

/// The distinct names, sorted as text (as `email-validator` lists them).
fn list_chars(bad: &[char]) -> String {
    let mut names: Vec<String> = bad.iter().map(|c| char_name(*c)).collect();
    names.sort();
    names.dedup();
    names.join(", ")
}

fn check_local(local: &str) -> Result<(), String> {
    let bad: Vec<char> = local
        .chars()
        .filter(|c| !(c.is_alphanumeric() || ATEXT.contains(*c)))
        .collect();
    if !bad.is_empty() {
        return Err(format!(
            "The email address contains invalid characters before the @-sign: {}.",
            list_chars(&bad)
        ));
    }
    if local.starts_with('.') {
        return Err("An email address cannot start with a period.".into());
    }
    if local.ends_with('.') {
        return Err("An email address cannot have a period immediately before the @-sign.".into());
    }
    if local.contains("..") {
        return Err("An email address cannot have two periods in a row.".into());
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<String, String> {
    if domain.starts_with('[') {
        return Err("A bracketed IP address after the @-sign is not allowed here.".into());
    }
    let bad: Vec<char> = domain
        .chars()
        .filter(|c| !(c.is_alphanumeric() || *c == '-' || *c == '.'))
        .collect();
    if !bad.is_empty() {
        return Err(format!(
            "The part after the @-sign contains invalid characters: {}.",
            list_chars(&bad)
        ));
    }
    if domain.starts_with('.') {
        return Err("An email address cannot have a period immediately after the @-sign.".into());
    }
    if domain.starts_with('-') {
        return Err("An email address cannot have a hyphen immediately after the @-sign.".into());
    }
    if domain.ends_with('.') {
        return Err("An email address cannot end with a period.".into());
    }
    if domain.ends_with('-') {
        return Err("An email address cannot end with a hyphen.".into());
    }
    if domain.contains("..") {
        return Err("An email address cannot have two periods in a row.".into());
    }
    if domain.contains(".-") || domain.contains("-.") {
        return Err(
            "An email address cannot have a period and a hyphen next to each other.".into(),
        );
    }
    let length = domain.chars().count();
    if length > 255 {
        return Err(format!(
            "The email address is too long after the @-sign ({} characters too many).",
            length - 255
        ));
    }
    if let Some(longest) = domain.split('.').map(|l| l.chars().count()).max() {
        if longest > 63 {
            let over = longest - 63;
            let s = if over == 1 { "" } else { "s" };
            return Err(format!(
                "After the @-sign, periods cannot be separated by so many characters ({over} character{s} too many)."
            ));
        }
    }
    let lower = domain.to_lowercase();
    let Some((_, tld)) = lower.rsplit_once('.') else {
        return Err("The part after the @-sign is not valid. It should have a period.".into());
    };
    if SPECIAL_USE
        .iter()
        .any(|s| lower == *s || lower.ends_with(&format!(".{s}")))
    {
        return Err("The part after the @-sign is a special-use or reserved name that cannot be used with email.".into());
    }
    let tld_ok = tld.starts_with("xn--") || tld.chars().all(char::is_alphabetic);
    if !tld_ok {
        return Err(
            "The part after the @-sign is not valid. It is not within a valid top-level domain."
                .into(),
        );
    }
    Ok(lower)
}

#[cfg(test)]
mod tests {
    use super::validate_email;

    /// Reasons recorded from pydantic 2.14 + email-validator 2.3.
    #[test]
    fn reasons_match_email_validator() {
        let cases = [
            ("x", "An email address must have an @-sign."),
            ("a@b", "The part after the @-sign is not valid. It should have a period."),
            ("@example.com", "There must be something before the @-sign."),
            ("a@", "There must be something after the @-sign."),
            ("a@b@c.com", "The part after the @-sign contains invalid characters: '@'."),
            ("a b,c@d.com", "The email address contains invalid characters before the @-sign: ',', SPACE."),
            ("a\t@b.com", "The email address contains invalid characters before the @-sign: U+0009."),
            ("a@b..com", "An email address cannot have two periods in a row."),
            (".a@b.com", "An email address cannot start with a period."),
            ("a.@b.com", "An email address cannot have a period immediately before the @-sign."),
            ("a@-b.com", "An email address cannot have a hyphen immediately after the @-sign."),
            ("a@.b.com", "An email address cannot have a period immediately after the @-sign."),
            ("a@b.com-", "An email address cannot end with a hyphen."),
            ("a@b.com.", "An email address cannot end with a period."),
            ("a@b-.com", "An email address cannot have a period and a hyphen next to each other."),
            ("a@b.test", "The part after the @-sign is a special-use or reserved name that cannot be used with email."),
            ("a@b.com1", "The part after the @-sign is not valid. It is not within a valid top-level domain."),
            ("a@[1.2.3.4]", "A bracketed IP address after the @-sign is not allowed here."),
            ("a@b c.com", "The part after the @-sign contains invalid characters: SPACE."),
            ("a<b@c.com", "An open angle bracket at the start of the email address has to be followed by a close angle bracket at the end."),
        ];
        for (input, reason) in cases {
            assert_eq!(validate_email(input), Err(reason.to_string()), "{input:?}");
        }
        let long = format!("a@{}.com", "b".repeat(64));
        assert_eq!(
            validate_email(&long).unwrap_err(),
            "After the @-sign, periods cannot be separated by so many characters (1 character too many)."
        );
    }

    #[test]
    fn normalises_the_domain_only() {
        assert_eq!(
            validate_email("UPx@Example.COM").unwrap(),
            "UPx@example.com"
        );
        assert_eq!(validate_email("John <j@x.com>").unwrap(), "j@x.com");
        assert_eq!(validate_email("é@Ü.COM").unwrap(), "é@ü.com");
        assert_eq!(validate_email("a+tag@b.c").unwrap(), "a+tag@b.c");
    }
}

/// An email address checked as pydantic's `EmailStr` (see [`validate_email`])
/// and kept normalised: the domain lower-cased, the local part as given.
/// In a JSON body or a parameter, a bad address answers pydantic's
/// `value_error` ("value is not a valid email address: ...").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct EmailStr(String);

impl EmailStr {
    /// Checks and normalises `s`.
    pub fn parse(s: &str) -> Result<Self, String> {
        validate_email(s).map(EmailStr)
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::ops::Deref for EmailStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for EmailStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EmailStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<EmailStr> for String {
    fn from(e: EmailStr) -> String {
        e.0
    }
}

impl<'de> serde::Deserialize<'de> for EmailStr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        EmailStr::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for EmailStr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EmailStr".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "email"})
    }
}

/// `#[garde(length(max = 255))]` counts bytes, as for `String`.
impl garde::rules::length::HasSimpleLength for EmailStr {
    fn length(&self) -> usize {
        self.0.len()
    }
}

/// `#[garde(length(chars, max = 255))]`.
impl garde::rules::length::HasChars for EmailStr {
    fn num_chars(&self) -> usize {
        self.0.chars().count()
    }
}

impl crate::extract::ParamValue for EmailStr {
    fn parse(raw: &str, c: &crate::extract::Constraints) -> Result<Self, super::Kind> {
        let e = EmailStr::parse(raw).map_err(|reason| super::kinds::email(&reason))?;
        match c.check_str(&e.0) {
            Some(k) => Err(k),
            None => Ok(e),
        }
    }
}
