//! For participants: the published bank to study, and untimed practice sets drawn from it.

use std::collections::HashMap;

use rand::{Rng, SeedableRng};

use super::{load_questions, matches_query};
use crate::domain::bank::QuestionStatus;
use crate::domain::integrity::StudyAnswers;
use crate::domain::scoring::{draw, draw_by_quota, DrawQuota, Drawable};
use crate::error::AppError;
use crate::model::{BankQuestion, PracticeQuestion, PracticeSet};
use crate::server::clock::to_ms;
use crate::server::repo::bank as repo;
use crate::server::repo::contests;
use crate::server::AppState;

/// The approved questions with their answers, for participants to study, once the
/// committee has published the bank. Ordered by topic. While a round is open, the contest's
/// `study_answers` setting decides which questions are listed and which answers are held back
/// (see `domain::integrity::StudyAnswers`): a held answer never leaves the server.
pub async fn published(
    state: &AppState,
    slug: &str,
    query: &str,
) -> Result<Vec<BankQuestion>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let contest = crate::server::service::contests::resolve(&mut conn, slug).await?;
    if contest.bank_published == 0 {
        return Err(AppError::NotFound("Bộ câu hỏi chưa được công bố.".into()));
    }
    let policy = StudyAnswers::parse(&contest.study_answers).unwrap_or_default();
    let round_open =
        contests::round_open_at(&mut conn, contest.id, to_ms(state.clock.now())).await?;
    let quotas = contests::quotas_of(&mut conn, contest.id).await?;
    let topics = repo::topics(&mut conn, contest.id).await?;
    let mut list: Vec<BankQuestion> = load_questions(&mut conn, contest.id, 0)
        .await?
        .into_iter()
        .filter(|q| {
            q.status == QuestionStatus::Approved.as_str()
                && policy.lists(q.study_only)
                && matches_query(q, query)
        })
        .map(|mut q| {
            let drawable = !q.study_only && in_draw_pool(&q, &quotas);
            if !policy.shows_answer(!drawable, round_open) {
                q.answer_held = true;
                q.correct = 0;
                q.explanation.clear();
                q.reference.clear();
            }
            q
        })
        .collect();
    list.sort_by_key(|q| {
        (
            topics
                .iter()
                .position(|t| *t == q.topic)
                .unwrap_or(usize::MAX),
            q.id,
        )
    });
    Ok(list)
}

/// Whether a round can draw the question: with quotas, only their topics and difficulties.
fn in_draw_pool(q: &BankQuestion, quotas: &[DrawQuota]) -> bool {
    quotas.is_empty()
        || quotas
            .iter()
            .any(|d| d.topic == q.topic && d.difficulty.is_none_or(|x| x == q.difficulty))
}

/// The most questions a practice set may name (a set is normally the contest's size).
const MAX_PRACTICE: usize = 100;

/// An untimed practice set from the published bank; see `api::contest::practice`.
pub async fn practice(
    state: &AppState,
    slug: &str,
    ids: &str,
    chosen: &[(i64, u8)],
    check: bool,
) -> Result<PracticeSet, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let contest = crate::server::service::contests::resolve(&mut conn, slug).await?;
    drop(conn);
    let bank = published(state, slug, "").await?;
    let wanted: Vec<i64> = ids
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .take(MAX_PRACTICE)
        .collect();
    let by_id: HashMap<i64, &BankQuestion> = bank.iter().map(|q| (q.id, q)).collect();
    let picked: Vec<i64> = if wanted.is_empty() {
        let drawable: Vec<Drawable> = bank
            .iter()
            .map(|q| Drawable {
                id: q.id,
                topic: q.topic.clone(),
                difficulty: q.difficulty,
            })
            .collect();
        let mut conn = state.db.pool.acquire().await?;
        let quotas = contests::quotas_of(&mut conn, contest.id).await?;
        let mut rng = rand::rngs::StdRng::from_entropy();
        let n = contest.questions_per_attempt.max(1) as usize;
        // Practice follows the contest's topic mix when the bank can fill it.
        draw_by_quota(&drawable, &quotas, n, &mut |k| rng.gen_range(0..k)).unwrap_or_else(|_| {
            draw(
                &drawable.iter().map(|d| d.id).collect::<Vec<_>>(),
                n,
                &mut |k| rng.gen_range(0..k),
            )
        })
    } else {
        wanted
            .into_iter()
            .filter(|id| by_id.contains_key(id))
            .collect()
    };
    let choice_of: HashMap<i64, u8> = chosen.iter().copied().collect();
    let questions: Vec<PracticeQuestion> = picked
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|q| {
            let chosen = choice_of
                .get(&q.id)
                .copied()
                .filter(|c| usize::from(*c) < q.options.len());
            PracticeQuestion {
                id: q.id,
                topic: q.topic.clone(),
                text: q.text.clone(),
                options: q.options.clone(),
                chosen,
                correct: (check && !q.answer_held).then_some(q.correct),
                explanation: if check {
                    q.explanation.clone()
                } else {
                    String::new()
                },
                reference: if check {
                    q.reference.clone()
                } else {
                    String::new()
                },
                answer_held: q.answer_held,
            }
        })
        .collect();
    let correct = questions
        .iter()
        .filter(|q| q.correct.is_some() && q.chosen == q.correct)
        .count() as u32;
    Ok(PracticeSet {
        questions,
        checked: check,
        correct,
    })
}
