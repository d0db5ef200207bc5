//! Round prizes: the committee computes, reviews, sets entries aside and publishes; the
//! public reads them once published.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AwardsView;

pub const AWARDS_PATH: &str = "/quan-tri/giai-thuong";
/// The committee's page for the prizes over the whole contest.
pub const OVERALL_ADMIN_PATH: &str = "/quan-tri/giai-thuong?vong=tong";

#[cfg(feature = "ssr")]
fn back(round_id: i64) -> String {
    format!("{AWARDS_PATH}?vong={round_id}")
}

#[server(endpoint = "admin/awards/get")]
pub async fn get_awards(
    round_id: i64,
    #[server(default)] contest: String,
) -> Result<AwardsView, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::awards::review(&ctx::state()?, &user, &contest, round_id).await
    }
    .await;
    ctx::finish(result, || back(round_id))
}

#[server(endpoint = "admin/awards/compute")]
pub async fn compute_awards(round_id: i64) -> Result<u32, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let n = crate::server::service::awards::compute(&ctx::state()?, &user, round_id).await?;
        ctx::redirect_form(&format!("{}&tinh={n}", back(round_id)));
        Ok(n)
    }
    .await;
    ctx::finish(result, || back(round_id))
}

#[server(endpoint = "admin/awards/disqualify")]
pub async fn disqualify_entry(round_id: i64, user_id: i64, reason: String) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::awards::disqualify(
            &ctx::state()?,
            &user,
            round_id,
            user_id,
            &reason,
        )
        .await?;
        ctx::redirect_form(&back(round_id));
        Ok(())
    }
    .await;
    ctx::finish(result, || back(round_id))
}

#[server(endpoint = "admin/awards/publish")]
pub async fn publish_awards(round_id: i64) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::awards::publish(&ctx::state()?, &user, round_id).await?;
        ctx::redirect_form(&back(round_id));
        Ok(())
    }
    .await;
    ctx::finish(result, || back(round_id))
}

/// A round's published prizes. Public.
#[server(endpoint = "awards/round")]
pub async fn round_awards(round_id: i64) -> Result<AwardsView, AppError> {
    use super::ctx;
    let result =
        async { crate::server::service::awards::public(&ctx::state()?, round_id).await }.await;
    ctx::finish(result, || format!("/giai-thuong/{round_id}"))
}

/// Units ranked for the collective prizes: `criterion` is the chain of criteria in order
/// ("share,quota_time,high_prizes"), `tiers` the named prizes ("Nhất:1, Nhì:1, Ba:1,
/// Khuyến khích:5", each optionally with its money), or else `prizes` unnamed ones; `kinds`
/// the kinds of unit that compete ("ward,commune", empty for all); `quota` "off" lets units
/// below their mandatory quota win.
#[server(endpoint = "admin/awards/units")]
#[allow(clippy::too_many_arguments)]
pub async fn unit_prizes(
    #[server(default)] criterion: String,
    #[server(default)] points: String,
    #[server(default)] prizes: Option<u32>,
    #[server(default)] tiers: String,
    #[server(default)] kinds: String,
    #[server(default)] quota: String,
    #[server(default)] contest: String,
) -> Result<crate::model::UnitPrizesView, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let choice = crate::server::service::collective::Choice {
        criterion,
        tiers,
        prizes,
        kinds,
        quota,
        points,
    };
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::collective::standings(&ctx::state()?, &user, &contest, &choice)
            .await
    }
    .await;
    ctx::finish(result, || UNIT_AWARDS_PATH.into())
}

pub const UNIT_AWARDS_PATH: &str = "/quan-tri/giai-tap-the";

/// Computes and stores the collective prizes by the chosen rules (all rounds closed).
#[server(endpoint = "admin/awards/units/compute")]
#[allow(clippy::too_many_arguments)]
pub async fn compute_unit_awards(
    #[server(default)] criterion: String,
    #[server(default)] points: String,
    #[server(default)] prizes: Option<u32>,
    #[server(default)] tiers: String,
    #[server(default)] kinds: String,
    #[server(default)] quota: String,
    #[server(default)] contest: String,
) -> Result<u32, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let choice = crate::server::service::collective::Choice {
        criterion,
        tiers,
        prizes,
        kinds,
        quota,
        points,
    };
    let back = || format!("{UNIT_AWARDS_PATH}?{}", unit_prizes_query(&choice));
    let result = async {
        let user = ctx::require_user().await?;
        let n =
            crate::server::service::collective::compute(&ctx::state()?, &user, &contest, &choice)
                .await?;
        ctx::redirect_form(&format!("{}&tinh={n}", back()));
        Ok(n)
    }
    .await;
    ctx::finish(result, back)
}

/// The committee's choice as the page's query string (the page's GET form uses these names).
#[cfg(feature = "ssr")]
fn unit_prizes_query(c: &crate::server::service::collective::Choice) -> String {
    use super::ctx::urlencode;
    let mut q = format!(
        "tieu-chi={}&co-cau={}&loai={}&diem={}",
        urlencode(&c.criterion),
        urlencode(&c.tiers),
        urlencode(&c.kinds),
        urlencode(&c.points)
    );
    if let Some(n) = c.prizes {
        q.push_str(&format!("&so-giai={n}"));
    }
    if c.quota.trim() == "off" {
        q.push_str("&ty-le=off");
    }
    q
}

#[server(endpoint = "admin/awards/units/publish")]
pub async fn publish_unit_awards(#[server(default)] contest: String) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::collective::publish(&ctx::state()?, &user, &contest).await?;
        ctx::redirect_form(UNIT_AWARDS_PATH);
        Ok(())
    }
    .await;
    ctx::finish(result, || UNIT_AWARDS_PATH.into())
}

/// The contest's published collective prizes. Public.
#[server(endpoint = "awards/units")]
pub async fn unit_awards(
    #[server(default)] contest: String,
) -> Result<crate::model::UnitAwardsView, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result =
        async { crate::server::service::collective::public(&ctx::state()?, &contest).await }.await;
    ctx::finish(result, || "/giai-thuong/tap-the".into())
}

#[server(endpoint = "admin/awards/overall/get")]
pub async fn get_overall_awards(
    #[server(default)] contest: String,
) -> Result<AwardsView, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::overall::review(&ctx::state()?, &user, &contest).await
    }
    .await;
    ctx::finish(result, || OVERALL_ADMIN_PATH.into())
}

#[server(endpoint = "admin/awards/overall/compute")]
pub async fn compute_overall_awards(#[server(default)] contest: String) -> Result<u32, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let n = crate::server::service::overall::compute(&ctx::state()?, &user, &contest).await?;
        ctx::redirect_form(&format!("{OVERALL_ADMIN_PATH}&tinh={n}"));
        Ok(n)
    }
    .await;
    ctx::finish(result, || OVERALL_ADMIN_PATH.into())
}

#[server(endpoint = "admin/awards/overall/publish")]
pub async fn publish_overall_awards(#[server(default)] contest: String) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::overall::publish(&ctx::state()?, &user, &contest).await?;
        ctx::redirect_form(OVERALL_ADMIN_PATH);
        Ok(())
    }
    .await;
    ctx::finish(result, || OVERALL_ADMIN_PATH.into())
}

/// The contest's published overall prizes. Public.
#[server(endpoint = "awards/overall")]
pub async fn overall_awards(#[server(default)] contest: String) -> Result<AwardsView, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result =
        async { crate::server::service::overall::public(&ctx::state()?, &contest).await }.await;
    ctx::finish(result, || "/giai-thuong/tong".into())
}
