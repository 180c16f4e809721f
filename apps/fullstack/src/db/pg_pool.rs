//! PostgreSQL connections for requests, without a round trip per query.
//!
//! sqlx's own pool checks every connection it takes back with a round trip
//! to the database (`Sync`, then waiting for `ReadyForQuery`) and spawns a
//! task to do it: measured on this machine, a one-row query costs 85 µs of
//! the server's CPU and 50 µs of PostgreSQL's through the pool, against 25
//! and 29 on a connection held directly. A query that finished has already
//! read its `ReadyForQuery`, so that check only earns its cost for a
//! connection whose query was cut short (a request dropped mid-query, an
//! I/O error) or that sat idle long enough for the database to have gone
//! away. This pool (deadpool's generic one, holding sqlx connections)
//! checks exactly those.

use std::time::{Duration, Instant};

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::Connection;

/// A connection and what the pool knows of it.
#[derive(Debug)]
pub struct Tracked {
    conn: PgConnection,
    /// Handed out and not handed back by [`PgConn::done`]: its last query
    /// may have been cut short.
    in_doubt: bool,
    /// When its last query finished.
    finished: Instant,
}

/// Opens connections and decides which need a check before reuse.
#[derive(Debug)]
pub struct Connector {
    options: PgConnectOptions,
    check_after_idle: Duration,
}

impl managed::Manager for Connector {
    type Type = Tracked;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<Tracked, sqlx::Error> {
        Ok(Tracked {
            conn: PgConnection::connect_with(&self.options).await?,
            in_doubt: false,
            finished: Instant::now(),
        })
    }

    async fn recycle(&self, t: &mut Tracked, _: &Metrics) -> RecycleResult<sqlx::Error> {
        if t.in_doubt || t.finished.elapsed() >= self.check_after_idle {
            // Reads whatever a cut-short query left unread, then one
            // round trip; a connection that fails it is replaced.
            t.conn.ping().await.map_err(RecycleError::Backend)?;
            t.in_doubt = false;
        }
        Ok(())
    }
}

/// The pool.
#[derive(Debug, Clone)]
pub struct PgPool(managed::Pool<Connector>);

/// A connection taken from the pool; back to it when dropped.
#[derive(Debug)]
pub struct PgConn(managed::Object<Connector>);

impl PgPool {
    /// A pool of at most `max` connections; a request waits `wait` for one
    /// (and for a new one to open) before it fails with
    /// `sqlx::Error::PoolTimedOut`. A connection idle `check_after_idle` or
    /// longer is checked before it is handed out again.
    pub fn new(
        options: PgConnectOptions,
        max: usize,
        wait: Duration,
        check_after_idle: Duration,
    ) -> PgPool {
        let connector = Connector {
            options,
            check_after_idle,
        };
        let pool = managed::Pool::builder(connector)
            .max_size(max)
            // The connection used last is the warmest, and the ones left
            // idle at the back are the ones that get checked.
            .queue_mode(managed::QueueMode::Lifo)
            .wait_timeout(Some(wait))
            .create_timeout(Some(wait))
            .recycle_timeout(Some(wait))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .expect("a runtime and a size are set");
        PgPool(pool)
    }

    /// A connection: an idle one, or a new one while fewer than `max` are open.
    pub async fn get(&self) -> Result<PgConn, sqlx::Error> {
        match self.0.get().await {
            Ok(mut obj) => {
                obj.in_doubt = true;
                Ok(PgConn(obj))
            }
            Err(managed::PoolError::Backend(e)) => Err(e),
            Err(managed::PoolError::Closed) => Err(sqlx::Error::PoolClosed),
            Err(_) => Err(sqlx::Error::PoolTimedOut),
        }
    }

    /// Closes every idle connection and refuses new requests.
    pub fn close(&self) {
        self.0.close();
    }
}

impl PgConn {
    /// Hands the connection back as clean: its last query ran to its end,
    /// so it is reused without a check. Dropped without this, it is checked
    /// first.
    pub fn done(mut self) {
        self.0.in_doubt = false;
        self.0.finished = Instant::now();
    }
}

impl std::ops::Deref for PgConn {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.0.conn
    }
}

impl std::ops::DerefMut for PgConn {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.0.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// A pool of one connection on the test database, when there is one.
    fn one_connection(check_after_idle: Duration) -> Option<PgPool> {
        let url = std::env::var("FULLSTACK_TEST_POSTGRES").ok()?;
        let options = PgConnectOptions::from_str(&url).ok()?;
        Some(PgPool::new(
            options,
            1,
            Duration::from_secs(3),
            check_after_idle,
        ))
    }

    async fn pid(conn: &mut PgConn) -> i32 {
        sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut **conn)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_query_cut_short_does_not_leak_its_answer_into_the_next() {
        let Some(pool) = one_connection(Duration::from_secs(3600)) else {
            return;
        };
        for _ in 0..3 {
            let mut conn = pool.get().await.unwrap();
            let cut = tokio::time::timeout(
                Duration::from_millis(20),
                sqlx::query_scalar::<_, i32>("SELECT 42 FROM pg_sleep(0.2)").fetch_one(&mut *conn),
            )
            .await;
            assert!(cut.is_err(), "the query was meant to be cut short");
            drop(conn);
            // The same connection (the pool holds one), its answer to the
            // cut query read and thrown away before it is handed out.
            let mut conn = pool.get().await.unwrap();
            let seven: i32 = sqlx::query_scalar("SELECT 7")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(seven, 7);
            conn.done();
        }
    }

    #[tokio::test]
    async fn a_connection_the_database_dropped_is_replaced_once_idle() {
        let Some(pool) = one_connection(Duration::ZERO) else {
            return;
        };
        let mut conn = pool.get().await.unwrap();
        let first = pid(&mut conn).await;
        conn.done();
        let url = std::env::var("FULLSTACK_TEST_POSTGRES").unwrap();
        let mut admin = PgConnection::connect(&url).await.unwrap();
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(first)
            .execute(&mut admin)
            .await
            .unwrap();
        let mut conn = pool.get().await.unwrap();
        let second = pid(&mut conn).await;
        assert_ne!(first, second);
        conn.done();
    }

    #[tokio::test]
    async fn a_connection_whose_query_failed_is_replaced() {
        let Some(pool) = one_connection(Duration::from_secs(3600)) else {
            return;
        };
        let mut conn = pool.get().await.unwrap();
        let first = pid(&mut conn).await;
        conn.done();
        let url = std::env::var("FULLSTACK_TEST_POSTGRES").unwrap();
        let mut admin = PgConnection::connect(&url).await.unwrap();
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(first)
            .execute(&mut admin)
            .await
            .unwrap();
        // Not checked (used a moment ago): the first query meets the
        // closed connection and fails; it is not handed back as clean, so
        // the next request gets a working one.
        let mut conn = pool.get().await.unwrap();
        let _ = sqlx::query("SELECT 1").execute(&mut *conn).await;
        drop(conn);
        let mut conn = pool.get().await.unwrap();
        assert_ne!(pid(&mut conn).await, first);
    }
}
