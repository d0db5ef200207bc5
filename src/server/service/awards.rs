//! Individual prizes per round: computed from stored data by the contest's rules, reviewed
//! by the committee (who may set entries aside with a recorded reason), then published.
//! The public sees them once published and not before the round's results time.

use std::collections::BTreeSet;

use crate::domain::awards::{award, parse_tiers, AwardRules, Placed};
use crate::domain::roles::Permission;
use crate::domain::vntime::format_vn_time;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::model::{format_elapsed, AwardRow, AwardsView, Disqualified, UserInfo};
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
pub(crate) use crate::server::repo::awards::Prizes;
use crate::server::repo::awards::{self as awards_repo, NewAward};
use crate::server::repo::contests::{self, ContestRow, RoundRow};
use crate::server::repo::participants::FinishedEntry;
use crate::server::service::standings;
use crate::server::AppState;

async fn round_and_contest(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<(RoundRow, ContestRow), AppError> {
    let (contest, round) =
        crate::server::service::attempt::contest_and_round(conn, round_id).await?;
    Ok((round, contest))
}

pub(crate) async fn disqualified(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<Vec<Disqualified>, AppError> {
    let rows = awards_repo::disqualifications(conn, round_id).await?;
    Ok(rows
        .into_iter()
        .map(|d| Disqualified {
            user_id: d.user_id,
            full_name: d.full_name,
            reason: d.reason,
            at: format_vn_time(d.created_at),
        })
        .collect())
}

/// Why an entry ranks where it does, in words: its figures, and the criterion that put it
/// below the entry above and above the entry below.
fn explain(
    p: &Placed<i64>,
    f: &FinishedEntry,
    next: Option<&Placed<i64>>,
    actual: Option<i64>,
) -> String {
    let mut parts = vec![format!(
        "Hạng {}{}: {} điểm, {}/{} câu đúng, {}",
        p.rank,
        if p.tied { " (đồng hạng)" } else { "" },
        f.score,
        f.correct_count,
        f.question_count,
        format_elapsed(f.elapsed_ms)
    )];
    if let (Some(pred), Some(a)) = (f.prediction, actual) {
        parts.push(format!(
            "dự đoán {pred} (đáp án {a}, lệch {})",
            pred.abs_diff(a)
        ));
    }
    parts.extend(relative(p, next));
    parts.join("; ") + "."
}

/// What separated an entry from the one above it and the one below it.
pub(crate) fn relative(p: &Placed<i64>, next: Option<&Placed<i64>>) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(t) = p.decided_by {
        parts.push(format!("xếp sau người trên vì người trên {}", t.label()));
    }
    match next {
        Some(n) if n.tied && n.rank == p.rank => {
            parts.push("bằng người kế tiếp theo mọi tiêu chí".into())
        }
        Some(n) => {
            if let Some(t) = n.decided_by {
                parts.push(format!("xếp trên người kế tiếp vì {}", t.label()));
            }
        }
        None => {}
    }
    parts
}

/// Computes (or recomputes) a closed round's prizes. Refused once they are published.
#[tracing::instrument(skip_all)]
pub async fn compute(state: &AppState, user: &UserInfo, round_id: i64) -> Result<u32, AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let (round, contest) = round_and_contest(&mut tx, round_id).await?;
    if now < round.closes_at {
        return Err(AppError::Conflict(
            "Vòng thi chưa kết thúc, chưa thể tính giải.".into(),
        ));
    }
    if round.awards_published_at.is_some() {
        return Err(AppError::Conflict(
            "Kết quả vòng thi đã công bố, không tính lại được.".into(),
        ));
    }
    let tiers =
        parse_tiers(round.prizes.as_deref().unwrap_or(&contest.round_prizes)).unwrap_or_default();
    if tiers.is_empty() {
        return Err(AppError::Conflict(
            "Cuộc thi chưa có cơ cấu giải (mục “Giải mỗi vòng” trong cài đặt cuộc thi).".into(),
        ));
    }
    let set_aside: BTreeSet<i64> = disqualified(&mut tx, round_id)
        .await?
        .into_iter()
        .map(|d| d.user_id)
        .collect();
    let s = standings::of_round(&mut tx, &contest, &round, now, &set_aside, None).await?;
    // One prize per person: winners of the contest's other rounds are passed over.
    let mut ineligible = BTreeSet::new();
    if contest.one_prize_per_person != 0 {
        let others = awards_repo::winners_of_other_rounds(&mut tx, contest.id, round_id).await?;
        ineligible.extend(others);
    }
    let placed: Vec<Placed<i64>> = s.list.iter().map(|(p, _)| p.clone()).collect();
    let rules = AwardRules {
        tiers: tiers.clone(),
        cap_percent: contest.prize_cap_percent.map(|c| c.clamp(0, 100) as u32),
    };
    let winners = award(&placed, &rules, &ineligible);
    awards_repo::delete_round_awards(&mut tx, round_id).await?;
    for (user_id, tier) in &winners {
        let i = s
            .list
            .iter()
            .position(|(p, _)| p.entry.key == *user_id)
            .ok_or(AppError::Internal)?;
        let (p, f) = &s.list[i];
        let why = explain(
            p,
            f,
            s.list.get(i + 1).map(|(n, _)| n),
            s.rules.prediction_actual,
        );
        awards_repo::insert_round_award(
            &mut tx,
            round_id,
            f.attempt_id,
            NewAward {
                user_id: *user_id,
                rank: p.rank,
                tier: *tier,
                prize: &tiers[*tier].name,
                explanation: &why,
                computed_at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        round_id,
        winners = winners.len(),
        "awards computed"
    );
    Ok(winners.len() as u32)
}

/// The winners of a set of prizes, best prize first; `with_ids` keeps the person's id
/// (the committee's view), the public view gets 0.
pub(crate) async fn award_rows(
    conn: &mut sqlx::AnyConnection,
    prizes: Prizes,
    with_ids: bool,
) -> Result<Vec<AwardRow>, AppError> {
    let rows = awards_repo::winners(conn, prizes).await?;
    Ok(rows
        .into_iter()
        .map(|w| AwardRow {
            user_id: if with_ids { w.user_id } else { 0 },
            full_name: w.full_name,
            unit_name: w.unit_name,
            rank: w.rank.max(0) as u32,
            prize: w.prize,
            explanation: w.explanation,
        })
        .collect())
}

/// The committee's view of a round's prizes (computed or not, published or not).
pub async fn review(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    round_id: i64,
) -> Result<AwardsView, AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    // Without a round asked for: the contest's latest closed round, or else its first one.
    let round_id = if round_id > 0 {
        round_id
    } else {
        let contest = crate::server::service::contests::resolve(&mut conn, slug).await?;
        let all = contests::rounds_of(&mut conn, contest.id).await?;
        all.iter()
            .rev()
            .find(|r| r.closes_at <= now)
            .or(all.first())
            .map(|r| r.id)
            .ok_or_else(|| AppError::NotFound("Chưa có vòng thi.".into()))?
    };
    let (round, contest) = round_and_contest(&mut conn, round_id).await?;
    let rounds = contests::rounds_of(&mut conn, contest.id)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    Ok(AwardsView {
        round_id,
        round_name: round.name,
        contest_name: contest.name,
        rounds,
        closed: now >= round.closes_at,
        prizes: round.prizes.clone().unwrap_or(contest.round_prizes),
        published_at: round.awards_published_at.map(format_vn_time),
        results_at: round.results_at.map(format_vn_time),
        awards: award_rows(&mut conn, Prizes::Round(round_id), true).await?,
        disqualified: disqualified(&mut conn, round_id).await?,
        flagged: flagged(&mut conn, round_id, contest.min_secs_per_question).await?,
    })
}

/// The round's entries the plausibility review flags, highest score first (see
/// `domain::integrity::plausibility`). Read only here, for the committee.
async fn flagged(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
    floor_secs: i64,
) -> Result<Vec<crate::model::FlaggedEntry>, AppError> {
    use crate::domain::integrity::{plausibility, EntryTrace};
    use crate::server::repo::attempts;
    let rows = attempts::traces_of_round(conn, round_id).await?;
    let mut saves: std::collections::HashMap<i64, Vec<(i64, u32, Option<i64>)>> =
        std::collections::HashMap::new();
    for (attempt, at, seq, option) in attempts::saves_of_round(conn, round_id).await? {
        saves
            .entry(attempt)
            .or_default()
            .push((at, seq.max(0) as u32, option));
    }
    let traces: Vec<EntryTrace> = rows
        .iter()
        .map(|r| EntryTrace {
            attempt_id: r.id,
            user_id: r.user_id,
            questions: r.questions.max(0) as u32,
            started_at: r.started_at,
            elapsed_ms: r.elapsed_ms,
            started_from: r.started_from.clone(),
            started_device: r.started_device.clone(),
            registered_at: r.registered_at,
            registered_from: r.registered_from.clone(),
            registered_device: r.registered_device.clone(),
            saves: saves.remove(&r.id).unwrap_or_default(),
        })
        .collect();
    let by_attempt: std::collections::HashMap<i64, &attempts::TraceRow> =
        rows.iter().map(|r| (r.id, r)).collect();
    let mut out: Vec<crate::model::FlaggedEntry> = plausibility(&traces, floor_secs)
        .into_iter()
        .filter_map(|f| {
            let r = by_attempt.get(&f.attempt_id)?;
            Some(crate::model::FlaggedEntry {
                attempt_id: f.attempt_id,
                user_id: f.user_id,
                full_name: r.full_name.clone(),
                unit_name: r.unit_name.clone(),
                score: r.score,
                evidence: f.flags.iter().map(|x| x.describe()).collect(),
            })
        })
        .collect();
    out.sort_by_key(|f| (std::cmp::Reverse(f.score), f.attempt_id));
    Ok(out)
}

/// Sets an entry aside with a reason; computed prizes of the round are dropped so they are
/// computed again without it.
#[tracing::instrument(skip_all)]
pub async fn disqualify(
    state: &AppState,
    user: &UserInfo,
    round_id: i64,
    person: i64,
    reason: &str,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let reason = crate::server::nfc(reason.trim());
    if reason.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "reason",
            "Vui lòng ghi lý do loại bài thi.",
        )]));
    }
    let mut tx = state.db.begin_write().await?;
    let (round, _) = round_and_contest(&mut tx, round_id).await?;
    if round.awards_published_at.is_some() {
        return Err(AppError::Conflict("Kết quả vòng thi đã công bố.".into()));
    }
    let took_part = awards_repo::took_part(&mut tx, round_id, person).await?;
    if !took_part {
        return Err(AppError::NotFound(
            "Người này không có bài thi trong vòng.".into(),
        ));
    }
    let inserted = awards_repo::insert_disqualification(
        &mut tx,
        round_id,
        person,
        &reason,
        user.id,
        to_ms(state.clock.now()),
    )
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if crate::server::repo::is_unique_violation(&e) => {
            return Err(AppError::Conflict("Bài thi này đã bị loại.".into()));
        }
        Err(e) => return Err(e.into()),
    }
    awards_repo::delete_round_awards(&mut tx, round_id).await?;
    tx.commit().await?;
    crate::server::live::touched(state, round_id).await;
    tracing::warn!(user_id = user.id, round_id, person, reason = %reason, "entry disqualified");
    Ok(())
}

