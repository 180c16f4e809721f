//! What each route contributes to the OpenAPI document, collected once when
//! the route is built.
//!
//! Every parameter type describes itself through [`Extract::describe`]
//! (path/query/header/cookie parameters, body fields, files) and every return
//! type through [`Responder::describe`] (media type and schema). The route
//! macro only supplies names; the types supply the rest. The document itself
//! (paths, components, the 422 schemas) is assembled from these parts.
//!
//! [`Extract::describe`]: crate::extract::Extract::describe
//! [`Responder::describe`]: crate::response::Responder::describe

use schemars::{generate::SchemaSettings, JsonSchema, Schema, SchemaGenerator};

use crate::spec::{BodyKind, Location, ParamSpec};

/// A declared default as JSON (what the route macro records for the document).
pub fn default_json<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// One documented parameter (`in: path|query|header|cookie`).
#[derive(Debug, Clone)]
pub struct ParameterDoc {
    /// The name on the wire (alias, dashed header name).
    pub name: String,
    /// Where it is read.
    pub location: Location,
    /// Whether it must be present.
    pub required: bool,
    /// Its JSON Schema (references point into `components/schemas`).
    pub schema: Schema,
    /// The declared default, as JSON.
    pub default: Option<serde_json::Value>,
    /// The declaration (description, deprecated, examples, constraints).
    pub spec: &'static ParamSpec,
    /// Named examples (FastAPI's `openapi_examples=`), on the parameter.
    pub openapi_examples: Option<serde_json::Value>,
}

/// One documented body parameter (a JSON body, a form field, a file).
#[derive(Debug, Clone)]
pub struct BodyDoc {
    /// The parameter name (the key when the body is embedded), or the field
    /// name of a form model.
    pub name: String,
    /// JSON, form field or file.
    pub kind: BodyKind,
    /// Whether it must be present.
    pub required: bool,
    /// Its JSON Schema.
    pub schema: Schema,
    /// The declared default, as JSON.
    pub default: Option<serde_json::Value>,
    /// Documented as `format: password` (secrets in forms).
    pub password: bool,
    /// The declaration.
    pub spec: &'static ParamSpec,
    /// Named examples (FastAPI's `openapi_examples=`), on the media type.
    pub openapi_examples: Option<serde_json::Value>,
    /// The whole form is this model (FastAPI's `Annotated[Model, Form()]`):
    /// the request body refers to the model's own schema.
    pub model: bool,
}

/// The documented success response.
#[derive(Debug, Clone, Default)]
pub struct ResponseDoc {
    /// The media type, when the response has a body.
    pub media_type: Option<&'static str>,
    /// The body's schema, when known.
    pub schema: Option<Schema>,
    /// A redirect: on a route declared with a 3xx `status_code` (FastAPI's
    /// `response_class=RedirectResponse`) documented with no content; on
    /// another route as FastAPI documents a `RedirectResponse` returned
    /// directly (JSON of any shape).
    pub redirect: bool,
    /// A stream (JSON Lines, server-sent events): `schema` is the item's.
    pub stream: bool,
}

/// Everything a route's types say about it.
#[derive(Debug, Clone, Default)]
pub struct OperationDoc {
    /// Parameters, in declaration order.
    pub parameters: Vec<ParameterDoc>,
    /// How many of `parameters` are the route's own (the rest come from its
    /// dependencies).
    pub own_parameters: usize,
    /// Body parameters, in declaration order.
    pub body: Vec<BodyDoc>,
    /// The success response.
    pub response: ResponseDoc,
    /// Security requirements: scheme name, its `securitySchemes` entry, scopes.
    pub security: Vec<(String, serde_json::Value, Vec<String>)>,
    /// Named schemas the inputs refer to (read as serde deserializes).
    pub definitions: serde_json::Map<String, serde_json::Value>,
    /// Named schemas the response refers to (written as serde serializes).
    pub output_definitions: serde_json::Map<String, serde_json::Value>,
    /// The same response types read as serde would deserialize them (which
    /// fields may be absent, whether unknown fields are refused).
    pub output_read_definitions: serde_json::Map<String, serde_json::Value>,
}

