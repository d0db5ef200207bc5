//! The committee's reports, computed from stored data on request: participation by unit
//! (against headcount and quota), by day and by round; the spread of final scores; item
//! statistics per question. Only participants count (see `repo::participants`). Every report also exports to
//! one .xlsx workbook.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::report::{self, Response};
use crate::domain::roles::Permission;
use crate::domain::vntime::vn_day;
use crate::error::AppError;
use crate::model::{DayFigures, ItemRow, ReportView, RoundFigures, UserInfo};
use crate::server::guard::authorize;
use crate::server::repo::{contests, reports};
use crate::server::service::monitor::unit_participation;
use crate::server::sheet::{self, Cell, Sheet};
use crate::server::AppState;

/// Bars in the score histogram.
const BINS: u32 = 10;

pub async fn report(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    round_id: Option<i64>,
) -> Result<ReportView, AppError> {
    authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let contest = crate::server::service::contests::resolve(&mut conn, slug).await?;
    let rounds = contests::rounds_of(&mut conn, contest.id).await?;
    if let Some(id) = round_id {
        if !rounds.iter().any(|r| r.id == id) {
            return Err(AppError::NotFound("Không tìm thấy vòng thi.".into()));
        }
    }
    let units = unit_participation(&mut conn, contest.id).await?;
    let by_day = by_day(&mut conn, contest.id).await?;
    let by_round = by_round(&mut conn, contest.id, &rounds).await?;
    let unit_rounds = unit_rounds(&mut conn, contest.id, &rounds).await?;

    // Final attempts of the chosen round(s): their scores and every question they met.
    let finals = reports::final_scores(&mut conn, contest.id, round_id).await?;
    let responses = reports::responses(&mut conn, contest.id, round_id).await?;
    let responses: Vec<Response> = responses
        .into_iter()
        .map(|r| Response {
            attempt: r.attempt_id,
            question: r.question_id,
            chosen: r.chosen,
            correct_option: r.correct_option,
        })
        .collect();
    let stats = report::item_stats(&responses, &finals);
    let question_ids: BTreeSet<i64> = stats.iter().map(|s| s.question).collect();
    let (texts, letters) = questions(&mut conn, &question_ids).await?;

    let scores: Vec<i64> = finals.iter().map(|(_, s)| *s).collect();
    let max_score = contest.points_per_question * contest.questions_per_attempt;
    let mut items: Vec<ItemRow> = stats
        .iter()
        .map(|s| {
            let letter = |o: i64| letters.get(&o).cloned().unwrap_or_else(|| "?".into());
            let (topic, text) = texts.get(&s.question).cloned().unwrap_or_default();
            let key = responses
                .iter()
                .find(|r| r.question == s.question)
                .map(|r| r.correct_option)
                .unwrap_or_default();
            ItemRow {
                question_id: s.question,
                topic,
                text,
                presented: s.presented,
                correct: s.correct,
                blank: s.blank,
                facility: s.facility,
                discrimination: s.discrimination,
                choices: s.chosen.iter().map(|(o, n)| (letter(*o), *n)).collect(),
                correct_letter: letter(key),
                top_wrong: s.top_wrong.map(|(o, n)| (letter(o), n)),
                flag: report::item_flag(s).map(str::to_string),
            }
        })
        .collect();
    // Questions to look at first: flagged ones, then the hardest.
    items.sort_by(|a, b| {
        b.flag
            .is_some()
            .cmp(&a.flag.is_some())
            .then(a.facility.total_cmp(&b.facility))
            .then(a.question_id.cmp(&b.question_id))
    });
    Ok(ReportView {
        contest_name: contest.name,
        rounds: rounds.into_iter().map(|r| (r.id, r.name)).collect(),
        round_id,
        units,
        unit_rounds,
        by_day,
        by_round,
        max_score,
        bins: report::histogram(&scores, max_score, BINS),
        summary: report::summary(&scores),
        items,
    })
}

/// Registrations, entrants and attempts per Vietnamese day, oldest first.
async fn by_day(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
) -> Result<Vec<DayFigures>, AppError> {
    let registered = reports::registration_times(&mut *conn).await?;
    let started = reports::attempt_starts(&mut *conn, contest_id).await?;
    // Sortable day key -> (label, registrations, entrants, attempts).
    let mut days: BTreeMap<i64, (String, u32, BTreeSet<i64>, u32)> = BTreeMap::new();
    for at in registered {
        let (label, key) = vn_day(at);
        days.entry(key)
            .or_insert_with(|| (label, 0, BTreeSet::new(), 0))
            .1 += 1;
    }
    for (user, at) in started {
        let (label, key) = vn_day(at);
        let d = days
            .entry(key)
            .or_insert_with(|| (label, 0, BTreeSet::new(), 0));
        d.2.insert(user);
        d.3 += 1;
    }
    Ok(days
        .into_values()
        .map(|(day, registrations, entrants, attempts)| DayFigures {
            day,
            registrations,
            entrants: entrants.len() as u32,
            attempts,
        })
        .collect())
}

