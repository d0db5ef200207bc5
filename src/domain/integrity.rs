//! What a participant may learn of the answer key, and when: the study bank while a round is
//! open, and the review of an attempt after it ends. A script that looks answers up in the
//! study bank, or in the review of a first attempt, must not win the round. Pure: the caller
//! says whether a round is open and how many attempts the person has used.

use serde::{Deserialize, Serialize};

/// What the study bank shows while a round of the contest is open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StudyAnswers {
    /// Every approved question with its answer, always (spreading knowledge is the aim).
    Publish,
    /// The answers of every question a round can draw stay hidden while a round is open.
    #[default]
    Hold,
    /// Participants study only the questions marked for study, which are never drawn.
    Separate,
}

impl StudyAnswers {
    pub const ALL: [StudyAnswers; 3] = [
        StudyAnswers::Publish,
        StudyAnswers::Hold,
        StudyAnswers::Separate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StudyAnswers::Publish => "publish",
            StudyAnswers::Hold => "hold",
            StudyAnswers::Separate => "separate",
        }
    }

    pub fn parse(s: &str) -> Option<StudyAnswers> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }

    /// The settings page's words for the choice.
    pub fn label(self) -> &'static str {
        match self {
            StudyAnswers::Publish => {
                "Công bố cả đáp án (người dự thi tra được đáp án cả khi vòng thi đang mở)"
            }
            StudyAnswers::Hold => "Giữ đáp án các câu có thể ra thi cho đến khi vòng thi đóng",
            StudyAnswers::Separate => {
                "Chỉ ôn tập bằng bộ câu hỏi ôn tập riêng (không dùng để ra thi)"
            }
        }
    }

    /// Whether a question appears in the study bank at all.
    pub fn lists(self, study_only: bool) -> bool {
        match self {
            StudyAnswers::Separate => study_only,
            StudyAnswers::Publish | StudyAnswers::Hold => true,
        }
    }

    /// Whether the study bank and practice show a listed question's answer now. A question
    /// for study only is never drawn, so its answer is never held.
    pub fn shows_answer(self, study_only: bool, round_open: bool) -> bool {
        match self {
            StudyAnswers::Publish | StudyAnswers::Separate => true,
            StudyAnswers::Hold => study_only || !round_open,
        }
    }
}

/// When a participant sees which answers of an attempt were right.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerReview {
    /// Only the score, never the key.
    Never,
    /// After the person's last allowed attempt of the round (or once the round has closed).
    #[default]
    AfterLastAttempt,
    /// Once the round has closed.
    AfterClose,
}

impl AnswerReview {
    pub const ALL: [AnswerReview; 3] = [
        AnswerReview::Never,
        AnswerReview::AfterLastAttempt,
        AnswerReview::AfterClose,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AnswerReview::Never => "never",
            AnswerReview::AfterLastAttempt => "after_last",
            AnswerReview::AfterClose => "after_close",
        }
    }

    pub fn parse(s: &str) -> Option<AnswerReview> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            AnswerReview::Never => "Không bao giờ (chỉ báo điểm)",
            AnswerReview::AfterLastAttempt => "Sau lượt thi cuối cùng được phép của vòng",
            AnswerReview::AfterClose => "Sau khi vòng thi đóng",
        }
    }

    /// Whether a finished attempt's review shows the key: `used` attempts of `allowed` in the
    /// round, and whether the round has closed.
    pub fn shows_key(self, used: i64, allowed: i64, round_closed: bool) -> bool {
        match self {
            AnswerReview::Never => false,
            AnswerReview::AfterLastAttempt => round_closed || used >= allowed,
            AnswerReview::AfterClose => round_closed,
        }
    }

    /// What the result page says when the key is withheld.
    pub fn withheld_note(self) -> &'static str {
        match self {
            AnswerReview::Never => "Ban Tổ chức không công bố đáp án của bài thi.",
            AnswerReview::AfterLastAttempt => {
                "Đáp án được hiển thị sau lượt thi cuối cùng của bạn trong vòng này, hoặc khi vòng thi đóng."
            }
            AnswerReview::AfterClose => "Đáp án được hiển thị khi vòng thi đóng.",
        }
    }
}

