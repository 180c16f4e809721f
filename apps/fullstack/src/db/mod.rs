//! The database: embedded SQLite by default, PostgreSQL with the template's
//! schema when `DATABASE_URL` says so. Every query is written once; the
//! `on_pool!` macro type-checks it against each driver.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use uuid::Uuid;

mod pg_pool;
pub use pg_pool::{PgConn, PgPool};

/// A database failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique index refused the row (the email is taken).
    #[error("duplicate value")]
    Conflict,
    /// Anything else.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Migrations failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value did not read back.
    #[error("stored value unreadable: {0}")]
    Decode(String),
}

fn classify(e: sqlx::Error) -> DbError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => DbError::Conflict,
        _ => DbError::Sqlx(e),
    }
}

/// How long a request waits for a connection before it answers 503 (a
/// database that is down, or saturated): seconds, not sqlx's 30. The pool
/// reconnects by itself once the database is back.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// A connection used within this long needs no check before it is handed
/// out again: under load no query pays a round trip to the database for
/// it (HikariCP's `aliveBypassWindowMs`, 500 ms, is the same idea), while
/// one that sat idle is still checked, so a restarted database is noticed
/// before a request fails on a dead connection. (PostgreSQL: [`PgPool`];
/// SQLite: sqlx's pool, whose check is a message to the connection's thread.)
pub const CHECK_AFTER_IDLE: Duration = Duration::from_secs(1);

/// sqlx's check, only for connections idle past [`CHECK_AFTER_IDLE`].
fn check_when_idle<C: sqlx::Connection>(
    conn: &mut C,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<bool, sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        if meta.idle_for >= CHECK_AFTER_IDLE {
            conn.ping().await?;
        }
        Ok(true)
    })
}

/// The connection pool.
#[derive(Debug, Clone)]
pub enum Db {
    /// SQLite (a file, or memory for tests).
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to the SQLite pool or to a PostgreSQL
/// connection taken for it (handed back clean when `$body` ends; an early
/// return leaves it to be checked before reuse).
macro_rules! on_pool {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            Db::Sqlite($p) => $body,
            Db::Postgres(pool) => {
                let mut conn = pool.get().await?;
                let $p = &mut *conn;
                let out = $body;
                conn.done();
                out
            }
        }
    };
}

/// A row of `user`.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub is_active: bool,
    pub is_superuser: bool,
    pub full_name: Option<String>,
    pub hashed_password: String,
    pub created_at: Option<DateTime<Utc>>,
}

/// A row of `item`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub owner_id: Uuid,
    pub created_at: Option<DateTime<Utc>>,
}

/// A user with the second before which their access tokens are void.
struct UserWithStamp {
    user: UserRow,
    tokens_after: Option<i64>,
}

/// A row of a listing page with the listing's total.
struct PagedItem {
    item: ItemRow,
    total: i64,
}

// Rows are read by position, in the order of `user_columns!` and
// `item_columns!` (sqlx's derive looks every column up by name, which cost
// more than decoding it on a page of items). What each column is read as
// is still checked against the type the database sent.
macro_rules! from_row {
    ($ty:ty, |$row:ident| $body:expr, $($t:ty),+) => {
        impl<'r, R> sqlx::FromRow<'r, R> for $ty
        where
            R: sqlx::Row,
            usize: sqlx::ColumnIndex<R>,
            $($t: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,)+
        {
            fn from_row($row: &'r R) -> Result<Self, sqlx::Error> {
                $body
            }
        }
    };
}

fn user_at<'r, R>(row: &'r R, at: usize) -> Result<UserRow, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(UserRow {
        id: row.try_get(at)?,
        email: row.try_get(at + 1)?,
        is_active: row.try_get(at + 2)?,
        is_superuser: row.try_get(at + 3)?,
        full_name: row.try_get(at + 4)?,
        hashed_password: row.try_get(at + 5)?,
        created_at: row.try_get(at + 6)?,
    })
}

