//! SQL only: each function runs queries on a connection or transaction and maps rows.
//! No rules live here; services decide, repos read and write.

pub mod attempts;
pub mod audit;
pub mod awards;
pub mod bank;
pub mod contests;
pub mod initiatives;
pub mod installation;
pub mod lifecycle;
pub mod limits;
pub mod notify;
pub mod outcomes;
pub mod participants;
pub mod people;
pub mod reports;
pub mod units;
pub mod users;

/// Postgres and SQLite both report a unique-constraint violation this way.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Name of the violated constraint, when the driver tells it.
pub fn violated_constraint(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db
            .constraint()
            .map(str::to_string)
            .unwrap_or_else(|| db.message().to_string()),
        _ => String::new(),
    }
}
