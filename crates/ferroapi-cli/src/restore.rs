//! `contract replay --restore-db`: puts the port's test database in the
//! state a recorded request of the app's suite met under the Python app,
//! before that request is sent. Every table of the recording is emptied
//! (children first) and filled again (parents first), PostgreSQL's
//! sequences are set. What the port has beyond the Python app's tables is
//! its own: rows are written with the recorded columns (a column of the
//! port's own takes its default), with triggers on (a count the port keeps
//! by trigger follows), and a recorded table the port lacks is left out.

use std::collections::BTreeMap;

use serde_json::Value;
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};

/// The port's database, connected.
pub enum Database {
    Postgres {
        conn: PgConnection,
        /// Whether each recorded table or sequence exists in the port's.
        exists: BTreeMap<String, bool>,
    },
    Sqlite {
        conn: SqliteConnection,
        exists: BTreeMap<String, bool>,
    },
}

/// `"schema"."name"`, as the recorder writes a PostgreSQL table, checked
/// and quoted again: a recording is data, never SQL.
fn pg_name(name: &str) -> Result<String, String> {
    let parts: Option<Vec<&str>> = name
        .split("\".\"")
        .map(|p| p.trim_start_matches('"').trim_end_matches('"'))
        .map(|p| (!p.is_empty() && !p.contains('"')).then_some(p))
        .collect();
    match parts.as_deref() {
        Some([schema, table]) if name.starts_with('"') && name.ends_with('"') => {
            Ok(format!("\"{schema}\".\"{table}\""))
        }
        _ => Err(format!("`{name}` is not a table the recorder names")),
    }
}

/// A column or SQLite table name, quoted.
fn quoted(name: &str) -> Result<String, String> {
    match name.is_empty() || name.contains('"') || name.contains('\'') {
        true => Err(format!("`{name}`: a name with quotes is not restored")),
        false => Ok(format!("\"{name}\"")),
    }
}

/// The recorded columns of a table's rows (its first row's keys), quoted.
fn columns(rows: &str) -> Result<Option<Vec<String>>, String> {
    let rows: Value = serde_json::from_str(rows).map_err(|e| format!("recorded rows: {e}"))?;
    match rows.as_array().and_then(|r| r.first()) {
        None => Ok(None),
        Some(first) => first
            .as_object()
            .ok_or("a recorded row is not an object")?
            .keys()
            .map(|k| quoted(k))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
    }
}

