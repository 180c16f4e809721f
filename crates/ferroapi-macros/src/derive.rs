//! `#[derive(ParamEnum)]` and `#[derive(ParamModel)]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

pub(crate) fn param_enum(item: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(item) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let Data::Enum(data) = &input.data else {
        return syn::Error::new_spanned(&input.ident, "ParamEnum can only be derived for enums")
            .to_compile_error();
    };
    let mut errors = TokenStream::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            errors.extend(
                syn::Error::new_spanned(v, "ParamEnum variants must be unit variants")
                    .to_compile_error(),
            );
        }
    }
    if !errors.is_empty() {
        return errors;
    }
    let name = &input.ident;
    let (ig, tg, wc) = input.generics.split_for_impl();
    quote! {
        impl #ig ::ferroapi::extract::ParamValue for #name #tg #wc {
            fn parse(
                raw: &str,
                _constraints: &::ferroapi::extract::Constraints,
            ) -> ::core::result::Result<Self, ::ferroapi::validation::Kind> {
                ::ferroapi::__private::parse_enum::<Self>(raw)
            }
            fn prepare() {
                ::ferroapi::__private::prepare_enum::<Self>();
            }
        }
    }
}

pub(crate) fn param_model(item: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(item) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    if !matches!(&input.data, Data::Struct(s) if matches!(s.fields, Fields::Named(_))) {
        return syn::Error::new_spanned(
            &input.ident,
            "ParamModel can only be derived for structs with named fields",
        )
        .to_compile_error();
    }
    let name = &input.ident;
    let (ig, tg, wc) = input.generics.split_for_impl();
    quote! {
        impl #ig ::ferroapi::extract::FromParam for #name #tg #wc {
            fn from_source(
                src: &dyn ::ferroapi::extract::Source,
                _spec: &'static ::ferroapi::extract::ParamSpec,
                loc: ::ferroapi::extract::Location,
                errors: &mut ::std::vec::Vec<::ferroapi::validation::ErrorItem>,
            ) -> ::ferroapi::extract::Outcome<Self> {
                ::ferroapi::__private::model_from_source::<Self>(src, loc, errors, Self::__ferroapi_model_info())
            }
            fn prepare() {
                Self::__ferroapi_model_info();
            }
            fn describe(
                spec: &'static ::ferroapi::extract::ParamSpec,
                loc: ::ferroapi::extract::Location,
                cx: &mut ::ferroapi::openapi::Describe,
            ) {
                ::ferroapi::__private::describe_model::<Self>(spec, loc, cx);
            }
        }

        impl #ig #name #tg #wc {
            #[doc(hidden)]
            fn __ferroapi_model_info() -> &'static ::ferroapi::__private::ModelInfo {
                static INFO: ::std::sync::OnceLock<::ferroapi::__private::ModelInfo> = ::std::sync::OnceLock::new();
                INFO.get_or_init(::ferroapi::__private::ModelInfo::of::<#name #tg>)
            }
        }
    }
}
