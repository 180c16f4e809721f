//! What route functions and dependency functions share: reading each
//! parameter's name and `#[param(...)]` options, and generating its static
//! spec, its start-up and documentation calls and its extraction.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Pat, Type};

use crate::attr::{self, Arg, Args};
use crate::errors::Errors;

/// One parameter: its name (what is read from the request), type and options.
pub(crate) struct Param {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: Type,
    pub(crate) args: ParamArgs,
    pub(crate) span: Span,
}

/// Reads every parameter of a route or dependency function, removing the
/// `#[param]` attributes (inert for the compiler) from the signature.
pub(crate) fn collect(sig: &mut syn::Signature, errors: &mut Errors) -> Vec<Param> {
    let mut params = Vec::new();
    for input in sig.inputs.iter_mut() {
        match input {
            FnArg::Receiver(r) => {
                errors.spanned(r, "route and dependency functions cannot take `self`")
            }
            FnArg::Typed(pt) => {
                let args = parse_param_attr(&mut pt.attrs, errors);
                match binding_name(&pt.pat) {
                    Some(ident) => params.push(Param {
                        ident,
                        ty: (*pt.ty).clone(),
                        args,
                        span: pt.span(),
                    }),
                    None => errors.spanned(
                        &pt.pat,
                        "route parameters must be a plain name (`item_id: Path<u32>`) or one name in a wrapper (`Path(item_id): Path<u32>`): the name is what is read from the request",
                    ),
                }
            }
        }
    }
    params
}

/// The code generated for a list of parameters.
pub(crate) struct Generated {
    /// `static __SPEC_i: ParamSpec = ...;` items.
    pub(crate) specs: Vec<TokenStream>,
    /// Start-up calls (`Extract::prepare`).
    pub(crate) prepare: Vec<TokenStream>,
    /// Documentation calls, on a `Describe` named `__describe`.
    pub(crate) describe: Vec<TokenStream>,
    /// `(BodyKind, &spec)` pairs.
    pub(crate) kinds: Vec<TokenStream>,
    /// `let mut __ai = None;`
    pub(crate) declares: Vec<TokenStream>,
    /// Extraction of the dependencies, on a context named `__cx`.
    pub(crate) dep_pass: Vec<TokenStream>,
    /// Extraction of the other parameters.
    pub(crate) extracts: Vec<TokenStream>,
    /// Deferred dependencies, resolved once every parameter has been read
    /// when one of them is invalid (their error answers first).
    pub(crate) settles: Vec<TokenStream>,
    /// `Type: Extract<__S>` bounds, spanned at each parameter.
    pub(crate) bounds: Vec<TokenStream>,
    /// The `__ai` variables, in order.
    pub(crate) arg_names: Vec<syn::Ident>,
}

