//! The database schema is the template's (CONTRACT.md §6), on whichever
//! database the suite runs: column types, nullability, the unique email
//! index and the cascading foreign key.

mod common;

use fullstack::db::Db;
use sqlx::Row;

#[tokio::test]
async fn the_schema_is_the_templates() {
    match common::fresh_db().await {
        Db::Postgres(pool) => {
            let mut conn = pool.get().await.unwrap();
            let rows = sqlx::query(
                "SELECT table_name, column_name, data_type, character_maximum_length, is_nullable \
                 FROM information_schema.columns WHERE table_schema = 'public' \
                 AND table_name IN ('user', 'item') ORDER BY table_name, column_name",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            let got: Vec<String> = rows
                .iter()
                .map(|r| {
                    let len: Option<i32> = r.get(3);
                    format!(
                        "{}.{} {}{} {}",
                        r.get::<String, _>(0),
                        r.get::<String, _>(1),
                        r.get::<String, _>(2),
                        len.map(|l| format!("({l})")).unwrap_or_default(),
                        r.get::<String, _>(4)
                    )
                })
                .collect();
            assert_eq!(
                got,
                // The template's columns, and the one the listing totals
                // add (migration 0007, DEVIATIONS.md): filled by its
                // default, never named by the template's SQL.
                [
                    "item.created_at timestamp with time zone YES",
                    "item.created_xid xid8 YES",
                    "item.description character varying(255) YES",
                    "item.id uuid NO",
                    "item.owner_id uuid NO",
                    "item.title character varying(255) NO",
                    "user.created_at timestamp with time zone YES",
                    "user.email character varying(255) NO",
                    "user.full_name character varying(255) YES",
                    "user.hashed_password character varying NO",
                    "user.id uuid NO",
                    "user.is_active boolean NO",
                    "user.is_superuser boolean NO",
                ]
            );
            let index: String = sqlx::query_scalar(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_user_email'",
            )
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            assert_eq!(
                index,
                "CREATE UNIQUE INDEX ix_user_email ON public.\"user\" USING btree (email)"
            );
            let rule: String = sqlx::query_scalar(
                "SELECT delete_rule FROM information_schema.referential_constraints \
                 WHERE constraint_name = 'item_owner_id_fkey'",
            )
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            assert_eq!(rule, "CASCADE");
        }
        Db::Sqlite(pool) => {
            let fk: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT \"table\", \"from\", on_delete FROM pragma_foreign_key_list('item')",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            assert_eq!(
                fk,
                [(
                    "user".to_string(),
                    "owner_id".to_string(),
                    "CASCADE".to_string()
                )]
            );
            let unique: i64 = sqlx::query_scalar(
                "SELECT \"unique\" FROM pragma_index_list('user') WHERE name = 'ix_user_email'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(unique, 1);
            let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(on, 1, "foreign keys (the cascade) are enforced");
        }
    }
}
