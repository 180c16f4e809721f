//! The app's routes and dependencies as ferroapi routes and `#[dependency]`
//! functions, each body a stub that answers 501.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::models::Models;
use super::types;
use super::{gap, ident, lit, Generated, TODO};

/// The methods ferroapi has an attribute for.
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// What is being written: the routes, the dependencies, their names.
struct Writer<'a> {
    manifest: &'a Value,
    models: &'a Models<'a>,
    /// Rust function names taken so far.
    taken: BTreeMap<String, usize>,
    /// Dependencies written, by their Python function and parameters.
    deps: BTreeMap<String, String>,
    deps_code: String,
}

/// Writes `routes.rs`: the dependencies, the routes, and `app()`.
pub fn write(manifest: &Value, models: &Models<'_>, out: &mut Generated) -> String {
    let mut w = Writer {
        manifest,
        models,
        taken: BTreeMap::new(),
        deps: BTreeMap::new(),
        deps_code: String::new(),
    };
    let mut routes_code = String::new();
    let mut registered = Vec::new();
    for route in manifest["routes"].as_array().into_iter().flatten() {
        match route["kind"].as_str() {
            Some("route") => {
                if let Some(f) = w.route(route, out, &mut routes_code) {
                    registered.push(f);
                }
            }
            Some("docs") => {}
            Some(kind) => {
                let at = route["path"].as_str().unwrap_or("?");
                gap(out, &mut routes_code, "", at, &format!("a `{kind}` route"));
            }
            None => {}
        }
    }
    let mut s = String::from(
        "//! The app's routes and dependencies. Each body is a stub that answers\n\
         //! 501 until it is written: `ferroapi port status` lists them.\n\n\
         #![allow(unused_imports)]\n\n\
         use ferroapi::{api_route, delete, get, head, options, patch, post, put};\n\
         use ferroapi::{App, Cookie, Depends, HTTPException, Header, Json, Path, Query};\n\n\
         #[allow(unused_imports)]\n\
         use crate::models::*;\n\n",
    );
    s.push_str(&w.deps_code);
    s.push_str(&routes_code);
    s.push_str(&app_fn(manifest, &registered, out));
    s
}

