//! Server functions, grouped by domain. Each is thin: context -> authorization -> service -> DTO.
//! Endpoint names are stable: clients and tests call `/api/<endpoint>`.

pub mod accounts;
pub mod attempt;
pub mod audit;
pub mod auth;
pub mod awards;
pub mod bank;
pub mod contest;
pub mod contests;
pub mod forms;
pub mod initiatives;
pub mod manage;
pub mod people;
pub mod report;
pub mod units;

/// The server functions under a rate limit, by their own paths (read by `server::limits`).
#[cfg(feature = "ssr")]
pub fn rate_limited() -> Vec<(&'static str, crate::server::limits::Kind)> {
    use crate::server::limits::Kind;
    use leptos::server_fn::ServerFn;
    vec![
        (auth::Login::PATH, Kind::LoginFromAddress),
        (auth::Register::PATH, Kind::RegisterFromAddress),
        (accounts::RedeemReset::PATH, Kind::LoginFromAddress),
        (attempt::StartAttempt::PATH, Kind::StartBySession),
    ]
}

/// Organizers' server functions that only read: the audit log does not record them as
/// changes. Their paths come from the functions themselves, so a renamed endpoint cannot fall
/// out of the list.
#[cfg(feature = "ssr")]
pub fn organizer_reads() -> Vec<&'static str> {
    use leptos::server_fn::ServerFn;
    vec![
        accounts::GetAccounts::PATH,
        audit::AuditLog::PATH,
        contests::AdminContests::PATH,
        awards::GetAwards::PATH,
        awards::GetOverallAwards::PATH,
        awards::UnitPrizes::PATH,
        bank::GetBankPage::PATH,
        initiatives::GetJury::PATH,
        manage::GetContestAdmin::PATH,
        manage::GetDashboard::PATH,
        people::GetPeopleAdmin::PATH,
        report::GetReport::PATH,
        units::GetUnitsAdmin::PATH,
    ]
}