impl Database {
    /// Connects to `url` (`postgresql://..`, `sqlite:PATH`) for a recording
    /// of `dialect`.
    pub async fn connect(url: &str, dialect: &str) -> Result<Database, String> {
        let sqlite = url.starts_with("sqlite:");
        match (dialect, sqlite) {
            ("postgresql", false) => {
                // SQLAlchemy's spelling names a driver; sqlx does not take it.
                let url = match url.split_once("://") {
                    Some((scheme, rest)) if scheme.starts_with("postgres") => {
                        format!("postgresql://{rest}")
                    }
                    _ => url.to_string(),
                };
                let conn = PgConnection::connect(&url)
                    .await
                    .map_err(|e| format!("{url}: {e}"))?;
                Ok(Database::Postgres {
                    conn,
                    exists: BTreeMap::new(),
                })
            }
            ("sqlite", true) => {
                let rest = &url["sqlite:".len()..];
                let path = rest.strip_prefix("//").unwrap_or(rest);
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path)
                    .busy_timeout(std::time::Duration::from_secs(10));
                let conn = SqliteConnection::connect_with(&options)
                    .await
                    .map_err(|e| format!("{url}: {e}"))?;
                Ok(Database::Sqlite {
                    conn,
                    exists: BTreeMap::new(),
                })
            }
            (d, _) => Err(format!(
                "the recording's database is {d}, and {url} is not (give the port's {d} database)"
            )),
        }
    }

    /// Puts the database in `state` (`{"tables": {name: rows}, "sequences":
    /// {name: [value, called]}}`), its tables in `order` (parents first).
    pub async fn put(&mut self, state: &Value, order: &[String]) -> Result<(), String> {
        let rows_of = |t: &str| state["tables"][t].as_str().unwrap_or("[]").to_string();
        match self {
            Database::Postgres { conn, exists } => {
                let mut names = Vec::new();
                for t in order {
                    names.push(pg_name(t)?);
                }
                let sequences: Vec<(String, i64, bool)> = state["sequences"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(n, v)| {
                        Ok((
                            pg_name(n)?,
                            v[0].as_i64().ok_or("a sequence's value")?,
                            v[1].as_bool().unwrap_or(true),
                        ))
                    })
                    .collect::<Result<_, String>>()?;
                for n in names.iter().chain(sequences.iter().map(|(n, _, _)| n)) {
                    if !exists.contains_key(n) {
                        let found: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
                            .bind(n)
                            .fetch_one(&mut *conn)
                            .await
                            .map_err(|e| e.to_string())?;
                        exists.insert(n.clone(), found);
                    }
                }
                let mut tx = conn.begin().await.map_err(|e| e.to_string())?;
                sqlx::raw_sql("SET LOCAL lock_timeout = '10s'")
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| e.to_string())?;
                let present: Vec<(&String, &String)> = order
                    .iter()
                    .zip(&names)
                    .filter(|(_, n)| exists[*n])
                    .collect();
                for (_, n) in present.iter().rev() {
                    sqlx::raw_sql(AssertSqlSafe(format!("DELETE FROM {n}")))
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| format!("{n}: {e}"))?;
                }
                for (t, n) in &present {
                    let rows = rows_of(t);
                    let Some(cols) = columns(&rows)? else {
                        continue;
                    };
                    let cols = cols.join(", ");
                    sqlx::query(AssertSqlSafe(format!(
                        "INSERT INTO {n} ({cols}) OVERRIDING SYSTEM VALUE \
                         SELECT {cols} FROM json_populate_recordset(NULL::{n}, $1::json)"
                    )))
                    .bind(rows)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| format!("{n}: {e}"))?;
                }
                for (n, value, called) in &sequences {
                    if exists[n] {
                        sqlx::query("SELECT setval($1::regclass, $2, $3)")
                            .bind(n)
                            .bind(value)
                            .bind(called)
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| format!("{n}: {e}"))?;
                    }
                }
                tx.commit().await.map_err(|e| e.to_string())
            }
            Database::Sqlite { conn, exists } => {
                if exists.is_empty() {
                    let tables: Vec<String> =
                        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                            .fetch_all(&mut *conn)
                            .await
                            .map_err(|e| e.to_string())?;
                    for t in order {
                        exists.insert(t.clone(), tables.contains(t));
                    }
                }
                let present: Vec<&String> = order
                    .iter()
                    .filter(|t| exists.get(*t).copied().unwrap_or(false))
                    .collect();
                let mut tx = conn.begin().await.map_err(|e| e.to_string())?;
                for t in present.iter().rev() {
                    sqlx::raw_sql(AssertSqlSafe(format!("DELETE FROM {}", quoted(t)?)))
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| format!("{t}: {e}"))?;
                }
                for t in &present {
                    let rows = rows_of(t);
                    let Some(cols) = columns(&rows)? else {
                        continue;
                    };
                    let values: Vec<String> = cols
                        .iter()
                        .map(|c| format!("json_extract(value, '$.{c}')"))
                        .collect();
                    sqlx::query(AssertSqlSafe(format!(
                        "INSERT INTO {} ({}) SELECT {} FROM json_each(?)",
                        quoted(t)?,
                        cols.join(", "),
                        values.join(", ")
                    )))
                    .bind(rows)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| format!("{t}: {e}"))?;
                }
                tx.commit().await.map_err(|e| e.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_a_recording_are_checked_not_trusted() {
        assert_eq!(
            pg_name("\"public\".\"user\"").unwrap(),
            "\"public\".\"user\""
        );
        assert!(pg_name("public.user").is_err());
        assert!(pg_name("\"public\".\"user\"; DROP TABLE x; --\"").is_err());
        assert!(pg_name("\"a\".\"b\".\"c\"").is_err());
        assert!(quoted("note").is_ok());
        assert!(quoted("x\"; DROP TABLE note; --").is_err());
        assert_eq!(
            columns(r#"[{"id": 1, "text": "a"}]"#).unwrap(),
            Some(vec!["\"id\"".to_string(), "\"text\"".to_string()])
        );
        assert_eq!(columns("[]").unwrap(), None);
        assert!(columns(r#"[{"x'": 1}]"#).is_err());
    }
}
