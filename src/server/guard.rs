//! The one request edge: who is calling, and may they. The caller is resolved once per
//! request, by whoever asks first (a server function, a plain route, the audit log), and
//! recorded on the request's trace span. Server functions reach it through `api::ctx`, plain
//! axum routes through the `Caller` and `SignedIn` extractors.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use http::{header, HeaderMap};
use tokio::sync::OnceCell;

use crate::domain::roles::{allows, Permission, Role};
use crate::error::AppError;
use crate::model::UserInfo;
use crate::server::clock::to_ms;
use crate::server::repo::users;
use crate::server::{session, AppState};

/// The session a request carries, and the account behind it once looked up.
#[derive(Clone, Default)]
pub struct Identity {
    token: Option<Arc<str>>,
    user: Arc<OnceCell<Option<UserInfo>>>,
}

impl Identity {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            token: session_token(headers).map(Arc::from),
            user: Arc::default(),
        }
    }

    /// The identity the `identify` middleware attached, or one read from the headers (a page
    /// rendered in-process, a request that bypassed the middleware).
    pub fn of(parts: &Parts) -> Self {
        parts
            .extensions
            .get::<Identity>()
            .cloned()
            .unwrap_or_else(|| Self::from_headers(&parts.headers))
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The signed-in account, looked up once per request.
    pub async fn user(&self, state: &AppState) -> Result<Option<UserInfo>, AppError> {
        let Some(token) = self.token.as_deref() else {
            return Ok(None);
        };
        let user = self
            .user
            .get_or_try_init(|| user_for_token(state, token))
            .await?;
        if let Some(u) = user {
            tracing::Span::current().record("user_id", u.id);
        }
        Ok(user.clone())
    }
}

/// The account behind a session token, if the session is still valid.
pub async fn user_for_token(state: &AppState, token: &str) -> Result<Option<UserInfo>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let now = to_ms(state.clock.now());
    Ok(
        users::user_by_session(&mut conn, &session::hash_token(token), now)
            .await?
            .map(users::UserRow::into_info),
    )
}

/// The session token from a request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(session::token_from_cookie_header)
}

/// Attaches the request's `Identity`, shared by everything that handles the request after.
pub async fn identify(mut req: Request, next: Next) -> Response {
    let identity = Identity::from_headers(req.headers());
    req.extensions_mut().insert(identity);
    next.run(req).await
}

/// The caller of a plain route: an account, or nobody.
pub struct Caller(pub Option<UserInfo>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        Identity::of(parts)
            .user(state)
            .await
            .map(Caller)
            .map_err(refusal)
    }
}

/// A plain route for signed-in people: anyone else is sent to the login page.
pub struct SignedIn(pub UserInfo);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match Caller::from_request_parts(parts, state).await?.0 {
            Some(user) => Ok(SignedIn(user)),
            None => Err(Redirect::to("/dang-nhap").into_response()),
        }
    }
}

/// The account's role, if it allows `p`; otherwise the refusal to send.
pub fn authorize(user: &UserInfo, p: Permission) -> Result<Role, AppError> {
    let role = Role::parse(&user.role).unwrap_or(Role::Participant);
    if allows(role, p) {
        Ok(role)
    } else {
        tracing::warn!(user_id = user.id, ?p, "refused an organizer function");
        Err(AppError::Forbidden(
            "Bạn không có quyền thực hiện chức năng này.".into(),
        ))
    }
}

/// A refusal from a plain route: its status and the message as plain text.
pub fn refusal(e: AppError) -> Response {
    let status = http::StatusCode::from_u16(e.status_code())
        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        e.user_message(),
    )
        .into_response()
}