/// Generates the per-parameter code. `spec_ref` turns a spec's ident into the
/// path the other code uses to reach it.
pub(crate) fn generate(
    params: &[Param],
    spec_ref: impl Fn(&syn::Ident) -> TokenStream,
) -> Generated {
    let mut g = Generated {
        specs: Vec::new(),
        prepare: Vec::new(),
        describe: Vec::new(),
        kinds: Vec::new(),
        declares: Vec::new(),
        dep_pass: Vec::new(),
        extracts: Vec::new(),
        settles: Vec::new(),
        bounds: Vec::new(),
        arg_names: Vec::new(),
    };
    for (i, p) in params.iter().enumerate() {
        let spec_ident = format_ident!("__SPEC_{}", i);
        let spec = spec_ref(&spec_ident);
        let var = format_ident!("__a{}", i);
        let declared = &p.ty;
        // A plain value as a JSON body is read through `Plain` (no garde
        // rules needed), then unwrapped to the declared type.
        let plain = plain_body(declared);
        let ty = plain.as_ref().unwrap_or(declared);
        let wire = p.args.alias.clone().unwrap_or_else(|| p.ident.to_string());
        // FastAPI's `Header()`: the name with underscores as hyphens, unless
        // `convert_underscores=False`; an alias is used as written.
        let header = match (&p.args.alias, p.args.convert_underscores) {
            (Some(alias), _) => alias.clone(),
            (None, false) => wire.clone(),
            (None, true) => wire.replace('_', "-"),
        };
        let fields = &p.args.fields;
        let constraints = &p.args.constraints;
        let has_default = p.args.default.is_some();
        g.specs.push(quote! {
            pub(super) static #spec_ident: ::ferroapi::__private::ParamSpec = ::ferroapi::__private::ParamSpec {
                name: #wire,
                header_name: #header,
                has_default: #has_default,
                constraints: ::ferroapi::__private::Constraints {
                    #(#constraints,)*
                    decimal: ::core::option::Option::Some(::std::sync::OnceLock::new()),
                    ..::ferroapi::__private::Constraints::NONE
                },
                #(#fields,)*
                ..::ferroapi::__private::ParamSpec::DEFAULT
            };
        });
        let record_default = match &p.args.default {
            Some(d) => quote! {
                __describe.set_default(
                    &#spec,
                    ::ferroapi::__private::default_json::<<#declared as ::ferroapi::__private::WithDefault>::Inner>(&(#d)),
                );
            },
            None => quote!(),
        };
        let record_examples = match &p.args.openapi_examples {
            Some(e) => quote! {
                __describe.set_openapi_examples(
                    &#spec,
                    ::core::convert::Into::<::ferroapi::serde_json::Value>::into(#e),
                );
            },
            None => quote!(),
        };
        // A declared constraint the type cannot carry is a compile error
        // (pointed at the option), not a rule documented and never held.
        for (kind, span) in &p.args.carries {
            let check = format_ident!("{}", kind, span = *span);
            g.prepare.push(quote_spanned! {*span=>
                let _ = ::ferroapi::__private::carries_check::#check::<#declared>;
            });
        }
        g.prepare.push(quote! {
            <#ty as ::ferroapi::__private::Extract<__S>>::prepare(&#spec);
        });
        g.describe.push(quote! {
            <#ty as ::ferroapi::__private::Extract<__S>>::describe(&#spec, __describe);
            #record_default
            #record_examples
        });
        g.kinds
            .push(quote!((<#ty as ::ferroapi::__private::Extract<__S>>::BODY, &#spec)));
        let missing = match &p.args.default {
            Some(d) => quote_spanned!(d.span()=> ::core::option::Option::Some(
                <#declared as ::ferroapi::__private::WithDefault>::with_default(#d)
            )),
            None => quote!(::core::option::Option::None),
        };
        let take = if plain.is_some() {
            quote!(::ferroapi::__private::Unplain::unplain(v))
        } else {
            quote!(v)
        };
        let extract_one = quote! {
            #var = match <#ty as ::ferroapi::__private::Extract<__S>>::extract(&mut *__cx, &#spec).await {
                ::ferroapi::__private::Outcome::Value(v) => ::core::option::Option::Some(#take),
                ::ferroapi::__private::Outcome::Missing => #missing,
                ::ferroapi::__private::Outcome::Invalid => ::core::option::Option::None,
            };
        };
        g.declares.push(quote! {
            let mut #var: ::core::option::Option<#declared> = ::core::option::Option::None;
        });
        // Dependencies first (FastAPI solves them before the other
        // parameters); nothing more once a response is decided.
        g.dep_pass.push(quote! {
            if <#ty as ::ferroapi::__private::Extract<__S>>::DEPENDENCY && !__cx.is_fatal() {
                // FastAPI decodes a JSON body before any dependency runs.
                __cx.decode_body_first();
                if !__cx.is_fatal() {
                    #extract_one
                }
            }
        });
        g.extracts.push(quote! {
            if !<#ty as ::ferroapi::__private::Extract<__S>>::DEPENDENCY && !__cx.is_fatal() {
                #extract_one
            }
        });
        g.settles.push(quote! {
            if <#ty as ::ferroapi::__private::Extract<__S>>::SETTLES
                && __cx.error_count() > 0
                && !__cx.is_fatal()
            {
                <#ty as ::ferroapi::__private::Extract<__S>>::settle(&mut *__cx, &#spec).await;
            }
        });
        g.bounds
            .push(quote_spanned!(p.span=> #ty: ::ferroapi::__private::Extract<__S>));
        g.arg_names.push(var);
    }
    g
}

/// Types a JSON body can be without garde rules of its own: numbers, text,
/// and the std containers of them (by the last path segment's name).
fn is_plain(ty: &syn::Type) -> bool {
    const SCALARS: &[&str] = &[
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "f32",
        "f64",
        "bool",
        "char",
        "String",
        "Uuid",
        "NaiveDate",
        "NaiveDateTime",
        "NaiveTime",
        "DateTime",
        "EmailStr",
        "Value",
    ];
    const CONTAINERS: &[&str] = &[
        "Vec", "Option", "Box", "HashMap", "BTreeMap", "HashSet", "BTreeSet", "VecDeque",
    ];
    let syn::Type::Path(tp) = ty else {
        return false;
    };
    let Some(last) = tp.path.segments.last() else {
        return false;
    };
    let name = last.ident.to_string();
    match &last.arguments {
        syn::PathArguments::None => SCALARS.contains(&name.as_str()),
        // `DateTime<Utc>`: its argument is a time zone.
        syn::PathArguments::AngleBracketed(_) if name == "DateTime" => true,
        syn::PathArguments::AngleBracketed(args) if CONTAINERS.contains(&name.as_str()) => {
            args.args.iter().all(|a| match a {
                syn::GenericArgument::Type(t) => is_plain(t),
                _ => false,
            })
        }
        _ => false,
    }
}

/// `Json<X>` or `Option<Json<X>>` with a plain `X`: the same with
/// `Plain<X>`, the type the body is read as.
fn plain_body(ty: &syn::Type) -> Option<syn::Type> {
    fn single_arg<'a>(ty: &'a syn::Type, wrapper: &str) -> Option<&'a syn::Type> {
        let syn::Type::Path(tp) = ty else {
            return None;
        };
        let last = tp.path.segments.last()?;
        if last.ident != wrapper {
            return None;
        }
        match &last.arguments {
            syn::PathArguments::AngleBracketed(a) if a.args.len() == 1 => match &a.args[0] {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            },
            _ => None,
        }
    }
    if let Some(inner) = single_arg(ty, "Option") {
        let x = single_arg(inner, "Json").filter(|x| is_plain(x))?;
        return Some(syn::parse_quote!(
            ::core::option::Option<::ferroapi::Json<::ferroapi::__private::Plain<#x>>>
        ));
    }
    let x = single_arg(ty, "Json").filter(|x| is_plain(x))?;
    Some(syn::parse_quote!(::ferroapi::Json<::ferroapi::__private::Plain<#x>>))
}

/// One parameter's `#[param(...)]` options, as struct fields of a `ParamSpec`.
pub(crate) struct ParamArgs {
    pub(crate) fields: Vec<TokenStream>,
    pub(crate) constraints: Vec<TokenStream>,
    pub(crate) default: Option<syn::Expr>,
    /// FastAPI's `openapi_examples=`: named examples, evaluated at start-up.
    pub(crate) openapi_examples: Option<syn::Expr>,
    pub(crate) alias: Option<String>,
    /// FastAPI's `Header(convert_underscores=...)` (default true).
    pub(crate) convert_underscores: bool,
    /// Which kinds of constraints were declared, with the key's span (the
    /// type must be able to carry them).
    pub(crate) carries: Vec<(&'static str, proc_macro2::Span)>,
}

pub(crate) fn parse_param_attr(attrs: &mut Vec<syn::Attribute>, errors: &mut Errors) -> ParamArgs {
    let mut out = ParamArgs {
        fields: Vec::new(),
        constraints: Vec::new(),
        default: None,
        openapi_examples: None,
        alias: None,
        convert_underscores: true,
        carries: Vec::new(),
    };
    let mut keep = Vec::new();
    for a in attrs.drain(..) {
        if !a.path().is_ident("param") {
            keep.push(a);
            continue;
        }
        let args = match a.parse_args::<Args>() {
            Ok(x) => x,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for arg in args.0 {
            match arg {
                Arg::Flag(k) if k == "deprecated" => out.fields.push(quote!(deprecated: true)),
                Arg::Flag(k) if k == "embed" => out.fields.push(quote!(embed: true)),
                Arg::Value(k, v) => {
                    let key = k.to_string();
                    match key.as_str() {
                        "alias" => match attr::lit_str(&v) {
                            Some(s) => out.alias = Some(s.value()),
                            None => errors.spanned(&v, "`alias` must be a string literal"),
                        },
                        "description" | "title" | "scheme_name" | "realm" | "bearer_format" => match attr::lit_str(&v) {
                            Some(s) => {
                                let id = format_ident!("{}", key);
                                out.fields.push(quote!(#id: ::core::option::Option::Some(#s)));
                            }
                            None => errors.spanned(&v, format!("`{key}` must be a string literal")),
                        },
                        "examples" => match &v {
                            syn::Expr::Array(arr) => {
                                let texts: Vec<String> = arr
                                    .elems
                                    .iter()
                                    .map(|e| match attr::lit_str(e) {
                                        Some(s) => serde_json_string(&s.value()),
                                        None => quote!(#e).to_string().replace(' ', ""),
                                    })
                                    .collect();
                                out.fields.push(quote!(examples: &[#(#texts),*]));
                            }
                            _ => errors.spanned(&v, "`examples` must be a list: examples = [\"a\", 1]"),
                        },
                        "scopes" => match attr::lit_str_list(&v) {
                            Some(list) => out.fields.push(quote!(scopes: &[#(#list),*])),
                            None => errors.spanned(&v, "`scopes` must be a list of strings: scopes = [\"items\"]"),
                        },
                        "default" => out.default = Some(v),
                        "openapi_examples" => out.openapi_examples = Some(v),
                        "use_cache" => match attr::lit_bool(&v) {
                            Some(b) => out.fields.push(quote!(use_cache: #b)),
                            None => errors.spanned(&v, "`use_cache` must be true or false"),
                        },
                        "max_concurrency" => match attr::lit_usize(&v).filter(|n| *n > 0) {
                            Some(n) => out.fields.push(quote!(max_concurrency: ::core::option::Option::Some(#n))),
                            None => errors.spanned(&v, "`max_concurrency` must be a positive integer"),
                        },
                        "convert_underscores" => match attr::lit_bool(&v) {
                            Some(b) => out.convert_underscores = b,
                            None => errors.spanned(&v, "`convert_underscores` must be true or false"),
                        },
                        "deprecated" | "embed" | "include_in_schema" => match attr::lit_bool(&v) {
                            Some(b) => {
                                let id = format_ident!("{}", key);
                                out.fields.push(quote!(#id: #b));
                            }
                            None => errors.spanned(&v, format!("`{key}` must be true or false")),
                        },
                        "gt" | "ge" | "lt" | "le" | "multiple_of" => match attr::lit_number(&v) {
                            Some(n) => {
                                out.carries.push(("bounds", k.span()));
                                let id = format_ident!("{}", key);
                                out.constraints.push(quote!(#id: ::core::option::Option::Some(#n)));
                            }
                            None => errors.spanned(&v, format!("`{key}` must be a number literal")),
                        },
                        "min_length" | "max_length" => match attr::lit_usize(&v) {
                            Some(n) => {
                                out.carries.push(("length", k.span()));
                                let id = format_ident!("{}", key);
                                out.constraints.push(quote!(#id: ::core::option::Option::Some(#n)));
                            }
                            None => errors.spanned(&v, format!("`{key}` must be a non-negative integer")),
                        },
                        "pattern" => match attr::lit_str(&v) {
                            Some(s) => {
                                out.carries.push(("pattern", k.span()));
                                if let Err(e) = regex_syntax_ok(&s.value()) {
                                    errors.spanned(&s, format!("invalid pattern: {e}"));
                                }
                                out.constraints.push(quote!(pattern: ::core::option::Option::Some(::ferroapi::__private::Pattern::new(#s))));
                            }
                            None => errors.spanned(&v, "`pattern` must be a string literal"),
                        },
                        _ => errors.spanned(&k, format!("unknown parameter option `{key}`; expected one of: alias, convert_underscores, title, description, deprecated, examples, openapi_examples, default, embed, include_in_schema, gt, ge, lt, le, multiple_of, min_length, max_length, pattern, scopes, scheme_name, realm, bearer_format, use_cache, max_concurrency")),
                    }
                }
                Arg::Flag(k) => errors.spanned(&k, format!("unknown parameter flag `{k}`")),
                Arg::Lit(s) => errors.spanned(&s, "expected `key = value`"),
                Arg::Type(k, _) | Arg::Methods(k, _) | Arg::Responses(k, _) => errors.spanned(
                    &k,
                    format!("`{k}` is a route option, not a parameter option"),
                ),
            }
        }
    }
    *attrs = keep;
    out
}

/// Balanced-bracket sanity check (the full check runs at start-up with `regex`).
fn regex_syntax_ok(p: &str) -> Result<(), String> {
    let mut depth = 0i32;
    let mut escaped = false;
    for c in p.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '(') => depth += 1,
            (false, ')') => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return Err("unbalanced ')'".into());
        }
    }
    if depth != 0 {
        return Err("unbalanced '('".into());
    }
    Ok(())
}

fn serde_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The name a parameter is read by: `name` in `name: T`, `mut name: T` or
/// `Wrapper(name): T`.
pub(crate) fn binding_name(pat: &Pat) -> Option<syn::Ident> {
    match pat {
        Pat::Ident(pi) if pi.subpat.is_none() => Some(pi.ident.clone()),
        Pat::TupleStruct(ts) if ts.elems.len() == 1 => binding_name(&ts.elems[0]),
        Pat::Paren(p) => binding_name(&p.pat),
        _ => None,
    }
}
