//! Where parameters are read from: named text values, whatever carries
//! them (query string, headers, cookies, path, form).

use std::borrow::Cow;

/// A source of named text values (query string, headers, cookies, path, form).
pub trait Source {
    /// The last value under `name` (FastAPI's scalar rule: `?n=1&n=2` → `2`).
    fn last(&self, name: &str) -> Option<Cow<'_, str>>;
    /// Every value under `name`, in order.
    fn all(&self, name: &str) -> Vec<Cow<'_, str>>;
    /// Every key present, in first-seen order.
    fn keys(&self) -> Vec<Cow<'_, str>>;
    /// Every key present, in first-seen order, with its values as
    /// [`all`](Source::all) gives them (possibly none). The sources a client
    /// fills with many pairs read themselves once here, so that a model's
    /// cost is linear in the pairs.
    fn grouped(&self) -> Vec<(Cow<'_, str>, Vec<Cow<'_, str>>)> {
        self.keys()
            .into_iter()
            .map(|k| {
                let v = self.all(&k);
                (k, v)
            })
            .collect()
    }
}