/// Column `i` of `row`; `checked` compares the type the database sent with
/// `T`'s. The rows of one answer share their types: a page checks its first
/// row and not the others (the checks were a tenth of a page's decoding).
fn column<'r, R, T>(row: &'r R, i: usize, checked: bool) -> Result<T, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    T: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    if checked {
        row.try_get(i)
    } else {
        row.try_get_unchecked(i)
    }
}

fn item_at<'r, R>(row: &'r R, at: usize, checked: bool) -> Result<ItemRow, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(ItemRow {
        id: column(row, at, checked)?,
        title: column(row, at + 1, checked)?,
        description: column(row, at + 2, checked)?,
        owner_id: column(row, at + 3, checked)?,
        created_at: column(row, at + 4, checked)?,
    })
}

from_row!(
    UserRow,
    |row| user_at(row, 0),
    Uuid,
    String,
    bool,
    DateTime<Utc>
);
from_row!(
    ItemRow,
    |row| item_at(row, 0, true),
    Uuid,
    String,
    DateTime<Utc>
);
from_row!(
    UserWithStamp,
    |row| Ok(UserWithStamp {
        user: user_at(row, 0)?,
        tokens_after: row.try_get(7)?,
    }),
    Uuid,
    String,
    bool,
    DateTime<Utc>,
    i64
);
from_row!(
    PagedItem,
    |row| Ok(PagedItem {
        item: item_at(row, 0, true)?,
        total: row.try_get(5)?,
    }),
    Uuid,
    String,
    DateTime<Utc>,
    i64
);

// Column lists as macros, so every query stays one literal (sqlx audits
// dynamic SQL).
macro_rules! user_columns {
    () => {
        "id, email, is_active, is_superuser, full_name, hashed_password, created_at"
    };
}
macro_rules! item_columns {
    () => {
        "id, title, description, owner_id, created_at"
    };
}

/// One owner's item total (the owner's id bound as `$p`), as migration
/// 0007 keeps it: the folded count plus the owner's tail (items inserted at
/// or after the fold mark). The tail's upper bound holds for every row the
/// statement sees; it is there so that the planner, which cannot know the
/// mark, estimates a range of two unknown bounds (a few rows) rather than a
/// third of the table, and walks the tail's index.
macro_rules! owner_total {
    ($p:literal) => {
        concat!(
            "(SELECT coalesce((SELECT n FROM item_total WHERE owner_id = ",
            $p,
            "), 0) ",
            "+ (SELECT count(*) FROM item WHERE owner_id = ",
            $p,
            " AND created_xid >= (SELECT mark FROM item_fold)",
            " AND created_xid < pg_snapshot_xmax(pg_current_snapshot())))"
        )
    };
}

/// The total of all items (the nil uuid's row, bound as `$p`) plus
/// everyone's tail.
macro_rules! all_total {
    ($p:literal) => {
        concat!(
            "(SELECT coalesce((SELECT n FROM item_total WHERE owner_id = ",
            $p,
            "), 0) ",
            "+ (SELECT count(*) FROM item WHERE created_xid >= (SELECT mark FROM item_fold)",
            " AND created_xid < pg_snapshot_xmax(pg_current_snapshot())))"
        )
    };
}

/// What every PostgreSQL connection is opened with: each statement is
/// planned once per connection, as migration 0008 explains (the default
/// re-planned each listing on every request once the table was large).
pub const SESSION: [(&str, &str); 1] = [("plan_cache_mode", "force_generic_plan")];

/// A page of one owner's items (`$3`), newest first, each row with the
/// owner's total.
pub const OWNER_PAGE: &str = concat!(
    "SELECT ",
    item_columns!(),
    ", ",
    owner_total!("$3"),
    " AS total FROM item WHERE owner_id = $3 ORDER BY created_at DESC LIMIT $1 OFFSET $2"
);

/// A page of all items, newest first, each row with the total (`$3` is the
/// nil uuid, whose row in `item_total` counts everything).
pub const ALL_PAGE: &str = concat!(
    "SELECT ",
    item_columns!(),
    ", ",
    all_total!("$3"),
    " AS total FROM item ORDER BY created_at DESC LIMIT $1 OFFSET $2"
);

