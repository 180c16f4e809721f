//! The listings' totals are exact after any sequence of writes, whoever
//! makes them: bulk inserts and deletes in one statement, items moved
//! between owners, owners deleted with their items (the cascade), and
//! writers on several connections at once. After every step each total the
//! API shows equals a `count(*)` of the rows.

mod common;

use fullstack::db::{Db, UserRow};
use uuid::Uuid;

/// A small deterministic generator (the steps are reproducible by seed).
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

async fn user(db: &Db) -> Uuid {
    let id = Uuid::new_v4();
    db.insert_user(&UserRow {
        id,
        email: format!("{}@example.com", id.simple()),
        is_active: true,
        is_superuser: false,
        full_name: None,
        hashed_password: "x".into(),
        created_at: Some(fullstack::db::now()),
    })
    .await
    .unwrap();
    id
}

/// Runs one statement of SQL on whichever database this is; `{uuid}`
/// becomes the dialect's new-uuid expression, `{owner}` and `{other}` the
/// owners' ids.
async fn exec(db: &Db, sql: &str, owner: Uuid, other: Uuid) {
    let hex = |u: Uuid| u.simple().to_string();
    match db {
        Db::Postgres(p) => {
            let sql = sql
                .replace("{uuid}", "gen_random_uuid()")
                .replace("{owner}", &format!("'{owner}'::uuid"))
                .replace("{other}", &format!("'{other}'::uuid"))
                .replace("{series}", "generate_series(1, $1) AS g");
            let n = 1 + (owner.as_u128() % 3) as i32;
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(n * 500)
                .execute(&mut *p.get().await.unwrap())
                .await
                .unwrap();
        }
        Db::Sqlite(p) => {
            let sql = sql
                .replace("{uuid}", "randomblob(16)")
                .replace("{owner}", &format!("x'{}'", hex(owner)))
                .replace("{other}", &format!("x'{}'", hex(other)))
                .replace(
                    "{series}",
                    "(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < $1) SELECT g FROM s)",
                );
            let n = 1 + (owner.as_u128() % 3) as i32;
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(n * 500)
                .execute(p)
                .await
                .unwrap();
        }
    }
}

async fn counted(db: &Db, sql: &str, owner: Option<Uuid>) -> i64 {
    // One query text on either database, the owner bound when there is one.
    macro_rules! scalar {
        ($on:expr) => {{
            let q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
            let q = match owner {
                Some(o) => q.bind(o),
                None => q,
            };
            q.fetch_one($on).await.unwrap()
        }};
    }
    match db {
        Db::Postgres(p) => scalar!(&mut *p.get().await.unwrap()),
        Db::Sqlite(p) => scalar!(p),
    }
}

