//! Contest settings and round windows as organizers type them, checked field by field.
//! Settings only ever apply to attempts started after the change: a running attempt keeps
//! the questions it drew and the deadline it was given at its start.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

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
}

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
                &format!(
                    "{label} phải là số nguyên từ {} đến {}.",
                    range.start(),
                    range.end()
                ),
            ));
            *range.start()
        }
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
        bank_published: f
            .bank_published
            .as_deref()
            .is_some_and(|v| !v.is_empty() && v != "0" && v != "false"),
        name,
    };
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

fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

/// "2026-11-23T08:00" typed in Vietnam time (an `<input type=datetime-local>`) as a UTC instant.
pub fn parse_vn_local(raw: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    vietnam()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The value for an `<input type=datetime-local>` showing `t` in Vietnam time.
pub fn format_vn_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&vietnam())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundSettings {
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

pub fn parse_round_form(
    name: &str,
    opens: &str,
    closes: &str,
) -> Result<RoundSettings, Vec<FieldError>> {
    let mut errors = Vec::new();
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
        (Some(o), Some(c)) if o < c && errors.is_empty() => Ok(RoundSettings {
            name,
            opens_at: o,
            closes_at: c,
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
    }

    #[test]
    fn vietnam_local_times() {
        let t = parse_vn_local("2026-11-23T08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-23T01:00:00+00:00");
        assert_eq!(format_vn_local(t), "2026-11-23T08:00");
        assert!(parse_vn_local("23/11/2026 08:00").is_none());
        assert!(parse_vn_local("").is_none());
    }

    #[test]
    fn round_form_table() {
        assert!(parse_round_form("Tuần 1", "2026-11-23T08:00", "2026-11-29T22:00").is_ok());
        let fields = |n: &str, o: &str, c: &str| -> Vec<String> {
            parse_round_form(n, o, c)
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
    }
}