/// Releases the computed prizes. They appear publicly from the round's results time (at once
/// when none is set).
#[tracing::instrument(skip_all)]
pub async fn publish(state: &AppState, user: &UserInfo, round_id: i64) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let (round, _) = round_and_contest(&mut tx, round_id).await?;
    let count = awards_repo::count_round_awards(&mut tx, round_id).await?;
    if count == 0 {
        return Err(AppError::Conflict(
            "Chưa tính giải cho vòng thi này.".into(),
        ));
    }
    if round.awards_published_at.is_none() {
        awards_repo::set_round_published(&mut tx, round_id, to_ms(state.clock.now())).await?;
    }
    tx.commit().await?;
    crate::server::live::touched(state, round_id).await;
    tracing::info!(user_id = user.id, round_id, "awards published");
    Ok(())
}

/// The prizes as the public sees them: only once published and the results time has come.
pub async fn public(state: &AppState, round_id: i64) -> Result<AwardsView, AppError> {
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let (round, contest) = round_and_contest(&mut conn, round_id).await?;
    let visible = round.awards_published_at.is_some() && round.results_at.is_none_or(|t| now >= t);
    if !visible {
        let when = round
            .results_at
            .map(|t| format!(" Dự kiến công bố lúc {}.", format_vn_time(t)))
            .unwrap_or_default();
        return Err(AppError::NotFound(format!(
            "Kết quả vòng thi chưa được công bố.{when}"
        )));
    }
    Ok(AwardsView {
        round_id,
        round_name: round.name,
        contest_name: contest.name,
        rounds: Vec::new(),
        closed: true,
        prizes: round.prizes.clone().unwrap_or(contest.round_prizes),
        published_at: round.awards_published_at.map(format_vn_time),
        results_at: round.results_at.map(format_vn_time),
        awards: award_rows(&mut conn, Prizes::Round(round_id), false).await?,
        disqualified: Vec::new(),
        flagged: Vec::new(),
    })
}

