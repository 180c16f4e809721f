//! `#[dependency]`: an async fn becomes a dependency usable as
//! `Depends<the_fn>`. The fn itself is kept as written (callable, testable);
//! a type of the same name (type namespace only, so nothing clashes) carries
//! the `Dependency` impl: its parameters are extracted like a route's, then
//! the fn runs. A `Result` return raises its `Err` through the app's handlers.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{GenericArgument, ItemFn, PathArguments, Type};

use crate::errors::Errors;

/// `Result<T, E>` → `Some(T)` (and `Yield<T>` → `T` with `wrapper = "Yield"`).
fn first_arg<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let err = e.to_compile_error();
            return quote!(#err #item);
        }
    };
    if !attr.is_empty() {
        errors.spanned(&attr, "#[dependency] takes no arguments");
    }
    if func.sig.asyncness.is_none() {
        errors.spanned(func.sig.fn_token, "dependency functions must be `async fn`");
    }
    if !func.sig.generics.params.is_empty() {
        errors.spanned(&func.sig.generics, "dependency functions cannot be generic");
    }
    let params = crate::params::collect(&mut func.sig, &mut errors);
    let ret: Type = match &func.sig.output {
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
        // Run for its effect only (a guard): provides `()`.
        syn::ReturnType::Default => syn::parse_quote!(()),
    };
    if !errors.is_empty() {
        let errs = errors.to_compile_errors();
        return quote!(#errs #func);
    }
    let vis = &func.vis;
    let name = &func.sig.ident;
    let specs_mod = format_ident!("__ferroapi_dependency_{}", name);
    let crate::params::Generated {
        specs,
        prepare,
        describe,
        declares,
        dep_pass,
        extracts,
        bounds,
        arg_names,
        ..
    } = crate::params::generate(&params, |spec| quote!(#specs_mod::#spec));
    // `Yield<T>`: the value is `T`; the teardown is kept for after the response.
    let enter = |ty: &Type| match first_arg(ty, "Yield") {
        Some(inner) => (quote!(#inner), quote!(__cx.enter(v))),
        None => (quote!(#ty), quote!(v)),
    };
    let (output, finish) = match first_arg(&ret, "Result") {
        Some(ok) => {
            let (output, value) = enter(ok);
            (
                output,
                quote! {
                    match __out {
                        ::core::result::Result::Ok(v) => ::core::option::Option::Some(#value),
                        ::core::result::Result::Err(e) => {
                            __cx.raise(e);
                            ::core::option::Option::None
                        }
                    }
                },
            )
        }
        None => {
            let (output, value) = enter(&ret);
            (
                output,
                quote! {{ let v = __out; ::core::option::Option::Some(#value) }},
            )
        }
    };
    let some_args = arg_names
        .iter()
        .map(|a| quote!(::core::option::Option::Some(#a)));
    let arg_names2 = arg_names.clone();
    let doc = format!("The dependency `{name}`: use it as `Depends<{name}>`.");

    quote! {
        #func

        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy)]
        #vis struct #name {}

        #[doc(hidden)]
        #[allow(non_snake_case)]
        mod #specs_mod {
            #(#specs)*
        }

        impl ::ferroapi::__private::DependencyOutput for #name {
            type Output = #output;
        }

        impl<__S> ::ferroapi::__private::Dependency<__S> for #name
        where
            __S: ::core::marker::Send + ::core::marker::Sync + 'static,
            #(#bounds,)*
        {
            fn prepare() {
                #(#prepare)*
            }

            fn describe(__describe: &mut ::ferroapi::openapi::Describe) {
                #(#describe)*
            }

            async fn resolve(
                __cx: &mut ::ferroapi::__private::RequestCtx<'_, __S>,
            ) -> ::core::option::Option<#output> {
                let __before = __cx.error_count();
                #(#declares)*
                #(#dep_pass)*
                let __own = __cx.error_count();
                #(#extracts)*
                __cx.seal_errors(__own);
                // As FastAPI: a dependency whose own parameters failed is not called.
                if __cx.error_count() > __before || __cx.is_fatal() {
                    return ::core::option::Option::None;
                }
                #[allow(irrefutable_let_patterns)]
                let (#(#some_args,)*) = (#(#arg_names2,)*) else {
                    return ::core::option::Option::None;
                };
                let __out = #name(#(#arg_names),*).await;
                #finish
            }
        }
    }
}
