use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ContestOverview, Leaderboard};

#[server(endpoint = "contest/overview")]
pub async fn get_contest_overview(
    #[server(default)] contest: String,
) -> Result<ContestOverview, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let viewer = ctx::current_user().await?;
        crate::server::service::contest::overview(&ctx::state()?, &contest, viewer).await
    }
    .await;
    ctx::finish(result, || "/".into())
}

#[server(endpoint = "leaderboard/round")]
pub async fn round_leaderboard(round_id: i64) -> Result<Leaderboard, AppError> {
    use super::ctx;
    let result = async { crate::server::live::round_board(&ctx::state()?, round_id).await }.await;
    ctx::finish(result, || "/".into())
}

/// The published question bank with answers, for study. Public.
#[server(endpoint = "study/bank")]
pub async fn study_bank(
    q: Option<String>,
    #[server(default)] contest: String,
) -> Result<Vec<crate::model::BankQuestion>, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        crate::server::service::bank::published(
            &ctx::state()?,
            &contest,
            q.as_deref().unwrap_or(""),
        )
        .await
    }
    .await;
    ctx::finish(result, || "/on-tap".into())
}

/// An untimed practice set from the published bank. Without `ids`, a fresh random set (the
/// contest's size and topic mix); with `ids` and `check`, that set marked against the
/// choices ("id:option,id:option"). Public, stateless, never counted.
#[server(endpoint = "study/practice")]
pub async fn practice(
    #[server(default)] ids: String,
    #[server(default)] choices: String,
    #[server(default)] check: bool,
    #[server(default)] contest: String,
) -> Result<crate::model::PracticeSet, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let chosen: Vec<(i64, u8)> = choices
            .split(',')
            .filter_map(|pair| {
                let (q, o) = pair.split_once(':')?;
                Some((q.trim().parse().ok()?, o.trim().parse().ok()?))
            })
            .collect();
        crate::server::service::bank::practice(&ctx::state()?, &contest, &ids, &chosen, check).await
    }
    .await;
    ctx::finish(result, || "/on-tap/luyen-tap".into())
}

/// The signed-in viewer's place on a round's board (`None` without an entry or a session).
/// Served from memory.
#[server(endpoint = "leaderboard/me")]
pub async fn my_rank(round_id: i64) -> Result<Option<crate::model::MyRank>, AppError> {
    use super::ctx;
    let result = async {
        match ctx::current_user().await? {
            Some(user) => crate::server::live::my_rank(&ctx::state()?, round_id, user.id).await,
            None => Ok(None),
        }
    }
    .await;
    ctx::finish(result, || "/".into())
}