async fn assert_exact(db: &Db, owners: &[Uuid], step: &str) {
    let (_, all) = db.list_items(None, 0, 1).await.unwrap();
    let rows = counted(db, "SELECT count(*) FROM item", None).await;
    assert_eq!(all, rows, "all items, after {step}");
    // A page past the end reads the total without a row to carry it.
    let (page, past) = db.list_items(None, 1 << 40, 1).await.unwrap();
    assert!(page.is_empty());
    assert_eq!(past, rows, "all items past the end, after {step}");
    for &o in owners {
        let (_, n) = db.list_items(Some(o), 0, 1).await.unwrap();
        let rows = counted(db, "SELECT count(*) FROM item WHERE owner_id = $1", Some(o)).await;
        assert_eq!(n, rows, "items of {o}, after {step}");
        // The route's statement, which checks the user too, counts alike.
        let page = db.list_items_for(o, 0, 1).await.unwrap().unwrap();
        assert_eq!(page.count, rows, "items of {o} for {o}, after {step}");
    }
    let (_, users) = db.list_users(0, 1).await.unwrap();
    let rows = counted(db, r#"SELECT count(*) FROM "user""#, None).await;
    assert_eq!(users, rows, "users, after {step}");
}

const STEPS: [&str; 6] = [
    "INSERT INTO item (title, id, owner_id) SELECT 'bulk', {uuid}, {owner} FROM {series}",
    "DELETE FROM item WHERE id IN (SELECT id FROM item WHERE owner_id = {owner} LIMIT $1)",
    "UPDATE item SET owner_id = {other} WHERE id IN (SELECT id FROM item WHERE owner_id = {owner} LIMIT $1)",
    "UPDATE item SET title = 'renamed' WHERE owner_id = {owner} AND $1 > 0",
    "DELETE FROM item WHERE owner_id IN ({owner}, {other}) AND $1 > 0",
    r#"INSERT INTO item (title, id, owner_id) SELECT 'mixed', {uuid}, id FROM "user" WHERE $1 > 0"#,
];

#[tokio::test]
async fn totals_equal_the_rows_after_any_writes() {
    let db = common::fresh_db().await;
    let mut owners = vec![user(&db).await, user(&db).await, user(&db).await];
    let mut steps = Steps(0x5eed);
    assert_exact(&db, &owners, "nothing").await;
    for i in 0..40 {
        let owner = owners[steps.next(owners.len() as u64) as usize];
        let other = owners[steps.next(owners.len() as u64) as usize];
        if steps.next(3) == 0 {
            // Items inserted so far are folded into the totals (on
            // PostgreSQL; the server also folds on its own every few ms).
            db.fold_totals().await.unwrap();
            assert_exact(&db, &owners, &format!("step {i}: folded")).await;
        }
        match steps.next(8) {
            k @ 0..=5 => {
                exec(&db, STEPS[k as usize], owner, other).await;
                assert_exact(&db, &owners, &format!("step {i}: {}", STEPS[k as usize])).await;
            }
            6 => {
                // An owner and (by the cascade) their items go; another comes.
                db.delete_user(owner).await.unwrap();
                owners.retain(|&o| o != owner);
                owners.push(user(&db).await);
                assert_exact(&db, &owners, &format!("step {i}: owner deleted")).await;
                let gone = db.list_items(Some(owner), 0, 1).await.unwrap().1;
                assert_eq!(gone, 0, "a deleted owner has no items");
            }
            _ => {
                // Writers on several connections at once.
                let writers = (0..8).map(|_| {
                    let db = db.clone();
                    let owners = owners.clone();
                    async move {
                        for (j, &o) in owners.iter().enumerate() {
                            let item = fullstack::db::ItemRow {
                                id: Uuid::new_v4(),
                                title: "concurrent".into(),
                                description: None,
                                owner_id: o,
                                created_at: Some(fullstack::db::now()),
                            };
                            db.insert_item(&item).await.unwrap();
                            if j % 2 == 0 {
                                db.delete_item(item.id).await.unwrap();
                            }
                        }
                    }
                });
                futures_util::future::join_all(writers).await;
                assert_exact(&db, &owners, &format!("step {i}: concurrent writers")).await;
            }
        }
    }
}

/// Folds racing deletes, moves and inserts on other connections: whichever
/// commits first, no item is counted twice or lost (migration 0007's
/// argument, tried).
#[tokio::test]
async fn totals_stay_exact_while_folds_race_writers() {
    let db = common::fresh_db().await;
    // SQLite keeps its totals by row triggers, with one writer at a time:
    // nothing to fold, and bulk writers only queue on its lock.
    if matches!(db, Db::Sqlite(_)) {
        return;
    }
    let mut owners = Vec::new();
    for _ in 0..6 {
        owners.push(user(&db).await);
    }
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let folder = {
        let (db, done) = (db.clone(), done.clone());
        tokio::spawn(async move {
            let mut folds = 0u32;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                db.fold_totals().await.unwrap();
                folds += 1;
            }
            folds
        })
    };
    for round in 0..6 {
        // Each writer changes its own owner's rows (bulk statements that
        // lock overlapping rows in different orders deadlock on any
        // schema) and moves items to the next writer's owner.
        let writers = (0..owners.len()).map(|w| {
            let db = db.clone();
            let (o, other) = (owners[w], owners[(w + 1) % owners.len()]);
            async move {
                for j in 0..3 {
                    exec(
                        &db,
                        STEPS[[0, 1, 2, 0, 1, 5][(w + j + round) % 6]],
                        o,
                        other,
                    )
                    .await;
                    let item = fullstack::db::ItemRow {
                        id: Uuid::new_v4(),
                        title: "raced".into(),
                        description: None,
                        owner_id: o,
                        created_at: Some(fullstack::db::now()),
                    };
                    db.insert_item(&item).await.unwrap();
                    if (w + j) % 2 == 0 {
                        db.delete_item(item.id).await.unwrap();
                    }
                }
            }
        });
        futures_util::future::join_all(writers).await;
        assert_exact(&db, &owners, &format!("round {round} of racing writers")).await;
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let folds = folder.await.unwrap();
    assert!(folds > 0);
}
