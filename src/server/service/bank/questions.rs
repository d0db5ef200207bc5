//! Questions one at a time: the organizers' page, a new draft, and moving through review.

use super::{contest_id, load_questions, matches_query};
use crate::domain::bank::{self, QuestionDraft, QuestionStatus, Transition, ValidQuestion};
use crate::domain::roles::{Permission, Role};
use crate::error::AppError;
use crate::model::{BankPage, BankQuestion, UserInfo};
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::nfc;
use crate::server::repo::bank::{self as repo, NewQuestion};
use crate::server::repo::contests;
use crate::server::AppState;

/// What the organizer narrows the bank to.
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    pub status: Option<&'a str>,
    pub query: &'a str,
    pub topic: &'a str,
    /// "1", "2", "3" or empty.
    pub difficulty: &'a str,
    /// Only the questions the viewer wrote.
    pub mine: bool,
    pub page: u32,
}

/// The bank as organizers see it, one page at a time, filtered by status, topic, difficulty,
/// author and a diacritics-insensitive search.
pub async fn page(
    state: &AppState,
    user: &UserInfo,
    contest: &str,
    f: &Filter<'_>,
) -> Result<BankPage, AppError> {
    let (status, query) = (f.status, f.query);
    let role = authorize(user, Permission::ViewBank)?;
    let contest_id = contest_id(state, contest).await?;
    let mut conn = state.db.pool.acquire().await?;
    let all = load_questions(&mut conn, contest_id, user.id).await?;
    let topics = repo::topics(&mut conn, contest_id).await?;
    let counts = [
        QuestionStatus::Draft,
        QuestionStatus::InReview,
        QuestionStatus::Approved,
        QuestionStatus::Retired,
    ]
    .iter()
    .map(|s| {
        let n = all.iter().filter(|q| q.status == s.as_str()).count() as u32;
        (s.as_str().to_string(), s.label().to_string(), n)
    })
    .collect();
    let mut questions: Vec<BankQuestion> = all
        .into_iter()
        .filter(|q| status.is_none_or(|s| s.is_empty() || q.status == s))
        .filter(|q| f.topic.is_empty() || q.topic == f.topic)
        .filter(|q| f.difficulty.is_empty() || q.difficulty.to_string() == f.difficulty)
        .filter(|q| !f.mine || q.written_by_viewer)
        .filter(|q| matches_query(q, query))
        .collect();
    let matching = questions.len();
    let (start, end, page, pages) =
        bank::page_slice(matching, f.page.max(1) as usize, bank::PER_PAGE);
    questions.truncate(end);
    questions.drain(..start);
    Ok(BankPage {
        role: role.as_str().into(),
        role_label: role.label().into(),
        topics,
        counts,
        questions,
        matching: matching as u32,
        page: page as u32,
        pages: pages as u32,
    })
}

fn nfc_draft(d: &QuestionDraft) -> QuestionDraft {
    QuestionDraft {
        topic: nfc(&d.topic),
        difficulty: d.difficulty.clone(),
        text: nfc(&d.text),
        options: d.options.iter().map(|o| nfc(o)).collect(),
        correct: d.correct.clone(),
        explanation: nfc(&d.explanation),
        reference: nfc(&d.reference),
        study_only: d.study_only.clone(),
    }
}

pub(super) async fn insert_valid(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    q: &ValidQuestion,
    status: QuestionStatus,
    author_id: i64,
    revision_of: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    let id = repo::insert_question(
        conn,
        NewQuestion {
            contest_id,
            topic: &q.topic,
            difficulty: q.difficulty,
            text: &q.text,
            explanation: &q.explanation,
            reference: &q.reference,
            status: status.as_str(),
            author_id: Some(author_id),
            revision_of,
            study_only: q.study_only,
            now,
        },
    )
    .await?;
    for (i, text) in q.options.iter().enumerate() {
        contests::insert_option(conn, id, i as i64, text, i == q.correct).await?;
    }
    Ok(id)
}

/// A new draft written by an author. `revision_of` names an approved question it replaces
/// once approved; the old one is never edited, so attempts that saw it keep their key.
#[tracing::instrument(skip_all)]
pub async fn create_draft(
    state: &AppState,
    user: &UserInfo,
    contest: &str,
    draft: &QuestionDraft,
    revision_of: Option<i64>,
) -> Result<i64, AppError> {
    authorize(user, Permission::WriteQuestions)?;
    let contest_id = contest_id(state, contest).await?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let topics = repo::topics(&mut tx, contest_id).await?;
    let q = bank::validate_question(&nfc_draft(draft), &topics).map_err(AppError::Invalid)?;
    if let Some(old) = revision_of {
        let old = repo::question(&mut tx, old, state.db.for_update())
            .await?
            .ok_or_else(|| AppError::NotFound("Không tìm thấy câu hỏi.".into()))?;
        if old.status != QuestionStatus::Approved.as_str() {
            return Err(AppError::Conflict(
                "Chỉ sửa đổi được câu hỏi đã duyệt; bản nháp thì sửa trực tiếp.".into(),
            ));
        }
    }
    let id = insert_valid(
        &mut tx,
        contest_id,
        &q,
        QuestionStatus::Draft,
        user.id,
        revision_of,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(question_id = id, user_id = user.id, "question drafted");
    Ok(id)
}

/// Moves a question through review. Approving a revision retires the question it revises.
#[tracing::instrument(skip_all)]
pub async fn transition(
    state: &AppState,
    user: &UserInfo,
    question_id: i64,
    t: Transition,
    comment: &str,
) -> Result<QuestionStatus, AppError> {
    authorize(user, Permission::ViewBank)?;
    let role = Role::parse(&user.role).unwrap_or(Role::Participant);
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let q = repo::question(&mut tx, question_id, state.db.for_update())
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy câu hỏi.".into()))?;
    let from = QuestionStatus::parse(&q.status).unwrap_or(QuestionStatus::Draft);
    let to = bank::check_transition(from, t, role, q.author_id == Some(user.id), comment)
        .map_err(AppError::Forbidden)?;
    let reviewer = matches!(t, Transition::Approve | Transition::ReturnToDraft).then_some(user.id);
    repo::set_status(
        &mut tx,
        question_id,
        to.as_str(),
        reviewer,
        &nfc(comment.trim()),
        now,
    )
    .await?;
    if let (QuestionStatus::Approved, Some(old)) = (to, q.revision_of) {
        repo::set_status(
            &mut tx,
            old,
            QuestionStatus::Retired.as_str(),
            None,
            "",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(question_id, user_id = user.id, ?t, "question moved");
    Ok(to)
}
