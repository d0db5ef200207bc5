//! Schema parity: `migrations/sqlite` and `migrations/postgres` must build the same tables,
//! columns (name, nullability, a coarse type family), constraints (by name, kind, columns,
//! and for foreign keys the referenced table and ON DELETE action) and indexes, since both
//! backends run the same queries and the code matches errors by constraint name.
//!
//! Each schema is read back from a freshly migrated database and flattened into lines such
//! as `column users.phone: text not null`; the two sets of lines must be equal. Constraints
//! that SQLite leaves unnamed are given the name Postgres would choose (`users_unit_id_fkey`,
//! `units_pkey`, `t_a_b_key`), so an unnamed constraint in one folder and an explicit,
//! differently named one in the other is caught too. CHECK constraints must be named: their
//! default names cannot be predicted for SQLite.

use std::collections::BTreeSet;

use cuocthi::server::db::Db;

use crate::helpers::{database_url, Backend};

/// Differences that are wanted, each with its reason. An entry that no longer shows up fails
/// the test too, so the list cannot go stale.
const DELIBERATE: &[(&str, &str)] = &[];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let sqlite = Db::connect(&database_url(Backend::Sqlite).await)
        .await
        .unwrap();
    sqlite.migrate().await.expect("SQLite migrations");
    let postgres = Db::connect(&database_url(Backend::Postgres).await)
        .await
        .unwrap();
    postgres.migrate().await.expect("Postgres migrations");

    let on_sqlite = sqlite_schema(&sqlite.pool).await;
    let on_postgres = postgres_schema(&postgres.pool).await;
    assert!(
        on_sqlite
            .iter()
            .any(|l| l.starts_with("column users.phone"))
            && on_postgres
                .iter()
                .any(|l| l.starts_with("column users.phone")),
        "the schemas were not read: {on_sqlite:?} {on_postgres:?}"
    );

    let mut report = Vec::new();
    let mut seen = BTreeSet::new();
    for (line, here, there) in on_sqlite
        .difference(&on_postgres)
        .map(|l| (l, "SQLite", "Postgres"))
        .chain(
            on_postgres
                .difference(&on_sqlite)
                .map(|l| (l, "Postgres", "SQLite")),
        )
    {
        let entry = format!("only on {here}: {line}");
        if DELIBERATE.iter().any(|(d, _)| *d == entry) {
            seen.insert(entry);
        } else {
            report.push(format!("{entry}   (missing on {there})"));
        }
    }
    for (d, reason) in DELIBERATE {
        if !seen.contains(*d) {
            report.push(format!(
                "listed as deliberate but not found: {d} ({reason})"
            ));
        }
    }
    assert!(
        report.is_empty(),
        "the two migration folders disagree; add a migration to each (never edit an applied \
         one) or list a deliberate difference in DELIBERATE:\n  {}",
        report.join("\n  ")
    );
}

/// `INTEGER`, `BIGINT` -> integer; `TEXT`, `VARCHAR` -> text; by SQLite's affinity rules.
fn type_family(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer".into()
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text".into()
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
        "real".into()
    } else if t.is_empty() || t.contains("blob") || t.contains("bytea") {
        "blob".into()
    } else {
        t
    }
}

fn column_line(table: &str, name: &str, family: &str, nullable: bool) -> String {
    let null = if nullable { "null" } else { "not null" };
    format!("column {table}.{name}: {family} {null}")
}

fn fk_line(table: &str, name: &str, cols: &str, target: &str, on_delete: &str) -> String {
    format!("constraint {table}.{name}: foreign key ({cols}) -> {target} on delete {on_delete}")
}

async fn sqlite_schema(pool: &sqlx::AnyPool) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, sql) in &tables {
        lines.insert(format!("table {table}"));
        let named = named_constraints(sql);

        // cid, name, type, notnull, dflt_value, pk
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (name, declared, notnull, pk_pos) in &columns {
            // An INTEGER PRIMARY KEY is the rowid and never NULL; any other primary key
            // column admits NULL in SQLite unless declared NOT NULL (a legacy quirk).
            let rowid = *pk_pos > 0 && declared.eq_ignore_ascii_case("integer");
            let nullable = *notnull == 0 && !rowid;
            lines.insert(column_line(table, name, &type_family(declared), nullable));
            if *pk_pos > 0 {
                pk.push((*pk_pos, name.clone()));
            }
        }
        if !pk.is_empty() {
            pk.sort();
            let cols: Vec<String> = pk.into_iter().map(|(_, c)| c).collect();
            let name = named
                .iter()
                .find(|c| c.kind == "primary key")
                .map(|c| c.name.clone())
                .unwrap_or_else(|| format!("{table}_pkey"));
            lines.insert(format!(
                "constraint {table}.{name}: primary key ({})",
                cols.join(", ")
            ));
        }

        // Unique constraints: the autoindexes SQLite made for them, with their columns.
        let uniques: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM pragma_index_list($1) WHERE origin = 'u' ORDER BY name",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap();
        for (index,) in &uniques {
            let cols: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(index)
                    .fetch_all(pool)
                    .await
                    .unwrap();
            let cols = cols
                .into_iter()
                .map(|(c,)| c)
                .collect::<Vec<_>>()
                .join(", ");
            let name = named
                .iter()
                .find(|c| c.kind == "unique" && c.columns == cols)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| format!("{table}_{}_key", cols.replace(", ", "_")));
            lines.insert(format!("constraint {table}.{name}: unique ({cols})"));
        }

        // Foreign keys: one row per column, grouped by id.
        let fks: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", on_delete FROM pragma_foreign_key_list($1) \
             ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut ids: Vec<i64> = fks.iter().map(|f| f.0).collect();
        ids.dedup();
        for id in ids {
            let parts: Vec<_> = fks.iter().filter(|f| f.0 == id).collect();
            let cols = parts
                .iter()
                .map(|f| f.3.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let name = named
                .iter()
                .find(|c| c.kind == "foreign key" && c.columns == cols)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| format!("{table}_{}_fkey", cols.replace(", ", "_")));
            let on_delete = parts[0].4.to_ascii_lowercase();
            lines.insert(fk_line(table, &name, &cols, &parts[0].2, &on_delete));
        }

        for c in named.iter().filter(|c| c.kind == "check") {
            lines.insert(format!("constraint {table}.{}: check", c.name));
        }
        for _ in 0..unnamed_checks(sql) {
            lines.insert(format!(
                "constraint {table}.(unnamed): check (name it: CONSTRAINT {table}_..._check)"
            ));
        }
    }

    // Indexes created with CREATE INDEX (the autoindexes behind constraints have no SQL).
    let indexes: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (name, table, sql) in indexes {
        let unique = tokens(&sql)
            .get(1)
            .is_some_and(|t| t.eq_ignore_ascii_case("unique"));
        lines.insert(index_line(&name, &table, unique));
    }
    lines
}

