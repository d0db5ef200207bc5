use sqlx::{AnyConnection, FromRow};

use crate::domain::units::ValidUnit;

#[derive(Debug, Clone, FromRow)]
pub struct UnitTreeRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub headcount: i64,
    pub parent_id: Option<i64>,
    pub quota_percent: Option<i64>,
    pub retired_at: Option<i64>,
}

pub async fn all_units(conn: &mut AnyConnection) -> sqlx::Result<Vec<UnitTreeRow>> {
    sqlx::query_as(
        "SELECT id, code, name, kind, headcount, parent_id, quota_percent, retired_at FROM units ORDER BY id",
    )
    .fetch_all(conn)
    .await
}

/// Inserts the unit, or updates the one with the same code; returns its id.
pub async fn upsert_unit(
    conn: &mut AnyConnection,
    u: &ValidUnit,
    parent_id: Option<i64>,
) -> sqlx::Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
        .bind(&u.code)
        .fetch_optional(&mut *conn)
        .await?;
    match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE units SET name = $2, kind = $3, headcount = $4, parent_id = $5, quota_percent = $6 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(&u.name)
            .bind(u.kind)
            .bind(u.headcount)
            .bind(parent_id)
            .bind(u.quota_percent)
            .execute(&mut *conn)
            .await?;
            Ok(id)
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO units (code, name, kind, headcount, parent_id, quota_percent) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&u.code)
            .bind(&u.name)
            .bind(u.kind)
            .bind(u.headcount)
            .bind(parent_id)
            .bind(u.quota_percent)
            .fetch_one(&mut *conn)
            .await
        }
    }
}

/// Points a unit at its parent (a second pass, once every unit of an import has an id).
pub async fn set_parent(
    conn: &mut AnyConnection,
    id: i64,
    parent_id: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE units SET parent_id = $2 WHERE id = $1")
        .bind(id)
        .bind(parent_id)
        .execute(conn)
        .await?;
    Ok(())
}
