//! Units (the tree, headcounts and participation quotas), for the committee.

use leptos::prelude::*;

use crate::domain::units::UnitForm;
use crate::error::AppError;
use crate::model::UnitsAdmin;

pub const UNITS_PATH: &str = "/quan-tri/don-vi";

#[server(endpoint = "admin/units/list")]
pub async fn get_units_admin() -> Result<UnitsAdmin, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::units::list(&ctx::state()?, &user).await
    }
    .await;
    ctx::finish(result, || UNITS_PATH.into())
}

/// Adds a unit, or changes the one with the same code.
#[server(endpoint = "admin/unit/save")]
pub async fn save_unit(input: UnitForm) -> Result<i64, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let id = crate::server::service::units::save(&ctx::state()?, &user, &input).await?;
        ctx::redirect_form(&format!("{UNITS_PATH}?luu=1"));
        Ok(id)
    }
    .await;
    ctx::finish(result, || UNITS_PATH.into())
}
