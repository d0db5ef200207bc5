//! Contest settings and round windows as organizers type them, checked field by field.
//! Settings only ever apply to attempts started after the change: a running attempt keeps
//! the questions it drew and the deadline it was given at its start.
//! Long because the contest form has many fields, each checked with its own message
//! (~150 lines), and because of its table tests (~230 lines).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::awards::{self, PrizeTier, TieBreak};
use super::integrity::{AnswerReview, StudyAnswers};
use super::ranking::CountingMode;
use super::scoring::DrawQuota;
use super::vntime::parse_vn_local;
use super::FieldError;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestForm {
    pub name: String,
    pub rules_text: String,
    pub min_age: String,
    pub questions_per_attempt: String,
    pub time_limit_minutes: String,
    pub grace_secs: String,
    pub max_attempts_per_round: String,
    pub points_per_question: String,
    /// A checkbox: present ("on") when participants may study the approved bank.
    #[serde(default)]
    pub bank_published: Option<String>,
    /// Which attempt counts when several are allowed: "best", "first" or "last".
    #[serde(default)]
    pub counting_mode: String,
    /// A checkbox: present when each attempt ends with the prediction question.
    #[serde(default)]
    pub prediction_enabled: Option<String>,
    #[serde(default)]
    pub prediction_prompt: String,
    /// The draw quotas, one per line: "topic | difficulty (1-3, or * for any) | count".
    #[serde(default)]
    pub quotas: String,
    /// The ranking chain, e.g. "score,elapsed,prediction" (see `awards::TieBreak`).
    #[serde(default)]
    pub rank_chain: String,
    /// The chain as the settings page's ordered choices, one code per link ("" for none);
    /// when any is chosen they replace `rank_chain`, which imports and exports keep using.
    #[serde(default)]
    pub rank_links: Vec<String>,
    /// A checkbox: only entries with every answer right are ranked.
    #[serde(default)]
    pub all_correct_only: Option<String>,
    /// What the prediction asks for: "all_correct" or "participants".
    #[serde(default)]
    pub prediction_target: String,
    /// A round's prizes, best first: "Nhất:1, Nhì:2, Ba:3, Khuyến khích:10".
    #[serde(default)]
    pub round_prizes: String,
    /// Prizes over the whole contest, best first, in the same form.
    #[serde(default)]
    pub overall_prizes: String,
    /// The round prizes as the settings page's rows (name, count, money); when any row is
    /// filled they replace `round_prizes`, which imports and exports keep using.
    #[serde(default)]
    pub round_prize_rows: Vec<PrizeRow>,
    /// The same for the prizes over the whole contest.
    #[serde(default)]
    pub overall_prize_rows: Vec<PrizeRow>,
    /// At most this share of the entrants (percent) gets a prize; empty for no cap.
    #[serde(default)]
    pub prize_cap_percent: String,
    /// A checkbox: a person wins at most one prize across the contest's rounds.
    #[serde(default)]
    pub one_prize_per_person: Option<String>,
    /// Minutes before a round closes when the public leaderboard freezes ("0": never).
    #[serde(default)]
    pub freeze_minutes: String,
    /// A checkbox: the live board shows nothing until each round's results time.
    #[serde(default)]
    pub board_hidden: Option<String>,
    /// What the study bank shows while a round is open (see `integrity::StudyAnswers`).
    #[serde(default)]
    pub study_answers: String,
    /// When a participant sees the key of an attempt (see `integrity::AnswerReview`).
    #[serde(default)]
    pub answer_review: String,
    /// The plausibility review's floor, in seconds per question.
    #[serde(default)]
    pub min_secs_per_question: String,
}

/// One prize tier as a form row: its name, how many, and the money per winner (optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrizeRow {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub amount: String,
}

/// The prizes as typed, or as filled in row by row (empty rows skipped; a row is written
/// "name:count[:money]" so that `parse_tiers` checks it like typed text, with its message).
pub fn prizes_text(typed: &str, rows: &[PrizeRow]) -> String {
    let filled: Vec<String> = rows
        .iter()
        .filter(|r| {
            [&r.name, &r.count, &r.amount]
                .iter()
                .any(|c| !c.trim().is_empty())
        })
        .map(|r| {
            let (name, count, amount) = (r.name.trim(), r.count.trim(), r.amount.trim());
            if amount.is_empty() {
                format!("{name}:{count}")
            } else {
                format!("{name}:{count}:{amount}")
            }
        })
        .collect();
    if filled.is_empty() {
        typed.to_string()
    } else {
        filled.join(", ")
    }
}

