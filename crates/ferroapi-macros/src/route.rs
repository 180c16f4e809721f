//! `#[get]`, `#[post]`, ... and `#[api_route]`.
//!
//! The function becomes a generic function of the same name returning its
//! `RouteDef` (so `App::route(f)` takes it by name, and a parameter may share
//! the function's name); the original body lives on as a nested `__handler`.
//! Calling it builds, once at start-up, the static parameter specs and the
//! handler closure. On errors the original function is still emitted, so IDEs
//! keep working, next to every `compile_error!`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{ItemFn, LitStr, Type};

use crate::attr::{self, Arg, Args};
use crate::errors::Errors;

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

#[derive(Default)]
struct RouteArgs {
    path: Option<LitStr>,
    methods: Vec<String>,
    tags: Vec<LitStr>,
    status: Option<u16>,
    response_model: Option<Type>,
    summary: Option<LitStr>,
    description: Option<LitStr>,
    deprecated: bool,
    include_in_schema: bool,
    operation_id: Option<LitStr>,
    responses: Vec<attr::ResponseArg>,
    /// FastAPI's `name=`: the summary and operationId's source.
    name: Option<LitStr>,
    response_description: Option<LitStr>,
    openapi_extra: Option<syn::Expr>,
    unique_id: Option<syn::Expr>,
    /// Documented under `webhooks`: the path is a name.
    webhook: bool,
    max_body_size: Option<usize>,
    /// A websocket route's `config = EXPR` (a `WebSocketConfig`).
    ws_config: Option<syn::Expr>,
    strict_content_type: Option<bool>,
    form_limits: Option<syn::Expr>,
    /// FastAPI's `callbacks=`: route functions documented as callbacks.
    callbacks: Vec<syn::Path>,
    dependencies: Vec<syn::Path>,
    /// FastAPI's `response_model_exclude_none`.
    exclude_none: bool,
    /// FastAPI's `response_model_include`.
    include: Option<Vec<LitStr>>,
    /// FastAPI's `response_model_exclude`.
    exclude: Vec<LitStr>,
}

