use crate::server::clock::Clock;
use crate::server::db::Db;
use crate::server::password::PasswordHasherPool;

/// Everything a request handler needs, provided to server functions as context. Cloned
/// several times per request (the router, the context, each server function): one shared
/// pointer, so a clone is one atomic increment instead of one per field.
#[derive(Clone)]
pub struct AppState(std::sync::Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(std::sync::Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What `AppState` shares.
pub struct Shared {
    pub db: Db,
    pub clock: Clock,
    pub passwords: PasswordHasherPool,
    pub leptos_options: leptos::prelude::LeptosOptions,
    pub live: crate::server::live::LiveBoards,
    /// Answer saves, committed in groups (see `saves`).
    pub saves: crate::server::saves::SaveQueue,
    pub limits: crate::server::limits::Limiter,
    /// Organizers' server functions that only read (see `api::organizer_reads`).
    pub audit_reads: std::sync::Arc<[&'static str]>,
    /// Certificates built once per publication (see `service::certificates`).
    pub certificates: crate::server::service::certificates::CertificateCache,
    /// Initiative-contest files (see `initiative_files`).
    pub upload_dir: std::path::PathBuf,
    /// Signs the cookie that carries a form post's error to the next page (see `flash`).
    pub flash_key: crate::server::flash::FlashKey,
    /// What `/metrics` reports (see `metrics`).
    pub metrics: std::sync::Arc<crate::server::metrics::Metrics>,
    /// The pages' CSP `frame-ancestors` (see `Config::frame_ancestors`).
    pub frame_ancestors: std::sync::Arc<str>,
    /// People reach the site over HTTPS (`CUOCTHI_HTTPS=1`): links it writes say so.
    pub https: bool,
}

impl axum::extract::FromRef<AppState> for leptos::prelude::LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
