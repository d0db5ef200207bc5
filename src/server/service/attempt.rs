use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};

use crate::domain::integrity::AnswerReview;
use crate::domain::{self, FinalizedBy, MarkedQuestion, SaveRefusal, StartDecision};
use crate::error::AppError;
use crate::model::{AttemptResult, AttemptView, QuestionView, ReviewItem, SaveAck};
use crate::server::clock::{from_ms, to_ms};
use crate::server::db::Tx;
use crate::server::repo::attempts::{self, AttemptRow, Finalization, NewAttempt};
use crate::server::repo::contests::{self, ContestRow, RoundRow};
use crate::server::repo::users;
use crate::server::repo::{self as repo_mod};
use crate::server::saves::SaveRequest;
use crate::server::service::auth::excluded_message;
use crate::server::service::contest::{refusal_message, rules_of, window_of};
use crate::server::AppState;

fn not_found() -> AppError {
    AppError::NotFound("Không tìm thấy bài thi.".into())
}

fn parse_order(order: &str) -> Vec<i64> {
    order
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

pub(crate) async fn contest_and_round(
    tx: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<(ContestRow, RoundRow), AppError> {
    let round = contests::round_by_id(tx, round_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy vòng thi.".into()))?;
    let contest = contests::contest_by_id(tx, round.contest_id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((contest, round))
}

/// Loads an attempt that must belong to `user_id` (locking it when `lock` says so).
/// Someone else's attempt looks exactly like a missing one, so ids cannot be probed.
async fn owned_attempt(
    conn: &mut sqlx::AnyConnection,
    lock: &str,
    attempt_id: i64,
    user_id: i64,
) -> Result<AttemptRow, AppError> {
    let attempt = attempts::attempt_by_id(conn, attempt_id, lock).await?;
    owner_checked(attempt, user_id)
}

/// The attempt, if there is one and it is `user_id`'s.
fn owner_checked<A: std::borrow::Borrow<AttemptRow>>(
    attempt: Option<A>,
    user_id: i64,
) -> Result<A, AppError> {
    let attempt = attempt.ok_or_else(not_found)?;
    if attempt.borrow().user_id != user_id {
        tracing::warn!(
            attempt_id = attempt.borrow().id,
            user_id,
            "refused access to another person's attempt"
        );
        return Err(not_found());
    }
    Ok(attempt)
}

/// The category and position a start form sends the first time a person starts in a
/// contest that lists them.
#[derive(Clone, Debug, Default)]
pub struct ProfileChoice {
    pub category_id: Option<i64>,
    pub position_id: Option<i64>,
    /// Answers to the contest's extra profile questions, in order.
    pub extra: Vec<String>,
    /// Where the start came from: (address, device id), kept for the plausibility review.
    pub from: (String, String),
}

/// Starts an attempt in a round, or returns the one still running. Safe to call twice.
#[tracing::instrument(skip(state))]
pub async fn start(
    state: &AppState,
    user_id: i64,
    round_id: i64,
    profile: ProfileChoice,
) -> Result<i64, AppError> {
    let now = state.clock.now();
    let from = profile.from.clone();
    let mut tx = state.db.begin_write().await?;
    let (contest, round) = contest_and_round(&mut tx, round_id).await?;
    if let Some(reason) = users::exclusion_reason_for_user(&mut tx, user_id).await? {
        return Err(AppError::Forbidden(excluded_message(&reason)));
    }
    if round.retired_at.is_some() {
        return Err(AppError::Forbidden("Vòng thi này đã ngừng tổ chức.".into()));
    }
    let rules = rules_of(&contest);
    let mine = attempts::attempts_of_user_in_round(&mut tx, user_id, round_id).await?;
    let mut running = mine.iter().find(|a| !a.is_final()).cloned();
    // A running attempt whose time is fully over is closed now rather than resumed.
    if let Some(a) = &running {
        if domain::is_overdue(from_ms(a.accept_until), now) {
            finalize_locked(&mut tx, a, now, FinalizedBy::Server).await?;
            running = None;
        }
    }
    let decision = domain::decide_start(
        &rules,
        &window_of(&round),
        mine.len() as u32,
        running.is_some(),
        now,
    )
    .map_err(|refusal| AppError::Forbidden(refusal_message(refusal).into()))?;
    // Only a start the round allows asks for the profile: someone early hears that the round
    // is not open yet, not that a category is missing.
    let category_age = crate::server::service::people::ensure_profile(
        &mut tx,
        &contest,
        user_id,
        &profile,
        to_ms(now),
    )
    .await?;
    let min_age = crate::domain::people::min_age_for(contest.min_age.max(0) as u32, category_age);
    let born = users::birth_date_of(&mut tx, user_id).await?;
    if let Some(why) = domain::too_young(
        &born,
        now.with_timezone(&crate::domain::vntime::offset())
            .date_naive(),
        i64::from(min_age),
    ) {
        return Err(AppError::Forbidden(why));
    }
    match decision {
        StartDecision::Resume => {
            let id = running.map(|a| a.id).ok_or(AppError::Internal)?;
            tx.commit().await?;
            Ok(id)
        }
        StartDecision::Start => {
            let bank = contests::approved_drawables(&mut tx, contest.id).await?;
            if bank.is_empty() {
                return Err(AppError::Conflict(
                    "Ngân hàng câu hỏi chưa sẵn sàng.".into(),
                ));
            }
            let quotas = contests::quotas_of(&mut tx, contest.id).await?;
            // StdRng (not thread_rng) so the future stays Send across awaits.
            let mut rng = rand::rngs::StdRng::from_entropy();
            let drawn = domain::draw_by_quota(
                &bank,
                &quotas,
                rules.questions_per_attempt as usize,
                &mut |n| rng.gen_range(0..n),
            )
            .map_err(|short| {
                tracing::error!(
                    ?short,
                    contest_id = contest.id,
                    "draw quotas exceed the bank"
                );
                AppError::Conflict(
                    "Ngân hàng câu hỏi chưa đủ câu đã duyệt theo phân bổ chủ đề và mức độ; \
                     Ban Tổ chức đang bổ sung. Vui lòng thử lại sau."
                        .into(),
                )
            })?;
            let deadline = domain::attempt_deadline(&rules, &window_of(&round), now);
            let terms = NewAttempt {
                user_id,
                round_id,
                started_at: to_ms(now),
                deadline_at: to_ms(deadline),
                accept_until: to_ms(domain::accept_until(deadline, contest.grace_secs)),
                max_score: drawn.len() as i64 * contest.points_per_question,
            };
            let attempt_id = match attempts::insert_attempt(&mut tx, &terms).await {
                Ok(id) => id,
                // Another request of the same person started one a moment ago: resume it.
                Err(e) if repo_mod::is_unique_violation(&e) => {
                    drop(tx);
                    return running_attempt_of(state, user_id, round_id).await;
                }
                Err(e) => return Err(e.into()),
            };
            attempts::set_started_from(&mut tx, attempt_id, &from.0, &from.1).await?;
            for (seq, question_id) in drawn.iter().enumerate() {
                let mut options = contests::option_ids_of(&mut tx, *question_id).await?;
                domain::shuffle(&mut options, &mut |n| rng.gen_range(0..n));
                let order = options
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                attempts::insert_attempt_question(
                    &mut tx,
                    attempt_id,
                    seq as i64,
                    *question_id,
                    &order,
                )
                .await?;
            }
            tx.commit().await?;
            tracing::info!(attempt_id, user_id, round_id, "attempt started");
            Ok(attempt_id)
        }
    }
}

async fn running_attempt_of(
    state: &AppState,
    user_id: i64,
    round_id: i64,
) -> Result<i64, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    attempts::attempts_of_user_in_round(&mut conn, user_id, round_id)
        .await?
        .into_iter()
        .find(|a| !a.is_final())
        .map(|a| a.id)
        .ok_or(AppError::Internal)
}

/// The attempt as its owner sees it: questions, saved answers, server deadline, no key.
/// An attempt whose time is fully over is finalized on the way.
#[tracing::instrument(level = "debug", skip(state))]
pub async fn view(
    state: &AppState,
    user_id: i64,
    attempt_id: i64,
) -> Result<AttemptView, AppError> {
    let now = state.clock.now();
    // Reads only: no write lock, so viewing never waits behind (or blocks) answer saves.
    let mut conn = state.db.pool.acquire().await?;
    let mut attempt = owned_attempt(&mut conn, "", attempt_id, user_id).await?;
    if !attempt.is_final() && domain::is_overdue(from_ms(attempt.accept_until), now) {
        // Closing takes a connection of its own: give this one back first, or many
        // reloads at a round's close would each hold one while waiting for a second and
        // exhaust the pool.
        drop(conn);
        close_if_overdue(state, attempt_id, now).await?;
        conn = state.db.pool.acquire().await?;
        attempt = owned_attempt(&mut conn, "", attempt_id, user_id).await?;
    }
    let (contest, round) = contest_and_round(&mut conn, attempt.round_id).await?;
    let questions = attempts::questions_of_attempt(&mut conn, attempt_id).await?;
    let options: HashMap<i64, String> = attempts::options_of_attempt(&mut conn, attempt_id)
        .await?
        .into_iter()
        .map(|o| (o.id, o.text))
        .collect();
    let saved: HashMap<i64, Option<i64>> = attempts::answers_of(&mut conn, attempt_id)
        .await?
        .into_iter()
        .map(|a| (a.seq, a.option_id))
        .collect();
    drop(conn);

    let mut views = Vec::with_capacity(questions.len());
    let mut answers = Vec::with_capacity(questions.len());
    for q in &questions {
        let order = parse_order(&q.option_order);
        let chosen = saved.get(&q.seq).copied().flatten();
        answers.push(
            chosen
                .and_then(|id| order.iter().position(|o| *o == id))
                .map(|p| p as u8),
        );
        views.push(QuestionView {
            seq: q.seq as u32,
            topic: q.topic.clone(),
            text: q.text.clone(),
            options: order
                .iter()
                .map(|id| options.get(id).cloned().unwrap_or_default())
                .collect(),
        });
    }
    Ok(AttemptView {
        attempt_id,
        contest_name: contest.name,
        round_name: round.name,
        questions: views,
        answers,
        deadline_ms: attempt.deadline_at,
        server_now_ms: to_ms(now),
        is_final: attempt.is_final(),
        prediction_prompt: (contest.prediction_enabled != 0)
            .then(|| contest.prediction_prompt.clone()),
    })
}

/// Stores (or clears, with `choice = None`) the answer to question `seq`. The reply is
/// sent only after the transaction committed, so an acknowledged answer is durable; saves
/// that arrive together share that commit (see `server::saves`).
#[tracing::instrument(level = "debug", skip(state))]
pub async fn save_answer(
    state: &AppState,
    user_id: i64,
    attempt_id: i64,
    seq: u32,
    choice: Option<u8>,
) -> Result<SaveAck, AppError> {
    let at = state.clock.now();
    state
        .saves
        .save(SaveRequest {
            user_id,
            attempt_id,
            seq,
            choice,
            at,
        })
        .await
}

/// What became of one save: its acknowledgement, or why it was refused.
pub type SaveOutcome = Result<SaveAck, AppError>;

/// Checks the saves of a group against their attempts and stores those that pass, inside
/// the writer's transaction, with three statements whatever the group's size: the attempts
/// (locked, in id order), the questions' option orders, one upsert. When a question is saved
/// twice in the group, the later save is the one stored (both are acknowledged by the same
/// commit). The outer error is the database's: the transaction cannot go on. The inner ones
/// are each save's own outcome, in the order of `requests`.
pub(crate) async fn store_saves(
    conn: &mut sqlx::AnyConnection,
    lock: &str,
    requests: &[&SaveRequest],
) -> Result<Vec<SaveOutcome>, sqlx::Error> {
    let mut ids: Vec<i64> = requests.iter().map(|r| r.attempt_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let attempts: HashMap<i64, AttemptRow> = attempts::attempts_by_ids(conn, &ids, lock)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut keys: Vec<(i64, i64)> = requests
        .iter()
        .filter(|r| {
            attempts
                .get(&r.attempt_id)
                .is_some_and(|a| a.user_id == r.user_id)
        })
        .map(|r| (r.attempt_id, i64::from(r.seq)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let orders: HashMap<(i64, i64), String> = attempts::option_orders_of(conn, &keys)
        .await?
        .into_iter()
        .map(|(a, seq, order)| ((a, seq), order))
        .collect();
    let mut rows = std::collections::BTreeMap::new();
    let outcomes = requests
        .iter()
        .map(|r| {
            let key = (r.attempt_id, i64::from(r.seq));
            let order = orders.get(&key).map(String::as_str);
            judge_save(r, attempts.get(&r.attempt_id), order).map(|(ack, option_id)| {
                rows.insert(key, (key.0, key.1, option_id, to_ms(r.at)));
                ack
            })
        })
        .collect();
    attempts::upsert_answers(conn, &rows.into_values().collect::<Vec<_>>()).await?;
    Ok(outcomes)
}

/// Whether a save may be stored, from its attempt and the question's option order (`None`:
/// the attempt has no such question): the acknowledgement and the option to store, or the
/// refusal. The deadline is checked against the time the save arrived.
fn judge_save(
    request: &SaveRequest,
    attempt: Option<&AttemptRow>,
    order: Option<&str>,
) -> Result<(SaveAck, Option<i64>), AppError> {
    let attempt = owner_checked(attempt, request.user_id)?;
    domain::check_save(
        attempt.is_final(),
        from_ms(attempt.accept_until),
        request.at,
    )
    .map_err(|r| match r {
        SaveRefusal::AttemptFinished => {
            AppError::Conflict("Bài thi đã nộp, không thể thay đổi câu trả lời.".into())
        }
        SaveRefusal::TooLate => {
            AppError::Gone("Đã hết giờ làm bài, câu trả lời này không được ghi nhận.".into())
        }
    })?;
    let order = order
        .map(parse_order)
        .ok_or_else(|| AppError::BadRequest("Câu hỏi không thuộc bài thi này.".into()))?;
    let option_id = match request.choice {
        None => None,
        Some(pos) => Some(
            *order
                .get(usize::from(pos))
                .ok_or_else(|| AppError::BadRequest("Phương án trả lời không hợp lệ.".into()))?,
        ),
    };
    let at = to_ms(request.at);
    Ok((
        SaveAck {
            seq: request.seq,
            choice: request.choice,
            saved_at_ms: at,
            server_now_ms: at,
            deadline_ms: attempt.deadline_at,
        },
        option_id,
    ))
}

/// Ends the attempt and scores it from the stored answers. Submitting again returns
/// the same result and changes nothing.
#[tracing::instrument(skip(state))]
pub async fn submit(
    state: &AppState,
    user_id: i64,
    attempt_id: i64,
    prediction: Option<i64>,
) -> Result<AttemptResult, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let attempt = owned_attempt(&mut tx, state.db.for_update(), attempt_id, user_id).await?;
    if !attempt.is_final() {
        let (contest, _) = contest_and_round(&mut tx, attempt.round_id).await?;
        let overdue = domain::is_overdue(from_ms(attempt.accept_until), now);
        // A prediction counts only when it arrives in time, like an answer.
        if let Some(p) = prediction.filter(|_| contest.prediction_enabled != 0 && !overdue) {
            attempts::set_prediction(&mut tx, attempt.id, p).await?;
        }
        let by = if overdue {
            FinalizedBy::Server
        } else {
            FinalizedBy::Participant
        };
        finalize_locked(&mut tx, &attempt, now, by).await?;
        tx.commit().await?;
        crate::server::live::entry_final(state, attempt.round_id, attempt.id).await;
    } else {
        tx.commit().await?;
    }
    result(state, user_id, attempt_id).await
}

/// Scores and closes a running attempt inside the caller's transaction (which holds its lock),
/// with the points it was promised at its start.
async fn finalize_locked(
    tx: &mut Tx,
    attempt: &AttemptRow,
    now: DateTime<Utc>,
    by: FinalizedBy,
) -> Result<(), AppError> {
    let marked: Vec<MarkedQuestion> = attempts::marks_of(tx, &[attempt.id])
        .await?
        .into_iter()
        .map(|(_, correct_option, chosen_option)| MarkedQuestion {
            correct_option,
            chosen_option,
        })
        .collect();
    let f = finalization(attempt, &marked, now, by);
    tracing::info!(
        attempt_id = attempt.id,
        by = by.as_str(),
        points = f.score,
        "attempt finalized"
    );
    attempts::finalize(tx, f).await?;
    Ok(())
}

/// What closing `attempt` with these marked questions records: its score at the points per
/// question promised at its start and, when the server closes it, the deadline as its time.
fn finalization(
    attempt: &AttemptRow,
    marked: &[MarkedQuestion],
    now: DateTime<Utc>,
    by: FinalizedBy,
) -> Finalization {
    let points_per_question = match marked.len() as i64 {
        0 => 0,
        n => attempt.max_score / n,
    };
    let score = domain::score(marked, points_per_question);
    // An attempt closed by the server ends at its deadline, however late the sweep ran.
    let deadline = from_ms(attempt.deadline_at);
    let submitted_at = match by {
        FinalizedBy::Server => deadline.min(now),
        FinalizedBy::Participant => now,
    };
    Finalization {
        attempt_id: attempt.id,
        submitted_at: to_ms(submitted_at),
        finalized_by: by,
        score: score.points,
        correct_count: i64::from(score.correct),
        elapsed_ms: domain::elapsed_ms(from_ms(attempt.started_at), deadline, submitted_at),
    }
}

/// Finalizes every attempt whose owner never came back, with the answers they saved.
/// Returns how many were closed. An attempt that cannot be closed is logged and skipped, so
/// one bad row never holds back the others; the next sweep tries it again.
#[tracing::instrument(skip(state))]
pub async fn finalize_overdue(state: &AppState) -> Result<usize, AppError> {
    use futures::StreamExt;
    // Batches lock disjoint attempts, so several can run at once where the database writes
    // in parallel; SQLite has one writer.
    let side_by_side = match state.db.backend {
        crate::server::db::Backend::Sqlite => 1,
        crate::server::db::Backend::Postgres => CLOSE_BATCHES_AT_ONCE,
    };
    let mut closed = 0;
    let mut after_id = 0;
    loop {
        let now = state.clock.now();
        let ids = {
            let mut conn = state.db.pool.acquire().await?;
            let page = (CLOSE_BATCH * side_by_side * 2) as i64;
            attempts::overdue_attempt_ids(&mut conn, to_ms(now), after_id, page).await?
        };
        let Some(&last) = ids.last() else {
            return Ok(closed);
        };
        after_id = last;
        // Owned batches and state: futures borrowing from this loop are not `Send` to tokio.
        let batches: Vec<Vec<i64>> = ids.chunks(CLOSE_BATCH).map(<[i64]>::to_vec).collect();
        closed += futures::stream::iter(batches)
            .map(|batch| {
                let state = state.clone();
                async move { close_chunk(&state, &batch, now).await }
            })
            .buffer_unordered(side_by_side)
            .fold(0, |sum, n| async move { sum + n })
            .await;
    }
}

/// Closes one batch of overdue attempts and tells the boards; if the batch fails, closes its
/// attempts one transaction each, so one bad row never holds back the others. Returns how
/// many it closed.
async fn close_chunk(state: &AppState, batch: &[i64], now: DateTime<Utc>) -> usize {
    match close_batch(state, batch, now).await {
        Ok(done) => {
            crate::server::live::entries_final(state, &done).await;
            done.len()
        }
        Err(e) => {
            tracing::warn!(error = %e, "a batch of overdue attempts failed; closing them one by one");
            let mut closed = 0;
            for &id in batch {
                match close_if_overdue(state, id, now).await {
                    Ok(true) => closed += 1,
                    Ok(false) => {}
                    Err(e) => {
                        tracing::error!(attempt_id = id, error = %e, "could not finalize an overdue attempt; skipped")
                    }
                }
            }
            closed
        }
    }
}

/// How long until the next running attempt becomes overdue (a little after, so it is), if
/// one runs; None if none does or the database cannot say.
pub async fn until_next_overdue(state: &AppState) -> Option<std::time::Duration> {
    let mut conn = state.db.pool.acquire().await.ok()?;
    let due = attempts::next_overdue_at(&mut conn).await.ok()??;
    let now = to_ms(state.clock.now());
    Some(std::time::Duration::from_millis(
        (due - now).saturating_add(50).max(0) as u64,
    ))
}

/// Overdue attempts finalized in one transaction: one commit (one flush to disk) for all of
/// them, short enough that answer saves waiting for SQLite's write lock barely notice.
const CLOSE_BATCH: usize = 64;

/// Batches of overdue attempts closed side by side on Postgres: a single sweeper kept one
/// Postgres backend busy (90 % of a core) and the machine half idle while 100k attempts
/// closed at 1,087/s, under the 1,667/s at which they became overdue.
const CLOSE_BATCHES_AT_ONCE: usize = 4;

/// Finalizes the attempts of `ids` that are still overdue, in one transaction. Returns the
/// (round, attempt) of each one it closed.
async fn close_batch(
    state: &AppState,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>, AppError> {
    let mut tx = state.db.begin_write().await?;
    let due: Vec<AttemptRow> = attempts::attempts_by_ids(&mut tx, ids, state.db.for_update())
        .await?
        .into_iter()
        .filter(|a| !a.is_final() && domain::is_overdue(from_ms(a.accept_until), now))
        .collect();
    let due_ids: Vec<i64> = due.iter().map(|a| a.id).collect();
    let mut marks: HashMap<i64, Vec<MarkedQuestion>> = HashMap::with_capacity(due.len());
    for (attempt_id, correct_option, chosen_option) in attempts::marks_of(&mut tx, &due_ids).await?
    {
        marks.entry(attempt_id).or_default().push(MarkedQuestion {
            correct_option,
            chosen_option,
        });
    }
    let closing: Vec<Finalization> = due
        .iter()
        .map(|a| {
            let marked = marks.get(&a.id).map(Vec::as_slice).unwrap_or_default();
            finalization(a, marked, now, FinalizedBy::Server)
        })
        .collect();
    // The rows are locked: every one still running changes.
    attempts::finalize_all(&mut tx, &closing).await?;
    tx.commit().await?;
    tracing::info!(
        closed = closing.len(),
        by = "server",
        "overdue attempts finalized"
    );
    Ok(due.iter().map(|a| (a.round_id, a.id)).collect())
}

/// Finalizes one attempt with its saved answers if its time is fully over and nobody
/// closed it meanwhile. Returns whether this call closed it.
async fn close_if_overdue(
    state: &AppState,
    attempt_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let mut tx = state.db.begin_write().await?;
    let Some(a) = attempts::attempt_by_id(&mut tx, attempt_id, state.db.for_update()).await? else {
        return Ok(false);
    };
    if a.is_final() || !domain::is_overdue(from_ms(a.accept_until), now) {
        return Ok(false);
    }
    finalize_locked(&mut tx, &a, now, FinalizedBy::Server).await?;
    tx.commit().await?;
    crate::server::live::entry_final(state, a.round_id, a.id).await;
    Ok(true)
}

/// The result of a final attempt, with the key, for its owner only.
pub async fn result(
    state: &AppState,
    user_id: i64,
    attempt_id: i64,
) -> Result<AttemptResult, AppError> {
    let view = view(state, user_id, attempt_id).await?;
    if !view.is_final {
        return Err(AppError::Conflict(
            "Bài thi chưa nộp nên chưa có kết quả.".into(),
        ));
    }
    let mut conn = state.db.pool.acquire().await?;
    let attempt = attempts::attempt_by_id(&mut conn, attempt_id, "")
        .await?
        .ok_or_else(not_found)?;
    let (contest, round) = contest_and_round(&mut conn, attempt.round_id).await?;
    // The key only when the contest's setting allows it now: a first attempt's review must
    // not hand the answers to the next attempt.
    let used = attempts::attempts_of_user_in_round(&mut conn, user_id, round.id)
        .await?
        .len() as i64;
    let setting = AnswerReview::parse(&contest.answer_review).unwrap_or_default();
    let round_closed = to_ms(state.clock.now()) >= round.closes_at;
    let show_key = setting.shows_key(used, contest.max_attempts_per_round, round_closed);
    let questions = attempts::questions_of_attempt(&mut conn, attempt_id).await?;
    let correct: HashMap<i64, i64> = attempts::options_of_attempt(&mut conn, attempt_id)
        .await?
        .into_iter()
        .filter(|o| o.is_correct)
        .map(|o| (o.question_id, o.id))
        .collect();
    let review = questions
        .iter()
        .zip(view.questions.iter().zip(view.answers.iter()))
        .map(|(q, (qv, chosen))| {
            let order = parse_order(&q.option_order);
            let key = correct.get(&q.question_id).copied().unwrap_or(-1);
            ReviewItem {
                seq: qv.seq,
                text: qv.text.clone(),
                options: qv.options.clone(),
                chosen: *chosen,
                correct: show_key.then(|| order.iter().position(|o| *o == key).unwrap_or(0) as u8),
                explanation: if show_key {
                    q.explanation.clone()
                } else {
                    String::new()
                },
                reference: if show_key {
                    q.reference.clone()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let total = questions.len() as u32;
    Ok(AttemptResult {
        attempt_id,
        contest_name: contest.name,
        round_name: round.name,
        round_id: round.id,
        score: attempt.score.unwrap_or(0),
        max_score: attempt.max_score,
        correct: attempt.correct_count.unwrap_or(0) as u32,
        total,
        elapsed_ms: attempt.elapsed_ms.unwrap_or(0),
        finalized_by: attempt.finalized_by.unwrap_or(FinalizedBy::Server),
        review,
        key_withheld: (!show_key).then(|| setting.withheld_note().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AttemptStatus;

    fn attempt(status: AttemptStatus) -> AttemptRow {
        AttemptRow {
            id: 7,
            user_id: 3,
            round_id: 1,
            started_at: 0,
            deadline_at: 60_000,
            accept_until: 65_000,
            max_score: 20,
            status,
            submitted_at: None,
            finalized_by: None,
            score: None,
            correct_count: None,
            elapsed_ms: None,
        }
    }

    /// (case, user, attempt, at ms, the question's order, choice, expected: the option stored
    /// or the refusal's status)
    type Case<'a> = (
        &'a str,
        i64,
        Option<&'a AttemptRow>,
        i64,
        Option<&'a str>,
        Option<u8>,
        Result<Option<i64>, u16>,
    );

    #[test]
    fn a_save_is_judged_by_its_attempt_its_time_and_the_question() {
        let running = attempt(AttemptStatus::InProgress);
        let finished = attempt(AttemptStatus::Final);
        let order = Some("40,10,30,20");
        let cases: [Case; 10] = [
            (
                "first option in this attempt's order",
                3,
                Some(&running),
                1_000,
                order,
                Some(0),
                Ok(Some(40)),
            ),
            (
                "last option",
                3,
                Some(&running),
                1_000,
                order,
                Some(3),
                Ok(Some(20)),
            ),
            ("cleared", 3, Some(&running), 1_000, order, None, Ok(None)),
            (
                "within the grace",
                3,
                Some(&running),
                65_000,
                order,
                Some(1),
                Ok(Some(10)),
            ),
            (
                "after the grace",
                3,
                Some(&running),
                65_001,
                order,
                Some(1),
                Err(410),
            ),
            (
                "submitted",
                3,
                Some(&finished),
                1_000,
                order,
                Some(1),
                Err(409),
            ),
            (
                "someone else's attempt",
                4,
                Some(&running),
                1_000,
                order,
                Some(1),
                Err(404),
            ),
            ("no such attempt", 3, None, 1_000, order, Some(1), Err(404)),
            (
                "no such question",
                3,
                Some(&running),
                1_000,
                None,
                Some(1),
                Err(400),
            ),
            (
                "no such option",
                3,
                Some(&running),
                1_000,
                order,
                Some(4),
                Err(400),
            ),
        ];
        for (case, user_id, attempt, at, order, choice, expected) in cases {
            let request = SaveRequest {
                user_id,
                attempt_id: 7,
                seq: 2,
                choice,
                at: from_ms(at),
            };
            let got = judge_save(&request, attempt, order);
            match (&got, expected) {
                (Ok((ack, option)), Ok(want)) => {
                    assert_eq!(*option, want, "{case}");
                    assert_eq!(
                        (ack.seq, ack.choice, ack.saved_at_ms),
                        (2, choice, at),
                        "{case}"
                    );
                    assert_eq!(ack.deadline_ms, 60_000, "{case}");
                }
                (Err(e), Err(status)) => assert_eq!(e.status_code(), status, "{case}: {e:?}"),
                _ => panic!("{case}: got {got:?}, expected {expected:?}"),
            }
        }
    }
}
