//! The app's routers as it declared them (`include_router`, nested): which
//! route sits in which router, so that the generated crate has an
//! `APIRouter` for each, with its prefix, tags and dependencies, and each
//! route keeps only what is its own.

use serde_json::Value;

/// One `include_router`: the router's own settings and the include's.
pub struct Node {
    pub parent: Option<usize>,
    pub include_prefix: String,
    pub router_prefix: String,
    pub include_tags: Vec<String>,
    pub router_tags: Vec<String>,
    /// Python functions of `dependencies=[..]`, the include's and the router's.
    pub include_deps: Vec<String>,
    pub router_deps: Vec<String>,
    /// The Python module of its first route (`app.api.routes.users`).
    pub module: Option<String>,
    /// Where the app keeps it (`app.api.routes.users.router`).
    pub name: Option<String>,
    /// Its routes' Python functions not yet placed (a function may be
    /// registered more than once).
    left: Vec<String>,
}

/// Where a route sits, and what its routers give it.
pub struct Place {
    pub node: usize,
    /// The routers' prefixes, outermost first.
    pub prefix: String,
    /// How many of the route's tags are its routers'.
    pub tags: usize,
    /// How many of the route's dependencies (after the app's) are its
    /// routers'.
    pub deps: usize,
}

/// Every router of the app.
pub struct Tree {
    pub nodes: Vec<Node>,
}

fn texts(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(String::from))
        .collect()
}

fn functions(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["function"].as_str().map(String::from))
        .collect()
}

impl Tree {
    /// The manifest's routers (`routers`, each with those it includes).
    pub fn of(manifest: &Value) -> Tree {
        let mut tree = Tree { nodes: Vec::new() };
        tree.add(&manifest["routers"], None, 0);
        tree
    }

    fn add(&mut self, routers: &Value, parent: Option<usize>, depth: usize) {
        // serde_json's recursion limit bounds the manifest; this bounds the walk.
        if depth > 64 {
            return;
        }
        for r in routers.as_array().into_iter().flatten() {
            let left = texts(&r["routes"]);
            let module = left
                .first()
                .and_then(|f| f.rsplit_once('.'))
                .map(|(m, _)| m.to_string());
            let mut include_prefix = r["prefix"].as_str().unwrap_or("").to_string();
            let mut include_tags = texts(&r["tags"]);
            let mut include_deps = functions(&r["dependencies"]);
            // A router's own include (`v2.include_router(people, ..)`) keeps
            // the including router's prefix, tags and dependencies before
            // the include's: those are the parent's, written on it.
            if let Some(p) = parent.map(|p| &self.nodes[p]) {
                if let Some(rest) = include_prefix.strip_prefix(p.router_prefix.as_str()) {
                    include_prefix = rest.to_string();
                }
                if include_tags.starts_with(&p.router_tags) {
                    include_tags.drain(..p.router_tags.len());
                }
                if include_deps.starts_with(&p.router_deps) {
                    include_deps.drain(..p.router_deps.len());
                }
            }
            self.nodes.push(Node {
                parent,
                include_prefix,
                router_prefix: r["router_prefix"].as_str().unwrap_or("").into(),
                include_tags,
                router_tags: texts(&r["router_tags"]),
                include_deps,
                router_deps: functions(&r["router_dependencies"]),
                module,
                name: r["name"].as_str().map(String::from),
                left,
            });
            let id = self.nodes.len() - 1;
            self.add(&r["included"], Some(id), depth + 1);
        }
    }

    /// The routers from the outermost to `node`.
    pub fn chain(&self, node: usize) -> Vec<usize> {
        let mut out = vec![node];
        while let Some(p) = self.nodes[*out.last().expect("not empty")].parent {
            out.push(p);
        }
        out.reverse();
        out
    }

    /// Where `route` sits: the router that lists its function and whose
    /// prefixes, tags and dependencies begin the route's own (`app_deps`:
    /// how many of its dependencies are the app's). None: on the app (also
    /// when what FastAPI folded in does not read back).
    pub fn place(&mut self, route: &Value, app_deps: usize) -> Option<Place> {
        let function = route["handler"]["function"].as_str()?;
        let path = route["path"].as_str()?;
        let tags = texts(&route["tags"]);
        let deps: Vec<&Value> = route["dependant"]["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .skip(app_deps)
            .collect();
        for node in 0..self.nodes.len() {
            if !self.nodes[node].left.iter().any(|f| f == function) {
                continue;
            }
            let chain = self.chain(node);
            let mut prefix = String::new();
            let mut given_tags = Vec::new();
            let mut given_deps = Vec::new();
            for &n in &chain {
                let n = &self.nodes[n];
                prefix.push_str(&n.include_prefix);
                prefix.push_str(&n.router_prefix);
                given_tags.extend(n.include_tags.iter().chain(&n.router_tags).cloned());
                given_deps.extend(n.include_deps.iter().chain(&n.router_deps).cloned());
            }
            let rest = path.strip_prefix(prefix.as_str());
            let reads_back = rest.is_some_and(|r| r.starts_with('/'))
                && tags.starts_with(&given_tags)
                && given_deps.len() <= deps.len()
                && given_deps.iter().zip(&deps).all(|(f, d)| {
                    // A plain function run for its effect (a security
                    // scheme there is a gap, named on the route).
                    d["function"] == f.as_str()
                        && d["name"].is_null()
                        && d.get("security").is_none()
                });
            if !reads_back {
                continue;
            }
            let left = &mut self.nodes[node].left;
            let at = left.iter().position(|f| f == function).expect("listed");
            left.remove(at);
            return Some(Place {
                node,
                prefix,
                tags: given_tags.len(),
                deps: given_deps.len(),
            });
        }
        None
    }
}