#[cfg(feature = "ssr")]
pub(crate) mod ctx {
    use http::header::{ACCEPT, SET_COOKIE};
    use http::HeaderValue;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    use crate::error::AppError;
    use crate::model::UserInfo;
    use crate::server::guard::Identity;
    use crate::server::{respond_with_status, AppState};

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or(AppError::Internal)
    }

    fn request_header(name: http::HeaderName) -> Option<String> {
        use_context::<http::request::Parts>().and_then(|p| {
            p.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
    }

    /// The request's `Cookie` header ("" without one).
    pub fn cookies() -> String {
        request_header(http::header::COOKIE).unwrap_or_default()
    }

    /// The client's address (see `limits::client_ip`).
    pub fn client_ip() -> String {
        use_context::<http::request::Parts>()
            .map(|p| crate::server::limits::client_ip(&p.headers, &p.extensions))
            .unwrap_or_default()
    }

    /// The request's identity (see `server::guard`).
    fn identity() -> Identity {
        use_context::<http::request::Parts>()
            .map(|p| Identity::of(&p))
            .unwrap_or_default()
    }

    /// Where an action recorded in the audit log came from: this request's address and the
    /// server function `F`'s own path.
    pub fn origin<F: leptos::server_fn::ServerFn>() -> crate::server::audit::Origin {
        use crate::server::session;
        // A browser without a device id is given one now.
        let device = session::device_from_cookies(&cookies()).unwrap_or_else(|| {
            let cookie = session::device_cookie(None);
            set_cookie(&cookie);
            cookie
                .split_once('=')
                .and_then(|(_, rest)| rest.split_once(';'))
                .map(|(id, _)| id.to_string())
                .unwrap_or_default()
        });
        crate::server::audit::Origin {
            ip: client_ip(),
            action: F::PATH,
            device,
        }
    }

    pub fn session_token() -> Option<String> {
        identity().token().map(str::to_string)
    }

    pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
        identity().user(&state()?).await
    }

    pub async fn require_user() -> Result<UserInfo, AppError> {
        current_user().await?.ok_or(AppError::Unauthorized)
    }

    pub fn set_cookie(value: &str) {
        if let (Some(opts), Ok(v)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(value),
        ) {
            opts.append_header(SET_COOKIE, v);
        }
    }

    /// A plain HTML form post (no JavaScript): answer with redirects, not JSON.
    /// (Pages rendered on the server call server functions too; those are not form posts.)
    pub fn is_form_post() -> bool {
        let to_api = use_context::<http::request::Parts>()
            .map(|p| p.uri.path().starts_with("/api/"))
            .unwrap_or(false);
        to_api
            && request_header(ACCEPT)
                .map(|a| a.contains("text/html"))
                .unwrap_or(false)
    }

    /// The fields a refused form post fills in again on its page (see `finish`).
    #[derive(Clone, Default)]
    struct Refill(Vec<(String, String)>);

    /// Names the fields to fill in again when this form post is refused.
    pub fn refill<K: Into<String>>(fields: impl IntoIterator<Item = (K, String)>) {
        provide_context(Refill(
            fields.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        ));
    }

    /// Gives an error its HTTP status, or for a plain form post sends the browser back to
    /// `back` with the error (and the fields to fill in again) in a signed, short-lived
    /// cookie: never in the URL (see `server::flash`).
    pub fn finish<T>(
        result: Result<T, AppError>,
        back: impl FnOnce() -> String,
    ) -> Result<T, AppError> {
        if let Err(e) = &result {
            if let AppError::TooManyRequests {
                retry_after_secs, ..
            }
            | AppError::Busy { retry_after_secs } = e
            {
                if let Some(opts) = use_context::<ResponseOptions>() {
                    opts.insert_header(
                        http::header::RETRY_AFTER,
                        HeaderValue::from(*retry_after_secs),
                    );
                }
            }
            if is_form_post() {
                if let Ok(state) = state() {
                    let fields = use_context::<Refill>().unwrap_or_default().0;
                    let now = crate::server::clock::to_ms(state.clock.now());
                    set_cookie(&crate::server::flash::cookie_for(
                        &state.flash_key,
                        e.clone(),
                        fields,
                        now,
                    ));
                }
                leptos_axum::redirect(&with_contest(&back(), &working_contest()));
            } else {
                respond_with_status(e.status_code());
            }
        }
        result
    }

    #[derive(Clone)]
    struct FlashRead(Option<crate::model::Flash>);

    /// The flash a form post left for this page, read once per request; the cookie is
    /// cleared so a reload shows the page as it is.
    pub fn take_flash() -> Option<crate::model::Flash> {
        if let Some(read) = use_context::<FlashRead>() {
            return read.0;
        }
        let value = request_header(http::header::COOKIE)
            .and_then(|h| crate::server::flash::from_cookie_header(&h).map(str::to_string));
        let flash = match (value, state()) {
            (Some(v), Ok(state)) => {
                set_cookie(&crate::server::flash::clear_cookie());
                crate::server::flash::decode(
                    &state.flash_key,
                    &v,
                    crate::server::clock::to_ms(state.clock.now()),
                )
            }
            _ => None,
        };
        provide_context(FlashRead(flash.clone()));
        flash
    }

    pub fn redirect_form(to: &str) {
        if is_form_post() {
            leptos_axum::redirect(&with_contest(to, &working_contest()));
        }
    }

    #[derive(Clone)]
    struct WorkingContest(String);

    /// The header that tells the audit log which contest an organizer's action concerned
    /// (read and removed by `server::audit::middleware`).
    pub const CONTEST_HEADER: &str = "x-cuocthi-contest";

    /// Names the contest this call works on (its slug; empty: the default contest). Redirects
    /// after a form post then keep it in the address, and the audit log records it.
    pub fn contest(slug: String) -> String {
        let slug = slug.trim().to_string();
        provide_context(WorkingContest(slug.clone()));
        if let (Some(opts), Ok(v)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(&urlencode(&slug)),
        ) {
            opts.insert_header(http::HeaderName::from_static(CONTEST_HEADER), v);
        }
        slug
    }

    fn working_contest() -> String {
        use_context::<WorkingContest>()
            .map(|c| c.0)
            .unwrap_or_default()
    }

    use crate::domain::contests::with_contest;

    pub fn urlencode(s: &str) -> String {
        url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
    }
}
