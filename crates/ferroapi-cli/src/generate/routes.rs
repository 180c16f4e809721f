//! The app's routes and dependencies as ferroapi routes and `#[dependency]`
//! functions, each body a stub that answers 501.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::models::Models;
use super::routers::Tree;
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
    /// Security schemes' settings types written.
    settings: std::collections::BTreeSet<String>,
    /// The app's own dependencies (`FastAPI(dependencies=..)`), which every
    /// route of the manifest lists first: written once, on the app.
    app_deps: Vec<String>,
    /// The app's routers, each written as an `APIRouter`.
    tree: Tree,
}

/// What a sub-dependency becomes in its dependant's signature.
enum Sub {
    /// A `#[dependency]` function.
    Function(String),
    /// A parameter of its own (a security scheme), written whole.
    Param(String),
}

/// Writes `routes.rs`: the dependencies, the routes, and `app()`.
pub fn write(manifest: &Value, models: &Models<'_>, out: &mut Generated) -> String {
    let mut w = Writer {
        manifest,
        models,
        taken: BTreeMap::new(),
        deps: BTreeMap::new(),
        deps_code: String::new(),
        settings: std::collections::BTreeSet::new(),
        app_deps: manifest["app"]["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["function"].as_str().map(String::from))
            .collect(),
        tree: Tree::of(manifest),
    };
    let mut routes_code = String::new();
    let mut registered = Vec::new();
    let mut mounts = Vec::new();
    for route in manifest["routes"].as_array().into_iter().flatten() {
        match route["kind"].as_str() {
            Some("route") => {
                if let Some(placed) = w.route(route, Role::Served, out, &mut routes_code) {
                    registered.push(placed);
                }
            }
            Some("docs") => {}
            // FastAPI's own pages at the URLs the app gave them.
            Some("starlette_route")
                if matches!(
                    route["name"].as_str(),
                    Some("openapi" | "swagger_ui_html" | "swagger_ui_redirect" | "redoc_html")
                ) => {}
            // Starlette's `StaticFiles` from a directory: ferroapi's.
            Some("mount")
                if route["static"]["directory"].is_string()
                    && route["static"]["packages"].is_null() =>
            {
                let files = &route["static"];
                let mut made = format!(
                    "ferroapi::StaticFiles::new({})",
                    lit(files["directory"].as_str().unwrap_or("."))
                );
                if files["html"] == Value::Bool(true) {
                    made.push_str(".html(true)");
                }
                let at = route["path"].as_str().unwrap_or("/");
                mounts.push(Member::Mount(format!("{}, {made}", lit(at))));
            }
            Some(kind) => {
                // The handler's place when it has one (a websocket's).
                let path = route["path"].as_str().unwrap_or("?");
                let what = match (route["handler"]["at"].as_str(), route["app"].as_str()) {
                    (Some(_), _) => format!("a `{kind}` route at {path}"),
                    (None, Some(app)) => format!("a mounted `{app}` (App::mount)"),
                    (None, None) => format!("a `{kind}` route"),
                };
                let at = route["handler"]["at"].as_str().unwrap_or(path);
                gap(out, &mut routes_code, "", at, &what);
            }
            None => {}
        }
    }
    let mut webhooks = Vec::new();
    for hook in manifest["webhooks"].as_array().into_iter().flatten() {
        if let Some((f, _)) = w.route(hook, Role::Webhook, out, &mut routes_code) {
            webhooks.push(Member::Webhook(f));
        }
    }
    let mut s = String::from(
        "//! The app's routes and dependencies. Each body is a stub that answers\n\
         //! 501 until it is written: `ferroapi port status` lists them.\n\n\
         #![allow(unused_imports)]\n\n\
         use ferroapi::{api_route, delete, get, head, options, patch, post, put};\n\
         use ferroapi::{APIRouter, App, Cookie, Depends, Form, HTTPException, Header, Json, Path, Query};\n\n\
         #[allow(unused_imports)]\n\
         use crate::models::*;\n\n",
    );
    s.push_str(&w.deps_code);
    s.push_str(&routes_code);
    let app_deps: Vec<String> = w
        .app_deps
        .iter()
        .filter_map(|f| w.deps.get(f).cloned())
        .collect();
    let (routers_code, mut members) = w.routers(&registered);
    members.extend(webhooks);
    members.extend(mounts);
    s.push_str(&routers_code);
    s.push_str(&app_fn(manifest, &members, &app_deps, out));
    s
}

/// What `app()` or a router function adds, in the app's order.
enum Member {
    Route(String),
    /// A router: the expression that makes it (its function, wrapped in
    /// the include's own prefix, tags and dependencies when it has them).
    Router(String),
    /// One of the app's webhooks.
    Webhook(String),
    /// A mount: its path and what is mounted.
    Mount(String),
}

impl Member {
    fn call(&self) -> String {
        match self {
            Member::Route(f) => format!(".route({f})"),
            Member::Router(r) => format!(".include_router({r})"),
            Member::Webhook(f) => format!(".webhook({f})"),
            Member::Mount(m) => format!(".mount({m})"),
        }
    }
}

/// `app()`: the app's settings, its routes and its routers.
fn app_fn(manifest: &Value, routes: &[Member], app_deps: &[String], out: &mut Generated) -> String {
    let app = &manifest["app"];
    let mut s =
        String::from("/// The app, as the FastAPI app is configured.\npub fn app() -> App {\n");
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
    for (key, default) in [
        ("openapi_url", "/openapi.json"),
        ("docs_url", "/docs"),
        ("redoc_url", "/redoc"),
    ] {
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
    if let Some(r) = text("root_path") {
        let _ = writeln!(chain, "        .root_path({})", lit(r));
    }
    if let Some(n) = app["max_body_size"].as_u64() {
        let _ = writeln!(chain, "        .max_body_size({n})");
    }
    for d in app_deps {
        let _ = writeln!(chain, "        .dependency::<{d}>()");
    }
    let info = &manifest["openapi"]["info"];
    let opt = |v: &Value| match v.as_str() {
        Some(t) => format!("Some({})", lit(t)),
        None => "None".into(),
    };
    if let Some(c) = info.get("contact") {
        let _ = writeln!(
            chain,
            "        .contact({}, {}, {})",
            opt(&c["name"]),
            opt(&c["url"]),
            opt(&c["email"])
        );
    }
    if let Some(l) = info.get("license") {
        let id = match l.get("identifier") {
            Some(i) => i,
            None => &l["url"],
        };
        let _ = writeln!(
            chain,
            "        .license({}, {})",
            lit(l["name"].as_str().unwrap_or("")),
            opt(id)
        );
    }
    if let Some(t) = info["termsOfService"].as_str() {
        let _ = writeln!(chain, "        .terms_of_service({})", lit(t));
    }
    if let Some(tags) = manifest["openapi"].get("tags") {
        let _ = writeln!(chain, "        .openapi_tags(serde_json::json!({tags}))");
    }
    for server in manifest["openapi"]["servers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let _ = writeln!(
            chain,
            "        .server({}, {})",
            lit(server["url"].as_str().unwrap_or("/")),
            opt(&server["description"])
        );
    }
    // The manifest lists the outermost first (Starlette's stack); they are
    // added, as in the app, innermost first.
    for m in manifest["middleware"]
        .as_array()
        .into_iter()
        .flatten()
        .rev()
    {
        let class = m["class"].as_str().unwrap_or("?");
        match middleware(class, &m["options"]) {
            Some(call) => {
                let _ = writeln!(chain, "        {call}");
            }
            // A middleware function (`@app.middleware("http")`) is Python
            // logic: a stub to write as a layer.
            None if class == "starlette.middleware.base.BaseHTTPMiddleware" => {
                out.stubs += 1;
                let _ = writeln!(
                    pre,
                    "    // {TODO}: {} middleware `{}`: App::layer(axum::middleware::from_fn(..))",
                    m["options"]["dispatch"]["at"].as_str().unwrap_or("?"),
                    m["options"]["dispatch"]["function"].as_str().unwrap_or("?")
                );
            }
            None => gap(
                out,
                &mut pre,
                "    ",
                class,
                &format!("middleware `{class}` (App::layer)"),
            ),
        }
    }
    for h in manifest["exception_handlers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if h["builtin"] == Value::Bool(true) {
            continue;
        }
        let exc = h["exception"].as_str().unwrap_or("?");
        let at = h["at"].as_str().unwrap_or("?");
        // A handler of FastAPI's own errors changes what is answered before
        // any handler runs; the app's own exceptions are the handlers' to raise.
        if exc.ends_with("RequestValidationError")
            || exc.ends_with("HTTPException")
            || exc.chars().all(|c| c.is_ascii_digit())
        {
            gap(
                out,
                &mut pre,
                "    ",
                at,
                &format!("an exception handler for `{exc}` (App::exception_handler)"),
            );
        } else {
            out.stubs += 1;
            let _ = writeln!(
                pre,
                "    // {TODO}: exception handler for `{exc}` ({at}): App::exception_handler"
            );
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
        let _ = writeln!(s, "        {}", r.call());
    }
    s.push_str("}\n");
    s
}

/// Starlette's middleware ferroapi has built in, as the `App` call.
fn middleware(class: &str, options: &Value) -> Option<String> {
    let list = |k: &str| -> Option<String> {
        let items: Vec<String> = options[k]
            .as_array()?
            .iter()
            .map(|v| v.as_str().map(lit))
            .collect::<Option<_>>()?;
        Some(format!("[{}]", items.join(", ")))
    };
    match class {
        "starlette.middleware.cors.CORSMiddleware" => {
            let mut c = String::from(".cors(ferroapi::middleware::Cors::new()");
            for (k, method) in [
                ("allow_origins", "allow_origins"),
                ("allow_methods", "allow_methods"),
                ("allow_headers", "allow_headers"),
                ("expose_headers", "expose_headers"),
            ] {
                if options.get(k).is_some() {
                    let _ = write!(c, ".{method}({})", list(k)?);
                }
            }
            if let Some(r) = options["allow_origin_regex"].as_str() {
                let _ = write!(c, ".allow_origin_regex({})", lit(r));
            }
            if let Some(b) = options["allow_credentials"].as_bool() {
                let _ = write!(c, ".allow_credentials({b})");
            }
            if let Some(n) = options["max_age"].as_u64() {
                let _ = write!(c, ".max_age({n})");
            }
            let known = [
                "allow_origins",
                "allow_methods",
                "allow_headers",
                "expose_headers",
                "allow_origin_regex",
                "allow_credentials",
                "max_age",
            ];
            if options
                .as_object()?
                .keys()
                .any(|k| !known.contains(&k.as_str()))
            {
                return None;
            }
            c.push(')');
            Some(c)
        }
        "starlette.middleware.gzip.GZipMiddleware" | "fastapi.middleware.gzip.GZipMiddleware" => {
            let keys: Vec<&String> = options.as_object()?.keys().collect();
            if keys.iter().any(|k| *k != "minimum_size") {
                return None;
            }
            Some(format!(
                ".gzip({})",
                options["minimum_size"].as_u64().unwrap_or(500)
            ))
        }
        "starlette.middleware.trustedhost.TrustedHostMiddleware" => {
            Some(format!(".trusted_hosts({})", list("allowed_hosts")?))
        }
        "starlette.middleware.httpsredirect.HTTPSRedirectMiddleware" => {
            Some(".https_redirect()".into())
        }
        _ => None,
    }
}

/// The operation of `path` and `method` in FastAPI's document.
fn operation<'a>(manifest: &'a Value, path: &str, method: &str) -> Option<&'a Value> {
    // The document writes `{file_path}` where the route says `{file_path:path}`.
    let documented = path.replace(":path}", "}");
    manifest["openapi"]["paths"][documented.as_str()].get(method.to_lowercase())
}

