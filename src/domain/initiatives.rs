//! Initiative contests (sáng kiến): submissions before a deadline, a jury scoring against a
//! rubric, combined scores and prizes. An entry's files: `entry_files`; what units must
//! submit: `entry_requirements`. Pure: every function that depends on time takes `now`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::awards::{award, parse_tiers, AwardRules, Candidate, Placed, PrizeTier};
use super::ranking::competition_ranks;
use super::FieldError;

pub use super::entry_files::{sniff, FileType};
use super::entry_requirements::{parse_requirements, Requirement, UnitRef};

/// Entries are accepted up to and including the deadline minute ("chậm nhất ngày ...").
pub fn check_submission_open(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), String> {
    if now > deadline {
        Err("Đã hết hạn nộp bài dự thi.".into())
    } else {
        Ok(())
    }
}

/// Results are public once the committee has published them and their time has come.
pub fn results_visible(
    published_at: Option<DateTime<Utc>>,
    results_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    published_at.is_some() && now >= results_at
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    pub max: u32,
}

fn lines(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(['\n', ';'])
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
}

/// Topics, one per line.
pub fn parse_topics(s: &str) -> Vec<String> {
    lines(s).collect()
}

/// Rubric criteria, one "name: max points" per line, most important first (the order also
/// breaks ties between entries, see `rank`).
pub fn parse_rubric(s: &str) -> Result<Vec<Criterion>, String> {
    let mut out: Vec<Criterion> = Vec::new();
    for line in lines(s) {
        let (name, max) = line
            .rsplit_once(':')
            .ok_or_else(|| format!("“{line}”: cần dạng “tiêu chí: điểm tối đa”."))?;
        let name = name.trim().to_string();
        let max: u32 = max
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| format!("“{line}”: điểm tối đa phải là số nguyên từ 1 đến 1000."))?;
        if name.is_empty() {
            return Err(format!("“{line}”: thiếu tên tiêu chí."));
        }
        if out.iter().any(|c| c.name == name) {
            return Err(format!("Tiêu chí “{name}” bị lặp lại."));
        }
        out.push(Criterion { name, max });
    }
    if out.is_empty() {
        return Err("Cần ít nhất một tiêu chí chấm điểm.".into());
    }
    Ok(out)
}

/// A contest's settings as typed in the committee's form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeForm {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    pub topics: String,
    pub rubric: String,
    pub prizes: String,
    #[serde(default)]
    pub requirements: String,
    /// `datetime-local` in Vietnam time.
    pub deadline: String,
    pub results_at: String,
    /// The rules (Thể lệ), free text shown on the contest's page.
    #[serde(default)]
    pub rules_text: String,
    /// The forwarding package's cover letter: who sends it ("UBND thị xã Đông Hòa"), to whom
    /// ("Sở Nội vụ tỉnh Phú Yên") and its wording.
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub recipient: String,
    #[serde(default)]
    pub letter: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidInitiative {
    pub name: String,
    pub topics: Vec<String>,
    pub rubric: Vec<Criterion>,
    pub prizes: Vec<PrizeTier>,
    pub requirements: Vec<Requirement>,
    pub deadline: DateTime<Utc>,
    pub results_at: DateTime<Utc>,
    pub rules_text: String,
    pub issuer: String,
    pub recipient: String,
    pub letter: String,
}

/// Free text: lines kept, each line's spaces squashed, blank lines at the ends dropped.
fn paragraphs(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string()
}