/// What the prediction question asks participants to predict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PredictionTarget {
    /// How many entries of the round will have every answer right.
    #[default]
    AllCorrect,
    /// How many people will take part in the round.
    Participants,
}

impl PredictionTarget {
    pub const ALL: [PredictionTarget; 2] =
        [PredictionTarget::AllCorrect, PredictionTarget::Participants];

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "all_correct" => Some(Self::AllCorrect),
            "participants" => Some(Self::Participants),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AllCorrect => "all_correct",
            Self::Participants => "participants",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AllCorrect => "Số bài thi trả lời đúng tất cả các câu",
            Self::Participants => "Số người tham gia vòng thi",
        }
    }
}

/// The plausibility review's default floor: faster than this per question, nobody reads.
pub const DEFAULT_MIN_SECS_PER_QUESTION: i64 = 3;

/// The chain a contest ranks by when the organizer leaves it blank.
pub const DEFAULT_RANK_CHAIN: &str = "score,elapsed";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContestSettings {
    pub name: String,
    pub rules_text: String,
    pub min_age: i64,
    pub questions_per_attempt: i64,
    pub time_limit_secs: i64,
    pub grace_secs: i64,
    pub max_attempts_per_round: i64,
    pub points_per_question: i64,
    pub bank_published: bool,
    pub counting_mode: CountingMode,
    pub prediction_enabled: bool,
    pub prediction_prompt: String,
    pub rank_chain: Vec<TieBreak>,
    pub all_correct_only: bool,
    pub prediction_target: PredictionTarget,
    pub round_prizes: Vec<PrizeTier>,
    pub overall_prizes: Vec<PrizeTier>,
    pub prize_cap_percent: Option<i64>,
    pub one_prize_per_person: bool,
    pub freeze_minutes: i64,
    pub board_hidden: bool,
    pub study_answers: StudyAnswers,
    pub answer_review: AnswerReview,
    pub min_secs_per_question: i64,
}

/// The prompt a contest asks when it enables the prediction question and leaves it blank.
pub const DEFAULT_PREDICTION_PROMPT: &str =
    "Dự đoán có bao nhiêu người trả lời đúng tất cả các câu hỏi của vòng thi này?";

fn checked(box_value: &Option<String>) -> bool {
    box_value
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn number(
    raw: &str,
    field: &str,
    label: &str,
    range: std::ops::RangeInclusive<i64>,
    errors: &mut Vec<FieldError>,
) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.push(FieldError::new(
                field,
                format!(
                    "{label} phải là số nguyên từ {} đến {}.",
                    range.start(),
                    range.end()
                ),
            ));
            *range.start()
        }
    }
}

/// The chain as typed, or as picked link by link on the settings page.
fn chain_text(f: &ContestForm) -> String {
    let links: Vec<&str> = f
        .rank_links
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if links.is_empty() {
        f.rank_chain.clone()
    } else {
        links.join(",")
    }
}