fn parse_route_args(method: Option<&str>, attr: TokenStream, errors: &mut Errors) -> RouteArgs {
    let mut out = RouteArgs {
        include_in_schema: true,
        ..RouteArgs::default()
    };
    if let Some(m) = method {
        out.methods.push(m.to_string());
    }
    let args = match syn::parse2::<Args>(attr) {
        Ok(a) => a,
        Err(e) => {
            errors.push(e);
            return out;
        }
    };
    for arg in args.0 {
        match arg {
            Arg::Lit(s) if out.path.is_none() => out.path = Some(s),
            Arg::Lit(s) => errors.spanned(&s, "only one path is allowed"),
            Arg::Flag(k) if k == "deprecated" => out.deprecated = true,
            Arg::Flag(k) if k == "webhook" => out.webhook = true,
            Arg::Responses(_, list) => out.responses = list,
            Arg::Methods(k, list) => {
                if method.is_some() {
                    errors.spanned(&k, "`methods` is only accepted by #[api_route]");
                }
                for m in list {
                    let upper = m.to_string().to_ascii_uppercase();
                    if METHODS.contains(&upper.as_str()) {
                        out.methods.push(upper);
                    } else {
                        errors.spanned(&m, format!("unknown HTTP method `{m}`"));
                    }
                }
            }
            Arg::Type(_, ty) => out.response_model = Some(ty),
            Arg::Value(k, v) => {
                let key = k.to_string();
                match key.as_str() {
                    "dependencies" => match &v {
                        syn::Expr::Array(a) => {
                            for e in &a.elems {
                                match e {
                                    syn::Expr::Path(p) => out.dependencies.push(p.path.clone()),
                                    other => errors.spanned(other, "expected a dependency function's name"),
                                }
                            }
                        }
                        _ => errors.spanned(&v, "`dependencies` must be a list: dependencies = [verify_token]"),
                    },
                    "openapi_extra" => out.openapi_extra = Some(v),
                    "form_limits" => out.form_limits = Some(v),
                    "config" => out.ws_config = Some(v),
                    "callbacks" => match &v {
                        syn::Expr::Array(a) => {
                            for e in &a.elems {
                                match e {
                                    syn::Expr::Path(p) => out.callbacks.push(p.path.clone()),
                                    other => errors.spanned(other, "expected a route function's name"),
                                }
                            }
                        }
                        _ => errors.spanned(&v, "`callbacks` must be a list of route functions: callbacks = [invoice_notification]"),
                    },
                    "max_body_size" => match attr::lit_usize(&v) {
                        Some(n) => out.max_body_size = Some(n),
                        None => errors.spanned(&v, "`max_body_size` must be a number of bytes"),
                    },
                    "strict_content_type" => match attr::lit_bool(&v) {
                        Some(b) => out.strict_content_type = Some(b),
                        None => errors.spanned(&v, "`strict_content_type` must be true or false"),
                    },
                    "generate_unique_id_function" => out.unique_id = Some(v),
                    "tags" => match attr::lit_str_list(&v) {
                        Some(t) => out.tags = t,
                        None => errors.spanned(&v, "`tags` must be a list of strings: tags = [\"items\"]"),
                    },
                    "status_code" => match attr::lit_usize(&v).filter(|s| (100..=599).contains(s)) {
                        Some(s) => out.status = Some(s as u16),
                        None => errors.spanned(&v, "`status_code` must be an HTTP status between 100 and 599"),
                    },
                    "summary" | "description" | "operation_id" | "name" | "response_description" => match attr::lit_str(&v) {
                        Some(s) => match key.as_str() {
                            "summary" => out.summary = Some(s),
                            "description" => out.description = Some(s),
                            "name" => out.name = Some(s),
                            "response_description" => out.response_description = Some(s),
                            _ => out.operation_id = Some(s),
                        },
                        None => errors.spanned(&v, format!("`{key}` must be a string literal")),
                    },
                    "response_model_exclude_none" => match attr::lit_bool(&v) {
                        Some(b) => out.exclude_none = b,
                        None => errors.spanned(&v, "`response_model_exclude_none` must be true or false"),
                    },
                    "response_model_include" | "response_model_exclude" => match attr::lit_str_list(&v) {
                        Some(list) if key == "response_model_include" => out.include = Some(list),
                        Some(list) => out.exclude = list,
                        None => errors.spanned(&v, format!("`{key}` must be a list of field names: {key} = [\"password\"]")),
                    },
                    "deprecated" | "include_in_schema" => match attr::lit_bool(&v) {
                        Some(b) if key == "deprecated" => out.deprecated = b,
                        Some(b) => out.include_in_schema = b,
                        None => errors.spanned(&v, format!("`{key}` must be true or false")),
                    },
                    _ => errors.spanned(
                        &k,
                        format!("unknown route option `{key}`; expected one of: tags, status_code, response_model, responses, dependencies, summary, description, response_description, name, deprecated, include_in_schema, operation_id, generate_unique_id_function, openapi_extra, callbacks, max_body_size, strict_content_type, form_limits, config (websocket routes), response_model_exclude_none, response_model_include, response_model_exclude"),
                    ),
                }
            }
            Arg::Flag(k) => errors.spanned(&k, format!("unknown route flag `{k}`")),
        }
    }
    if let Some(p) = &out.path {
        // A callback's path is a runtime expression (`{$callback_url}/x`).
        if !out.webhook && !p.value().starts_with('/') && !p.value().starts_with("{$") {
            errors.spanned(p, "a route path must start with '/' (a webhook's name need not: #[post(\"new-subscription\", webhook)])");
        }
    }
    if out.path.is_none() {
        errors.push(syn::Error::new(
            Span::call_site(),
            "missing route path: #[get(\"/items/{item_id}\")]",
        ));
    }
    if method.is_none() && out.methods.is_empty() {
        errors.push(syn::Error::new(
            Span::call_site(),
            "#[api_route] needs methods: #[api_route(\"/x\", methods = [GET, POST])]",
        ));
    }
    out
}

/// The doc comment lines of an item.
fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => attr::lit_str(&nv.value).map(|s| s.value()),
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).to_string())
        .collect()
}

fn path_params(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(s) = rest.find('{') {
        let Some(e) = rest[s..].find('}') else { break };
        let inner = &rest[s + 1..s + e];
        out.push(inner.split(':').next().unwrap_or(inner).to_string());
        rest = &rest[s + e + 1..];
    }
    out
}