/// What a route of the manifest is to the app.
#[derive(Clone, Copy)]
enum Role<'v> {
    /// Served.
    Served,
    /// One of the app's webhooks: documented, never served.
    Webhook,
    /// A callback of an operation (its document): documented, never served.
    Callback(Option<&'v Value>),
}

impl<'a> Writer<'a> {
    /// A free Rust function name for `python`.
    fn name(&mut self, python: &str) -> String {
        // A class used as a dependency is CamelCase; Rust functions are not.
        let mut snake = String::new();
        for (i, c) in python.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 && !snake.ends_with('_') {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            } else {
                snake.push(c);
            }
        }
        let base = ident(&snake);
        let n = self.taken.entry(base.clone()).or_insert(0);
        *n += 1;
        match *n {
            1 => base,
            n => format!("{base}_{n}"),
        }
    }

    /// A route's handler stub; its name, and the router it sits in.
    fn route(
        &mut self,
        route: &Value,
        role: Role<'a>,
        out: &mut Generated,
        code: &mut String,
    ) -> Option<(String, Option<usize>)> {
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
        let method = methods[0].to_lowercase();
        let op = match role {
            Role::Served => operation(self.manifest, path, methods[0]),
            Role::Webhook => self.manifest["openapi"]["webhooks"][path].get(&method),
            Role::Callback(parent) => {
                parent.and_then(|p| p["callbacks"][python_name][path].get(&method))
            }
        };
        let mut opts: Vec<String> = Vec::new();
        let mut before = String::new();
        if let Some(code) = route["status_code"].as_u64() {
            opts.push(format!("status_code = {code}"));
        }
        // The app's dependencies come first in every route's list; its
        // routers' next (what the routers give is written on them).
        let dependant = &route["dependant"];
        let all: Vec<&Value> = dependant["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        let app_deps = match self.app_deps.len() <= all.len()
            && self
                .app_deps
                .iter()
                .zip(&all)
                .all(|(f, d)| d["function"] == f.as_str() && d["name"].is_null())
        {
            true => self.app_deps.len(),
            false => 0,
        };
        let place = match role {
            Role::Served => self.tree.place(route, app_deps),
            _ => None,
        };
        let (prefix, given_tags, given_deps) = place
            .as_ref()
            .map_or(("", 0, 0), |p| (p.prefix.as_str(), p.tags, p.deps));
        let tags = literals(&route["tags"]);
        if tags.len() > given_tags {
            opts.push(format!("tags = [{}]", tags[given_tags..].join(", ")));
        }
        if let Some(s) = route["summary"].as_str() {
            opts.push(format!("summary = {}", lit(s)));
        }
        if let Some(d) = route["description"].as_str().filter(|d| !d.is_empty()) {
            opts.push(format!("description = {}", lit(d)));
        }
        if let Some(d) = route["response_description"]
            .as_str()
            .filter(|d| *d != "Successful Response")
        {
            opts.push(format!("response_description = {}", lit(d)));
        }
        if route["deprecated"] == Value::Bool(true) {
            opts.push("deprecated".into());
        }
        if let Role::Webhook = role {
            opts.push("webhook".into());
        }
        // The requests the route documents it makes: functions of their own.
        let mut callbacks = Vec::new();
        for cb in route["callbacks"].as_array().into_iter().flatten() {
            if let Some((f, _)) = self.route(cb, Role::Callback(op), out, code) {
                callbacks.push(f);
            }
        }
        if !callbacks.is_empty() {
            opts.push(format!("callbacks = [{}]", callbacks.join(", ")));
        }
        if route["include_in_schema"] == Value::Bool(false) {
            opts.push("include_in_schema = false".into());
        }
        // ferroapi makes FastAPI's default operationId and summary from the
        // function's name: a renamed function, or an id of the app's own
        // making (`generate_unique_id_function`), states them.
        let default_id = default_unique_id(python_name, path, methods[0]);
        if let Some(id) = route["operation_id"].as_str() {
            opts.push(format!("operation_id = {}", lit(id)));
        } else if let Some(id) = op.and_then(|o| o["operationId"].as_str()) {
            if fname != python_name || id != default_id {
                opts.push(format!("operation_id = {}", lit(id)));
            }
        }
        if route["summary"].is_null() && fname != python_name {
            if let Some(s) = op.and_then(|o| o["summary"].as_str()) {
                opts.push(format!("summary = {}", lit(s)));
            }
        }
        // Body limits (FastAPI 0.160+): what the route has beyond the app's.
        if let Some(n) = route["max_body_size"].as_u64() {
            if Some(n) != self.manifest["app"]["max_body_size"].as_u64() {
                opts.push(format!("max_body_size = {n}"));
            }
        }
        if route["strict_content_type"] == Value::Bool(false) {
            opts.push("strict_content_type = false".into());
        }
        if let Some(limits) = route["form_limits"].as_object().filter(|l| !l.is_empty()) {
            let mut f = String::from("ferroapi::FormLimits::new()");
            for (k, v) in limits {
                let _ = write!(f, ".{}({})", ident(k), v);
            }
            opts.push(format!("form_limits = {f}"));
        }
        if route["response_model_exclude_none"] == Value::Bool(true) {
            opts.push("response_model_exclude_none = true".into());
        }
        // Merged into the operation as FastAPI merges it.
        if route["openapi_extra"].is_object() {
            opts.push(format!(
                "openapi_extra = serde_json::json!({})",
                route["openapi_extra"]
            ));
        }
        // What FastAPI does to the handler's answer: nothing before the
        // handler, and its document keeps the whole model, so each is a
        // note for whoever writes the body.
        let filters = [
            ("response_model_include", "answer only these fields of the model (a model of its own, or a `serde_json::Value` built from it)"),
            ("response_model_exclude", "leave these fields out of the answer (a model of its own, or `#[serde(skip_serializing)]`)"),
            ("response_model_exclude_unset", "answer only the fields the handler set (`ferroapi::Maybe` fields in the model)"),
            ("response_model_exclude_defaults", "leave out the fields at their default (`#[serde(skip_serializing_if = ..)]`)"),
        ];
        for (k, how) in filters {
            let on = match &route[k] {
                Value::Null | Value::Bool(false) => None,
                Value::Bool(true) => Some(String::new()),
                // A Python set is recorded as its `repr`.
                v => Some(match v["repr"].as_str() {
                    Some(r) => format!(" {r}"),
                    None => format!(" {v}"),
                }),
            };
            if let Some(v) = on {
                out.stubs += 1;
                let _ = writeln!(before, "// {TODO}: {at}: `{k}`{v}: {how}");
            }
        }
        // Written once each (the app's and the routers' are referred to
        // by name on the App and the routers).
        for d in &all[..app_deps + given_deps] {
            self.dependency(d, path, op, out, &mut before);
        }
        let own = &all[app_deps + given_deps..];
        let (mut params, effects) = self.subs(own, path, op, &at, out, &mut before);
        if !effects.is_empty() {
            opts.push(format!("dependencies = [{}]", effects.join(", ")));
        }
        self.params(dependant, op, &at, out, &mut before, &mut params);
        self.responses(route, op, &at, out, &mut before, &mut opts);
        let status = route["status_code"].as_u64().unwrap_or(200).to_string();
        let answer = op.and_then(|o| o["responses"].get(&status));
        let redirect = route["response_class"]
            .as_str()
            .is_some_and(|c| c.ends_with("RedirectResponse"));
        let returns = match answer {
            Some(a) if redirect && a.get("content").is_none() => "ferroapi::Redirect".into(),
            Some(a) => match self.answer(a) {
                Ok(t) => t,
                Err(what) => {
                    gap(out, &mut before, "", &at, &format!("the answer: {what}"));
                    "Json<serde_json::Value>".into()
                }
            },
            // Not in the document (include_in_schema=False): any JSON.
            None => "Json<serde_json::Value>".into(),
        };
        // The path below its routers' prefixes.
        let own_path = &path[prefix.len()..];
        let attr = match methods.as_slice() {
            [one] => format!("#[{}({}", one.to_lowercase(), lit(own_path)),
            many => format!(
                "#[api_route({}, methods = [{}]",
                lit(own_path),
                many.join(", ")
            ),
        };
        let mut head = attr;
        for o in &opts {
            head.push_str(", ");
            head.push_str(o);
        }
        head.push_str(")]");
        code.push_str(&before);
        if !matches!(role, Role::Served) {
            let what = match role {
                Role::Webhook => "a webhook",
                _ => "a callback",
            };
            let _ = writeln!(
                code,
                "{head}\nasync fn {fname}(\n{}) -> Result<{returns}, HTTPException> {{\n    // {what} ({at}): documented, never served.\n    Err(HTTPException::new(501, \"never served\"))\n}}\n",
                params.iter().map(|p| format!("    {p},\n")).collect::<String>(),
            );
            return Some((fname, None));
        }
        out.stubs += 1;
        let _ = writeln!(
            code,
            "{head}\nasync fn {fname}(\n{}) -> Result<{returns}, HTTPException> {{\n    // {TODO}: {at} `{}`\n    Err(HTTPException::new(501, {}))\n}}\n",
            params.iter().map(|p| format!("    {p},\n")).collect::<String>(),
            route["handler"]["function"].as_str().unwrap_or(python_name),
            lit(&format!("{TODO}: {at}")),
        );
        Some((fname, place.map(|p| p.node)))
    }

    /// A function for each router that holds a route, in the app's order
    /// (each router where its first route is), and what `app()` adds.
    fn routers(&mut self, routes: &[(String, Option<usize>)]) -> (String, Vec<Member>) {
        let n = self.tree.nodes.len();
        let mut members: Vec<Vec<Member>> = (0..n).map(|_| Vec::new()).collect();
        let mut top = Vec::new();
        let mut attached = vec![false; n];
        let mut names: Vec<Option<String>> = vec![None; n];
        for (f, node) in routes {
            let Some(node) = *node else {
                top.push(Member::Route(f.clone()));
                continue;
            };
            for level in self.tree.chain(node) {
                if attached[level] {
                    continue;
                }
                attached[level] = true;
                let name = self.router_name(level);
                names[level] = Some(name.clone());
                let made = self.include(level, &name);
                match self.tree.nodes[level].parent {
                    Some(p) => members[p].push(Member::Router(made)),
                    None => top.push(Member::Router(made)),
                }
            }
            members[node].push(Member::Route(f.clone()));
        }
        let mut code = String::new();
        for (level, name) in names.iter().enumerate() {
            let Some(name) = name else { continue };
            let node = &self.tree.nodes[level];
            let what = match (&node.name, &node.module) {
                (Some(n), _) => format!("`{n}`"),
                (None, Some(m)) => format!("A router of `{m}`"),
                (None, None) => "A router".into(),
            };
            let _ = write!(
                code,
                "/// {what}.\nfn {name}() -> APIRouter {{\n    APIRouter::new()\n"
            );
            for call in self.settings(&node.router_prefix, &node.router_tags, &node.router_deps) {
                let _ = writeln!(code, "        {call}");
            }
            for m in &members[level] {
                let _ = writeln!(code, "        {}", m.call());
            }
            code.push_str("}\n\n");
        }
        (code, top)
    }

    /// A free function name for a router: the app's name for it
    /// (`users.router` → `users_router`, `api_router`, `legacy` →
    /// `legacy_router`), else its prefix's, else its routes' module's.
    fn router_name(&mut self, node: usize) -> String {
        let n = &self.tree.nodes[node];
        let last = |m: &str| m.rsplit('.').next().unwrap_or(m).to_string();
        let named = n.name.as_deref().and_then(|full| {
            let (module, var) = full.rsplit_once('.')?;
            Some(match var {
                "router" => last(module),
                v => v.strip_suffix("_router").unwrap_or(v).to_string(),
            })
        });
        let base = match (named, n.router_prefix.is_empty(), &n.module) {
            (Some(v), _, _) => v,
            (None, false, _) => n.router_prefix.clone(),
            (None, true, Some(m)) => last(m),
            (None, true, None) => String::new(),
        };
        let base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let base = base.trim_matches('_');
        match base.is_empty() {
            true => self.name("router"),
            false => self.name(&format!("{base}_router")),
        }
    }

    /// The expression that includes router `node` where it is included:
    /// its function, inside a router of the include's own prefix, tags and
    /// dependencies when it gives any.
    fn include(&self, node: usize, name: &str) -> String {
        let n = &self.tree.nodes[node];
        if n.include_prefix.is_empty() && n.include_tags.is_empty() && n.include_deps.is_empty() {
            return format!("{name}()");
        }
        let mut s = String::from("APIRouter::new()");
        for call in self.settings(&n.include_prefix, &n.include_tags, &n.include_deps) {
            s.push_str(&call);
        }
        let _ = write!(s, ".include_router({name}())");
        s
    }

    /// An `APIRouter`'s prefix, tags and dependencies (a router's own, or
    /// an include's) as its builder's calls.
    fn settings(&self, prefix: &str, tags: &[String], deps: &[String]) -> Vec<String> {
        let mut calls = Vec::new();
        if !prefix.is_empty() {
            calls.push(format!(".prefix({})", lit(prefix)));
        }
        calls.extend(tags.iter().map(|t| format!(".tag({})", lit(t))));
        calls.extend(
            deps.iter()
                .filter_map(|d| self.deps.get(d))
                .map(|f| format!(".dependency::<{f}>()")),
        );
        calls
    }

    /// A dependant's sub-dependencies: its parameters, and the functions
    /// run for their effect (`dependencies=[..]`).
    fn subs(
        &mut self,
        deps: &[&Value],
        path: &str,
        op: Option<&Value>,
        at: &str,
        out: &mut Generated,
        before: &mut String,
    ) -> (Vec<String>, Vec<String>) {
        let mut params = Vec::new();
        let mut effects = Vec::new();
        for dep in deps {
            let own = match dep.get("security") {
                Some(sec) => &sec["scopes"],
                None => &dep["scopes"],
            };
            let scopes = literals(own);
            let scopes = match scopes.is_empty() {
                true => String::new(),
                false => format!("scopes = [{}]", scopes.join(", ")),
            };
            let Some(sub) = self.dependency(dep, path, op, out, before) else {
                continue;
            };
            match (sub, dep["name"].as_str()) {
                (Sub::Function(f), Some(name)) => {
                    let mut o = Vec::new();
                    if !scopes.is_empty() {
                        o.push(scopes);
                    }
                    if dep["use_cache"] == Value::Bool(false) {
                        o.push("use_cache = false".into());
                    }
                    params.push(format!("{}{}: Depends<{f}>", param_attr(&o), ident(name)));
                }
                (Sub::Function(f), None) => effects.push(f),
                (Sub::Param(p), Some(name)) => {
                    let p = match scopes.is_empty() {
                        true => p,
                        false => match p.strip_prefix("#[param(") {
                            Some(rest) => format!("#[param({scopes}, {rest}"),
                            None => format!("#[param({scopes})] {p}"),
                        },
                    };
                    params.push(p.replace("{name}", &ident(name)));
                }
                (Sub::Param(_), None) => {
                    gap(
                        out,
                        before,
                        "",
                        at,
                        "a security scheme in `dependencies=[..]`",
                    );
                }
            }
        }
        (params, effects)
    }

    /// The Rust type of a route's answer, from its document.
    fn answer(&self, answer: &Value) -> Result<String, String> {
        let Some(content) = answer.get("content").and_then(Value::as_object) else {
            return Ok("()".into());
        };
        // JSON beside other media types (`responses=` added them): the
        // handler's own answer is the JSON.
        let (media, body) = match content.get_key_value("application/json") {
            Some(json) => json,
            None => match content.iter().next() {
                Some(one) if content.len() == 1 => one,
                _ => return Err("an answer of several media types".into()),
            },
        };
        let item = || types::of(&body["itemSchema"], self.models).map(|t| t.rust);
        match media.as_str() {
            "application/json" => Ok(format!(
                "Json<{}>",
                types::of(&body["schema"], self.models)?.rust
            )),
            "application/jsonl" => Ok(format!("ferroapi::JsonLines<{}>", item()?)),
            // Events whose `data` is JSON of a type: typed.
            "text/event-stream" => {
                match body["itemSchema"]["properties"]["data"].get("contentSchema") {
                    Some(data) => Ok(format!(
                        "ferroapi::EventStream<Json<{}>>",
                        types::of(data, self.models)?.rust
                    )),
                    None => Ok("ferroapi::EventStream".into()),
                }
            }
            "text/html" => Ok("ferroapi::Html<String>".into()),
            "text/plain" => Ok("ferroapi::PlainText<String>".into()),
            other => Err(format!("an answer of type `{other}`")),
        }
    }

    /// FastAPI's `responses=` of a route, from its document.
    fn responses(
        &mut self,
        route: &Value,
        op: Option<&Value>,
        at: &str,
        out: &mut Generated,
        before: &mut String,
        opts: &mut Vec<String>,
    ) {
        let Some(declared) = route["responses"].as_object().filter(|r| !r.is_empty()) else {
            return;
        };
        let mut each = Vec::new();
        for code in declared.keys() {
            let Some(r) = op.and_then(|o| o["responses"].get(code)) else {
                continue;
            };
            let key = match code.parse::<u16>() {
                Ok(n) => n.to_string(),
                Err(_) => lit(code),
            };
            let mut parts = vec![key];
            let mut extra = Vec::new();
            let content = r.get("content").and_then(Value::as_object);
            match content.map(|c| (c.len(), c.get("application/json"))) {
                None => {}
                Some((1, Some(json)))
                    if json
                        .as_object()
                        .is_some_and(|j| j.len() == 1 && j.contains_key("schema")) =>
                {
                    match types::of(&json["schema"], self.models) {
                        Ok(t) if t.rust != "serde_json::Value" => parts.push(t.rust),
                        Ok(_) => {}
                        Err(what) => gap(
                            out,
                            before,
                            "",
                            at,
                            &format!("the {code} answer's model: {what}"),
                        ),
                    }
                }
                // Other media types, examples: the content the app declared,
                // merged into the operation as FastAPI merges it.
                Some(_) => match declared[code].get("content").filter(|c| c.is_object()) {
                    Some(c) => extra.push(format!(
                        "extra = serde_json::json!({})",
                        serde_json::json!({ "content": c })
                    )),
                    None => {
                        gap(out, before, "", at, &format!("the {code} answer's content"));
                        continue;
                    }
                },
            }
            if r.as_object()
                .is_some_and(|o| o.keys().any(|k| k != "description" && k != "content"))
            {
                gap(
                    out,
                    before,
                    "",
                    at,
                    &format!("the {code} answer's headers or links"),
                );
            }
            if let Some(d) = r["description"].as_str() {
                parts.push(lit(d));
            }
            parts.append(&mut extra);
            each.push(format!("({})", parts.join(", ")));
        }
        if !each.is_empty() {
            opts.push(format!("responses = [{}]", each.join(", ")));
        }
    }

    /// The parameters a dependant (a route or a dependency) declares itself.
    #[allow(clippy::too_many_arguments)]
    fn params(
        &mut self,
        dependant: &Value,
        op: Option<&Value>,
        at: &str,
        out: &mut Generated,
        before: &mut String,
        params: &mut Vec<String>,
    ) {
        let all: Vec<&Value> = dependant["params"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        for (special, ty) in [
            (
                "security_scopes_param_name",
                "ferroapi::security::SecurityScopes",
            ),
            ("background_tasks_param_name", "ferroapi::BackgroundTasks"),
        ] {
            if let Some(n) = dependant["special_params"][special].as_str() {
                params.push(format!("{}: {ty}", ident(n)));
            }
        }
        // The request itself is Python's way to read what ferroapi gives
        // as typed parameters: the stub leaves it to whoever writes the body.
        if let Some(n) = dependant["special_params"]["request_param_name"].as_str() {
            out.stubs += 1;
            let _ = writeln!(before, "// {TODO}: {at}: `{n}: Request` is read by the body: take what it reads as parameters (http::HeaderMap, ferroapi::RequestUrl, ferroapi::ClientAddr, ferroapi::State)");
        }
        // `response: Response` sets the answer's headers, cookies or status
        // in the body: nothing FastAPI decides before it, so a stub's note.
        if let Some(n) = dependant["special_params"]["response_param_name"].as_str() {
            out.stubs += 1;
            let _ = writeln!(before, "// {TODO}: {at}: `{n}: Response` sets the answer's headers or cookies in the body: return them with it, `(ferroapi::ResponseHeaders, T)` and `ferroapi::SetCookie`; a status other than the route's, a `Response`");
        }
        if let Some(n) = dependant["special_params"]["websocket_param_name"].as_str() {
            gap(
                out,
                before,
                "",
                at,
                &format!("the parameter `{n}` (websocket)"),
            );
        }
        for p in all {
            let name = p["name"].as_str().unwrap_or("param");
            let alias = p["alias"].as_str().unwrap_or(name);
            let location = p["location"].as_str().unwrap_or("?");
            let field = &p["field"];
            let annotation = field["annotation"].as_str().unwrap_or("");
            // A parameter model (`Annotated[Model, Query()]`): the document
            // lists its fields, the signature takes the model.
            if location != "body" && self.models.is_param_model(annotation) {
                let wrapper = match location {
                    "query" => "Query",
                    "header" => "Header",
                    "cookie" => "Cookie",
                    _ => {
                        gap(
                            out,
                            before,
                            "",
                            at,
                            &format!("a {location} parameter model"),
                        );
                        continue;
                    }
                };
                let model = self.models.rust_of(annotation).unwrap_or_default();
                params.push(format!("{}: {wrapper}<{model}>", ident(name)));
                continue;
            }
            let media = p["media_type"].as_str().unwrap_or("application/json");
            let form = location == "body" && media != "application/json";
            let schema = match location {
                "body" => body_schema(self.manifest, self.models, op, alias),
                _ => op
                    .and_then(|o| {
                        o["parameters"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .find(|q| q["name"] == alias && q["in"] == location)
                    })
                    .map(|q| &q["schema"]),
            };
            let wrapper = match location {
                "path" => "Path",
                "query" => "Query",
                "header" => "Header",
                "cookie" => "Cookie",
                "body" if !form => "Json",
                "body" => "Form",
                _ => {
                    gap(
                        out,
                        before,
                        "",
                        at,
                        &format!("the {location} parameter `{name}`"),
                    );
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
                        gap(out, before, "", at, &format!("the parameter `{name}` of type `{annotation}`, not in FastAPI's document"));
                        continue;
                    }
                },
            };
            // Only a multipart body carries files (FastAPI documents a form
            // of `bytes` fields as urlencoded).
            let multipart = op.is_some_and(|o| {
                o["requestBody"]["content"]
                    .get("multipart/form-data")
                    .is_some()
            });
            if form && multipart {
                if let Some(file) = file_type(schema, annotation) {
                    let mut opts = Vec::new();
                    if alias != name {
                        opts.push(format!("alias = {}", lit(alias)));
                    }
                    if let Some(d) = field["description"].as_str() {
                        opts.push(format!("description = {}", lit(d)));
                    }
                    params.push(format!("{}{}: {file}", param_attr(&opts), ident(name)));
                    continue;
                }
            }
            let mut t = match types::of(schema, self.models) {
                Ok(t) => t,
                Err(what) => {
                    gap(
                        out,
                        before,
                        "",
                        at,
                        &format!("the parameter `{name}`: {what}"),
                    );
                    continue;
                }
            };
            types::int_keys(&mut t, field["annotation"].as_str());
            types::refine(&mut t, field);
            if wrapper == "Json" {
                // A body is validated as a whole: garde knows std's maps.
                t.rust = t
                    .rust
                    .replacen("indexmap::IndexMap<", "std::collections::BTreeMap<", 1);
            }
            let mut opts = std::mem::take(&mut t.param);
            let rust = ident(name);
            let expected_alias = match location {
                "header" if p["convert_underscores"] != Value::Bool(false) => {
                    name.replace('_', "-")
                }
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
            let examples = match location {
                "body" => op.and_then(|o| {
                    o["requestBody"]["content"]
                        .as_object()?
                        .values()
                        .next()?
                        .get("examples")
                }),
                _ => op.and_then(|o| {
                    o["parameters"]
                        .as_array()?
                        .iter()
                        .find(|q| q["name"] == alias && q["in"] == location)?
                        .get("examples")
                }),
            };
            if let Some(ex) = examples.filter(|e| e.is_object()) {
                opts.push(format!("openapi_examples = serde_json::json!({ex})"));
            }
            if hidden {
                opts.push("include_in_schema = false".into());
            }
            let required = field["required"].as_bool().unwrap_or(true);
            if !required {
                match schema.get("default").or(field.get("default")) {
                    Some(Value::Null) | None if t.optional => {}
                    Some(d) => match types::default_expr(d, &t.rust)
                        .or_else(|| self.models.enum_default(&t.rust, d))
                    {
                        Some(e) => opts.push(format!("default = {e}")),
                        None => gap(
                            out,
                            before,
                            "",
                            at,
                            &format!("the default of `{name}`: {d}"),
                        ),
                    },
                    None => {
                        gap(
                            out,
                            before,
                            "",
                            at,
                            &format!("`{name}` has a default_factory"),
                        );
                    }
                }
            } else if t.optional {
                gap(
                    out,
                    before,
                    "",
                    at,
                    &format!("`{name}` is required and may be null"),
                );
            }
            let ty = match (wrapper, t.optional, required) {
                ("Json", true, false) => format!(
                    "Option<Json<{}>>",
                    &t.rust["Option<".len()..t.rust.len() - 1]
                ),
                _ => format!("{wrapper}<{}>", t.rust),
            };
            params.push(format!("{}{rust}: {ty}", param_attr(&opts)));
        }
    }

    /// A sub-dependency: a security scheme's parameter, or the Rust
    /// function of a dependency (written once per Python function).
    fn dependency(
        &mut self,
        dep: &Value,
        path: &str,
        op: Option<&Value>,
        out: &mut Generated,
        before: &mut String,
    ) -> Option<Sub> {
        let at = dep["at"].as_str().unwrap_or(path).to_string();
        if let Some(sec) = dep.get("security") {
            return match self.security(sec) {
                Ok(p) => Some(Sub::Param(p)),
                Err(what) => {
                    gap(out, before, "", &at, &what);
                    None
                }
            };
        }
        let Some(function) = dep["function"].as_str() else {
            gap(out, before, "", &at, "a dependency without a function");
            return None;
        };
        // FastAPI's own form classes have ferroapi's twin.
        if function == "fastapi.security.oauth2.OAuth2PasswordRequestForm" {
            return Some(Sub::Param(
                "{name}: ferroapi::security::OAuth2PasswordRequestForm".into(),
            ));
        }
        if let Some(done) = self.deps.get(function) {
            return Some(Sub::Function(done.clone()));
        }
        let short = function.rsplit('.').next().unwrap_or(function);
        let fname = self.name(short);
        self.deps.insert(function.to_string(), fname.clone());
        let mut sub_before = String::new();
        let subs: Vec<&Value> = dep["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        let (mut params, effects) = self.subs(&subs, path, op, &at, out, &mut sub_before);
        if !effects.is_empty() {
            gap(
                out,
                &mut sub_before,
                "",
                &at,
                "`dependencies=[..]` of a dependency",
            );
        }
        self.params(dep, op, &at, out, &mut sub_before, &mut params);
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
        Some(Sub::Function(fname))
    }

    /// A FastAPI security scheme as ferroapi's parameter (`{name}` stands
    /// for the parameter's name).
    fn security(&mut self, sec: &Value) -> Result<String, String> {
        let class = sec["class"].as_str().unwrap_or("?");
        let short = class.rsplit('.').next().unwrap_or(class);
        let model = &sec["model"];
        let mut opts = Vec::new();
        let scheme_name = sec["scheme_name"].as_str().unwrap_or(short);
        let configured = short.starts_with("OAuth2") || short == "OpenIdConnect";
        if scheme_name != short && !configured {
            opts.push(format!("scheme_name = {}", lit(scheme_name)));
        }
        if let Some(d) = model["description"].as_str() {
            if !configured {
                opts.push(format!("description = {}", lit(d)));
            }
        }
        let ty = match short {
            "HTTPBasic" => {
                if let Some(r) = sec["options"]["realm"].as_str() {
                    opts.push(format!("realm = {}", lit(r)));
                }
                "ferroapi::security::HTTPBasic".to_string()
            }
            "HTTPBearer" => {
                if let Some(f) = model["bearerFormat"].as_str() {
                    opts.push(format!("bearer_format = {}", lit(f)));
                }
                "ferroapi::security::HTTPBearer".to_string()
            }
            "APIKeyHeader" | "APIKeyQuery" | "APIKeyCookie" => {
                opts.push(format!(
                    "alias = {}",
                    lit(model["name"].as_str().unwrap_or(""))
                ));
                format!("ferroapi::security::{short}")
            }
            "OAuth2PasswordBearer" | "OAuth2AuthorizationCodeBearer" | "OpenIdConnect" => {
                let (flow, config_trait, urls) = match short {
                    "OAuth2PasswordBearer" => (
                        &model["flows"]["password"],
                        "OAuth2Config",
                        vec![("TOKEN_URL", "tokenUrl")],
                    ),
                    "OAuth2AuthorizationCodeBearer" => (
                        &model["flows"]["authorizationCode"],
                        "OAuth2CodeConfig",
                        vec![
                            ("AUTHORIZATION_URL", "authorizationUrl"),
                            ("TOKEN_URL", "tokenUrl"),
                        ],
                    ),
                    _ => (
                        model,
                        "OpenIdConnectConfig",
                        vec![("URL", "openIdConnectUrl")],
                    ),
                };
                let config = format!("{}Settings", super::models::rust_name(scheme_name));
                let mut c = format!(
                    "/// The `{scheme_name}` scheme's settings.\n#[derive(Debug)]\npub struct {config};\n\nimpl ferroapi::security::{config_trait} for {config} {{\n"
                );
                for (konst, key) in urls {
                    let _ = writeln!(
                        c,
                        "    const {konst}: &'static str = {};",
                        lit(flow[key].as_str().unwrap_or(""))
                    );
                }
                let scopes: Vec<String> = flow["scopes"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| format!("({}, {})", lit(k), lit(v.as_str().unwrap_or(""))))
                    .collect();
                if !scopes.is_empty() {
                    let _ = writeln!(
                        c,
                        "    const SCOPES: &'static [(&'static str, &'static str)] = &[{}];",
                        scopes.join(", ")
                    );
                }
                if scheme_name != short {
                    let _ = writeln!(
                        c,
                        "    const SCHEME_NAME: &'static str = {};",
                        lit(scheme_name)
                    );
                }
                if let Some(r) = flow["refreshUrl"].as_str() {
                    let _ = writeln!(
                        c,
                        "    const REFRESH_URL: Option<&'static str> = Some({});",
                        lit(r)
                    );
                }
                if let Some(d) = model["description"].as_str() {
                    let _ = writeln!(
                        c,
                        "    const DESCRIPTION: Option<&'static str> = Some({});",
                        lit(d)
                    );
                }
                c.push_str("}\n\n");
                // One settings type a scheme, however many routes use it.
                if self.settings.insert(config.clone()) {
                    self.deps_code.push_str(&c);
                }
                format!("ferroapi::security::{short}<{config}>")
            }
            _ => return Err(format!("the security scheme `{class}`")),
        };
        let ty = match sec["options"]["auto_error"] == Value::Bool(false) {
            true => format!("Option<{ty}>"),
            false => ty,
        };
        Ok(format!("{}{{name}}: {ty}", param_attr(&opts)))
    }
}

/// FastAPI's `generate_unique_id`: the route's name and path, every
/// character that is not a word character as `_`, and the method.
fn default_unique_id(name: &str, path: &str, method: &str) -> String {
    let path = path.replace(":path}", "}");
    let joined: String = format!("{name}{path}")
        .chars()
        .map(|c| match c.is_alphanumeric() || c == '_' {
            true => c,
            false => '_',
        })
        .collect();
    format!("{joined}_{}", method.to_lowercase())
}

/// A JSON list of texts as Rust string literals.
fn literals(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(lit)
        .collect()
}

/// `#[param(..)] ` of these options, or nothing.
fn param_attr(opts: &[String]) -> String {
    match opts.is_empty() {
        true => String::new(),
        false => format!("#[param({})] ", opts.join(", ")),
    }
}

/// A form field that is a file: `UploadFile`, `bytes`, or a list of them.
fn file_type(schema: &Value, annotation: &str) -> Option<String> {
    // FastAPI 0.165 marks a file by its media type; older ones, as
    // `bytes` in a form, by the `binary` format.
    let is_file = |s: &Value| {
        s.get("contentMediaType").is_some()
            || (s["format"] == "binary" && annotation.contains("UploadFile"))
    };
    let inner = match schema.get("anyOf").and_then(Value::as_array) {
        Some(any) if any.len() == 2 && any[1]["type"] == "null" => Some(&any[0]),
        _ => None,
    };
    let (s, optional) = match inner {
        Some(i) => (i, true),
        None => (schema, false),
    };
    let ty = if is_file(s) {
        match annotation.contains("bytes") {
            true => "ferroapi::FileBytes",
            false => "ferroapi::UploadFile",
        }
        .to_string()
    } else if s["type"] == "array" && is_file(&s["items"]) {
        match annotation.contains("bytes") {
            true => return None,
            false => "Vec<ferroapi::UploadFile>".to_string(),
        }
    } else {
        return None;
    };
    Some(match optional {
        true => format!("Option<{ty}>"),
        false => ty,
    })
}

/// A body parameter's schema: the body's own, or its property of the
/// `Body_*` model FastAPI makes of several (or of one embedded, or of form
/// fields).
fn body_schema<'a>(
    manifest: &'a Value,
    models: &Models<'_>,
    op: Option<&'a Value>,
    alias: &str,
) -> Option<&'a Value> {
    use types::Names;
    let content = op?["requestBody"]["content"].as_object()?;
    let schema = &content.values().next()?["schema"];
    match schema["$ref"].as_str() {
        // FastAPI's model of several bodies, not one of the app's named so.
        Some(r) if r.starts_with("#/components/schemas/Body_") && models.model(r).is_err() => {
            let name = r.rsplit('/').next()?;
            manifest["openapi"]["components"]["schemas"][name]["properties"].get(alias)
        }
        _ => Some(schema).filter(|s| !s.is_null()),
    }
}