pub fn parse_contest_form(f: &ContestForm) -> Result<ContestSettings, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = f.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.push(FieldError::new("name", "Vui lòng nhập tên cuộc thi."));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new("name", "Tên cuộc thi dài quá 200 ký tự."));
    }
    let settings = ContestSettings {
        rules_text: f.rules_text.trim().to_string(),
        min_age: number(
            &f.min_age,
            "min_age",
            "Tuổi tối thiểu",
            0..=100,
            &mut errors,
        ),
        questions_per_attempt: number(
            &f.questions_per_attempt,
            "questions_per_attempt",
            "Số câu hỏi mỗi lượt",
            1..=200,
            &mut errors,
        ),
        time_limit_secs: number(
            &f.time_limit_minutes,
            "time_limit_minutes",
            "Thời gian làm bài (phút)",
            1..=600,
            &mut errors,
        ) * 60,
        grace_secs: number(
            &f.grace_secs,
            "grace_secs",
            "Thời gian gia hạn (giây)",
            0..=300,
            &mut errors,
        ),
        max_attempts_per_round: number(
            &f.max_attempts_per_round,
            "max_attempts_per_round",
            "Số lượt thi mỗi vòng",
            1..=100,
            &mut errors,
        ),
        points_per_question: number(
            &f.points_per_question,
            "points_per_question",
            "Điểm mỗi câu",
            1..=100,
            &mut errors,
        ),
        bank_published: checked(&f.bank_published),
        counting_mode: match f.counting_mode.trim() {
            "" => CountingMode::Best,
            m => CountingMode::parse(m).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "counting_mode",
                    "Cách tính lượt thi phải là lượt cao nhất, lượt đầu tiên hoặc lượt cuối cùng.",
                ));
                CountingMode::Best
            }),
        },
        prediction_enabled: checked(&f.prediction_enabled),
        rank_chain: match chain_text(f).trim() {
            "" => awards::parse_chain(DEFAULT_RANK_CHAIN).unwrap_or_default(),
            c => awards::parse_chain(c).unwrap_or_else(|m| {
                errors.push(FieldError::new("rank_chain", &m));
                Vec::new()
            }),
        },
        all_correct_only: checked(&f.all_correct_only),
        prediction_target: match f.prediction_target.trim() {
            "" => PredictionTarget::AllCorrect,
            t => PredictionTarget::parse(t).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "prediction_target",
                    "Nội dung dự đoán phải là số bài đúng tất cả hoặc số người tham gia.",
                ));
                PredictionTarget::AllCorrect
            }),
        },
        round_prizes: awards::parse_tiers(&prizes_text(&f.round_prizes, &f.round_prize_rows))
            .unwrap_or_else(|m| {
                errors.push(FieldError::new("round_prizes", &m));
                Vec::new()
            }),
        overall_prizes: awards::parse_tiers(&prizes_text(&f.overall_prizes, &f.overall_prize_rows))
            .unwrap_or_else(|m| {
                errors.push(FieldError::new("overall_prizes", &m));
                Vec::new()
            }),
        prize_cap_percent: match f.prize_cap_percent.trim().trim_end_matches('%').trim() {
            "" => None,
            c => match c.parse::<i64>() {
                Ok(n) if (1..=100).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "prize_cap_percent",
                        "Tỷ lệ giải tối đa phải là số nguyên từ 1 đến 100 (%), hoặc để trống.",
                    ));
                    None
                }
            },
        },
        one_prize_per_person: checked(&f.one_prize_per_person),
        board_hidden: checked(&f.board_hidden),
        study_answers: match f.study_answers.trim() {
            "" => StudyAnswers::default(),
            v => StudyAnswers::parse(v).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "study_answers",
                    "Cách công bố đáp án khi ôn tập phải là công bố, giữ đến khi vòng đóng, hoặc bộ ôn tập riêng.",
                ));
                StudyAnswers::default()
            }),
        },
        answer_review: match f.answer_review.trim() {
            "" => AnswerReview::default(),
            v => AnswerReview::parse(v).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "answer_review",
                    "Thời điểm xem đáp án phải là không bao giờ, sau lượt cuối, hoặc sau khi vòng đóng.",
                ));
                AnswerReview::default()
            }),
        },
        min_secs_per_question: match f.min_secs_per_question.trim() {
            "" => DEFAULT_MIN_SECS_PER_QUESTION,
            v => number(
                v,
                "min_secs_per_question",
                "Số giây tối thiểu mỗi câu",
                0..=600,
                &mut errors,
            ),
        },
        freeze_minutes: match f.freeze_minutes.trim() {
            "" => 0,
            m => number(
                m,
                "freeze_minutes",
                "Số phút tạm dừng bảng xếp hạng",
                0..=10_080,
                &mut errors,
            ),
        },
        prediction_prompt: match f
            .prediction_prompt
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
        {
            p if p.is_empty() && checked(&f.prediction_enabled) => DEFAULT_PREDICTION_PROMPT.into(),
            p => p,
        },
        name,
    };
    if settings.rank_chain.contains(&TieBreak::Prediction) && !settings.prediction_enabled {
        errors.push(FieldError::new(
            "rank_chain",
            "Tiêu chí “dự đoán” cần bật câu hỏi dự đoán.",
        ));
    }
    if settings.prediction_prompt.chars().count() > 500 {
        errors.push(FieldError::new(
            "prediction_prompt",
            "Câu hỏi dự đoán dài quá 500 ký tự.",
        ));
    }
    if f.rules_text.chars().count() > 20_000 {
        errors.push(FieldError::new(
            "rules_text",
            "Thể lệ dài quá 20.000 ký tự.",
        ));
    }
    if errors.is_empty() {
        Ok(settings)
    } else {
        Err(errors)
    }
}