async fn by_round(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    rounds: &[contests::RoundRow],
) -> Result<Vec<RoundFigures>, AppError> {
    let counts: BTreeMap<i64, (i64, i64)> = reports::round_counts(&mut *conn, contest_id)
        .await?
        .into_iter()
        .map(|(r, e, a)| (r, (e, a)))
        .collect();
    Ok(rounds
        .iter()
        .map(|r| {
            let (entrants, attempts) = counts.get(&r.id).copied().unwrap_or((0, 0));
            RoundFigures {
                round_id: r.id,
                name: r.name.clone(),
                entrants: entrants.max(0) as u32,
                attempts: attempts.max(0) as u32,
            }
        })
        .collect())
}

/// Entrants per unit and round, every unit listed (zeros included), by name.
async fn unit_rounds(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    rounds: &[contests::RoundRow],
) -> Result<Vec<(String, Vec<u32>)>, AppError> {
    let counts: BTreeMap<(i64, i64), i64> = reports::unit_round_entrants(&mut *conn, contest_id)
        .await?
        .into_iter()
        .map(|(unit, round, n)| ((unit, round), n))
        .collect();
    let mut units = reports::unit_names(&mut *conn).await?;
    crate::domain::vnsort::sort_by_name(&mut units, |u| &u.1);
    Ok(units
        .into_iter()
        .map(|(id, name)| {
            let per_round = rounds
                .iter()
                .map(|r| counts.get(&(id, r.id)).copied().unwrap_or(0).max(0) as u32)
                .collect();
            (name, per_round)
        })
        .collect())
}

type QuestionTexts = BTreeMap<i64, (String, String)>;

/// Topic and text of each question, and each option's letter (A, B, … in the bank's order).
async fn questions(
    conn: &mut sqlx::AnyConnection,
    ids: &BTreeSet<i64>,
) -> Result<(QuestionTexts, BTreeMap<i64, String>), AppError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let ids: Vec<i64> = ids.iter().copied().collect();
    let texts: QuestionTexts = reports::question_texts(&mut *conn, &ids)
        .await?
        .into_iter()
        .map(|(id, topic, text)| (id, (topic, text)))
        .collect();
    let options = reports::question_options(&mut *conn, &ids).await?;
    let mut letters = BTreeMap::new();
    let mut position: BTreeMap<i64, u8> = BTreeMap::new();
    for (question, option) in options {
        let p = position.entry(question).or_insert(0);
        letters.insert(option, char::from(b'A' + *p).to_string());
        *p += 1;
    }
    Ok((texts, letters))
}