const WINNERS_HEADER: [&str; 8] = [
    "Giải",
    "Hạng",
    "Họ và tên",
    "Ngày sinh",
    "Số điện thoại",
    "Đơn vị",
    "Tiền thưởng (đồng)",
    "Căn cứ xếp hạng",
];

/// A round's winners for the committee (contact details included), best prize first.
pub async fn winners_xlsx(
    state: &AppState,
    user: &UserInfo,
    round_id: i64,
) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let (round, contest) = round_and_contest(&mut conn, round_id).await?;
    let tiers =
        parse_tiers(round.prizes.as_deref().unwrap_or(&contest.round_prizes)).unwrap_or_default();
    let rows = awards_repo::winner_contacts(&mut conn, round_id).await?;
    let mut total: u64 = 0;
    let mut rows: Vec<Vec<crate::server::sheet::Cell>> = rows
        .into_iter()
        .map(|w| {
            let amount = tiers
                .iter()
                .find(|t| t.name == w.prize)
                .map_or(0, |t| t.amount);
            total += amount;
            vec![
                w.prize.into(),
                w.rank.into(),
                w.full_name.into(),
                w.birth_date.into(),
                w.phone.into(),
                w.unit_name.into(),
                crate::server::sheet::Cell::Number(amount as f64),
                w.explanation.into(),
            ]
        })
        .collect();
    rows.push(vec![
        "Tổng cộng".into(),
        "".into(),
        format!("{} người", rows.len()).into(),
        "".into(),
        "".into(),
        "".into(),
        crate::server::sheet::Cell::Number(total as f64),
        "".into(),
    ]);
    crate::server::sheet::write_xlsx(crate::server::sheet::Sheet {
        name: "Giải thưởng",
        header: &WINNERS_HEADER,
        widths: &[14.0, 7.0, 28.0, 12.0, 14.0, 36.0, 16.0, 80.0],
        rows,
    })
}