/// Reads the draw quotas typed one per line as "topic | difficulty | count" (difficulty 1, 2,
/// 3, or * for any). Every problem is reported with its line; the counts must add up to the
/// questions per attempt, and a topic is split either by difficulty or not at all.
pub fn parse_quotas(
    text: &str,
    topics: &[String],
    questions_per_attempt: i64,
) -> Result<Vec<DrawQuota>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut quotas: Vec<(usize, DrawQuota)> = Vec::new();
    let err = |line: usize, msg: String| FieldError::new("quotas", format!("Dòng {line}: {msg}"));
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = raw.split(['|', ';', '\t']).map(str::trim).collect();
        if parts.len() != 3 {
            errors.push(err(
                line,
                "cần đúng 3 phần “chủ đề | mức độ | số câu”.".into(),
            ));
            continue;
        }
        let topic = parts[0].split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(topic) = topics
            .iter()
            .find(|t| super::search::fold(t) == super::search::fold(&topic))
        else {
            errors.push(err(
                line,
                format!("chủ đề “{topic}” không có trong danh sách chủ đề của cuộc thi."),
            ));
            continue;
        };
        let difficulty = match parts[1] {
            "*" | "" => None,
            "1" => Some(1),
            "2" => Some(2),
            "3" => Some(3),
            _ => {
                errors.push(err(
                    line,
                    "mức độ phải là 1, 2, 3 hoặc * (mọi mức độ).".into(),
                ));
                continue;
            }
        };
        let count = match parts[2].parse::<u32>() {
            Ok(n) if (1..=200).contains(&n) => n,
            _ => {
                errors.push(err(line, "số câu phải là số nguyên dương.".into()));
                continue;
            }
        };
        if let Some((first, _)) = quotas.iter().find(|(_, q)| {
            q.topic == *topic
                && (q.difficulty.is_none() || difficulty.is_none() || q.difficulty == difficulty)
        }) {
            errors.push(err(
                line,
                format!("trùng hoặc chồng lên dòng {first} (cùng chủ đề, mức độ)."),
            ));
            continue;
        }
        quotas.push((
            line,
            DrawQuota {
                topic: topic.clone(),
                difficulty,
                count,
            },
        ));
    }
    let total: i64 = quotas.iter().map(|(_, q)| i64::from(q.count)).sum();
    if errors.is_empty() && !quotas.is_empty() && total != questions_per_attempt {
        errors.push(FieldError::new(
            "quotas",
            format!(
                "Tổng số câu theo phân bổ ({total}) phải bằng số câu hỏi mỗi lượt ({questions_per_attempt})."
            ),
        ));
    }
    if errors.is_empty() {
        Ok(quotas.into_iter().map(|(_, q)| q).collect())
    } else {
        Err(errors)
    }
}

