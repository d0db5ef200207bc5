//! Contests on one installation: their addresses (slugs), where they stand in time, and the
//! rules for creating, duplicating and scheduling them. Pure: every function that depends on
//! time takes `now`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::FieldError;

/// The query parameter that names the contest an organizer page works on.
pub const PARAM: &str = "cuoc-thi";

/// `path` with the contest named in its query (unchanged when `slug` is empty, so a single
/// contest installation keeps its short addresses).
pub fn with_contest(path: &str, slug: &str) -> String {
    if slug.is_empty() || path.contains(&format!("{PARAM}=")) {
        return path.to_string();
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}{PARAM}={slug}")
}

/// A readable address from a contest's name: "Tìm hiểu Cải cách hành chính 2024" ->
/// "tim-hieu-cai-cach-hanh-chinh-2024".
pub fn slugify(name: &str) -> String {
    let folded = super::search::fold(name);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    // Long names make long links; cut at a word boundary.
    if out.len() <= 60 {
        return out.to_string();
    }
    let cut = &out[..60];
    cut.rsplit_once('-')
        .map_or(cut, |(head, _)| head)
        .to_string()
}

/// The organizer's slug, or one made from the name; checked for shape.
pub fn parse_slug(slug: &str, name: &str) -> Result<String, FieldError> {
    let slug = slug.trim().to_lowercase();
    let slug = if slug.is_empty() { slugify(name) } else { slug };
    let shape_ok = !slug.is_empty()
        && slug.len() <= 80
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if shape_ok {
        Ok(slug)
    } else {
        Err(FieldError::new(
            "slug",
            "Địa chỉ chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ: cai-cach-hanh-chinh-2025).",
        ))
    }
}

/// The name of a new contest: one line, not empty, at most 200 characters.
pub fn parse_name(name: &str) -> Result<String, FieldError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err(FieldError::new("name", "Vui lòng nhập tên cuộc thi."))
    } else if name.chars().count() > 200 {
        Err(FieldError::new("name", "Tên cuộc thi dài quá 200 ký tự."))
    } else {
        Ok(name)
    }
}

/// How many days a duplicate's rounds move ("365", "-7"); at most about ten years either way.
pub fn parse_shift_days(s: &str) -> Result<i64, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0);
    }
    match s.parse::<i64>() {
        Ok(d) if d.abs() <= 3660 => Ok(d),
        _ => Err(FieldError::new(
            "shift_days",
            "Số ngày dời lịch phải là một số nguyên (ví dụ 365 hoặc 7), tối đa 3660.",
        )),
    }
}

pub fn shifted(at: i64, days: i64) -> i64 {
    at + Duration::days(days).num_milliseconds()
}

/// Where a contest stands, for the public list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContestStage {
    /// No round yet.
    Preparing,
    Upcoming,
    Open,
    Finished,
}

impl ContestStage {
    pub fn label(self) -> &'static str {
        match self {
            Self::Preparing => "Đang chuẩn bị",
            Self::Upcoming => "Sắp diễn ra",
            Self::Open => "Đang diễn ra",
            Self::Finished => "Đã kết thúc",
        }
    }
}

/// From the contest's first opening and last closing (`None`: no round).
pub fn stage(span: Option<(i64, i64)>, now: DateTime<Utc>) -> ContestStage {
    let now = now.timestamp_millis();
    match span {
        None => ContestStage::Preparing,
        Some((opens, _)) if now < opens => ContestStage::Upcoming,
        Some((_, closes)) if now < closes => ContestStage::Open,
        Some(_) => ContestStage::Finished,
    }
}

/// The first round among `others` (id, name, opens, closes) whose window overlaps
/// [opens, closes): rounds of one contest follow each other. Windows that only touch do not
/// overlap.
pub fn overlapping(opens: i64, closes: i64, others: &[(i64, String, i64, i64)]) -> Option<&str> {
    others
        .iter()
        .find(|(_, _, o, c)| opens < *c && *o < closes)
        .map(|(_, name, _, _)| name.as_str())
}

/// Until when a round's live board shows nothing, for a contest that hides it until the
/// results: the results time, or without one the prizes' publication; `Some(None)`: hidden
/// with no end known yet. `None`: shown.
pub fn board_hidden_until(
    hides: bool,
    results_at: Option<i64>,
    published_at: Option<i64>,
    now: i64,
) -> Option<Option<i64>> {
    if !hides {
        return None;
    }
    match results_at.or(published_at) {
        Some(t) if now >= t => None,
        until => Some(until),
    }
}

