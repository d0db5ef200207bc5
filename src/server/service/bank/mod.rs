//! The question bank for organizers: drafts, review, approval, retirement, import, search.
//! This module holds what every part reads: the current contest, its questions, the columns.

mod export;
mod import;
mod practice;
mod questions;

pub use export::{export_xlsx, template_csv, template_xlsx};
pub use import::{data_rows, first_errors, import_csv, import_file, locate_columns};
pub use practice::{practice, published};
pub use questions::{create_draft, page, transition, Filter};

use std::collections::HashMap;

use crate::domain::bank::QuestionStatus;
use crate::domain::search;
use crate::error::AppError;
use crate::model::BankQuestion;
use crate::server::repo::bank::{self as repo, BankRow};
use crate::server::AppState;

/// The bank of the contest `slug` names (see `service::contests::resolve`).
async fn contest_id(state: &AppState, slug: &str) -> Result<i64, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(crate::server::service::contests::resolve(&mut conn, slug)
        .await?
        .id)
}

/// Every question of a contest with its options, newest first.
async fn load_questions(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    viewer: i64,
) -> Result<Vec<BankQuestion>, AppError> {
    let rows = repo::questions_of(conn, contest_id).await?;
    let mut options: HashMap<i64, Vec<(String, bool)>> = HashMap::new();
    for (qid, _, text, correct) in repo::options_of_contest(conn, contest_id).await? {
        options.entry(qid).or_default().push((text, correct != 0));
    }
    Ok(rows
        .into_iter()
        .map(|r| to_bank_question(r, &options, viewer))
        .collect())
}

fn matches_query(q: &BankQuestion, query: &str) -> bool {
    query.trim().is_empty() || search::matches(&format!("{} {}", q.text, q.topic), query)
}

fn to_bank_question(
    r: BankRow,
    options: &HashMap<i64, Vec<(String, bool)>>,
    viewer: i64,
) -> BankQuestion {
    let opts = options.get(&r.id).cloned().unwrap_or_default();
    let status = QuestionStatus::parse(&r.status).unwrap_or(QuestionStatus::Draft);
    BankQuestion {
        id: r.id,
        topic: r.topic,
        difficulty: r.difficulty,
        text: r.text,
        correct: opts.iter().position(|(_, c)| *c).unwrap_or(0) as u8,
        options: opts.into_iter().map(|(t, _)| t).collect(),
        explanation: r.explanation,
        reference: r.reference,
        status: status.as_str().into(),
        status_label: status.label().into(),
        review_comment: r.review_comment,
        written_by_viewer: r.author_id == Some(viewer),
        revision_of: r.revision_of,
        study_only: r.study_only != 0,
        answer_held: false,
    }
}

/// The header of the import template and of the export, in column order.
pub const TEMPLATE_HEADER: [&str; 13] = [
    "Chủ đề",
    "Mức độ",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Phương án E",
    "Phương án F",
    "Đáp án",
    "Giải thích",
    "Căn cứ",
    "Ôn tập",
];