impl OperationDoc {
    /// Adds another part's inputs (a guard dependency's) before this one's,
    /// once each.
    pub fn absorb(&mut self, other: OperationDoc) {
        // FastAPI: the route's own parameters, then its `dependencies=`
        // (router ones first), then the dependencies among its parameters.
        let own = self.own_parameters.min(self.parameters.len());
        let rest = self.parameters.split_off(own);
        for p in other.parameters.into_iter().chain(rest) {
            if !self
                .parameters
                .iter()
                .any(|q| q.name == p.name && q.location == p.location)
            {
                self.parameters.push(p);
            }
        }
        for b in other.body {
            if !self.body.iter().any(|c| c.name == b.name) {
                self.body.push(b);
            }
        }
        let mut security = other.security;
        for s in std::mem::take(&mut self.security) {
            if !security.iter().any(|(n, _, _)| *n == s.0) {
                security.push(s);
            }
        }
        self.security = security;
        for (k, v) in other.definitions {
            self.definitions.entry(k).or_insert(v);
        }
    }
}

/// The collector handed to each type's `describe`.
#[derive(Debug)]
pub struct Describe {
    generator: SchemaGenerator,
    output: SchemaGenerator,
    output_read: SchemaGenerator,
    /// What has been collected so far.
    pub doc: OperationDoc,
    /// Parameters of the dependencies being described, innermost last. FastAPI
    /// flattens a dependant's own parameters first, then its dependencies'.
    frames: Vec<(Vec<ParameterDoc>, Vec<ParameterDoc>)>,
    deferred: Vec<ParameterDoc>,
    /// OAuth2 scopes accumulated down the dependencies being described, with
    /// the length to restore as each one ends.
    scopes: Vec<&'static str>,
    scope_marks: Vec<usize>,
}

impl Default for Describe {
    fn default() -> Self {
        Self::new()
    }
}

impl Describe {
    /// A collector whose references point into `#/components/schemas/`
    /// (JSON Schema 2020-12, as OpenAPI 3.1 uses).
    pub fn new() -> Self {
        let mut settings = SchemaSettings::draft2020_12();
        settings.definitions_path = "/components/schemas/".into();
        Describe {
            generator: settings.clone().for_deserialize().into_generator(),
            output: settings.clone().for_serialize().into_generator(),
            output_read: settings.for_deserialize().into_generator(),
            doc: OperationDoc::default(),
            frames: Vec::new(),
            deferred: Vec::new(),
            scopes: Vec::new(),
            scope_marks: Vec::new(),
        }
    }

    /// The schema of `T` as an input (a reference for named types).
    pub fn schema_for<T: ?Sized + JsonSchema>(&mut self) -> Schema {
        self.generator.subschema_for::<T>()
    }

    /// The schema of `T` as an output, i.e. as serde serializes it.
    pub fn output_schema_for<T: ?Sized + JsonSchema>(&mut self) -> Schema {
        self.output_read.subschema_for::<T>();
        self.output.subschema_for::<T>()
    }

    /// The full (inline) schema of `T`, e.g. to list a model's fields.
    pub fn root_schema_for<T: ?Sized + JsonSchema>(&mut self) -> Schema {
        self.generator.root_schema_for::<T>()
    }

    /// Adds a parameter (once: a dependency used twice documents its
    /// parameters once, as FastAPI flattens them).
    pub fn parameter(&mut self, p: ParameterDoc) {
        match self.frames.last_mut() {
            Some((own, _)) => own.push(p),
            None => self.push_unique(p),
        }
    }

    fn push_unique(&mut self, p: ParameterDoc) {
        let seen = self
            .doc
            .parameters
            .iter()
            .any(|q| q.name == p.name && q.location == p.location);
        if !seen {
            self.doc.parameters.push(p);
        }
    }

    /// Adds a body parameter (once per name).
    pub fn body(&mut self, b: BodyDoc) {
        if !self.doc.body.iter().any(|c| c.name == b.name) {
            self.doc.body.push(b);
        }
    }

    /// Sets the success response.
    pub fn response(&mut self, media_type: Option<&'static str>, schema: Option<Schema>) {
        self.doc.response = ResponseDoc {
            media_type,
            schema,
            redirect: false,
            stream: false,
        };
    }

    /// Sets a streamed success response: its media type and item schema.
    pub fn stream(&mut self, media_type: &'static str, item: Option<Schema>) {
        self.doc.response = ResponseDoc {
            media_type: Some(media_type),
            schema: item,
            redirect: false,
            stream: true,
        };
    }

