//! Organizer functions for the question bank. Every one checks the caller's role on the server.

use leptos::prelude::*;

use crate::domain::bank::QuestionDraft;
use crate::error::AppError;
use crate::model::{BankPage, ImportReport};

pub const BANK_PATH: &str = "/quan-tri/cau-hoi";

#[server(endpoint = "admin/bank/list")]
pub async fn get_bank_page(
    status: Option<String>,
    q: Option<String>,
    #[server(default)] contest: String,
    #[server(default)] topic: String,
    #[server(default)] difficulty: String,
    #[server(default)] mine: bool,
    #[server(default)] page: u32,
) -> Result<BankPage, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let filter = crate::server::service::bank::Filter {
            status: status.as_deref(),
            query: q.as_deref().unwrap_or(""),
            topic: &topic,
            difficulty: &difficulty,
            mine,
            page,
        };
        crate::server::service::bank::page(&ctx::state()?, &user, &contest, &filter).await
    }
    .await;
    ctx::finish(result, || BANK_PATH.into())
}

#[server(endpoint = "admin/bank/create")]
pub async fn create_question(
    input: QuestionDraft,
    revision_of: Option<i64>,
    #[server(default)] contest: String,
) -> Result<i64, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let id = crate::server::service::bank::create_draft(
            &ctx::state()?,
            &user,
            &contest,
            &input,
            revision_of,
        )
        .await?;
        ctx::redirect_form(&format!("{BANK_PATH}?status=draft"));
        Ok(id)
    }
    .await;
    ctx::finish(result, || BANK_PATH.into())
}

/// `action`: submit, approve, return, retire. `comment` is required to return a question.
#[server(endpoint = "admin/bank/transition")]
pub async fn move_question(
    question_id: i64,
    action: String,
    comment: Option<String>,
    #[server(default)] contest: String,
) -> Result<String, AppError> {
    use super::ctx;
    ctx::contest(contest);
    use crate::domain::bank::Transition;
    let result = async {
        let user = ctx::require_user().await?;
        let t = match action.as_str() {
            "submit" => Transition::SubmitForReview,
            "approve" => Transition::Approve,
            "return" => Transition::ReturnToDraft,
            "retire" => Transition::Retire,
            _ => return Err(AppError::BadRequest("Thao tác không hợp lệ.".into())),
        };
        let to = crate::server::service::bank::transition(
            &ctx::state()?,
            &user,
            question_id,
            t,
            comment.as_deref().unwrap_or(""),
        )
        .await?;
        Ok(to.as_str().to_string())
    }
    .await;
    ctx::finish(result, || BANK_PATH.into())
}

#[server(endpoint = "admin/bank/import")]
pub async fn import_questions(
    csv: String,
    #[server(default)] contest: String,
    #[server(default)] create_topics: bool,
) -> Result<ImportReport, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let report = crate::server::service::bank::import_csv(
            &ctx::state()?,
            &user,
            &contest,
            &csv,
            create_topics,
        )
        .await?;
        ctx::redirect_form(&format!("{BANK_PATH}?nhap={}", report.imported));
        Ok(report)
    }
    .await;
    ctx::finish(result, || BANK_PATH.into())
}