/// The quotas as the form shows them, one per line.
pub fn format_quotas(quotas: &[DrawQuota]) -> String {
    quotas
        .iter()
        .map(|q| {
            let d = q.difficulty.map_or("*".to_string(), |d| d.to_string());
            format!("{} | {d} | {}", q.topic, q.count)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundSettings {
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// When the round's results are published; `None` until the committee sets it.
    pub results_at: Option<DateTime<Utc>>,
}

pub fn parse_round_form(
    name: &str,
    opens: &str,
    closes: &str,
    results: &str,
) -> Result<RoundSettings, Vec<FieldError>> {
    let mut errors = Vec::new();
    let results_at = match results.trim() {
        "" => None,
        r => {
            let t = parse_vn_local(r);
            if t.is_none() {
                errors.push(FieldError::new(
                    "results_at",
                    "Thời điểm công bố kết quả không hợp lệ.",
                ));
            }
            t
        }
    };
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.push(FieldError::new("name", "Vui lòng nhập tên vòng thi."));
    }
    let opens_at = parse_vn_local(opens);
    let closes_at = parse_vn_local(closes);
    if opens_at.is_none() {
        errors.push(FieldError::new(
            "opens_at",
            "Thời điểm mở vòng thi không hợp lệ.",
        ));
    }
    if closes_at.is_none() {
        errors.push(FieldError::new(
            "closes_at",
            "Thời điểm đóng vòng thi không hợp lệ.",
        ));
    }
    match (opens_at, closes_at) {
        (Some(_), Some(c)) if errors.is_empty() && results_at.is_some_and(|r| r < c) => {
            Err(vec![FieldError::new(
                "results_at",
                "Thời điểm công bố kết quả phải từ lúc đóng vòng thi trở đi.",
            )])
        }
        (Some(o), Some(c)) if o < c && errors.is_empty() => Ok(RoundSettings {
            name,
            opens_at: o,
            closes_at: c,
            results_at,
        }),
        (Some(_), Some(_)) if errors.is_empty() => Err(vec![FieldError::new(
            "closes_at",
            "Thời điểm đóng phải sau thời điểm mở.",
        )]),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ContestForm {
        ContestForm {
            name: "Cuộc thi".into(),
            rules_text: "Thể lệ".into(),
            min_age: "15".into(),
            questions_per_attempt: "20".into(),
            time_limit_minutes: "30".into(),
            grace_secs: "15".into(),
            max_attempts_per_round: "3".into(),
            points_per_question: "5".into(),
            bank_published: Some("on".into()),
            counting_mode: "last".into(),
            prediction_enabled: Some("on".into()),
            prediction_prompt: "".into(),
            quotas: "".into(),
            rank_chain: "".into(),
            rank_links: Vec::new(),
            all_correct_only: None,
            prediction_target: "".into(),
            round_prizes: "Nhất:1, Nhì:2".into(),
            overall_prizes: "".into(),
            round_prize_rows: Vec::new(),
            overall_prize_rows: Vec::new(),
            prize_cap_percent: "".into(),
            one_prize_per_person: None,
            freeze_minutes: "".into(),
            board_hidden: None,
            study_answers: "".into(),
            answer_review: "".into(),
            min_secs_per_question: "".into(),
        }
    }

    #[test]
    fn contest_form_table() {
        let ok = parse_contest_form(&form()).unwrap();
        assert_eq!(
            (
                ok.time_limit_secs,
                ok.questions_per_attempt,
                ok.bank_published
            ),
            (1800, 20, true)
        );
        assert_eq!(ok.counting_mode, CountingMode::Last);
        assert!(ok.prediction_enabled);
        assert_eq!(ok.prediction_prompt, DEFAULT_PREDICTION_PROMPT);
        assert!(
            !parse_contest_form(&ContestForm {
                bank_published: None,
                ..form()
            })
            .unwrap()
            .bank_published
        );
        let bad = |f: ContestForm| -> Vec<String> {
            parse_contest_form(&f)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            bad(ContestForm {
                name: " ".into(),
                ..form()
            }),
            ["name"]
        );
        assert_eq!(
            bad(ContestForm {
                questions_per_attempt: "0".into(),
                ..form()
            }),
            ["questions_per_attempt"]
        );
        assert_eq!(
            bad(ContestForm {
                time_limit_minutes: "abc".into(),
                ..form()
            }),
            ["time_limit_minutes"]
        );
        assert_eq!(
            bad(ContestForm {
                grace_secs: "-1".into(),
                ..form()
            }),
            ["grace_secs"]
        );
        assert_eq!(
            bad(ContestForm {
                max_attempts_per_round: "101".into(),
                points_per_question: "".into(),
                ..form()
            }),
            ["max_attempts_per_round", "points_per_question"]
        );
        assert_eq!(
            bad(ContestForm {
                counting_mode: "average".into(),
                ..form()
            }),
            ["counting_mode"]
        );
        assert_eq!(ok.rank_chain, [TieBreak::Score, TieBreak::Elapsed]);
        // Picked link by link on the page: the choices left empty are skipped, and they win
        // over the typed codes.
        let picked = parse_contest_form(&ContestForm {
            rank_chain: "score".into(),
            rank_links: vec!["prediction".into(), "".into(), "elapsed".into(), "".into()],
            ..form()
        })
        .unwrap();
        assert_eq!(picked.rank_chain, [TieBreak::Prediction, TieBreak::Elapsed]);
        let twice = ContestForm {
            rank_links: vec!["score".into(), "score".into()],
            ..form()
        };
        assert!(parse_contest_form(&twice).is_err());
        assert_eq!(ok.round_prizes.len(), 2);
        // Filled in row by row on the page (Quảng Trị's four of each, with money); empty rows
        // are skipped, and the rows win over the typed text.
        let row = |n: &str, c: &str, a: &str| PrizeRow {
            name: n.into(),
            count: c.into(),
            amount: a.into(),
        };
        let rows = parse_contest_form(&ContestForm {
            round_prize_rows: vec![
                row("Nhất", "4", "500.000"),
                row("", "", ""),
                row(" Nhì ", "4", "300.000"),
                row("Ba", "4", ""),
            ],
            ..form()
        })
        .unwrap();
        assert_eq!(
            awards::format_tiers(&rows.round_prizes),
            "Nhất:4:500.000, Nhì:4:300.000, Ba:4"
        );
        let half = ContestForm {
            overall_prize_rows: vec![row("Nhất", "", "")],
            ..form()
        };
        assert_eq!(bad(half), ["overall_prizes"]);
        assert_eq!(
            bad(ContestForm {
                rank_chain: "score,luck".into(),
                round_prizes: "Nhất".into(),
                prize_cap_percent: "0".into(),
                prediction_target: "weather".into(),
                ..form()
            }),
            [
                "rank_chain",
                "prediction_target",
                "round_prizes",
                "prize_cap_percent"
            ]
        );
        // Ranking by prediction needs the prediction question.
        assert_eq!(
            bad(ContestForm {
                rank_chain: "score,prediction".into(),
                prediction_enabled: None,
                ..form()
            }),
            ["rank_chain"]
        );
        let off = parse_contest_form(&ContestForm {
            counting_mode: "".into(),
            prediction_enabled: None,
            ..form()
        })
        .unwrap();
        assert_eq!(
            (
                off.counting_mode,
                off.prediction_enabled,
                off.prediction_prompt.as_str()
            ),
            (CountingMode::Best, false, "")
        );
    }

    #[test]
    fn quota_lines_table() {
        let topics = vec!["PAR Index".to_string(), "Đề án 06".to_string()];
        let ok = parse_quotas("PAR Index | 1 | 12\n\nde an 06; * ; 8\n", &topics, 20).unwrap();
        assert_eq!(
            ok,
            vec![
                DrawQuota {
                    topic: "PAR Index".into(),
                    difficulty: Some(1),
                    count: 12
                },
                DrawQuota {
                    topic: "Đề án 06".into(),
                    difficulty: None,
                    count: 8
                },
            ]
        );
        assert_eq!(format_quotas(&ok), "PAR Index | 1 | 12\nĐề án 06 | * | 8");
        assert!(parse_quotas("  \n", &topics, 20).unwrap().is_empty());
        let messages = |text: &str| -> Vec<String> {
            parse_quotas(text, &topics, 20)
                .unwrap_err()
                .into_iter()
                .map(|e| e.message)
                .collect()
        };
        assert_eq!(
            messages("PCI | 1 | 5\nPAR Index | 4 | 5\nPAR Index | 1 | không\nPAR Index 20"),
            [
                "Dòng 1: chủ đề “PCI” không có trong danh sách chủ đề của cuộc thi.",
                "Dòng 2: mức độ phải là 1, 2, 3 hoặc * (mọi mức độ).",
                "Dòng 3: số câu phải là số nguyên dương.",
                "Dòng 4: cần đúng 3 phần “chủ đề | mức độ | số câu”.",
            ]
        );
        assert_eq!(
            messages("PAR Index | 1 | 10\nPAR Index | * | 10"),
            ["Dòng 2: trùng hoặc chồng lên dòng 1 (cùng chủ đề, mức độ)."]
        );
        assert_eq!(
            messages("PAR Index | 1 | 10\nPAR Index | 2 | 8"),
            ["Tổng số câu theo phân bổ (18) phải bằng số câu hỏi mỗi lượt (20)."]
        );
    }

    #[test]
    fn round_form_table() {
        let ok = parse_round_form("Tuần 1", "2026-11-23T08:00", "2026-11-29T22:00", "").unwrap();
        assert_eq!(ok.results_at, None);
        let published = parse_round_form(
            "Tuần 1",
            "2026-11-23T08:00",
            "2026-11-29T22:00",
            "2026-11-29T22:00",
        )
        .unwrap();
        assert_eq!(published.results_at, Some(published.closes_at));
        let fields = |n: &str, o: &str, c: &str| -> Vec<String> {
            parse_round_form(n, o, c, "")
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields("Tuần 1", "2026-11-29T22:00", "2026-11-23T08:00"),
            ["closes_at"]
        );
        assert_eq!(
            fields("Tuần 1", "2026-11-23T08:00", "2026-11-23T08:00"),
            ["closes_at"]
        );
        assert_eq!(fields("", "x", ""), ["name", "opens_at", "closes_at"]);
        let early = |r: &str| -> Vec<String> {
            parse_round_form("Tuần 1", "2026-11-23T08:00", "2026-11-29T22:00", r)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(early("2026-11-29T21:59"), ["results_at"]);
        assert_eq!(early("mai"), ["results_at"]);
    }
}
