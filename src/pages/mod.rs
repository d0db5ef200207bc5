pub mod admin;
pub mod attempt;
pub mod auth;
pub mod home;
pub mod leaderboard;
pub mod manage;
pub mod monitor;
pub mod result;
pub mod study;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// An error passed back in the `loi` query parameter after a plain form post.
pub fn error_from_query() -> Option<AppError> {
    use_query_map()
        .get_untracked()
        .get("loi")
        .and_then(|raw| serde_json::from_str::<AppError>(&raw).ok())
}

pub fn query_value(name: &str) -> String {
    use_query_map()
        .get_untracked()
        .get(name)
        .unwrap_or_default()
}

#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    view! { <p class="error" role="alert" data-testid="error">{error.user_message()}</p> }
}