/// What kind of route the function is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An HTTP route.
    Http,
    /// A websocket route: GET + upgrade, not in the OpenAPI document.
    WebSocket,
}

pub(crate) fn expand(
    method: Option<&str>,
    kind: Kind,
    attr: TokenStream,
    item: TokenStream,
) -> TokenStream {
    let mut errors = Errors::default();
    let mut func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let err = e.to_compile_error();
            return quote!(#err #item);
        }
    };
    let mut args = parse_route_args(method, attr, &mut errors);
    if kind == Kind::WebSocket {
        let http_only = args.status.is_some()
            || args.response_model.is_some()
            || !args.responses.is_empty()
            || args.summary.is_some()
            || args.description.is_some()
            || args.operation_id.is_some()
            || args.name.is_some()
            || args.response_description.is_some()
            || args.openapi_extra.is_some()
            || args.unique_id.is_some()
            || args.webhook
            || args.deprecated;
        if http_only {
            errors.push(syn::Error::new(
                Span::call_site(),
                "a websocket route takes a path, `dependencies` and `config` only (it is not in the OpenAPI document)",
            ));
        }
        args.include_in_schema = false;
    } else if let Some(e) = &args.ws_config {
        errors.spanned(
            e,
            "`config` is a websocket route's option: its `WebSocketConfig`",
        );
    }

    // A plain `fn` runs on the blocking pool, as FastAPI runs a `def` endpoint
    // in its threadpool; a websocket lives on the event loop.
    let blocking = func.sig.asyncness.is_none();
    if blocking && kind == Kind::WebSocket {
        errors.spanned(func.sig.fn_token, "websocket functions must be `async fn`");
    }
    if !func.sig.generics.params.is_empty() {
        errors.spanned(&func.sig.generics, "route functions cannot be generic");
    }

    let params = crate::params::collect(&mut func.sig, &mut errors);

    if let Some(path) = &args.path {
        for name in path_params(&path.value())
            .into_iter()
            .filter(|n| !n.starts_with('$'))
        {
            let found = params
                .iter()
                .any(|p| p.args.alias.as_deref().unwrap_or(&p.ident.to_string()) == name);
            if !found {
                errors.spanned(
                    path,
                    format!("path parameter `{{{name}}}` has no function parameter named `{name}`; add `{name}: Path<...>`"),
                );
            }
        }
    }

    if !errors.is_empty() {
        let errs = errors.to_compile_errors();
        return quote!(#errs #func);
    }

    let vis = &func.vis;
    let name = &func.sig.ident;
    let docs: Vec<&syn::Attribute> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();
    let lines = doc_lines(&func.attrs);
    let doc_text = lines.join("\n").trim().to_string();
    // As FastAPI: the summary is the title-cased name unless given; the doc
    // comment is the description.
    let summary = match &args.summary {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let description = match &args.description {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None if doc_text.is_empty() => quote!(::core::option::Option::None),
        None => quote!(::core::option::Option::Some(#doc_text)),
    };
    let path = args.path.as_ref().map(LitStr::value).unwrap_or_default();
    let methods = args.methods.iter().map(|m| format_ident!("{}", m));
    let tags = &args.tags;
    let status = args.status.unwrap_or(200);
    let deprecated = args.deprecated;
    let include = args.include_in_schema;
    let operation_id = match &args.operation_id {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };

    let deps = &args.dependencies;
    let responses = args.responses.iter().map(|r| {
        let status = &r.status;
        let mut e = quote!(::ferroapi::AdditionalResponse::new(#status));
        if let Some(d) = &r.description {
            e = quote!(#e.description(#d));
        }
        if let Some(m) = &r.model {
            e = quote!(#e.model::<#m>());
        }
        for c in &r.content {
            e = quote!(#e.content(#c));
        }
        if let Some(x) = &r.extra {
            e = quote!(#e.extra(::core::convert::Into::<::ferroapi::serde_json::Value>::into(#x)));
        }
        e
    });
    let route_name = match &args.name {
        Some(n) => quote!(#n),
        None => quote!(::core::stringify!(#name)),
    };
    let response_description = match &args.response_description {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let openapi_extra = match &args.openapi_extra {
        Some(e) => {
            quote!(::core::option::Option::Some(::core::convert::Into::<::ferroapi::serde_json::Value>::into(#e)))
        }
        None => quote!(::core::option::Option::None),
    };
    let unique_id = match &args.unique_id {
        Some(e) => quote!(::core::option::Option::Some(::ferroapi::UniqueId::new(#e))),
        None => quote!(::core::option::Option::None),
    };
    let webhook = args.webhook;
    let callbacks = &args.callbacks;
    let limited = args.max_body_size.is_some()
        || args.strict_content_type.is_some()
        || args.form_limits.is_some();
    let with_limits = if limited {
        let opt = |t: Option<TokenStream>| match t {
            Some(t) => quote!(::core::option::Option::Some(#t)),
            None => quote!(::core::option::Option::None),
        };
        let max = opt(args.max_body_size.map(|n| quote!(#n)));
        let strict = opt(args.strict_content_type.map(|b| quote!(#b)));
        let form = match &args.form_limits {
            Some(e) => quote!(#e),
            None => quote!(::ferroapi::FormLimits::new()),
        };
        quote! {
            let __route = __route.with_limits(::ferroapi::Limits {
                max_body_size: #max,
                strict_content_type: #strict,
                form: #form,
            });
        }
    } else {
        quote!()
    };
    let with_ws_config = match &args.ws_config {
        Some(e) => quote! {
            let __route = __route.with_websocket_config(#e);
        },
        None => quote!(),
    };
    let with_ws_config = if kind == Kind::WebSocket {
        quote! {
            let __route = __route.websocket_route();
            #with_ws_config
        }
    } else {
        with_ws_config
    };
    let crate::params::Generated {
        specs,
        prepare,
        describe,
        kinds,
        declares,
        dep_pass,
        extracts,
        settles,
        bounds,
        arg_names,
    } = crate::params::generate(&params, |spec| quote!(__specs::#spec));
    let ret_ty: Type = match &func.sig.output {
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
        syn::ReturnType::Default => syn::parse_quote!(()),
    };
    let describe_response = match &args.response_model {
        _ if kind == Kind::WebSocket => quote!(),
        Some(m) => quote! {
            <<#ret_ty as ::ferroapi::__private::IntoModel<#m>>::Output as ::ferroapi::__private::Responder>::describe(&mut __describe);
        },
        None => quote! {
            <#ret_ty as ::ferroapi::__private::Responder>::describe(&mut __describe);
        },
    };
    let convert = match &args.response_model {
        Some(m) => quote! {
            let __out = <_ as ::ferroapi::__private::IntoModel<#m>>::into_model(__out);
        },
        None => quote!(),
    };
    // FastAPI's `response_model_exclude_none/include/exclude`: the route's
    // JSON answer is reshaped (only on routes that ask for it).
    let shaped = args.exclude_none || args.include.is_some() || !args.exclude.is_empty();
    let respond = if shaped {
        let exclude_none = args.exclude_none;
        let include = match &args.include {
            Some(list) => quote!(::core::option::Option::Some(&[#(#list),*])),
            None => quote!(::core::option::Option::None),
        };
        let exclude = &args.exclude;
        quote! {
            let (__parts, __after) = ::ferroapi::__private::head(__call.data);
            ::ferroapi::__private::respond_shaped(__out, __status, &__parts, &handlers, __after, &::ferroapi::__private::Shape {
                exclude_none: #exclude_none,
                include: #include,
                exclude: &[#(#exclude),*],
            }).await
        }
    } else {
        quote! {
            let (__parts, __after) = ::ferroapi::__private::head(__call.data);
            ::ferroapi::__private::respond(__out, __status, __parts, &handlers, __after)
        }
    };
    let (finish, run) = match kind {
        Kind::Http => (
            quote! {
                if let ::core::result::Result::Err(res) = ::ferroapi::__private::finish(&mut __call.data, &handlers) {
                    return res;
                }
            },
            if blocking {
                quote! {
                    let __out = ::ferroapi::__private::run_blocking(move || __handler(#(#arg_names),*)).await;
                    #convert
                    #respond
                }
            } else {
                quote! {
                    let __out = __handler(#(#arg_names),*).await;
                    #convert
                    #respond
                }
            },
        ),
        Kind::WebSocket => (
            quote! {
                let (__parts, __after) = match ::ferroapi::__private::finish_websocket(__call.data).await {
                    ::core::result::Result::Ok(p) => p,
                    ::core::result::Result::Err(res) => return res,
                };
            },
            quote! {
                ::ferroapi::__private::upgrade(__parts, __after, __handler(#(#arg_names),*)).await
            },
        ),
    };
    let mut handler_fn = func.clone();
    handler_fn.sig.ident = format_ident!("__handler");
    handler_fn.vis = syn::Visibility::Inherited;
    handler_fn.attrs.retain(|a| !a.path().is_ident("doc"));
    let some_args = arg_names
        .iter()
        .map(|a| quote!(::core::option::Option::Some(#a)));
    let arg_names2 = arg_names.clone();
    let other_attrs: Vec<&syn::Attribute> = func
        .attrs
        .iter()
        .filter(|a| {
            a.path().is_ident("allow")
                || a.path().is_ident("cfg")
                || a.path().is_ident("deprecated")
        })
        .collect();

    quote! {
        #(#docs)*
        #(#other_attrs)*
        #vis fn #name<__S>() -> ::ferroapi::__private::RouteDef<__S>
        where
            __S: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync + 'static,
            #(#bounds,)*
        {
            #handler_fn
            #[allow(non_snake_case)]
            mod __specs {
                #(#specs)*
            }
            let mut __describe = ::ferroapi::openapi::Describe::new();
            {
                let __describe = &mut __describe;
                #(#prepare)*
                #(#describe)*
            }
            #describe_response
            let __info = ::ferroapi::__private::route_info(&[#(#kinds),*]);
            let mut __meta = ::ferroapi::__private::RouteMeta::new(#route_name);
            __meta.summary = #summary;
            __meta.description = #description;
            __meta.tags = ::std::vec![#(::std::string::String::from(#tags)),*];
            __meta.status = ::ferroapi::__private::StatusCode::from_u16(#status)
                .unwrap_or(::ferroapi::__private::StatusCode::OK);
            __meta.deprecated = #deprecated;
            __meta.include_in_schema = #include;
            __meta.operation_id = #operation_id;
            __meta.doc = __describe.finish();
            __meta.responses = ::std::vec![#(#responses),*];
            __meta.response_description = #response_description;
            __meta.openapi_extra = #openapi_extra;
            __meta.unique_id = #unique_id;
            __meta.webhook = #webhook;
            __meta.callbacks = ::std::vec![#(::ferroapi::Callback::of(#callbacks::<()>)),*];
            let __status = __meta.status;
            let __route = ::ferroapi::__private::RouteDef::new(
                ::std::vec![#(::ferroapi::__private::Method::#methods),*],
                #path,
                __info,
                __meta,
                ::std::sync::Arc::new(move |mut __call: ::ferroapi::__private::Call<__S>| {
                    ::std::boxed::Box::pin(async move {
                        // The call's fields are used where the future holds
                        // them, never moved into locals of their own: what a
                        // future captured it keeps for its whole life.
                        let handlers = &*__call.shared.handlers;
                        let mut __cx_owned = ::ferroapi::__private::begin(&mut __call.data, &__call.shared.state, handlers);
                        let __cx = &mut __cx_owned;
                        if let ::core::result::Result::Err(res) = ::ferroapi::__private::read_body(&mut *__cx, __call.body).await {
                            return res;
                        }
                        ::ferroapi::__private::run_guards(&__call.guards, &mut *__cx).await;
                        #(#declares)*
                        #(#dep_pass)*
                        __cx.seal_errors(0);
                        #(#extracts)*
                        #(#settles)*
                        #finish
                        #[allow(irrefutable_let_patterns)]
                        let (#(#some_args,)*) = (#(#arg_names2,)*) else {
                            return ::ferroapi::__private::internal_server_error();
                        };
                        #run
                    })
                }),
            );
            #(let __route = __route.dependency::<#deps>();)*
            #with_limits
            #with_ws_config
            __route
        }
    }
}
