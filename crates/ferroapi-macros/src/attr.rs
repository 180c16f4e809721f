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