/// What the plausibility review knows of one final entry of a round.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryTrace {
    pub attempt_id: i64,
    pub user_id: i64,
    pub questions: u32,
    pub started_at: i64,
    pub elapsed_ms: i64,
    pub started_from: String,
    pub started_device: String,
    pub registered_at: i64,
    pub registered_from: String,
    pub registered_device: String,
    /// The stored answers: (moment saved in ms, question number, option id), any order.
    pub saves: Vec<(i64, u32, Option<i64>)>,
}

/// Why an entry deserves a look before prizes, with the evidence. A flag never changes a
/// rank: the committee decides, and sets an entry aside with a reason of its own.
#[derive(Clone, Debug, PartialEq)]
pub enum Flag {
    /// Finished faster than the floor: (seconds per question taken, the floor).
    TooFast { secs_per_question: f64, floor: i64 },
    /// Other accounts registered or entered from the same browser: their user ids.
    SharedDevice { others: Vec<i64> },
    /// Several accounts registered from one address within minutes: their user ids.
    RegisteredTogether { address: String, others: Vec<i64> },
    /// The same answers, saved at the same pace, as other entries: their attempt ids.
    SameTimeline { others: Vec<i64> },
    /// Most answers saved faster than anyone reads: (how many of how many under a second).
    MachineSpeed { quick: usize, of: usize },
}

/// The flags of one entry.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryFlags {
    pub attempt_id: i64,
    pub user_id: i64,
    pub flags: Vec<Flag>,
}

impl Flag {
    /// The evidence in the committee's words.
    pub fn describe(&self) -> String {
        let ids = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        match self {
            Flag::TooFast {
                secs_per_question,
                floor,
            } => format!(
                "Làm bài quá nhanh: {secs_per_question:.1} giây mỗi câu (ngưỡng {floor} giây)."
            ),
            Flag::SharedDevice { others } => format!(
                "Cùng trình duyệt với tài khoản khác đã đăng ký hoặc dự thi (mã: {}).",
                ids(others)
            ),
            Flag::RegisteredTogether { address, others } => format!(
                "Nhiều tài khoản đăng ký từ địa chỉ {address} trong vài phút (mã: {}).",
                ids(others)
            ),
            Flag::SameTimeline { others } => format!(
                "Đáp án và nhịp lưu bài trùng với bài thi khác (mã bài: {}).",
                ids(others)
            ),
            Flag::MachineSpeed { quick, of } => format!(
                "{quick}/{of} câu được lưu chưa đầy một giây sau câu trước: nhanh hơn tốc độ đọc."
            ),
        }
    }
}

/// Accounts registered from one address within this window count as "together".
pub const TOGETHER_WINDOW_MS: i64 = 10 * 60_000;
/// How many accounts from one address within the window make a flag (a ward office's few
/// colleagues registering together do not).
pub const TOGETHER_ACCOUNTS: usize = 5;
/// A save this soon after the one before is faster than anyone reads a question.
pub const READING_MS: i64 = 1_000;
/// Timelines are compared only with at least this many answers.
const MIN_TIMELINE: usize = 5;

