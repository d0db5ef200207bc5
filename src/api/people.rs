//! Who must take part: categories, positions, participation rules and rosters, for the
//! committee.

use leptos::prelude::*;

use crate::domain::people::RosterForm;
use crate::error::AppError;
use crate::model::PeopleAdmin;

pub const PEOPLE_PATH: &str = "/quan-tri/doi-tuong";

#[server(endpoint = "admin/people")]
pub async fn get_people_admin(#[server(default)] contest: String) -> Result<PeopleAdmin, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::people::admin(&ctx::state()?, &user, &contest).await
    }
    .await;
    ctx::finish(result, || PEOPLE_PATH.into())
}

/// Saves the category and position lists (one per line; a category may add "| bắt buộc" or
/// "| khuyến khích" and "| minimum age") and the participation rules written with them.
#[server(endpoint = "admin/people/groups")]
pub async fn save_people_groups(
    #[server(default)] categories: String,
    #[server(default)] positions: String,
    #[server(default)] quota_rules: String,
    #[server(default)] extra_fields: String,
    #[server(default)] contest: String,
) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let form = crate::server::service::people::GroupsForm {
            categories,
            positions,
            quota_rules,
            extra_fields,
        };
        crate::server::service::people::save_groups(&ctx::state()?, &user, &contest, &form).await?;
        ctx::redirect_form(&format!("{PEOPLE_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || PEOPLE_PATH.into())
}

/// Adds one person to a unit's roster.
#[server(endpoint = "admin/people/roster/add")]
pub async fn add_roster_entry(
    input: RosterForm,
    #[server(default)] contest: String,
) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::people::add_roster_entry(&ctx::state()?, &user, &contest, &input)
            .await?;
        ctx::redirect_form(&format!("{PEOPLE_PATH}?them=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || PEOPLE_PATH.into())
}

#[server(endpoint = "admin/people/roster/delete")]
pub async fn delete_roster_entry(
    id: i64,
    #[server(default)] contest: String,
) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::people::delete_roster_entry(&ctx::state()?, &user, &contest, id)
            .await?;
        ctx::redirect_form(PEOPLE_PATH);
        Ok(())
    }
    .await;
    ctx::finish(result, || PEOPLE_PATH.into())
}
