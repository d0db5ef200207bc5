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

/// `$first, $first+1, …` for `n` values: statements differ only by their count of values,
/// so each count is prepared once.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, …, $width), ($width+1, …), …` for `rows` tuples of `width` values each: a
/// multi-row `VALUES` list or a row-value `IN (…)` list.
pub fn tuples(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|i| format!("({})", placeholders(width * i + 1, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

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

#[cfg(test)]
mod tests {
    use super::{placeholders, tuples};

    #[test]
    fn placeholders_number_the_values_in_order() {
        let table = [
            (placeholders(1, 0), ""),
            (placeholders(1, 1), "$1"),
            (placeholders(2, 3), "$2, $3, $4"),
            (tuples(0, 2), ""),
            (tuples(1, 1), "($1)"),
            (tuples(2, 2), "($1, $2), ($3, $4)"),
            (tuples(2, 3), "($1, $2, $3), ($4, $5, $6)"),
        ];
        for (got, want) in table {
            assert_eq!(got, want);
        }
    }
}