/// `app()`: the app's settings and every route.
fn app_fn(manifest: &Value, routes: &[String], out: &mut Generated) -> String {
    let app = &manifest["app"];
    let mut s = String::from("/// The app, as the FastAPI app is configured.\npub fn app() -> App {\n");
    let mut pre = String::new();
    let mut chain = String::from("    App::new()\n");
    let text = |k: &str| app[k].as_str().filter(|v| !v.is_empty());
    if let Some(t) = text("title").filter(|t| *t != "FastAPI") {
        let _ = writeln!(chain, "        .title({})", lit(t));
    }
    if let Some(v) = text("version").filter(|v| *v != "0.1.0") {
        let _ = writeln!(chain, "        .version({})", lit(v));
    }
    if let Some(d) = text("description") {
        let _ = writeln!(chain, "        .description({})", lit(d));
    }
    if let Some(d) = text("summary") {
        let _ = writeln!(chain, "        .summary({})", lit(d));
    }
    for (key, default) in [("openapi_url", "/openapi.json"), ("docs_url", "/docs"), ("redoc_url", "/redoc")] {
        match &app[key] {
            Value::String(u) if u == default => {}
            Value::String(u) => {
                let _ = writeln!(chain, "        .{key}(Some({}))", lit(u));
            }
            _ => {
                let _ = writeln!(chain, "        .{key}(None)");
            }
        }
    }
    if app["separate_input_output_schemas"] == Value::Bool(false) {
        chain.push_str("        .separate_input_output_schemas(false)\n");
    }
    if app["redirect_slashes"] == Value::Bool(false) {
        chain.push_str("        .redirect_slashes(false)\n");
    }
    if text("root_path").is_some() {
        gap(out, &mut pre, "    ", "app", "`root_path` (give it with App::root_path at deployment)");
    }
    if app["dependencies"].as_array().is_some_and(|d| !d.is_empty()) {
        gap(out, &mut pre, "    ", "app", "app-wide `dependencies` (App::dependency)");
    }
    let info = &manifest["openapi"]["info"];
    for key in ["contact", "license", "termsOfService"] {
        if info.get(key).is_some() {
            gap(out, &mut pre, "    ", "app", &format!("`info.{key}` (App::{key})"));
        }
    }
    if manifest["openapi"].get("tags").is_some() {
        gap(out, &mut pre, "    ", "app", "`openapi_tags` (App::openapi_tags)");
    }
    for m in manifest["middleware"].as_array().into_iter().flatten() {
        let class = m["class"].as_str().unwrap_or("?");
        gap(out, &mut pre, "    ", class, &format!("middleware `{class}`"));
    }
    for h in manifest["exception_handlers"].as_array().into_iter().flatten() {
        if h["builtin"] == Value::Bool(true) {
            continue;
        }
        let exc = h["exception"].as_str().unwrap_or("?");
        let at = h["at"].as_str().unwrap_or("?");
        // A handler of FastAPI's own errors changes what is answered before
        // any handler runs; the app's own exceptions are the handlers' to raise.
        if exc.ends_with("RequestValidationError") || exc.ends_with("HTTPException") || exc.chars().all(|c| c.is_ascii_digit()) {
            gap(out, &mut pre, "    ", at, &format!("an exception handler for `{exc}` (App::exception_handler)"));
        } else {
            out.stubs += 1;
            let _ = writeln!(pre, "    // {TODO}: exception handler for `{exc}` ({at}): App::exception_handler");
        }
    }
    for l in manifest["lifespan"].as_array().into_iter().flatten() {
        out.stubs += 1;
        let _ = writeln!(
            pre,
            "    // {TODO}: lifespan `{}` ({}): App::lifespan_state / on_startup",
            l["function"].as_str().unwrap_or("?"),
            l["at"].as_str().unwrap_or("?")
        );
    }
    s.push_str(&pre);
    s.push_str(&chain);
    for r in routes {
        let _ = writeln!(s, "        .route({r})");
    }
    s.push_str("}\n");
    s
}

/// The operation of `path` and `method` in FastAPI's document.
fn operation<'a>(manifest: &'a Value, path: &str, method: &str) -> Option<&'a Value> {
    // The document writes `{file_path}` where the route says `{file_path:path}`.
    let documented = path.replace(":path}", "}");
    manifest["openapi"]["paths"][documented.as_str()].get(method.to_lowercase())
}