/// Flags the entries of a round that deserve a look (those with no flag are left out).
pub fn plausibility(entries: &[EntryTrace], floor_secs: i64) -> Vec<EntryFlags> {
    use std::collections::BTreeMap;
    // Browsers and addresses shared between accounts.
    let mut by_device: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for e in entries {
        for d in [&e.registered_device, &e.started_device] {
            if !d.is_empty() {
                let users = by_device.entry(d.as_str()).or_default();
                if !users.contains(&e.user_id) {
                    users.push(e.user_id);
                }
            }
        }
    }
    // Each entry's answers in save order, with the pace rounded to the second.
    let timeline = |e: &EntryTrace| -> Vec<(u32, Option<i64>, i64)> {
        let mut saves = e.saves.clone();
        saves.sort();
        let mut last = e.started_at;
        saves
            .into_iter()
            .map(|(at, seq, option)| {
                let gap = ((at - last) as f64 / 1000.0).round() as i64;
                last = at;
                (seq, option, gap)
            })
            .collect()
    };
    let timelines: Vec<_> = entries.iter().map(timeline).collect();
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let mut flags = Vec::new();
        let questions = i64::from(e.questions.max(1));
        if floor_secs > 0 && e.elapsed_ms < floor_secs * 1000 * questions {
            flags.push(Flag::TooFast {
                secs_per_question: e.elapsed_ms as f64 / 1000.0 / questions as f64,
                floor: floor_secs,
            });
        }
        let mut shared: Vec<i64> = [&e.registered_device, &e.started_device]
            .iter()
            .filter(|d| !d.is_empty())
            .flat_map(|d| by_device.get(d.as_str()).cloned().unwrap_or_default())
            .filter(|u| *u != e.user_id)
            .collect();
        shared.sort();
        shared.dedup();
        if !shared.is_empty() {
            flags.push(Flag::SharedDevice { others: shared });
        }
        if !e.registered_from.is_empty() {
            let mut together: Vec<i64> = entries
                .iter()
                .filter(|o| {
                    o.user_id != e.user_id
                        && o.registered_from == e.registered_from
                        && (o.registered_at - e.registered_at).abs() <= TOGETHER_WINDOW_MS
                })
                .map(|o| o.user_id)
                .collect();
            together.sort();
            together.dedup();
            if together.len() + 1 >= TOGETHER_ACCOUNTS {
                flags.push(Flag::RegisteredTogether {
                    address: e.registered_from.clone(),
                    others: together,
                });
            }
        }
        if timelines[i].len() >= MIN_TIMELINE {
            let same: Vec<i64> = entries
                .iter()
                .enumerate()
                .filter(|(j, o)| *j != i && o.user_id != e.user_id && timelines[*j] == timelines[i])
                .map(|(_, o)| o.attempt_id)
                .collect();
            if !same.is_empty() {
                flags.push(Flag::SameTimeline { others: same });
            }
        }
        let mut saves: Vec<i64> = e.saves.iter().map(|s| s.0).collect();
        saves.sort();
        if saves.len() >= MIN_TIMELINE {
            let mut last = e.started_at;
            let quick = saves
                .iter()
                .filter(|at| {
                    let q = **at - last < READING_MS;
                    last = **at;
                    q
                })
                .count();
            if quick * 2 > saves.len() {
                flags.push(Flag::MachineSpeed {
                    quick,
                    of: saves.len(),
                });
            }
        }
        if !flags.is_empty() {
            out.push(EntryFlags {
                attempt_id: e.attempt_id,
                user_id: e.user_id,
                flags,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_study_bank_holds_drawable_answers_only_while_a_round_is_open() {
        use StudyAnswers::*;
        // (policy, study only, round open) -> (listed, answer shown)
        let table = [
            (Publish, false, true, true, true),
            (Publish, false, false, true, true),
            (Publish, true, true, true, true),
            (Hold, false, true, true, false),
            (Hold, false, false, true, true),
            (Hold, true, true, true, true),
            (Separate, false, true, false, true),
            (Separate, false, false, false, true),
            (Separate, true, true, true, true),
        ];
        for (policy, study_only, open, listed, shown) in table {
            assert_eq!(
                policy.lists(study_only),
                listed,
                "{policy:?} {study_only} {open}"
            );
            if listed {
                assert_eq!(
                    policy.shows_answer(study_only, open),
                    shown,
                    "{policy:?} {study_only} {open}"
                );
            }
        }
    }

    #[test]
    fn the_review_shows_the_key_by_the_setting() {
        use AnswerReview::*;
        // (setting, used, allowed, closed) -> shown
        let table = [
            (Never, 1, 1, true, false),
            (Never, 3, 3, false, false),
            (AfterLastAttempt, 1, 3, false, false),
            (AfterLastAttempt, 2, 3, false, false),
            (AfterLastAttempt, 3, 3, false, true),
            (AfterLastAttempt, 1, 1, false, true),
            (AfterLastAttempt, 1, 3, true, true),
            (AfterClose, 3, 3, false, false),
            (AfterClose, 1, 3, true, true),
        ];
        for (setting, used, allowed, closed, shown) in table {
            assert_eq!(
                setting.shows_key(used, allowed, closed),
                shown,
                "{setting:?} {used}/{allowed} closed={closed}"
            );
        }
    }

    /// A person's entry: 20 questions in `secs` seconds, answers saved evenly, from their own
    /// browser and address.
    fn entry(id: i64, secs: i64) -> EntryTrace {
        let step = secs * 1000 / 20;
        EntryTrace {
            attempt_id: id,
            user_id: id,
            questions: 20,
            started_at: 0,
            elapsed_ms: secs * 1000,
            started_from: format!("10.0.0.{id}"),
            started_device: format!("dev{id}"),
            registered_at: id * 3_600_000,
            registered_from: format!("10.0.0.{id}"),
            registered_device: format!("dev{id}"),
            saves: (0..20)
                .map(|s| ((s + 1) * step, s as u32, Some(id * 100 + s)))
                .collect(),
        }
    }

    fn kinds(flags: &[EntryFlags], id: i64) -> Vec<&'static str> {
        flags
            .iter()
            .find(|f| f.attempt_id == id)
            .map(|f| {
                f.flags
                    .iter()
                    .map(|f| match f {
                        Flag::TooFast { .. } => "fast",
                        Flag::SharedDevice { .. } => "device",
                        Flag::RegisteredTogether { .. } => "together",
                        Flag::SameTimeline { .. } => "timeline",
                        Flag::MachineSpeed { .. } => "machine",
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn ordinary_entries_raise_no_flag() {
        let entries: Vec<EntryTrace> = (1..=6).map(|i| entry(i, 300 + i * 7)).collect();
        assert!(plausibility(&entries, 3).is_empty());
    }

    #[test]
    fn each_kind_of_evidence_is_flagged_on_its_own() {
        // A script: 20 answers in 0.2 s.
        let script = entry(1, 0);
        let script = EntryTrace {
            elapsed_ms: 200,
            saves: (0..20).map(|s| (s * 10, s as u32, Some(s))).collect(),
            ..script
        };
        // Two accounts from one browser.
        let mut twin = entry(3, 400);
        twin.started_device = "dev2".into();
        // Two entries with the same answers at the same pace (copied), from different people.
        let copy_a = entry(4, 500);
        let mut copy_b = entry(5, 500);
        copy_b.saves = copy_a.saves.clone();
        let entries = vec![script, entry(2, 400), twin, copy_a, copy_b, entry(6, 59)];
        let flags = plausibility(&entries, 3);
        assert_eq!(kinds(&flags, 1), ["fast", "machine"]);
        assert_eq!(kinds(&flags, 2), ["device"]);
        assert_eq!(kinds(&flags, 3), ["device"]);
        assert_eq!(kinds(&flags, 4), ["timeline"]);
        assert_eq!(kinds(&flags, 5), ["timeline"]);
        assert_eq!(
            kinds(&flags, 6),
            ["fast"],
            "59 s for 20 questions is under 3 s each"
        );
        assert!(
            plausibility(&entries[5..], 0).is_empty(),
            "a floor of 0 flags nobody for speed"
        );
    }

    #[test]
    fn registering_together_counts_only_a_crowd_within_minutes() {
        let crowd = |n: i64, spread_ms: i64| -> Vec<EntryTrace> {
            (1..=n)
                .map(|i| EntryTrace {
                    registered_from: "203.0.113.9".into(),
                    registered_at: i * spread_ms,
                    ..entry(i, 400 + i)
                })
                .collect()
        };
        assert!(
            plausibility(&crowd(4, 60_000), 3).is_empty(),
            "four colleagues"
        );
        let five = plausibility(&crowd(5, 60_000), 3);
        assert_eq!(five.len(), 5);
        assert!(five[0].flags[0].describe().contains("203.0.113.9"));
        assert!(
            plausibility(&crowd(5, 3_600_000), 3).is_empty(),
            "an hour apart"
        );
    }

    #[test]
    fn settings_round_trip_through_their_codes() {
        for s in StudyAnswers::ALL {
            assert_eq!(StudyAnswers::parse(s.as_str()), Some(s));
        }
        for r in AnswerReview::ALL {
            assert_eq!(AnswerReview::parse(r.as_str()), Some(r));
        }
        assert_eq!(StudyAnswers::parse("ai"), None);
        assert_eq!(AnswerReview::parse(""), None);
    }
}
