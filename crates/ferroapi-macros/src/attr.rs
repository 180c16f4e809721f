//! Parsing of the route attribute (`"/path", tags = [...], ...`) and of
//! `#[param(...)]` on parameters. Unknown keys are errors at their own span.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, LitStr, Token, Type};

/// One argument: a string literal, a flag, `key = expr` or `key = Type`.
pub(crate) enum Arg {
    Lit(LitStr),
    Flag(Ident),
    Value(Ident, Expr),
    Type(Ident, Type),
    Methods(Ident, Vec<Ident>),
    Responses(Ident, Vec<ResponseArg>),
}

/// One element of `responses = [...]`: `(404, Message, "Not found")`,
/// `(200, content = "image/png")`, `("4XX", "Client trouble")`,
/// `(409, "Conflict", extra = json!({...}))`.
pub(crate) struct ResponseArg {
    pub(crate) status: String,
    pub(crate) description: Option<LitStr>,
    pub(crate) model: Option<Type>,
    pub(crate) content: Vec<LitStr>,
    pub(crate) extra: Option<Expr>,
}

impl Parse for ResponseArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        syn::parenthesized!(content in input);
        let status = if content.peek(syn::LitInt) {
            let code: syn::LitInt = content.parse()?;
            match code.base10_parse::<u16>() {
                Ok(c) if (100..=599).contains(&c) => c.to_string(),
                _ => {
                    return Err(syn::Error::new(
                        code.span(),
                        "a response status must be between 100 and 599",
                    ))
                }
            }
        } else if content.peek(LitStr) {
            let key: LitStr = content.parse()?;
            let upper = key.value().to_ascii_uppercase();
            let range = upper.len() == 3
                && upper.ends_with("XX")
                && ('1'..='5').contains(&upper.chars().next().unwrap_or('0'));
            if upper == "DEFAULT" {
                "default".to_string()
            } else if range {
                upper
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    "a response key is a status (404), a range (\"4XX\") or \"default\"",
                ));
            }
        } else {
            return Err(content.error("expected a status: (404, Message, \"Item not found\")"));
        };
        let mut out = ResponseArg {
            status,
            description: None,
            model: None,
            content: Vec::new(),
            extra: None,
        };
        while !content.is_empty() {
            content.parse::<Token![,]>()?;
            if content.is_empty() {
                break;
            }
            if content.peek(LitStr) {
                let d: LitStr = content.parse()?;
                if out.description.replace(d.clone()).is_some() {
                    return Err(syn::Error::new(
                        d.span(),
                        "only one description per response",
                    ));
                }
            } else if content.peek(Ident) && content.peek2(Token![=]) {
                let key: Ident = content.parse()?;
                content.parse::<Token![=]>()?;
                match key.to_string().as_str() {
                    "content" => out.content.push(content.parse()?),
                    "extra" => out.extra = Some(content.parse()?),
                    "description" => out.description = Some(content.parse()?),
                    "model" => out.model = Some(content.parse()?),
                    other => {
                        return Err(syn::Error::new(
                            key.span(),
                            format!("unknown response option `{other}`; expected description, model, content or extra"),
                        ))
                    }
                }
            } else {
                let ty: Type = content.parse()?;
                if out.model.replace(ty).is_some() {
                    return Err(content.error("only one model per response"));
                }
            }
        }
        Ok(out)
    }
}

impl Parse for Arg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(Arg::Lit(input.parse()?));
        }
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        if !input.peek(Token![=]) {
            return Ok(Arg::Flag(key));
        }
        input.parse::<Token![=]>()?;
        if key == "response_model" {
            return Ok(Arg::Type(key, input.parse()?));
        }
        if key == "responses" {
            let content;
            syn::bracketed!(content in input);
            let list = Punctuated::<ResponseArg, Token![,]>::parse_terminated(&content)?;
            return Ok(Arg::Responses(key, list.into_iter().collect()));
        }
        if key == "methods" {
            let content;
            syn::bracketed!(content in input);
            let list = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
            return Ok(Arg::Methods(key, list.into_iter().collect()));
        }
        Ok(Arg::Value(key, input.parse()?))
    }
}

pub(crate) struct Args(pub(crate) Vec<Arg>);

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let list = Punctuated::<Arg, Token![,]>::parse_terminated(input)?;
        Ok(Args(list.into_iter().collect()))
    }
}

/// A string from a literal expression.
pub(crate) fn lit_str(e: &Expr) -> Option<LitStr> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.clone()),
        _ => None,
    }
}

/// A list of strings from `["a", "b"]`.
pub(crate) fn lit_str_list(e: &Expr) -> Option<Vec<LitStr>> {
    match e {
        Expr::Array(a) => a.elems.iter().map(lit_str).collect(),
        _ => None,
    }
}

/// A boolean literal.
pub(crate) fn lit_bool(e: &Expr) -> Option<bool> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(b.value),
        _ => None,
    }
}

/// A number literal (possibly negative) as f64.
pub(crate) fn lit_number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            syn::Lit::Int(i) => i.base10_parse::<f64>().ok(),
            syn::Lit::Float(f) => f.base10_parse::<f64>().ok(),
            _ => None,
        },
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => lit_number(expr).map(|v| -v),
        _ => None,
    }
}

/// A non-negative integer literal.
pub(crate) fn lit_usize(e: &Expr) -> Option<usize> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse::<usize>().ok(),
        _ => None,
    }
}
