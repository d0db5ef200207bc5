use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ContestOverview, Leaderboard};

#[server(endpoint = "contest/overview")]
pub async fn get_contest_overview() -> Result<ContestOverview, AppError> {
    use super::ctx;
    let result = async {
        let viewer = ctx::current_user().await?;
        crate::server::service::contest::overview(&ctx::state()?, None, viewer).await
    }
    .await;
    ctx::finish(result, || "/".into())
}

#[server(endpoint = "leaderboard/round")]
pub async fn round_leaderboard(round_id: i64) -> Result<Leaderboard, AppError> {
    use super::ctx;
    let result =
        async { crate::server::service::leaderboard::round_board(&ctx::state()?, round_id).await }
            .await;
    ctx::finish(result, || "/".into())
}

/// The published question bank with answers, for study. Public.
#[server(endpoint = "study/bank")]
pub async fn study_bank(q: Option<String>) -> Result<Vec<crate::model::BankQuestion>, AppError> {
    use super::ctx;
    let result = async {
        crate::server::service::bank::published(&ctx::state()?, q.as_deref().unwrap_or("")).await
    }
    .await;
    ctx::finish(result, || "/on-tap".into())
}