/// Checks the committee's form; the requirements may name any of `units`.
pub fn validate_contest(
    f: &InitiativeForm,
    units: &[UnitRef],
) -> Result<ValidInitiative, Vec<FieldError>> {
    use super::vntime::parse_vn_local;
    let mut errors = Vec::new();
    let name = f.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "Tên cuộc thi cần từ 1 đến 200 ký tự.",
        ));
    }
    let topics = parse_topics(&f.topics);
    if topics.is_empty() {
        errors.push(FieldError::new("topics", "Cần ít nhất một chủ đề."));
    }
    let rubric = parse_rubric(&f.rubric).unwrap_or_else(|e| {
        errors.push(FieldError::new("rubric", &e));
        Vec::new()
    });
    let prizes = match parse_tiers(&f.prizes) {
        Ok(t) if t.is_empty() => {
            errors.push(FieldError::new(
                "prizes",
                "Cần cơ cấu giải, ví dụ “Nhất:1, Nhì:2, Ba:3”.",
            ));
            t
        }
        Ok(t) => t,
        Err(e) => {
            errors.push(FieldError::new("prizes", &e));
            Vec::new()
        }
    };
    let requirements = parse_requirements(&f.requirements, units).unwrap_or_else(|e| {
        errors.push(FieldError::new("requirements", &e));
        Vec::new()
    });
    let deadline = parse_vn_local(&f.deadline);
    if deadline.is_none() {
        errors.push(FieldError::new("deadline", "Hạn nộp bài chưa hợp lệ."));
    }
    let results_at = parse_vn_local(&f.results_at);
    match (deadline, results_at) {
        (_, None) => errors.push(FieldError::new(
            "results_at",
            "Thời điểm công bố chưa hợp lệ.",
        )),
        (Some(d), Some(r)) if r < d => errors.push(FieldError::new(
            "results_at",
            "Thời điểm công bố kết quả phải sau hạn nộp bài.",
        )),
        _ => {}
    }
    let rules_text = paragraphs(&f.rules_text);
    let letter = paragraphs(&f.letter);
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (issuer, recipient) = (one_line(&f.issuer), one_line(&f.recipient));
    for (field, text, max) in [
        ("rules_text", &rules_text, 20_000),
        ("letter", &letter, 5_000),
        ("issuer", &issuer, 200),
        ("recipient", &recipient, 200),
    ] {
        if text.chars().count() > max {
            errors.push(FieldError::new(
                field,
                format!("Nội dung quá dài (tối đa {max} ký tự)."),
            ));
        }
    }
    match (errors.is_empty(), deadline, results_at) {
        (true, Some(deadline), Some(results_at)) => Ok(ValidInitiative {
            rules_text,
            issuer,
            recipient,
            letter,
            name,
            topics,
            rubric,
            prizes,
            requirements,
            deadline,
            results_at,
        }),
        _ => Err(errors),
    }
}

/// One juror's points for an entry, one per criterion, each within 0..=max.
pub fn validate_scores(rubric: &[Criterion], raw: &[String]) -> Result<Vec<u32>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut points = Vec::new();
    for (i, c) in rubric.iter().enumerate() {
        let field = format!("points.{i}");
        match raw.get(i).map(|s| s.trim()).unwrap_or("").parse::<u32>() {
            Ok(p) if p <= c.max => points.push(p),
            _ => errors.push(FieldError::new(
                &field,
                format!("“{}”: điểm phải là số nguyên từ 0 đến {}.", c.name, c.max),
            )),
        }
    }
    if raw.len() > rubric.len() {
        errors.push(FieldError::new("points", "Số điểm nhiều hơn số tiêu chí."));
    }
    if errors.is_empty() {
        Ok(points)
    } else {
        Err(errors)
    }
}