/// A page for the user `$3` in one statement, with what `current_user`
/// checks of that user: their own items for a user, everyone's for a
/// superuser, newest first (`$1` rows from `$2`), each row with the
/// user's flags and the page's total. A page past the end is one row of
/// flags and total with no item; an unknown user, no row.
pub const USER_PAGE: &str = concat!(
    "WITH me AS MATERIALIZED (SELECT u.id, u.is_active, u.is_superuser, s.tokens_after, ",
    "CASE WHEN u.is_superuser THEN ",
    all_total!("'00000000-0000-0000-0000-000000000000'::uuid"),
    " ELSE ",
    owner_total!("u.id"),
    r#" END AS total FROM "user" u LEFT JOIN credential_stamp s ON s.user_id = u.id WHERE u.id = $3)"#,
    " SELECT me.is_active, me.tokens_after, me.total, p.id, p.title, p.description, p.owner_id, p.created_at",
    " FROM me LEFT JOIN LATERAL (",
    "(SELECT ",
    item_columns!(),
    " FROM item WHERE NOT me.is_superuser AND owner_id = me.id",
    " ORDER BY created_at DESC LIMIT $1 OFFSET $2)",
    " UNION ALL (SELECT ",
    item_columns!(),
    " FROM item WHERE me.is_superuser ORDER BY created_at DESC LIMIT $1 OFFSET $2)",
    ") p ON true"
);

/// A page the user a token names may see, with what `current_user` checks
/// of that user.
#[derive(Debug)]
pub struct UserPage {
    /// Whether the user is active.
    pub is_active: bool,
    /// The second before which the user's access tokens are void.
    pub tokens_after: Option<i64>,
    /// The page: the user's own items, or everyone's for a superuser.
    pub items: Vec<ItemRow>,
    /// The listing's total.
    pub count: i64,
}

/// A row of [`USER_PAGE`].
struct UserPageRow {
    is_active: bool,
    tokens_after: Option<i64>,
    total: i64,
    item: Option<ItemRow>,
}

impl UserPageRow {
    /// Reads a row, its columns' types `checked` (see [`column`]).
    fn read(row: &sqlx::postgres::PgRow, checked: bool) -> Result<Self, sqlx::Error> {
        // The item's columns are all null on a page past the end.
        let id: Option<Uuid> = column(row, 3, checked)?;
        Ok(UserPageRow {
            is_active: column(row, 0, checked)?,
            tokens_after: column(row, 1, checked)?,
            total: column(row, 2, checked)?,
            item: match id {
                Some(_) => Some(item_at(row, 3, checked)?),
                None => None,
            },
        })
    }
}

/// How often a server folds new items into the totals: at 5,000 inserts a
/// second the tail a listing counts stays near 100 items. A fold with
/// nothing to do is one index probe.
const FOLD_EVERY: Duration = Duration::from_millis(20);

/// Folds for as long as the runtime runs (every replica does; the folds
/// queue on one row lock and a late one finds nothing left).
fn keep_folding(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FOLD_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = db.fold_totals().await {
                tracing::warn!(error = %e, "folding item totals failed; retrying in a second");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    });
}

/// Now, to the microsecond (what both databases and pydantic keep).
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    let micros = t.timestamp_micros();
    DateTime::from_timestamp_micros(micros).unwrap_or(t)
}