    /// Documents the success response as a redirect.
    pub fn redirect(&mut self) {
        self.doc.response = ResponseDoc {
            redirect: true,
            ..ResponseDoc::default()
        };
    }

    /// Every parameter and body part declared by `spec` (a parameter may
    /// wait in a dependency's frame while it is described).
    fn declared(
        &mut self,
        spec: &'static ParamSpec,
    ) -> (Vec<&mut ParameterDoc>, Vec<&mut BodyDoc>) {
        let framed = self
            .frames
            .iter_mut()
            .flat_map(|(own, deferred)| own.iter_mut().chain(deferred.iter_mut()));
        let params = self
            .doc
            .parameters
            .iter_mut()
            .chain(framed)
            .chain(self.deferred.iter_mut())
            .filter(|p| std::ptr::eq(p.spec, spec))
            .collect();
        let bodies = self
            .doc
            .body
            .iter_mut()
            .filter(|b| std::ptr::eq(b.spec, spec))
            .collect();
        (params, bodies)
    }

    /// Records the declared default of the parameter declared by `spec`.
    pub fn set_default(&mut self, spec: &'static ParamSpec, value: Option<serde_json::Value>) {
        let (params, bodies) = self.declared(spec);
        params.into_iter().for_each(|p| p.default = value.clone());
        bodies.into_iter().for_each(|b| b.default = value.clone());
    }

    /// Records the named examples of the parameter declared by `spec`.
    pub fn set_openapi_examples(&mut self, spec: &'static ParamSpec, examples: serde_json::Value) {
        let (params, bodies) = self.declared(spec);
        let examples = Some(examples);
        params
            .into_iter()
            .for_each(|p| p.openapi_examples = examples.clone());
        bodies
            .into_iter()
            .for_each(|b| b.openapi_examples = examples.clone());
    }

    /// Requires a security scheme (once per name).
    pub fn security(&mut self, name: &str, scheme: serde_json::Value, scopes: Vec<String>) {
        if !self.doc.security.iter().any(|(n, _, _)| n == name) {
            self.doc.security.push((name.to_string(), scheme, scopes));
        }
    }

    /// Documents the body field declared by `spec` as a password.
    pub fn mark_password(&mut self, spec: &'static ParamSpec) {
        for b in &mut self.doc.body {
            if std::ptr::eq(b.spec, spec) {
                b.password = true;
            }
        }
    }

    /// Starts describing a dependency's parameters; `scopes` are those its
    /// parameter requires (added to the enclosing ones).
    pub fn enter_dependency(&mut self, scopes: &'static [&'static str]) {
        self.frames.push((Vec::new(), Vec::new()));
        self.scope_marks.push(self.scopes.len());
        self.scopes.extend_from_slice(scopes);
    }

    /// The OAuth2 scopes in force where a scheme is described, outermost
    /// first (what the operation's `security` lists for it).
    pub fn scopes(&self) -> Vec<String> {
        self.scopes.iter().map(|s| s.to_string()).collect()
    }

    /// Ends it: its own parameters, then its dependencies', go after the
    /// enclosing dependant's own.
    pub fn exit_dependency(&mut self) {
        if let Some(mark) = self.scope_marks.pop() {
            self.scopes.truncate(mark);
        }
        if let Some((own, deferred)) = self.frames.pop() {
            let target = match self.frames.last_mut() {
                Some((_, parent_deferred)) => parent_deferred,
                None => &mut self.deferred,
            };
            target.extend(own);
            target.extend(deferred);
        }
    }

    /// Ends collection.
    pub fn finish(mut self) -> OperationDoc {
        self.doc.own_parameters = self.doc.parameters.len();
        for p in std::mem::take(&mut self.deferred) {
            self.push_unique(p);
        }
        self.doc.definitions = self.generator.take_definitions(true);
        self.doc.output_definitions = self.output.take_definitions(true);
        self.doc.output_read_definitions = self.output_read.take_definitions(true);
        self.doc
    }
}

/// Python's `str.title()`, after FastAPI's `replace("_", " ")`: `item_id` →
/// `Item Id`, `x-token` → `X-Token`.
pub fn py_title(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut prev_letter = false;
    for c in name.chars() {
        let c = if c == '_' { ' ' } else { c };
        if c.is_alphabetic() {
            if prev_letter {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            prev_letter = true;
        } else {
            out.push(c);
            prev_letter = false;
        }
    }
    out
}
