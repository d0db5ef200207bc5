//! Server-only code: configuration, storage, sessions, services and startup.

pub mod assets;
pub mod audit;
pub mod backup;
pub mod clock;
pub mod config;
pub mod db;
pub mod files;
pub mod flash;
pub mod guard;
pub mod initiative_files;
pub mod limits;
pub mod live;
pub mod metrics;
pub mod password;
pub mod pdf;
pub mod repo;
pub mod saves;
pub mod seed;
pub mod service;
pub mod session;
pub mod sheet;
pub mod startup;
pub mod state;

pub use state::AppState;

/// Text as stored: Unicode NFC, so "Hoài" typed on any keyboard compares and exports alike.
pub fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}

/// Sets the HTTP status of the response being built for the current server function call.
pub fn respond_with_status(code: u16) {
    if let (Some(opts), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        opts.set_status(status);
    }
}