impl Db {
    /// Connects and migrates: `sqlite://FILE` (created when missing),
    /// `sqlite::memory:`, or `postgresql://...`.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:");
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(if memory {
                    sqlx::sqlite::SqliteJournalMode::Memory
                } else {
                    sqlx::sqlite::SqliteJournalMode::Wal
                });
            // One in-memory database must be one connection.
            let max = if memory { 1 } else { 8 };
            let pool = SqlitePoolOptions::new()
                .max_connections(max)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .before_acquire(check_when_idle)
                .connect_with(options)
                .await?;
            sqlx::migrate!("migrations/sqlite").run(&pool).await?;
            Ok(Db::Sqlite(pool))
        } else {
            let options = PgConnectOptions::from_str(url)?.options(SESSION);
            let pool = PgPool::new(options, 16, ACQUIRE_TIMEOUT, CHECK_AFTER_IDLE);
            // sqlx's migrator holds a PostgreSQL advisory lock while it
            // reads and applies: replicas started together migrate one at a
            // time, and the later ones find nothing left to do
            // (deploy/fleet tests three at once on an empty database).
            let mut conn = pool.get().await?;
            sqlx::migrate!("migrations/postgres")
                .run(&mut *conn)
                .await?;
            conn.done();
            let db = Db::Postgres(pool);
            keep_folding(db.clone());
            Ok(db)
        }
    }

    /// The user with this email (exact, case-sensitive, as the template).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, DbError> {
        let sql = concat!(
            "SELECT ",
            user_columns!(),
            r#" FROM "user" WHERE email = $1"#
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, UserRow>(sql).bind(email).fetch_optional(p).await?),
        )
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: Uuid) -> Result<Option<UserRow>, DbError> {
        let sql = concat!("SELECT ", user_columns!(), r#" FROM "user" WHERE id = $1"#);
        Ok(on_pool!(self, p => sqlx::query_as::<_, UserRow>(sql).bind(id).fetch_optional(p).await?))
    }

    /// Adds a user; `Conflict` when the email is taken.
    pub async fn insert_user(&self, u: &UserRow) -> Result<(), DbError> {
        let sql = concat!(
            r#"INSERT INTO "user" ("#,
            user_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
        );
        on_pool!(self, p => {
            sqlx::query(sql)
            .bind(u.id)
            .bind(&u.email)
            .bind(u.is_active)
            .bind(u.is_superuser)
            .bind(&u.full_name)
            .bind(&u.hashed_password)
            .bind(u.created_at)
            .execute(p)
            .await
            .map_err(classify)?;
        });
        Ok(())
    }

    /// Writes every column of a user back; `Conflict` when the new email is taken.
    pub async fn update_user(&self, u: &UserRow) -> Result<(), DbError> {
        let sql = r#"UPDATE "user" SET email = $2, is_active = $3, is_superuser = $4,
            full_name = $5, hashed_password = $6 WHERE id = $1"#;
        on_pool!(self, p => {
            sqlx::query(sql)
            .bind(u.id)
            .bind(&u.email)
            .bind(u.is_active)
            .bind(u.is_superuser)
            .bind(&u.full_name)
            .bind(&u.hashed_password)
            .execute(p)
            .await
            .map_err(classify)?;
        });
        Ok(())
    }

    /// The user with this id, and the second before which their access
    /// tokens are void (`None`: their password never changed): one query
    /// for every authenticated request.
    pub async fn user_for_token(
        &self,
        id: Uuid,
    ) -> Result<Option<(UserRow, Option<i64>)>, DbError> {
        let sql = concat!(
            "SELECT ",
            user_columns!(),
            r#", tokens_after FROM "user" LEFT JOIN credential_stamp ON user_id = id WHERE id = $1"#
        );
        let row = on_pool!(self, p => sqlx::query_as::<_, UserWithStamp>(sql).bind(id).fetch_optional(p).await?);
        Ok(row.map(|r| (r.user, r.tokens_after)))
    }

    /// When the user's password last changed (microseconds since the epoch)
    /// and the second before which their access tokens are void; `None`
    /// when it never changed.
    pub async fn stamp(&self, user: Uuid) -> Result<Option<(i64, i64)>, DbError> {
        let sql =
            "SELECT password_changed_us, tokens_after FROM credential_stamp WHERE user_id = $1";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, (i64, i64)>(sql).bind(user).fetch_optional(p).await?),
        )
    }

    /// Records a password change: reset tokens issued before
    /// `password_changed_us` are spent, access tokens issued before the
    /// second `tokens_after` void.
    pub async fn set_stamp(
        &self,
        user: Uuid,
        password_changed_us: i64,
        tokens_after: i64,
    ) -> Result<(), DbError> {
        let sql = "INSERT INTO credential_stamp (user_id, password_changed_us, tokens_after)
            VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE
            SET password_changed_us = excluded.password_changed_us,
                tokens_after = excluded.tokens_after";
        on_pool!(self, p => {
            sqlx::query(sql).bind(user).bind(password_changed_us).bind(tokens_after).execute(p).await?;
        });
        Ok(())
    }

    /// Failed logins under `account` and `address` (either may repeat the
    /// other) in windows that began after `since` (seconds): `(key, n,
    /// window_start)` for each key that has some. One query for both.
    pub async fn failures(
        &self,
        account: &str,
        address: &str,
        since: i64,
    ) -> Result<Vec<(String, i64, i64)>, DbError> {
        let sql = "SELECT key, n, window_start FROM login_failure
            WHERE key IN ($1, $2) AND window_start > $3";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, (String, i64, i64)>(sql)
            .bind(account)
            .bind(address)
            .bind(since)
            .fetch_all(p)
            .await?),
        )
    }

    /// Counts one failed login under `key` at `now`, in the window begun
    /// after `since` (else a new one from `now`); returns the count.
    pub async fn record_failure(&self, key: &str, now: i64, since: i64) -> Result<i64, DbError> {
        let sql = "INSERT INTO login_failure (key, window_start, n) VALUES ($1, $2, 1)
            ON CONFLICT (key) DO UPDATE SET
              n = CASE WHEN login_failure.window_start > $3 THEN login_failure.n + 1 ELSE 1 END,
              window_start = CASE WHEN login_failure.window_start > $3
                THEN login_failure.window_start ELSE $2 END
            RETURNING n";
        Ok(
            on_pool!(self, p => sqlx::query_scalar::<_, i64>(sql).bind(key).bind(now).bind(since).fetch_one(p).await?),
        )
    }

    /// Forgets every window that ended before `since` (an index range: only
    /// the expired rows are read).
    pub async fn sweep_failures(&self, since: i64) -> Result<(), DbError> {
        let sql = "DELETE FROM login_failure WHERE window_start <= $1";
        on_pool!(self, p => {
            sqlx::query(sql).bind(since).execute(p).await?;
        });
        Ok(())
    }

    /// Forgets the failures under `key` (a successful login).
    pub async fn clear_failures(&self, key: &str) -> Result<(), DbError> {
        let sql = "DELETE FROM login_failure WHERE key = $1";
        on_pool!(self, p => {
            sqlx::query(sql).bind(key).execute(p).await?;
        });
        Ok(())
    }

    /// Deletes a user and (by cascade) their items.
    pub async fn delete_user(&self, id: Uuid) -> Result<(), DbError> {
        let sql = r#"DELETE FROM "user" WHERE id = $1"#;
        on_pool!(self, p => {
            sqlx::query(sql).bind(id).execute(p).await?;
        });
        Ok(())
    }

    /// A page of users, newest first, and the total.
    pub async fn list_users(&self, skip: i64, limit: i64) -> Result<(Vec<UserRow>, i64), DbError> {
        let sql = concat!(
            "SELECT ",
            user_columns!(),
            r#" FROM "user" ORDER BY created_at DESC LIMIT $1 OFFSET $2"#
        );
        // Kept by triggers (migrations 0003 on SQLite, 0005 on
        // PostgreSQL): no row count per page.
        Ok(match self {
            Db::Sqlite(p) => {
                let rows = sqlx::query_as::<_, UserRow>(sql)
                    .bind(limit)
                    .bind(skip)
                    .fetch_all(p)
                    .await?;
                let count: i64 = sqlx::query_scalar("SELECT n FROM user_tally")
                    .fetch_one(p)
                    .await?;
                (rows, count)
            }
            Db::Postgres(p) => {
                let count_sql = "SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM user_count";
                let mut conn = p.get().await?;
                let rows = sqlx::query_as::<_, UserRow>(sql)
                    .bind(limit)
                    .bind(skip)
                    .fetch_all(&mut *conn)
                    .await?;
                let count: i64 = sqlx::query_scalar(count_sql).fetch_one(&mut *conn).await?;
                conn.done();
                (rows, count)
            }
        })
    }

    /// The item with this id.
    pub async fn item_by_id(&self, id: Uuid) -> Result<Option<ItemRow>, DbError> {
        let sql = concat!("SELECT ", item_columns!(), " FROM item WHERE id = $1");
        Ok(on_pool!(self, p => sqlx::query_as::<_, ItemRow>(sql).bind(id).fetch_optional(p).await?))
    }

    /// A page of items (of one owner, or all), newest first, and the total.
    pub async fn list_items(
        &self,
        owner: Option<Uuid>,
        skip: i64,
        limit: i64,
    ) -> Result<(Vec<ItemRow>, i64), DbError> {
        let p = match self {
            Db::Sqlite(p) => return sqlite_item_page(p, owner, skip, limit).await,
            Db::Postgres(p) => p,
        };
        // The page and its total in one round trip: the total (migration
        // 0007: the folded count plus the short tail of items inserted
        // since the last fold, no row count per page) is a sub-query
        // PostgreSQL runs once, beside every row.
        let (sql, count_sql) = match owner {
            Some(_) => (OWNER_PAGE, concat!("SELECT ", owner_total!("$1"))),
            None => (ALL_PAGE, concat!("SELECT ", all_total!("$1"))),
        };
        let counted = owner.unwrap_or(Uuid::nil());
        let mut conn = p.get().await?;
        let rows = sqlx::query_as::<_, PagedItem>(sql)
            .bind(limit)
            .bind(skip)
            .bind(counted)
            .fetch_all(&mut *conn)
            .await?;
        let count = match rows.first() {
            Some(first) => first.total,
            // A page past the end has no row to carry the total.
            None => {
                sqlx::query_scalar::<_, i64>(count_sql)
                    .bind(counted)
                    .fetch_one(&mut *conn)
                    .await?
            }
        };
        conn.done();
        Ok((rows.into_iter().map(|r| r.item).collect(), count))
    }

    /// The page `list_items` gives the user `user` (everyone's items for a
    /// superuser, their own otherwise), with the flags `current_user`
    /// checks, or `None` for an unknown user. One round trip on
    /// PostgreSQL; on SQLite the user, then the page.
    pub async fn list_items_for(
        &self,
        user: Uuid,
        skip: i64,
        limit: i64,
    ) -> Result<Option<UserPage>, DbError> {
        let p = match self {
            Db::Sqlite(_) => {
                let Some((u, tokens_after)) = self.user_for_token(user).await? else {
                    return Ok(None);
                };
                let owner = (!u.is_superuser).then_some(u.id);
                let (items, count) = self.list_items(owner, skip, limit).await?;
                return Ok(Some(UserPage {
                    is_active: u.is_active,
                    tokens_after,
                    items,
                    count,
                }));
            }
            Db::Postgres(p) => p,
        };
        let mut conn = p.get().await?;
        let raw = sqlx::query(USER_PAGE)
            .bind(limit)
            .bind(skip)
            .bind(user)
            .fetch_all(&mut *conn)
            .await?;
        conn.done();
        let rows = raw
            .iter()
            .enumerate()
            .map(|(i, row)| UserPageRow::read(row, i == 0))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let (is_active, tokens_after, count) = (first.is_active, first.tokens_after, first.total);
        Ok(Some(UserPage {
            is_active,
            tokens_after,
            items: rows.into_iter().filter_map(|r| r.item).collect(),
            count,
        }))
    }

    /// Folds the items inserted since the last fold into the totals
    /// (PostgreSQL, migration 0007) and returns how many. Totals are exact
    /// without it: it keeps short the tail that each listing counts.
    pub async fn fold_totals(&self) -> Result<i64, DbError> {
        match self {
            Db::Sqlite(_) => Ok(0),
            Db::Postgres(p) => {
                let mut conn = p.get().await?;
                let n = sqlx::query_scalar("SELECT item_total_fold()")
                    .fetch_one(&mut *conn)
                    .await?;
                conn.done();
                Ok(n)
            }
        }
    }

    /// Adds an item (see `sqlite_item_page` for the SQLite listing).
    pub async fn insert_item(&self, i: &ItemRow) -> Result<(), DbError> {
        let sql = concat!(
            "INSERT INTO item (",
            item_columns!(),
            ") VALUES ($1, $2, $3, $4, $5)"
        );
        on_pool!(self, p => {
            sqlx::query(sql)
            .bind(i.id)
            .bind(&i.title)
            .bind(&i.description)
            .bind(i.owner_id)
            .bind(i.created_at)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Adds an item for the user `owner` if that user exists, is active and
    /// accepts a token issued at `issued_at` (`current_user`'s checks), in
    /// one statement: whether it was added. Not added, nothing was written,
    /// and `deps::user_for` says why.
    pub async fn insert_item_for(&self, i: &ItemRow, issued_at: i64) -> Result<bool, DbError> {
        let sql = concat!(
            "INSERT INTO item (",
            item_columns!(),
            r#") SELECT $1, $2, $3, u.id, $5 FROM "user" u"#,
            " LEFT JOIN credential_stamp s ON s.user_id = u.id",
            " WHERE u.id = $4 AND u.is_active",
            " AND (s.tokens_after IS NULL OR $6 >= s.tokens_after)"
        );
        let added = on_pool!(self, p => {
            sqlx::query(sql)
                .bind(i.id)
                .bind(&i.title)
                .bind(&i.description)
                .bind(i.owner_id)
                .bind(i.created_at)
                .bind(issued_at)
                .execute(p)
                .await?
                .rows_affected()
        });
        Ok(added == 1)
    }

    /// Writes an item's title and description back.
    pub async fn update_item(&self, i: &ItemRow) -> Result<(), DbError> {
        let sql = "UPDATE item SET title = $2, description = $3 WHERE id = $1";
        on_pool!(self, p => {
            sqlx::query(sql)
            .bind(i.id)
            .bind(&i.title)
            .bind(&i.description)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Deletes an item.
    pub async fn delete_item(&self, id: Uuid) -> Result<(), DbError> {
        let sql = "DELETE FROM item WHERE id = $1";
        on_pool!(self, p => {
            sqlx::query(sql).bind(id).execute(p).await?;
        });
        Ok(())
    }
}

/// An item as SQLite's `json_object` writes it (uuids as hex, times as text).
#[derive(serde::Deserialize)]
struct ItemJson {
    id: String,
    title: String,
    description: Option<String>,
    owner_id: String,
    created_at: Option<String>,
}

/// A page of items and the total from SQLite in one row: sqlx's SQLite
/// driver hands each row from the connection's thread to the caller
/// separately, which costs more than the query; one JSON array does not.
async fn sqlite_item_page(
    pool: &SqlitePool,
    owner: Option<Uuid>,
    skip: i64,
    limit: i64,
) -> Result<(Vec<ItemRow>, i64), DbError> {
    macro_rules! page {
        ($filter:literal) => {
            concat!(
                "SELECT (SELECT json_group_array(json_object('id', hex(id), 'title', title, ",
                "'description', description, 'owner_id', hex(owner_id), 'created_at', created_at) ",
                "ORDER BY created_at DESC) FROM (SELECT * FROM item ",
                $filter,
                " ORDER BY created_at DESC LIMIT $1 OFFSET $2)), ",
                "(SELECT coalesce(sum(n), 0) FROM item_tally ",
                $filter,
                ")"
            )
        };
    }
    let mut q = sqlx::query_as::<_, (Option<String>, i64)>(match owner {
        Some(_) => page!("WHERE owner_id = $3"),
        None => page!(""),
    })
    .bind(limit)
    .bind(skip);
    if let Some(o) = owner {
        q = q.bind(o);
    }
    let (json, count) = q.fetch_one(pool).await?;
    let items: Vec<ItemJson> = match json {
        Some(text) => serde_json::from_str(&text).map_err(|e| DbError::Decode(e.to_string()))?,
        None => Vec::new(),
    };
    let uuid = |s: &str| Uuid::parse_str(s).map_err(|e| DbError::Decode(e.to_string()));
    let rows = items
        .into_iter()
        .map(|i| {
            Ok(ItemRow {
                id: uuid(&i.id)?,
                title: i.title,
                description: i.description,
                owner_id: uuid(&i.owner_id)?,
                created_at: match i.created_at {
                    Some(t) => Some(
                        DateTime::parse_from_rfc3339(&t)
                            .map_err(|e| DbError::Decode(e.to_string()))?
                            .with_timezone(&Utc),
                    ),
                    None => None,
                },
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok((rows, count))
}