/// What a link to a contest shows when it is shared (Zalo, Facebook): its dates, the round
/// open now or next, and who organizes it. `rounds` are (name, opens, closes, open now).
pub fn share_description(rounds: &[(String, i64, i64, bool)], organizer: &str, now: i64) -> String {
    use super::vntime::format_vn_time;
    let mut parts = Vec::new();
    if let (Some(first), Some(last)) = (
        rounds.iter().map(|r| r.1).min(),
        rounds.iter().map(|r| r.2).max(),
    ) {
        parts.push(format!(
            "Từ {} đến {}",
            format_vn_time(first),
            format_vn_time(last)
        ));
    }
    if let Some(open) = rounds.iter().find(|r| r.3) {
        parts.push(format!(
            "Đang mở: {} (đến {})",
            open.0,
            format_vn_time(open.2)
        ));
    } else if let Some(next) = rounds.iter().filter(|r| r.1 > now).min_by_key(|r| r.1) {
        parts.push(format!("Sắp mở: {} ({})", next.0, format_vn_time(next.1)));
    }
    if !organizer.trim().is_empty() {
        parts.push(organizer.trim().to_string());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_link_says_when_and_who() {
        let at = |s: &str| {
            super::super::vntime::parse_vn_local(s)
                .unwrap()
                .timestamp_millis()
        };
        let rounds = [
            (
                "Tuần 1".to_string(),
                at("2023-09-18T08:30"),
                at("2023-09-24T16:30"),
                false,
            ),
            (
                "Tuần 2".to_string(),
                at("2023-09-25T08:30"),
                at("2023-10-01T16:30"),
                true,
            ),
        ];
        let cases = [
            (
                &rounds[..],
                "UBND thành phố",
                at("2023-09-26T00:00"),
                "Từ 08:30 18/09/2023 đến 16:30 01/10/2023 · Đang mở: Tuần 2 (đến 16:30 01/10/2023) · UBND thành phố",
            ),
            (
                &rounds[..1],
                "",
                at("2023-09-01T00:00"),
                "Từ 08:30 18/09/2023 đến 16:30 24/09/2023 · Sắp mở: Tuần 1 (08:30 18/09/2023)",
            ),
            (&[][..], "Ban Tổ chức", 0, "Ban Tổ chức"),
        ];
        for (rounds, organizer, now, want) in cases {
            assert_eq!(share_description(rounds, organizer, now), want);
        }
    }
    use chrono::TimeZone;

    #[test]
    fn slugs_are_readable_and_ascii() {
        for (name, slug) in [
            (
                "Tìm hiểu về cải cách hành chính và chuyển đổi số",
                "tim-hieu-ve-cai-cach-hanh-chinh-va-chuyen-doi-so",
            ),
            ("  Đắk Lắk 2023!  ", "dak-lak-2023"),
            ("Phường Hoài Xuân — năm 2024", "phuong-hoai-xuan-nam-2024"),
            ("???", ""),
        ] {
            assert_eq!(slugify(name), slug, "{name}");
        }
        let long = slugify(&"cải cách ".repeat(20));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn slugs_are_checked() {
        assert_eq!(parse_slug("", "Thi 2025").unwrap(), "thi-2025");
        assert_eq!(parse_slug(" Thi-2025 ", "x").unwrap(), "thi-2025");
        for bad in ["thi 2025", "thi_2025", "-thi", "thi-", "thí"] {
            assert!(parse_slug(bad, "x").is_err(), "{bad}");
        }
        assert!(parse_slug("", "???").is_err());
    }

    #[test]
    fn names_and_shifts_are_checked() {
        assert_eq!(parse_name("  Cuộc   thi  ").unwrap(), "Cuộc thi");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"a".repeat(201)).is_err());
        assert_eq!(parse_shift_days("").unwrap(), 0);
        assert_eq!(parse_shift_days("-7").unwrap(), -7);
        assert_eq!(parse_shift_days("365").unwrap(), 365);
        for bad in ["1.5", "x", "4000"] {
            assert!(parse_shift_days(bad).is_err(), "{bad}");
        }
        assert_eq!(shifted(0, 1), 86_400_000);
    }

    #[test]
    fn stages_follow_the_rounds() {
        let at = |h: i64| Utc.timestamp_millis_opt(h * 3_600_000).unwrap();
        let span = Some((10 * 3_600_000, 20 * 3_600_000));
        assert_eq!(stage(None, at(0)), ContestStage::Preparing);
        assert_eq!(stage(span, at(9)), ContestStage::Upcoming);
        assert_eq!(stage(span, at(10)), ContestStage::Open);
        assert_eq!(stage(span, at(19)), ContestStage::Open);
        assert_eq!(stage(span, at(20)), ContestStage::Finished);
    }

    #[test]
    fn rounds_may_touch_but_not_overlap() {
        let others = vec![
            (1, "Tuần 1".to_string(), 0, 10),
            (2, "Tuần 2".to_string(), 10, 20),
        ];
        assert_eq!(overlapping(20, 30, &others), None);
        assert_eq!(overlapping(-5, 0, &others), None);
        assert_eq!(overlapping(5, 8, &others), Some("Tuần 1"));
        assert_eq!(overlapping(9, 11, &others), Some("Tuần 1"));
        assert_eq!(overlapping(15, 40, &others), Some("Tuần 2"));
        assert_eq!(overlapping(-10, 100, &others), Some("Tuần 1"));
    }

    #[test]
    fn hidden_boards_open_at_the_results_time() {
        assert_eq!(board_hidden_until(false, Some(10), None, 0), None);
        assert_eq!(board_hidden_until(true, Some(10), None, 9), Some(Some(10)));
        assert_eq!(board_hidden_until(true, Some(10), None, 10), None);
        assert_eq!(board_hidden_until(true, None, None, 99), Some(None));
        assert_eq!(board_hidden_until(true, None, Some(50), 49), Some(Some(50)));
        assert_eq!(board_hidden_until(true, None, Some(50), 50), None);
    }

    #[test]
    fn addresses_carry_the_contest() {
        assert_eq!(with_contest("/quan-tri/cau-hoi", ""), "/quan-tri/cau-hoi");
        assert_eq!(
            with_contest("/quan-tri/cau-hoi", "a"),
            "/quan-tri/cau-hoi?cuoc-thi=a"
        );
        assert_eq!(
            with_contest("/quan-tri/cau-hoi?luu=1", "a"),
            "/quan-tri/cau-hoi?luu=1&cuoc-thi=a"
        );
        assert_eq!(with_contest("/x?cuoc-thi=b", "a"), "/x?cuoc-thi=b");
    }
}
