//! Initiative contests: settings, entries (metadata; the files themselves are written by
//! `server::initiative_files`), the jury's scores, combination, prizes and publication.
//! This module holds what every part reads: a contest's row and its public summary.

mod entries;
mod jury;
mod prizes;
mod settings;
mod stage;
mod stages;

pub use entries::{
    attach_rules, check_can_edit, check_can_submit, download, edit, edit_view, rules_document,
    submit, withdraw, Download, Edit, EntryForm, IncomingFile,
};
pub use jury::{jury_view, score};
pub use prizes::{compute, publish};
pub use settings::{admin_view, list, save, seed_demo, shortfalls_xlsx, view};
pub use stages::{
    assign, certificates_pdf, commendations_xlsx, forward, package, preselect,
    record_higher_result, results_xlsx,
};

use crate::domain::initiatives as rules;
use crate::domain::roles::Role;
use crate::domain::vntime::format_vn_time;
use crate::error::AppError;
use crate::model::initiatives::InitiativeSummary;
use crate::model::UserInfo;
use crate::server::clock::from_ms;
use crate::server::repo::initiatives as repo;
pub use crate::server::repo::initiatives::ContestRow;

async fn contests(conn: &mut sqlx::AnyConnection) -> Result<Vec<ContestRow>, AppError> {
    Ok(repo::contests(conn).await?)
}

pub async fn contest(conn: &mut sqlx::AnyConnection, id: i64) -> Result<ContestRow, AppError> {
    repo::contest_by_id(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy cuộc thi sáng kiến.".into()))
}

fn is_public(c: &ContestRow, now: i64) -> bool {
    rules::results_visible(
        c.published_at.map(from_ms),
        from_ms(c.results_at),
        from_ms(now),
    )
}

fn summary(c: &ContestRow, now: i64) -> InitiativeSummary {
    InitiativeSummary {
        id: c.id,
        name: c.name.clone(),
        topics: rules::parse_topics(&c.topics),
        deadline: format_vn_time(c.submission_deadline),
        results_at: format_vn_time(c.results_at),
        open: rules::check_submission_open(from_ms(c.submission_deadline), from_ms(now)).is_ok(),
        results_public: is_public(c, now),
    }
}

fn rubric_of(c: &ContestRow) -> Vec<rules::Criterion> {
    rules::parse_rubric(&c.rubric).unwrap_or_default()
}

fn role_of(user: &UserInfo) -> Role {
    Role::parse(&user.role).unwrap_or(Role::Participant)
}

/// "85,50" from hundredths.
fn points_text(hundredths: i64) -> String {
    format!("{},{:02}", hundredths / 100, hundredths % 100)
}