/// The same report as a workbook: units, days, rounds, scores, questions.
pub async fn report_xlsx(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    round_id: Option<i64>,
) -> Result<Vec<u8>, AppError> {
    let r = report(state, user, slug, round_id).await?;
    let compliance = {
        let mut conn = state.db.pool.acquire().await?;
        let contest = crate::server::service::contests::resolve(&mut conn, slug).await?;
        crate::server::service::people::compliance_of(&mut conn, &contest).await?
    };
    let met = |m: bool| Cell::from(if m { "Đạt" } else { "Chưa đạt" });
    let compliance_rows: Vec<Vec<Cell>> = compliance
        .into_iter()
        .flat_map(|u| {
            let name = u.unit_name;
            u.lines.into_iter().map(move |l| {
                vec![
                    Cell::from(name.clone()),
                    Cell::from(l.rule),
                    Cell::from(l.own.unwrap_or_default()),
                    l.own_met.map_or(Cell::from(""), met),
                    Cell::from(l.rolled.unwrap_or_default()),
                    met(l.met),
                ]
            })
        })
        .collect();
    let units = r
        .units
        .iter()
        .map(|u| {
            vec![
                Cell::from(u.unit_name.clone()),
                Cell::Number(f64::from(u.headcount)),
                Cell::Number(f64::from(u.registered)),
                Cell::Number(f64::from(u.entrants)),
                u.share_per_mille.map_or(Cell::Text(String::new()), |p| {
                    Cell::Number(f64::from(p) / 10.0)
                }),
                u.quota_percent
                    .map_or(Cell::Text(String::new()), |q| Cell::Number(f64::from(q))),
                Cell::Number(f64::from(u.required)),
                match u.quota {
                    crate::domain::units::QuotaStatus::Short(_) => "Chưa đạt",
                    crate::domain::units::QuotaStatus::Met => "Đạt",
                    crate::domain::units::QuotaStatus::NoQuota => "",
                }
                .into(),
            ]
        })
        .collect();
    let round_names: Vec<&str> = r.rounds.iter().map(|(_, n)| n.as_str()).collect();
    let unit_round_header: Vec<&str> = std::iter::once("Đơn vị")
        .chain(round_names.iter().copied())
        .collect();
    let unit_round_rows = r
        .unit_rounds
        .iter()
        .map(|(name, per)| {
            std::iter::once(Cell::from(name.clone()))
                .chain(per.iter().map(|n| Cell::Number(f64::from(*n))))
                .collect()
        })
        .collect();
    let days = r
        .by_day
        .iter()
        .map(|d| {
            vec![
                Cell::from(d.day.clone()),
                Cell::Number(f64::from(d.registrations)),
                Cell::Number(f64::from(d.entrants)),
                Cell::Number(f64::from(d.attempts)),
            ]
        })
        .collect();
    let rounds = r
        .by_round
        .iter()
        .map(|x| {
            vec![
                Cell::from(x.name.clone()),
                Cell::Number(f64::from(x.entrants)),
                Cell::Number(f64::from(x.attempts)),
            ]
        })
        .collect();
    let scores = r
        .bins
        .iter()
        .map(|b| {
            vec![
                Cell::from(format!("{}–{}", b.from, b.to)),
                Cell::Number(f64::from(b.count)),
            ]
        })
        .collect();
    let items = r
        .items
        .iter()
        .map(|i| {
            vec![
                Cell::from(i.question_id),
                i.topic.clone().into(),
                i.text.clone().into(),
                Cell::Number(f64::from(i.presented)),
                Cell::Number(f64::from(i.correct)),
                Cell::Number((i.facility * 1000.0).round() / 10.0),
                i.discrimination.map_or(Cell::Text(String::new()), |d| {
                    Cell::Number((d * 100.0).round() / 100.0)
                }),
                i.correct_letter.clone().into(),
                i.top_wrong
                    .as_ref()
                    .map(|(l, n)| format!("{l} ({n})"))
                    .unwrap_or_default()
                    .into(),
                Cell::Number(f64::from(i.blank)),
                i.flag.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    sheet::write_workbook(vec![
        Sheet {
            name: "Đơn vị",
            header: &[
                "Đơn vị",
                "Biên chế",
                "Đăng ký",
                "Người dự thi",
                "Tỷ lệ (%)",
                "Chỉ tiêu (%)",
                "Số người cần",
                "Đánh giá",
            ],
            widths: &[36.0, 10.0, 10.0, 12.0, 10.0, 12.0, 12.0, 10.0],
            rows: units,
        },
        Sheet {
            name: "Đơn vị theo vòng",
            header: &unit_round_header,
            widths: &[36.0],
            rows: unit_round_rows,
        },
        Sheet {
            name: "Theo ngày",
            header: &["Ngày", "Đăng ký mới", "Người dự thi", "Lượt thi"],
            widths: &[12.0, 12.0, 12.0, 10.0],
            rows: days,
        },
        Sheet {
            name: "Theo vòng",
            header: &["Vòng thi", "Người dự thi", "Lượt thi"],
            widths: &[20.0, 12.0, 10.0],
            rows: rounds,
        },
        Sheet {
            name: "Phổ điểm",
            header: &["Khoảng điểm", "Số bài"],
            widths: &[14.0, 10.0],
            rows: scores,
        },
        Sheet {
            name: "Câu hỏi",
            header: &[
                "Mã câu",
                "Chủ đề",
                "Câu hỏi",
                "Số lần ra",
                "Số lần đúng",
                "Tỷ lệ đúng (%)",
                "Độ phân biệt",
                "Đáp án",
                "Phương án sai chọn nhiều nhất",
                "Bỏ trống",
                "Nhận xét",
            ],
            widths: &[
                8.0, 16.0, 60.0, 10.0, 10.0, 12.0, 12.0, 8.0, 16.0, 10.0, 36.0,
            ],
            rows: items,
        },
        Sheet {
            name: "Chỉ tiêu theo chức vụ",
            header: &[
                "Đơn vị",
                "Chỉ tiêu",
                "Đơn vị: đã dự thi / cần (danh sách)",
                "Đơn vị",
                "Cả cấp dưới",
                "Đánh giá",
            ],
            widths: &[36.0, 30.0, 30.0, 10.0, 40.0, 10.0],
            rows: compliance_rows,
        },
    ])
}
