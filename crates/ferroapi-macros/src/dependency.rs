//! `#[dependency]`: a fn becomes a dependency usable as `Depends<the_fn>`
//! (a plain `fn` runs on the blocking pool, as FastAPI runs a `def`
//! dependency in its threadpool); on `impl Type { fn new(..) -> Self }` the
//! type itself is the dependency (FastAPI's class dependencies). The fn itself is kept as written (callable, testable);
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
    if !attr.is_empty() {
        errors.spanned(&attr, "#[dependency] takes no arguments");
    }
    if let Ok(func) = syn::parse2::<ItemFn>(item.clone()) {
        return expand_fn(func, errors);
    }
    match syn::parse2::<syn::ItemImpl>(item.clone()) {
        Ok(imp) => expand_impl(imp, errors),
        Err(_) => {
            let err = syn::Error::new_spanned(
                &item,
                "#[dependency] goes on a fn, or on an `impl Type` block with one constructor fn (a class-style dependency)",
            )
            .to_compile_error();
            quote!(#err #item)
        }
    }
}

/// A class-style dependency (FastAPI's `Depends()` on a class): `#[dependency]
/// impl Searcher { fn new(q: Query<String>, ...) -> Self }` makes `Searcher`
/// itself the dependency, `Depends<Searcher>`, its value what the
/// constructor returns.
fn expand_impl(mut imp: syn::ItemImpl, mut errors: Errors) -> TokenStream {
    let fns: Vec<usize> = imp
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i, syn::ImplItem::Fn(_)))
        .map(|(n, _)| n)
        .collect();
    if fns.len() != 1 || imp.trait_.is_some() || !imp.generics.params.is_empty() {
        errors.spanned(
            &imp.self_ty,
            "a class-style #[dependency] is an inherent, non-generic `impl Type` with exactly one fn, its constructor",
        );
        let errs = errors.to_compile_errors();
        return quote!(#errs #imp);
    }
    let syn::ImplItem::Fn(method) = &mut imp.items[fns[0]] else {
        unreachable!("filtered to fns above")
    };
    let self_ty = (*imp.self_ty).clone();
    let fn_name = method.sig.ident.clone();
    let target = Target {
        ty: quote!(#self_ty),
        call: quote!(<#self_ty>::#fn_name),
        spec_tag: format_ident!("__ferroapi_dependency_{}", type_tag(&self_ty)),
        declare: None,
    };
    let generated = generate(&mut method.sig, target, &mut errors);
    if !errors.is_empty() {
        let errs = errors.to_compile_errors();
        return quote!(#errs #imp);
    }
    quote! {
        #imp
        #generated
    }
}

/// A name for a type, for the generated module of its parameter specs.
fn type_tag(ty: &Type) -> String {
    quote!(#ty)
        .to_string()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect()
}

/// What a dependency is generated for: the type implementing it and the
/// function called with its parameters.
struct Target {
    ty: TokenStream,
    call: TokenStream,
    spec_tag: syn::Ident,
    /// The marker struct to declare (a fn dependency's type namespace twin).
    declare: Option<TokenStream>,
}

fn expand_fn(mut func: ItemFn, mut errors: Errors) -> TokenStream {
    let vis = func.vis.clone();
    let name = func.sig.ident.clone();
    let doc = format!("The dependency `{name}`: use it as `Depends<{name}>`.");
    let target = Target {
        ty: quote!(#name),
        call: quote!(#name),
        spec_tag: format_ident!("__ferroapi_dependency_{}", name),
        declare: Some(quote! {
            #[doc = #doc]
            #[allow(non_camel_case_types)]
            #[derive(Debug, Clone, Copy)]
            #vis struct #name {}
        }),
    };
    let generated = generate(&mut func.sig, target, &mut errors);
    if !errors.is_empty() {
        let errs = errors.to_compile_errors();
        return quote!(#errs #func);
    }
    quote! {
        #func
        #generated
    }
}

/// The `Dependency` impl for `target`, from the function's signature (its
/// `#[param]` attributes are consumed). A plain `fn` runs on the blocking
/// pool, as FastAPI runs a `def` dependency in its threadpool.
fn generate(sig: &mut syn::Signature, target: Target, errors: &mut Errors) -> TokenStream {
    if !sig.generics.params.is_empty() {
        errors.spanned(&sig.generics, "dependency functions cannot be generic");
    }
    if let Some(r) = sig.receiver() {
        errors.spanned(r, "a dependency's constructor takes no `self`");
    }
    let blocking = sig.asyncness.is_none();
    let params = crate::params::collect(sig, errors);
    let ret: Type = match &sig.output {
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
        // Run for its effect only (a guard): provides `()`.
        syn::ReturnType::Default => syn::parse_quote!(()),
    };
    if !errors.is_empty() {
        return quote!();
    }
    let Target {
        ty,
        call,
        spec_tag: specs_mod,
        declare,
    } = target;
    let crate::params::Generated {
        specs,
        prepare,
        describe,
        declares,
        dep_pass,
        extracts,
        settles,
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
    let run = if blocking {
        quote!(::ferroapi::__private::run_blocking(move || #call(#(#arg_names),*)).await)
    } else {
        quote!(#call(#(#arg_names),*).await)
    };

    quote! {
        #declare

        #[doc(hidden)]
        #[allow(non_snake_case)]
        mod #specs_mod {
            #(#specs)*
        }

        impl ::ferroapi::__private::DependencyOutput for #ty {
            type Output = #output;

            fn duplicate(__v: &Self::Output) -> ::core::option::Option<Self::Output> {
                #[allow(unused_imports)]
                use ::ferroapi::__private::{NoClone as _, ViaClone as _};
                (&&::ferroapi::__private::Dup(__v)).dup()
            }
        }

        impl<__S> ::ferroapi::__private::Dependency<__S> for #ty
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
                #(#settles)*
                __cx.seal_errors(__own);
                // As FastAPI: a dependency whose own parameters failed is not called.
                if __cx.error_count() > __before || __cx.is_fatal() {
                    return ::core::option::Option::None;
                }
                #[allow(irrefutable_let_patterns)]
                let (#(#some_args,)*) = (#(#arg_names2,)*) else {
                    return ::core::option::Option::None;
                };
                let __out = #run;
                #finish
            }
        }
    }
}