fn index_line(name: &str, table: &str, unique: bool) -> String {
    let kind = if unique { "unique index" } else { "index" };
    format!("{kind} {name} on {table}")
}

async fn postgres_schema(pool: &sqlx::AnyPool) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table,) in &tables {
        lines.insert(format!("table {table}"));
    }
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, name, data_type, nullable) in columns {
        lines.insert(column_line(
            &table,
            &name,
            &type_family(&data_type),
            nullable == "YES",
        ));
    }

    let constraints: Vec<(String, String, String, String, Option<String>, String)> =
        sqlx::query_as(
            "SELECT t.relname::text, c.conname::text, c.contype::text, \
               COALESCE((SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) \
                  FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) \
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), ''), \
               r.relname::text, c.confdeltype::text \
             FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             LEFT JOIN pg_class r ON r.oid = c.confrelid \
             WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await
        .unwrap();
    for (table, name, kind, cols, target, on_delete) in constraints {
        let line = match kind.as_str() {
            "p" => format!("constraint {table}.{name}: primary key ({cols})"),
            "u" => format!("constraint {table}.{name}: unique ({cols})"),
            "c" => format!("constraint {table}.{name}: check"),
            "f" => {
                let on_delete = match on_delete.as_str() {
                    "a" => "no action",
                    "r" => "restrict",
                    "c" => "cascade",
                    "n" => "set null",
                    "d" => "set default",
                    other => other,
                };
                fk_line(&table, &name, &cols, &target.unwrap_or_default(), on_delete)
            }
            other => format!("constraint {table}.{name}: kind {other}"),
        };
        lines.insert(line);
    }

    // Indexes of their own, not the ones behind a constraint.
    let indexes: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT ic.relname::text, t.relname::text, i.indisunique \
         FROM pg_index i \
         JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (name, table, unique) in indexes {
        lines.insert(index_line(&name, &table, unique));
    }
    lines
}

/// A constraint named in a CREATE TABLE statement: `CONSTRAINT name UNIQUE (a, b)`.
struct Named {
    name: String,
    kind: &'static str,
    /// The column list, `a, b` (empty for CHECK).
    columns: String,
}

fn named_constraints(sql: &str) -> Vec<Named> {
    let t = tokens(sql);
    let mut out = Vec::new();
    for i in 0..t.len() {
        if !t[i].eq_ignore_ascii_case("constraint") || i + 2 >= t.len() {
            continue;
        }
        let name = t[i + 1].trim_matches('"').to_string();
        let kind = match t[i + 2].to_ascii_lowercase().as_str() {
            "unique" => "unique",
            "check" => "check",
            "foreign" => "foreign key",
            "primary" => "primary key",
            _ => continue,
        };
        let columns = if kind == "check" {
            String::new()
        } else {
            // The first parenthesised list after the keyword(s).
            let open = (i + 2..t.len()).find(|&j| t[j] == "(");
            let close = open.and_then(|o| (o..t.len()).find(|&j| t[j] == ")"));
            match (open, close) {
                (Some(o), Some(c)) => t[o + 1..c]
                    .iter()
                    .filter(|x| *x != ",")
                    .map(|x| x.trim_matches('"'))
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => String::new(),
            }
        };
        out.push(Named {
            name,
            kind,
            columns,
        });
    }
    out
}

/// CHECK clauses without a `CONSTRAINT name` in front.
fn unnamed_checks(sql: &str) -> usize {
    let t = tokens(sql);
    (0..t.len())
        .filter(|&i| {
            t[i].eq_ignore_ascii_case("check")
                && !(i >= 2 && t[i - 2].eq_ignore_ascii_case("constraint"))
        })
        .count()
}

/// Words, quoted identifiers and single punctuation marks of a statement, without its
/// comments and string literals.
fn tokens(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' && chars.get(i + 1) == Some(&'\'') {
                    i += 2;
                } else if chars[i] == '\'' {
                    break;
                } else {
                    i += 1;
                }
            }
            i += 1;
            out.push("'…'".to_string());
        } else if c == '"' {
            let end = (i + 1..chars.len())
                .find(|&j| chars[j] == '"')
                .unwrap_or(chars.len());
            out.push(chars[i..(end + 1).min(chars.len())].iter().collect());
            i = end + 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}
