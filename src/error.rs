//! One error type for every server function, shared by client and server.
//! Messages are written for the participant, in Vietnamese; internals are logged, never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::FieldError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    #[error("Thông tin chưa hợp lệ")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    /// An import was refused as a whole; every problem is listed by row and column.
    #[error("Tệp có lỗi, chưa nhập dòng nào.")]
    ImportRejected(Vec<crate::domain::bank::RowError>),
    #[error("Vui lòng đăng nhập để tiếp tục.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The request was understood but arrived too late (after deadline + grace).
    #[error("{0}")]
    Gone(String),
    /// A rate limit; the message says how long to wait, and so does `Retry-After`.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    /// Every database connection stayed busy while the request waited for one: nothing was
    /// done, and trying again in a moment will do (`Retry-After` says when).
    #[error("Hệ thống đang có quá nhiều người truy cập cùng lúc. Vui lòng thử lại sau {retry_after_secs} giây.")]
    Busy { retry_after_secs: u64 },
    #[error("Hệ thống đang bận hoặc gặp sự cố, vui lòng thử lại.")]
    Internal,
    /// The request never reached the server, or its reply never came back.
    #[error("Mất kết nối tới máy chủ.")]
    Network(String),
}

impl AppError {
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::BadRequest(_) | AppError::ImportRejected(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::Gone(_) => 410,
            AppError::TooManyRequests { .. } => 429,
            AppError::Internal => 500,
            AppError::Busy { .. } => 503,
            AppError::Network(_) => 503,
        }
    }

    /// A single line to show to the participant.
    pub fn user_message(&self) -> String {
        match self {
            AppError::Invalid(fields) if !fields.is_empty() => fields
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        }
    }

    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(fields) => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.clone()),
            _ => None,
        }
    }

    pub fn is_network(&self) -> bool {
        matches!(self, AppError::Network(_))
    }

    /// Sending the same request again later will do: the network failed, or the server was
    /// too busy to start on it.
    pub fn is_retryable(&self) -> bool {
        matches!(self, AppError::Network(_) | AppError::Busy { .. })
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(msg) => AppError::Network(msg),
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                #[cfg(feature = "ssr")]
                crate::server::respond_with_status(400);
                AppError::BadRequest(format!(
                    "Dữ liệu gửi lên không hợp lệ: {}",
                    truncate(&msg, 200)
                ))
            }
            ServerFnErrorErr::MissingArg(msg) => {
                #[cfg(feature = "ssr")]
                crate::server::respond_with_status(400);
                AppError::BadRequest(format!("Thiếu dữ liệu: {}", truncate(&msg, 200)))
            }
            ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                #[cfg(feature = "ssr")]
                crate::server::respond_with_status(405);
                AppError::BadRequest("Phương thức yêu cầu không được hỗ trợ.".into())
            }
            ServerFnErrorErr::Response(msg) => AppError::Network(msg),
            _ => AppError::Internal,
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Turns a server-side failure into `Internal`, logging its cause once, where it is known,
    /// with the caller's source location. The log line is written inside the request's span, so
    /// it carries the request id, route and user (see `server::startup::request_span`); the
    /// client only ever sees the generic message.
    #[track_caller]
    pub fn internal<E: std::fmt::Display>(context: &'static str) -> impl FnOnce(E) -> AppError {
        let at = std::panic::Location::caller();
        move |e| {
            tracing::error!(error = %e, at = %at, "{context}");
            AppError::Internal
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        // Text the database cannot store (Postgres refuses a NUL character, SQLSTATE 22021)
        // is the sender's mistake, not the server's.
        if let sqlx::Error::Database(db) = &e {
            if db.code().as_deref() == Some("22021") {
                return AppError::BadRequest("Dữ liệu gửi lên có ký tự không hợp lệ.".into());
            }
        }
        if matches!(e, sqlx::Error::PoolTimedOut) {
            tracing::warn!(at = %std::panic::Location::caller(), "no database connection came free in time; asked to retry");
            return AppError::Busy {
                retry_after_secs: 2,
            };
        }
        if let sqlx::Error::Database(db) = &e {
            if db.code().as_deref().is_some_and(is_busy_code) {
                tracing::warn!(at = %std::panic::Location::caller(), error = %db, "the database stayed locked; asked to retry");
                return AppError::Busy {
                    retry_after_secs: 2,
                };
            }
        }
        AppError::internal("database error")(e)
    }
}

/// A database error code that means "busy, nothing was done, try again": SQLite's
/// SQLITE_BUSY and SQLITE_LOCKED with their extended codes (the write lock held past the busy
/// timeout), Postgres's lock_not_available, too_many_connections and cannot_connect_now.
/// Anything else (a constraint, a serialization failure inside a transaction the caller
/// must redo, a broken disk) stays an internal error.
#[cfg(feature = "ssr")]
pub fn is_busy_code(code: &str) -> bool {
    if code.len() == 5 {
        // A Postgres SQLSTATE is always five characters; SQLite's codes stay below 10,000.
        return matches!(code, "55P03" | "53300" | "57P03");
    }
    // SQLite: the primary code is the low byte of the extended one.
    code.parse::<i32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn busy_codes_are_told_apart_from_real_failures() {
        for (code, busy) in [
            ("5", true),      // SQLITE_BUSY
            ("261", true),    // SQLITE_BUSY_RECOVERY
            ("517", true),    // SQLITE_BUSY_SNAPSHOT
            ("773", true),    // SQLITE_BUSY_TIMEOUT
            ("6", true),      // SQLITE_LOCKED
            ("262", true),    // SQLITE_LOCKED_SHAREDCACHE
            ("19", false),    // SQLITE_CONSTRAINT
            ("2067", false),  // SQLITE_CONSTRAINT_UNIQUE
            ("787", false),   // SQLITE_CONSTRAINT_FOREIGNKEY
            ("10", false),    // SQLITE_IOERR
            ("13", false),    // SQLITE_FULL
            ("55P03", true),  // lock_not_available
            ("53300", true),  // too_many_connections
            ("57P03", true),  // cannot_connect_now
            ("23505", false), // unique_violation
            ("40001", false), // serialization_failure
            ("40P01", false), // deadlock_detected
            ("22021", false), // character_not_in_repertoire
            ("", false),
        ] {
            assert_eq!(is_busy_code(code), busy, "{code}");
        }
    }

    #[test]
    fn a_busy_pool_asks_to_retry_and_other_database_errors_stay_internal() {
        let busy = AppError::from(sqlx::Error::PoolTimedOut);
        assert_eq!(
            busy,
            AppError::Busy {
                retry_after_secs: 2
            }
        );
        assert_eq!(busy.status_code(), 503);
        assert!(busy.is_retryable() && !busy.is_network());
        assert!(busy.user_message().contains("thử lại sau 2 giây"));
        let closed = AppError::from(sqlx::Error::PoolClosed);
        assert_eq!((closed.status_code(), closed.is_retryable()), (500, false));
        assert!(AppError::Network("x".into()).is_retryable());
    }
}