impl Writer<'_> {
    /// A free Rust function name for `python`.
    fn name(&mut self, python: &str) -> String {
        let base = ident(python);
        let n = self.taken.entry(base.clone()).or_insert(0);
        *n += 1;
        match *n {
            1 => base,
            n => format!("{base}_{n}"),
        }
    }

    fn route(&mut self, route: &Value, out: &mut Generated, code: &mut String) -> Option<String> {
        let path = route["path"].as_str().unwrap_or("/");
        let at = route["handler"]["at"].as_str().unwrap_or(path).to_string();
        let methods: Vec<&str> = route["methods"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if methods.is_empty() || methods.iter().any(|m| !METHODS.contains(m)) {
            gap(out, code, "", &at, &format!("methods {methods:?}"));
            return None;
        }
        let python_name = route["name"].as_str().unwrap_or("route");
        let fname = self.name(python_name);
        let op = operation(self.manifest, path, methods[0]);
        let mut opts: Vec<String> = Vec::new();
        let mut before = String::new();
        if let Some(code) = route["status_code"].as_u64() {
            opts.push(format!("status_code = {code}"));
        }
        let tags: Vec<String> = route["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(lit)
            .collect();
        if !tags.is_empty() {
            opts.push(format!("tags = [{}]", tags.join(", ")));
        }
        if let Some(s) = route["summary"].as_str() {
            opts.push(format!("summary = {}", lit(s)));
        }
        if let Some(d) = route["description"].as_str().filter(|d| !d.is_empty()) {
            opts.push(format!("description = {}", lit(d)));
        }
        if let Some(d) = route["response_description"].as_str().filter(|d| *d != "Successful Response") {
            opts.push(format!("response_description = {}", lit(d)));
        }
        if route["deprecated"] == Value::Bool(true) {
            opts.push("deprecated".into());
        }
        if route["include_in_schema"] == Value::Bool(false) {
            opts.push("include_in_schema = false".into());
        }
        // FastAPI's default operationId is the Python name's; a renamed
        // function states it.
        if let Some(id) = route["operation_id"].as_str() {
            opts.push(format!("operation_id = {}", lit(id)));
        } else if fname != python_name {
            if let Some(id) = op.and_then(|o| o["operationId"].as_str()) {
                opts.push(format!("operation_id = {}", lit(id)));
            }
        }
        if route["response_model_exclude_none"] == Value::Bool(true) {
            opts.push("response_model_exclude_none = true".into());
        }
        for (k, what) in [
            ("response_model_include", "`response_model_include`"),
            ("response_model_exclude", "`response_model_exclude`"),
            ("openapi_extra", "`openapi_extra`"),
        ] {
            if !route[k].is_null() {
                gap(out, &mut before, "", &at, what);
            }
        }
        if route["response_model_exclude_unset"] == Value::Bool(true) {
            gap(out, &mut before, "", &at, "`response_model_exclude_unset` (ferroapi::Maybe fields in the model)");
        }
        if route["response_model_exclude_defaults"] == Value::Bool(true) {
            gap(out, &mut before, "", &at, "`response_model_exclude_defaults`");
        }
        if route["responses"].as_object().is_some_and(|r| !r.is_empty()) {
            gap(out, &mut before, "", &at, "`responses=` (the route option `responses`)");
        }
        if route["response_class"].as_str().is_some_and(|c| c != "starlette.responses.JSONResponse" && c != "fastapi.responses.JSONResponse") {
            gap(out, &mut before, "", &at, &format!("response class `{}`", route["response_class"].as_str().unwrap_or("?")));
        }
        let dependant = &route["dependant"];
        let mut params = Vec::new();
        let mut effects = Vec::new();
        for dep in dependant["dependencies"].as_array().into_iter().flatten() {
            let Some(dep_fn) = self.dependency(dep, path, op, out, &mut before) else {
                continue;
            };
            match dep["name"].as_str() {
                Some(name) => params.push(format!("{}: Depends<{dep_fn}>", ident(name))),
                None => effects.push(dep_fn),
            }
        }
        if !effects.is_empty() {
            opts.push(format!("dependencies = [{}]", effects.join(", ")));
        }
        self.params(dependant, path, op, &at, out, &mut before, &mut params);
        let status = route["status_code"].as_u64().unwrap_or(200).to_string();
        let answer = op.and_then(|o| o["responses"].get(&status));
        let returns = match answer.map(|a| (a, a.get("content"))) {
            Some((_, None)) => "()".to_string(),
            Some((_, Some(content))) => match content.get("application/json") {
                Some(json) => match types::of(&json["schema"], self.models) {
                    Ok(t) => format!("Json<{}>", t.rust),
                    Err(what) => {
                        gap(out, &mut before, "", &at, &format!("the answer: {what}"));
                        "Json<serde_json::Value>".into()
                    }
                },
                None => {
                    gap(out, &mut before, "", &at, "an answer that is not JSON");
                    "Json<serde_json::Value>".into()
                }
            },
            // Not in the document (include_in_schema=False): any JSON.
            None => "Json<serde_json::Value>".into(),
        };
        let attr = match methods.as_slice() {
            [one] => format!("#[{}({}", one.to_lowercase(), lit(path)),
            many => format!("#[api_route({}, methods = [{}]", lit(path), many.join(", ")),
        };
        let mut head = attr;
        for o in &opts {
            head.push_str(", ");
            head.push_str(o);
        }
        head.push_str(")]");
        code.push_str(&before);
        out.stubs += 1;
        let _ = writeln!(
            code,
            "{head}\nasync fn {fname}(\n{}) -> Result<{returns}, HTTPException> {{\n    // {TODO}: {at} `{}`\n    Err(HTTPException::new(501, {}))\n}}\n",
            params.iter().map(|p| format!("    {p},\n")).collect::<String>(),
            route["handler"]["function"].as_str().unwrap_or(python_name),
            lit(&format!("{TODO}: {at}")),
        );
        Some(fname)
    }

    /// The parameters a dependant (a route or a dependency) declares itself.
    #[allow(clippy::too_many_arguments)]
    fn params(
        &mut self,
        dependant: &Value,
        path: &str,
        op: Option<&Value>,
        at: &str,
        out: &mut Generated,
        before: &mut String,
        params: &mut Vec<String>,
    ) {
        let all: Vec<&Value> = dependant["params"].as_array().into_iter().flatten().collect();
        for p in all {
            let name = p["name"].as_str().unwrap_or("param");
            let alias = p["alias"].as_str().unwrap_or(name);
            let location = p["location"].as_str().unwrap_or("?");
            let field = &p["field"];
            let schema = match location {
                "body" => body_schema(self.manifest, op, alias),
                _ => op.and_then(|o| {
                    o["parameters"].as_array().into_iter().flatten().find(|q| {
                        q["name"] == alias && q["in"] == location
                    })
                })
                .map(|q| &q["schema"]),
            };
            let wrapper = match location {
                "path" => "Path",
                "query" => "Query",
                "header" => "Header",
                "cookie" => "Cookie",
                "body" if p["media_type"] == "application/json" => "Json",
                _ => {
                    gap(out, before, "", at, &format!("the {location} parameter `{name}` ({})", p["media_type"].as_str().unwrap_or("")));
                    continue;
                }
            };
            // Left out of the document (`include_in_schema=False`): its
            // schema made from its annotation and constraints.
            let made;
            let mut hidden = false;
            let schema = match schema {
                Some(s) => s,
                None => match types::from_annotation(field) {
                    Some(s) => {
                        made = s;
                        hidden = true;
                        &made
                    }
                    None => {
                        gap(out, before, "", at, &format!("the parameter `{name}` of type `{}`, not in FastAPI's document", field["annotation"].as_str().unwrap_or("?")));
                        continue;
                    }
                },
            };
            let mut t = match types::of(schema, self.models) {
                Ok(t) => t,
                Err(what) => {
                    gap(out, before, "", at, &format!("the parameter `{name}`: {what}"));
                    continue;
                }
            };
            types::int_keys(&mut t, field["annotation"].as_str());
            if wrapper == "Json" {
                // A body is validated as a whole: garde knows std's maps.
                t.rust = t.rust.replacen("indexmap::IndexMap<", "std::collections::BTreeMap<", 1);
            }
            let mut opts = std::mem::take(&mut t.param);
            let rust = ident(name);
            let expected_alias = match location {
                "header" if p["convert_underscores"] != Value::Bool(false) => name.replace('_', "-"),
                _ => name.to_string(),
            };
            if p["convert_underscores"] == Value::Bool(false) {
                opts.push("convert_underscores = false".into());
            }
            if alias != expected_alias || (location != "body" && rust != name) {
                opts.push(format!("alias = {}", lit(alias)));
            }
            if let Some(t) = field["title"].as_str() {
                opts.push(format!("title = {}", lit(t)));
            }
            if let Some(d) = field["description"].as_str() {
                opts.push(format!("description = {}", lit(d)));
            }
            if field["deprecated"] == Value::Bool(true) {
                opts.push("deprecated".into());
            }
            if let Some(ex) = field["examples"].as_array() {
                let each: Vec<String> = ex.iter().map(Value::to_string).collect();
                opts.push(format!("examples = [{}]", each.join(", ")));
            }
            if p["embed"] == Value::Bool(true) {
                opts.push("embed".into());
            }
            if hidden {
                opts.push("include_in_schema = false".into());
            }
            let required = field["required"].as_bool().unwrap_or(true);
            if !required {
                match schema.get("default").or(field.get("default")) {
                    Some(Value::Null) | None if t.optional => {}
                    Some(d) => match types::default_expr(d, &t.rust) {
                        Some(e) => opts.push(format!("default = {e}")),
                        None => gap(out, before, "", at, &format!("the default of `{name}`: {d}")),
                    },
                    None => {
                        gap(out, before, "", at, &format!("`{name}` has a default_factory"));
                    }
                }
            } else if t.optional {
                gap(out, before, "", at, &format!("`{name}` is required and may be null"));
            }
            let ty = match (wrapper, t.optional, required) {
                ("Json", true, false) => format!("Option<Json<{}>>", &t.rust["Option<".len()..t.rust.len() - 1]),
                _ => format!("{wrapper}<{}>", t.rust),
            };
            let attr = match opts.is_empty() {
                true => String::new(),
                false => format!("#[param({})] ", opts.join(", ")),
            };
            let _ = path;
            params.push(format!("{attr}{rust}: {ty}"));
        }
    }

    /// The Rust function of a dependency (written once per Python function).
    fn dependency(
        &mut self,
        dep: &Value,
        path: &str,
        op: Option<&Value>,
        out: &mut Generated,
        before: &mut String,
    ) -> Option<String> {
        let at = dep["at"].as_str().unwrap_or(path).to_string();
        if let Some(sec) = dep.get("security") {
            let class = sec["class"].as_str().unwrap_or("?");
            gap(out, before, "", &at, &format!("the security scheme `{class}` (ferroapi::security)"));
            return None;
        }
        let Some(function) = dep["function"].as_str() else {
            gap(out, before, "", &at, "a dependency without a function");
            return None;
        };
        if dep.get("special_params").is_some_and(|s| s.as_object().is_some_and(|o| !o.is_empty())) {
            gap(out, before, "", &at, &format!("`{function}` takes Request, Response, SecurityScopes or BackgroundTasks"));
            return None;
        }
        if let Some(done) = self.deps.get(function) {
            return Some(done.clone());
        }
        let short = function.rsplit('.').next().unwrap_or(function);
        let fname = self.name(short);
        self.deps.insert(function.to_string(), fname.clone());
        let mut params = Vec::new();
        let mut sub_before = String::new();
        let mut effects = Vec::new();
        for sub in dep["dependencies"].as_array().into_iter().flatten() {
            let Some(sub_fn) = self.dependency(sub, path, op, out, &mut sub_before) else {
                continue;
            };
            match sub["name"].as_str() {
                Some(name) => params.push(format!("{}: Depends<{sub_fn}>", ident(name))),
                None => effects.push(sub_fn),
            }
        }
        if !effects.is_empty() {
            gap(out, &mut sub_before, "", &at, "`dependencies=[..]` of a dependency");
        }
        self.params(dep, path, op, &at, out, &mut sub_before, &mut params);
        let yields = match dep["yield"] == Value::Bool(true) {
            true => " (a `yield` dependency: ferroapi::Yield)",
            false => "",
        };
        out.stubs += 1;
        let _ = writeln!(
            self.deps_code,
            "{sub_before}#[ferroapi::dependency]\nasync fn {fname}(\n{}) -> Result<(), HTTPException> {{\n    // {TODO}: {at} `{function}`{yields}\n    Err(HTTPException::new(501, {}))\n}}\n",
            params.iter().map(|p| format!("    {p},\n")).collect::<String>(),
            lit(&format!("{TODO}: {at}")),
        );
        Some(fname)
    }
}

/// A body parameter's schema: the body's own, or its property of the
/// `Body_*` model FastAPI makes of several (or of one embedded).
fn body_schema<'a>(manifest: &'a Value, op: Option<&'a Value>, alias: &str) -> Option<&'a Value> {
    let schema = &op?["requestBody"]["content"]["application/json"]["schema"];
    match schema["$ref"].as_str() {
        Some(r) if r.starts_with("#/components/schemas/Body_") => {
            let name = r.rsplit('/').next()?;
            manifest["openapi"]["components"]["schemas"][name]["properties"].get(alias)
        }
        _ => Some(schema).filter(|s| !s.is_null()),
    }
}