/// A juror's comments, one per criterion, each optional and at most 1,000 characters.
pub fn validate_comments(
    rubric: &[Criterion],
    raw: &[String],
) -> Result<Vec<String>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let out: Vec<String> = (0..rubric.len())
        .map(|i| {
            let c = raw
                .get(i)
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            if c.chars().count() > 1000 {
                errors.push(FieldError::new(
                    &format!("comments.{i}"),
                    format!("“{}”: nhận xét tối đa 1.000 ký tự.", rubric[i].name),
                ));
            }
            c
        })
        .collect();
    if raw.len() > rubric.len() {
        errors.push(FieldError::new(
            "comments",
            "Số nhận xét nhiều hơn số tiêu chí.",
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// `num / den` in hundredths, rounded half up (den > 0).
fn hundredths(num: u64, den: u64) -> i64 {
    ((num * 200 + den) / (2 * den)) as i64
}

/// An entry's combined score: the mean of its jurors' totals, in hundredths of a point, and
/// the mean per criterion (also in hundredths) for breaking ties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combined<K> {
    pub key: K,
    pub jurors: u32,
    pub total: i64,
    pub per_criterion: Vec<i64>,
}

/// Combines each juror's points (`juror_points`: one Vec per juror, one value per criterion).
/// `None` when nobody has scored the entry yet: such an entry is not ranked.
pub fn combine<K>(key: K, juror_points: &[Vec<u32>]) -> Option<Combined<K>> {
    let n = juror_points.len() as u64;
    if n == 0 {
        return None;
    }
    let criteria = juror_points.iter().map(Vec::len).max().unwrap_or(0);
    let total: u64 = juror_points
        .iter()
        .map(|p| p.iter().map(|&x| u64::from(x)).sum::<u64>())
        .sum();
    let per_criterion = (0..criteria)
        .map(|i| {
            let sum: u64 = juror_points
                .iter()
                .map(|p| u64::from(p.get(i).copied().unwrap_or(0)))
                .sum();
            hundredths(sum, n)
        })
        .collect();
    Some(Combined {
        key,
        jurors: n as u32,
        total: hundredths(total, n),
        per_criterion,
    })
}

/// Ranks combined entries: higher mean total first; equal totals are separated by the mean
/// of the first rubric criterion, then the second, and so on (the rubric lists the most
/// important criterion first). Entries equal on all of these share a rank (1, 2, 2, 4) and
/// therefore a prize.
pub fn rank<K: Clone + Ord>(entries: &[Combined<K>]) -> Vec<Placed<K>> {
    let mut sorted: Vec<&Combined<K>> = entries.iter().collect();
    let order_key = |c: &Combined<K>| (c.total, c.per_criterion.clone());
    sorted.sort_by(|a, b| {
        order_key(b)
            .cmp(&order_key(a))
            .then_with(|| a.key.cmp(&b.key))
    });
    let ranks = competition_ranks(&sorted, |a, b| order_key(a) == order_key(b));
    sorted
        .iter()
        .zip(ranks)
        .map(|(c, (rank, tied))| Placed {
            rank,
            entry: Candidate {
                key: c.key.clone(),
                score: c.total,
                all_correct: false,
                elapsed_ms: 0,
                prediction: None,
                attempts: 1,
                submitted_at: 0,
                registered_at: 0,
            },
            tied,
            decided_by: None,
        })
        .collect()
}

/// Prizes for ranked entries by the shared awards rule: a tie group is never split.
pub fn prizes<K: Clone + Ord>(placed: &[Placed<K>], tiers: &[PrizeTier]) -> Vec<(K, usize)> {
    award(
        placed,
        &AwardRules {
            tiers: tiers.to_vec(),
            cap_percent: None,
        },
        &BTreeSet::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn deadline_is_inclusive() {
        let d = DateTime::from_timestamp(1_723_741_200, 0).unwrap();
        let table = [
            (d - Duration::seconds(1), true),
            (d, true),
            (d + Duration::milliseconds(1), false),
            (d + Duration::days(1), false),
        ];
        for (now, ok) in table {
            assert_eq!(check_submission_open(d, now).is_ok(), ok, "{now}");
        }
    }

    #[test]
    fn results_only_when_published_and_due() {
        let r = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let p = Some(r - Duration::days(1));
        let table = [
            (None, r + Duration::days(1), false),
            (p, r - Duration::seconds(1), false),
            (p, r, true),
            (p, r + Duration::days(1), true),
        ];
        for (published, now, want) in table {
            assert_eq!(
                results_visible(published, r, now),
                want,
                "{published:?} {now}"
            );
        }
    }

    #[test]
    fn rubric_parses() {
        let r = parse_rubric("Tính mới: 30\nTính khả thi:40\n\nHiệu quả : 30").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!((r[1].name.as_str(), r[1].max), ("Tính khả thi", 40));
        assert!(parse_rubric("").is_err());
        assert!(parse_rubric("Tính mới").is_err());
        assert!(parse_rubric("Tính mới: 0").is_err());
        assert!(parse_rubric("A:10\nA:20").is_err());
    }

    #[test]
    fn contest_form_is_checked() {
        let ok = InitiativeForm {
            id: None,
            name: " Sáng kiến  CCHC 2024 ".into(),
            topics: "Cải cách thủ tục hành chính\nChuyển đổi số".into(),
            rubric: "Tính mới:40\nHiệu quả:60".into(),
            prizes: "Nhất:1, Nhì:1".into(),
            requirements: "ward:1\nschool: 2 video".into(),
            deadline: "2024-08-15T23:59".into(),
            results_at: "2024-09-01T08:00".into(),
            rules_text: "  Điều 1.  Đối tượng \n\nĐiều 2. Hình thức\n\n".into(),
            issuer: " UBND thị xã  Đông Hòa ".into(),
            recipient: "Sở Nội vụ tỉnh Phú Yên".into(),
            letter: String::new(),
        };
        let v = validate_contest(&ok, &[]).unwrap();
        assert_eq!(v.name, "Sáng kiến CCHC 2024");
        assert_eq!(v.topics.len(), 2);
        assert_eq!(v.rules_text, "Điều 1. Đối tượng\n\nĐiều 2. Hình thức");
        assert_eq!(v.issuer, "UBND thị xã Đông Hòa");
        let bad = InitiativeForm {
            results_at: "2024-08-01T08:00".into(),
            prizes: "".into(),
            rubric: "Tính mới".into(),
            ..ok.clone()
        };
        let fields: Vec<String> = validate_contest(&bad, &[])
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["rubric", "prizes", "results_at"]);
    }

    #[test]
    fn scores_stay_within_each_criterion() {
        let rubric = parse_rubric("A:10\nB:5").unwrap();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        type Want = Result<Vec<u32>, Vec<&'static str>>;
        let table: Vec<(Vec<String>, Want)> = vec![
            (s(&["10", "5"]), Ok(vec![10, 5])),
            (s(&["0", "0"]), Ok(vec![0, 0])),
            (s(&[" 7 ", "3"]), Ok(vec![7, 3])),
            (s(&["11", "5"]), Err(vec!["points.0"])),
            (s(&["10", "6"]), Err(vec!["points.1"])),
            (s(&["-1", "x"]), Err(vec!["points.0", "points.1"])),
            (s(&["1"]), Err(vec!["points.1"])),
            (s(&["1", "1", "1"]), Err(vec!["points"])),
        ];
        for (raw, want) in table {
            let got = validate_scores(&rubric, &raw)
                .map_err(|e| e.into_iter().map(|f| f.field).collect::<Vec<_>>());
            let want = want.map_err(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
            assert_eq!(got, want, "{raw:?}");
        }
    }

    #[test]
    fn combining_is_the_mean_of_totals_in_hundredths() {
        assert_eq!(combine(1, &[]), None);
        let c = combine(1, &[vec![10, 5], vec![7, 3]]).unwrap();
        // Totals 15 and 10: mean 12.50.
        assert_eq!(
            (c.jurors, c.total, c.per_criterion.clone()),
            (2, 1250, vec![850, 400])
        );
        // 10, 10, 11 -> 10.333.. -> 10.33; 2/3 -> 0.67 (half up).
        assert_eq!(
            combine(2, &[vec![10], vec![10], vec![11]]).unwrap().total,
            1033
        );
        assert_eq!(combine(3, &[vec![1], vec![1], vec![0]]).unwrap().total, 67);
    }

    #[test]
    fn ranking_breaks_ties_by_criteria_in_order_and_prizes_never_split_a_tie() {
        let entries = vec![
            // Same total 14; 'b' is better on the first criterion.
            combine('a', &[vec![6, 8]]).unwrap(),
            combine('b', &[vec![8, 6]]).unwrap(),
            // Exactly equal to 'a' on everything: shares its rank.
            combine('c', &[vec![6, 8]]).unwrap(),
            combine('d', &[vec![1, 1]]).unwrap(),
            combine('e', &[vec![10, 10]]).unwrap(),
        ];
        let placed = rank(&entries);
        let ranks: Vec<(char, u32)> = placed.iter().map(|p| (p.entry.key, p.rank)).collect();
        assert_eq!(ranks, [('e', 1), ('b', 2), ('a', 3), ('c', 3), ('d', 5)]);
        let tiers = parse_tiers("Nhất:1, Nhì:1, Ba:1").unwrap();
        // a and c tie for Ba: both get it, and nothing is left for d.
        assert_eq!(
            prizes(&placed, &tiers),
            [('e', 0), ('b', 1), ('a', 2), ('c', 2)]
        );
        // A tie for first overflows into the next tier instead of splitting.
        let two = vec![
            combine('x', &[vec![5]]).unwrap(),
            combine('y', &[vec![5]]).unwrap(),
        ];
        let placed = rank(&two);
        assert_eq!(
            prizes(&placed, &parse_tiers("Nhất:1, Nhì:1").unwrap()),
            [('x', 0), ('y', 0)]
        );
    }
}
