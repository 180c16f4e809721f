//! PostgreSQL plans the listings once per connection (migration 0008), and
//! those plans read only the page asked for, however the items are spread
//! among owners. Skipped on SQLite, which has no plan cache to choose.

mod common;

use fullstack::db::{Db, ALL_PAGE, OWNER_PAGE, USER_PAGE};
use serde_json::Value;
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;

/// Runs `statement` prepared on one of the server's own connections, so
/// with its session settings, and returns `EXPLAIN (ANALYZE, BUFFERS)` of
/// its sixth run (PostgreSQL's default switches plans after five).
async fn explain(db: &Db, statement: &str, owner: Uuid) -> Value {
    let Db::Postgres(pool) = db else {
        unreachable!()
    };
    let mut conn = pool.get().await.unwrap();
    let mode: String = sqlx::query_scalar("SHOW plan_cache_mode")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(mode, "force_generic_plan");
    sqlx::query(AssertSqlSafe(format!(
        "PREPARE page (bigint, bigint, uuid) AS {statement}"
    )))
    .execute(&mut *conn)
    .await
    .unwrap();
    for _ in 0..5 {
        sqlx::query(AssertSqlSafe(format!("EXECUTE page(100, 0, '{owner}')")))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let row = sqlx::query(AssertSqlSafe(format!(
        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE page(100, 0, '{owner}')"
    )))
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    // A `json` column, read as its text (the crate has no JSON decoding).
    let plan: Value =
        serde_json::from_str(&row.try_get_unchecked::<String, _>(0).unwrap()).unwrap();
    sqlx::query("DEALLOCATE page")
        .execute(&mut *conn)
        .await
        .unwrap();
    plan[0]["Plan"].clone()
}

/// The index the plan's page (its `Limit`'s outer input) is read from.
fn page_index(plan: &Value) -> String {
    let page = plan["Plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["Parent Relationship"] == "Outer")
        .unwrap();
    page["Index Name"]
        .as_str()
        .unwrap_or("(no index)")
        .to_string()
}

#[tokio::test]
async fn pages_read_only_their_rows_when_one_owner_holds_every_item() {
    let db = common::fresh_db().await;
    let Db::Postgres(pool) = &db else {
        eprintln!("skipped: PostgreSQL only (FULLSTACK_TEST_POSTGRES)");
        return;
    };
    let mut owners = Vec::new();
    for n in 0..3 {
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO \"user\" (id, email, is_active, is_superuser, hashed_password) \
             VALUES ($1, $2, true, $3, 'x')",
        )
        .bind(id)
        .bind(format!("owner{n}@example.com"))
        .bind(n == 2)
        .execute(&mut *pool.get().await.unwrap())
        .await
        .unwrap();
        owners.push(id);
    }
    let (heavy, light, superuser) = (owners[0], owners[1], owners[2]);
    let mut conn = pool.get().await.unwrap();
    sqlx::query(
        "INSERT INTO item (id, title, owner_id, created_at) \
         SELECT gen_random_uuid(), 'i' || g, $1, now() - g * interval '1 second' \
         FROM generate_series(1, 30000) g",
    )
    .bind(heavy)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query("ANALYZE item")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);

    // The owner with no items: read from the owner's index, not by walking
    // every item newest first (that read 30,000 rows and ~550 pages).
    let plan = explain(&db, OWNER_PAGE, light).await;
    assert_eq!(page_index(&plan), "ix_item_owner_id_created_at", "{plan:#}");
    let hits = plan["Shared Hit Blocks"].as_u64().unwrap();
    assert!(hits < 40, "{hits} pages read for an empty page: {plan:#}");

    // The owner of everything, and everyone's page: 100 rows, a few pages.
    for (statement, owner) in [(OWNER_PAGE, heavy), (ALL_PAGE, Uuid::nil())] {
        let plan = explain(&db, statement, owner).await;
        assert_eq!(plan["Actual Rows"], 100, "{plan:#}");
        let hits = plan["Shared Hit Blocks"].as_u64().unwrap();
        assert!(hits < 60, "{hits} pages read for a page of 100: {plan:#}");
    }

    // The page with the user's checks (the route's statement): the same,
    // for a user with nothing (one row: the flags and a total of 0), the
    // owner of everything and a superuser (everyone's items).
    for (user, rows, most) in [(light, 1, 40), (heavy, 100, 60), (superuser, 100, 60)] {
        let plan = explain(&db, USER_PAGE, user).await;
        assert_eq!(plan["Actual Rows"], rows, "{plan:#}");
        let hits = plan["Shared Hit Blocks"].as_u64().unwrap();
        assert!(hits < most, "{hits} pages read for {rows} rows: {plan:#}");
    }
}
