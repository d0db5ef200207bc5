//! Wire types shared by the server and the WASM client (serde only).
//! Nothing here carries an answer key or a password hash for an unfinished attempt.
//! Long because it is the whole wire vocabulary, about 40 short serde types; only `initiatives`
//! is split out so far.

use serde::{Deserialize, Serialize};

pub mod contests;
pub mod initiatives;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitOption {
    pub id: i64,
    pub name: String,
    pub kind: String,
    /// The parent unit's name (empty at the top of the tree), to group a long list by.
    #[serde(default)]
    pub parent: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Upcoming,
    Open,
    Closed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundInfo {
    pub id: i64,
    pub name: String,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
    pub phase: Phase,
}

/// What the viewer may do in a round right now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub round_id: i64,
    pub attempts_used: u32,
    pub attempts_left: u32,
    /// An attempt still running in this round, to resume.
    pub running_attempt: Option<i64>,
    pub can_start: bool,
    /// Why not, in Vietnamese, when `can_start` is false and nothing runs.
    pub reason: Option<String>,
    /// The viewer's finished attempts in this round.
    pub finished_attempts: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestOverview {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub rules_text: String,
    pub questions_per_attempt: u32,
    pub time_limit_secs: i64,
    pub max_attempts_per_round: u32,
    pub min_age: u32,
    pub points_per_question: i64,
    pub bank_published: bool,
    pub rounds: Vec<RoundInfo>,
    pub viewer: Option<UserInfo>,
    /// One entry per round, present when someone is logged in.
    pub eligibility: Vec<Eligibility>,
    pub server_now_ms: i64,
    /// What the start form must ask a signed-in person who has no profile in this contest
    /// yet (the contest lists categories or positions).
    #[serde(default)]
    pub profile_choices: Option<ProfileChoices>,
    /// The signed-in person's category and position in this contest, as words.
    #[serde(default)]
    pub my_profile: String,
}

/// The category and position lists a start form offers: (id, name).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileChoices {
    pub categories: Vec<(i64, String)>,
    pub positions: Vec<(i64, String)>,
    /// The organizer's extra questions, in order (answers travel as `extra[i]`).
    #[serde(default)]
    pub fields: Vec<ProfileField>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileField {
    pub label: String,
    pub required: bool,
    pub number: bool,
    /// The answers to choose from; empty for a free answer.
    pub options: Vec<String>,
}

/// The organizers' page of who must take part: the lists, the rules, the rosters with the
/// accounts they match, and each unit's compliance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleAdmin {
    pub slug: String,
    pub categories: String,
    pub positions: String,
    pub quota_rules: String,
    /// The profile's extra questions, as written.
    #[serde(default)]
    pub extra_fields: String,
    /// Each rule as words, in order.
    pub rule_labels: Vec<String>,
    /// Groups retired because someone used them.
    pub retired: Vec<String>,
    pub roster: Vec<RosterLine>,
    pub compliance: Vec<UnitCompliance>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterLine {
    pub id: i64,
    pub unit_name: String,
    pub full_name: String,
    pub birth_date: String,
    pub phone: String,
    pub citizen_id: String,
    pub position: String,
    /// "Đã dự thi", "Đã đăng ký, chưa dự thi" or "Chưa đăng ký".
    pub status: String,
    pub took_part: bool,
    /// Matched only by name and date of birth: the organizer should confirm it is the person.
    pub to_confirm: bool,
    /// The position the matched person declared, when it is not the roster's (which counts);
    /// "" for none declared.
    pub declared_position: Option<String>,
}

/// A unit's compliance with the contest's participation rules: its own figures and, when it
/// has units under it, the rolled-up ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCompliance {
    pub unit_name: String,
    pub lines: Vec<ComplianceLine>,
    /// Lines (rolled up) not met yet.
    pub short: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceLine {
    pub rule: String,
    /// "took part / required (of listed)" for the unit alone, when the rule applies to it.
    pub own: Option<String>,
    pub own_met: Option<bool>,
    /// With the units under it: "took part / required; n/m units meet it".
    pub rolled: Option<String>,
    pub met: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    /// Position of the question in this attempt, from 0.
    pub seq: u32,
    pub topic: String,
    pub text: String,
    /// Options in this attempt's shuffled order; answers refer to these positions.
    pub options: Vec<String>,
}

/// A running attempt as its owner sees it: no answer key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub attempt_id: i64,
    pub contest_name: String,
    pub round_name: String,
    pub questions: Vec<QuestionView>,
    /// The saved choice per question (by `seq`), as an option position.
    pub answers: Vec<Option<u8>>,
    pub deadline_ms: i64,
    pub server_now_ms: i64,
    pub is_final: bool,
    /// The prediction question asked with the submission, when the contest has one.
    pub prediction_prompt: Option<String>,
}

impl AttemptView {
    /// How many questions have no saved answer.
    pub fn unanswered(&self) -> usize {
        self.answers.iter().filter(|a| a.is_none()).count()
    }

    /// Where a reopened attempt starts: the first question without an answer (the last one
    /// when all are answered), counted from 0.
    pub fn first_unanswered(&self) -> u32 {
        self.answers
            .iter()
            .position(Option::is_none)
            .unwrap_or(self.answers.len().saturating_sub(1)) as u32
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAck {
    pub seq: u32,
    pub choice: Option<u8>,
    pub saved_at_ms: i64,
    pub server_now_ms: i64,
    pub deadline_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub seq: u32,
    pub text: String,
    pub options: Vec<String>,
    pub chosen: Option<u8>,
    /// `None` while the contest withholds the key (see `domain::integrity::AnswerReview`).
    pub correct: Option<u8>,
    pub explanation: String,
    pub reference: String,
}

/// What a plain form post leaves for the page it returns to: its error and the fields to
/// fill in again (carried in a signed cookie, see `server::flash`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub error: Option<crate::error::AppError>,
    pub fields: Vec<(String, String)>,
    /// Milliseconds since the epoch.
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub attempt_id: i64,
    pub contest_name: String,
    pub round_name: String,
    pub round_id: i64,
    pub score: i64,
    pub max_score: i64,
    pub correct: u32,
    pub total: u32,
    pub elapsed_ms: i64,
    pub finalized_by: crate::domain::FinalizedBy,
    pub review: Vec<ReviewItem>,
    /// Why the review shows no key, when it is withheld.
    #[serde(default)]
    pub key_withheld: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardRow {
    pub rank: u32,
    pub full_name: String,
    pub unit_name: String,
    pub score: i64,
    pub correct: u32,
    pub elapsed_ms: i64,
    /// Equal to another entry after the whole ranking chain.
    pub tied: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboard {
    pub round_id: i64,
    pub round_name: String,
    pub contest_name: String,
    pub rows: Vec<LeaderboardRow>,
    pub entrants: u32,
    /// The ranking criteria in order, as labels.
    pub chain: Vec<String>,
    pub has_ties: bool,
    /// The value predictions are measured against, once the round has closed.
    pub prediction_actual: Option<i64>,
    /// When the board froze (Vietnam time), while it is frozen.
    pub frozen_since: Option<String>,
    /// Units by entrants on this board.
    pub units: Vec<UnitBoardRow>,
    /// The contest hides its live board until the results: nothing is shown before then
    /// (`hidden_until` in Vietnam time, empty when the time is not set yet).
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub hidden_until: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitBoardRow {
    pub unit_name: String,
    pub entrants: u32,
    pub best_score: i64,
}

/// The viewer's own place on a board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRank {
    pub rank: u32,
    pub tied: bool,
    pub score: i64,
    pub elapsed_ms: i64,
}

/// A question as the organizers see it in the bank, key included (staff only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankQuestion {
    pub id: i64,
    pub topic: String,
    pub difficulty: i64,
    pub text: String,
    pub options: Vec<String>,
    pub correct: u8,
    pub explanation: String,
    pub reference: String,
    pub status: String,
    pub status_label: String,
    pub review_comment: String,
    pub written_by_viewer: bool,
    pub revision_of: Option<i64>,
    /// For study only: never drawn.
    #[serde(default)]
    pub study_only: bool,
    /// In the study bank: the answer is held back while a round is open (`correct`,
    /// `explanation` and `reference` then say nothing).
    #[serde(default)]
    pub answer_held: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankPage {
    pub role: String,
    pub role_label: String,
    pub topics: Vec<String>,
    /// (status, label, count) for every status.
    pub counts: Vec<(String, String, u32)>,
    /// One page of the questions that pass the filters.
    pub questions: Vec<BankQuestion>,
    /// How many pass the filters, this page (from 1) and how many pages there are.
    pub matching: u32,
    pub page: u32,
    pub pages: u32,
}

/// A person the rules keep out of the contest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub id: i64,
    pub full_name: String,
    pub phone: String,
    pub citizen_id: String,
    #[serde(default)]
    pub birth_date: String,
    pub reason: String,
}

/// An account that may be a listed person registered under another phone (same name and date
/// of birth, no citizen ID): the organizer confirms or dismisses the match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionMatch {
    pub excluded_id: i64,
    pub reason: String,
    pub user_id: i64,
    pub full_name: String,
    pub phone: String,
    pub birth_date: String,
    pub unit_name: String,
}

/// The contest as its administrator edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestAdmin {
    /// Accounts matching a listed person by name and date of birth, awaiting a decision.
    #[serde(default)]
    pub exclusion_matches: Vec<ExclusionMatch>,
    pub slug: String,
    pub is_trial: bool,
    pub archived: bool,
    pub profile: crate::model::contests::ProfileForm,
    pub topics: Vec<TopicAdmin>,
    pub news: Vec<crate::model::contests::NewsPost>,
    pub form: crate::domain::settings::ContestForm,
    pub rounds: Vec<RoundAdmin>,
    pub running_attempts: u32,
    pub exclusions: Vec<Exclusion>,
    /// Approved questions per (topic, difficulty), so quotas can be set against what exists.
    pub available: Vec<TopicSupply>,
    pub counting_modes: Vec<(String, String)>,
    /// (code, label) of every ranking criterion, for the chain's hint.
    pub tie_breaks: Vec<(String, String)>,
    pub prediction_targets: Vec<(String, String)>,
}

/// A round with its times as `datetime-local` values in Vietnam time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundAdmin {
    pub id: i64,
    pub name: String,
    pub opens_at: String,
    pub closes_at: String,
    /// Empty while no publication time is set.
    pub results_at: String,
    /// The round's own prize structure; empty: the contest's.
    pub prizes: String,
    pub retired: bool,
    /// Attempts started in the round (a round with attempts can only be retired).
    pub attempts: u32,
}

/// A topic of the contest's bank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicAdmin {
    pub id: i64,
    pub name: String,
    pub retired: bool,
    pub questions: u32,
}

/// Approved questions of one topic by difficulty 1, 2, 3.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicSupply {
    pub topic: String,
    pub by_difficulty: [u32; 3],
}

/// A unit on the administration page, in tree order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAdminRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub parent_code: String,
    pub depth: u32,
    pub headcount: i64,
    pub quota_percent: Option<i64>,
    /// Registered participants who chose this unit.
    pub members: u32,
    /// Hidden from registration, kept in results.
    #[serde(default)]
    pub retired: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsAdmin {
    pub units: Vec<UnitAdminRow>,
    /// (kind, label) for the form's list.
    pub kinds: Vec<(String, String)>,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitParticipation {
    pub unit_name: String,
    pub kind: String,
    pub headcount: u32,
    pub registered: u32,
    pub entrants: u32,
    /// Entrants per thousand of headcount, when the headcount is known.
    pub share_per_mille: Option<u32>,
    pub quota_percent: Option<u32>,
    /// Entrants the quota asks for (0 without a quota).
    pub required: u32,
    pub quota: crate::domain::units::QuotaStatus,
}

/// The committee's live view of the contest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub registered: u32,
    pub entrants: u32,
    pub attempts_total: u32,
    pub attempts_today: u32,
    pub in_progress: u32,
    pub units: Vec<UnitParticipation>,
    /// Units with a quota that they do not meet yet.
    pub below_quota: u32,
    /// Units short of a line of the participation rules by position or category.
    #[serde(default)]
    pub short_of_rules: u32,
    pub server_now_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: u32,
}

/// "mm:ss" or "h:mm:ss" for a duration in milliseconds (rounded up to whole seconds while counting down).
pub fn format_countdown(ms: i64) -> String {
    let secs = (ms.max(0) + 999) / 1000;
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// "12 phút 05 giây" for an elapsed time.
pub fn format_elapsed(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let tenths = (ms.max(0) % 1000) / 100;
    let (m, s) = (secs / 60, secs % 60);
    if m > 0 {
        format!("{m} phút {s:02},{tenths} giây")
    } else {
        format!("{s},{tenths} giây")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reopened_attempt_starts_at_the_first_unanswered_question() {
        let view = |answers: Vec<Option<u8>>| AttemptView {
            attempt_id: 1,
            contest_name: String::new(),
            round_name: String::new(),
            questions: Vec::new(),
            answers,
            deadline_ms: 0,
            server_now_ms: 0,
            is_final: false,
            prediction_prompt: None,
        };
        for (answers, start, unanswered) in [
            (vec![None, None, None], 0, 3),
            (vec![Some(1), Some(0), None, Some(2), None], 2, 2),
            (vec![Some(1), Some(0), Some(3)], 2, 0),
            (vec![], 0, 0),
        ] {
            let v = view(answers.clone());
            assert_eq!(v.first_unanswered(), start, "{answers:?}");
            assert_eq!(v.unanswered(), unanswered, "{answers:?}");
        }
    }

    #[test]
    fn countdown_formats() {
        assert_eq!(format_countdown(0), "00:00");
        assert_eq!(format_countdown(1), "00:01");
        assert_eq!(format_countdown(59_001), "01:00");
        assert_eq!(format_countdown(30 * 60 * 1000), "30:00");
        assert_eq!(format_countdown(3_600_000 + 61_000), "1:01:01");
        assert_eq!(format_countdown(-5), "00:00");
    }

    #[test]
    fn elapsed_times() {
        assert_eq!(format_elapsed(725_400), "12 phút 05,4 giây");
        assert_eq!(format_elapsed(9_000), "9,0 giây");
    }
}

/// An untimed practice set drawn from the published bank. It is never stored and never
/// counts; the answers are shown once the participant asks to check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeSet {
    pub questions: Vec<PracticeQuestion>,
    pub checked: bool,
    pub correct: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeQuestion {
    pub id: i64,
    pub topic: String,
    pub text: String,
    pub options: Vec<String>,
    pub chosen: Option<u8>,
    /// Only once checked, and only when the contest shows this answer now.
    pub correct: Option<u8>,
    pub explanation: String,
    pub reference: String,
    /// The answer is held back while a round is open (not counted in the score).
    #[serde(default)]
    pub answer_held: bool,
}

/// A winner of a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardRow {
    /// 0 on the public page.
    pub user_id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub rank: u32,
    pub prize: String,
    /// Why this entry ranks where it does.
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disqualified {
    pub user_id: i64,
    pub full_name: String,
    pub reason: String,
    pub at: String,
}

/// A round's prizes, for the committee (with the set-aside entries) or the public.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardsView {
    pub round_id: i64,
    pub round_name: String,
    pub contest_name: String,
    /// (id, name) of every round, to switch between them (committee only).
    pub rounds: Vec<(i64, String)>,
    pub closed: bool,
    pub prizes: String,
    pub published_at: Option<String>,
    pub results_at: Option<String>,
    pub awards: Vec<AwardRow>,
    pub disqualified: Vec<Disqualified>,
    /// Entries that deserve a look before prizes (committee only; never public).
    #[serde(default)]
    pub flagged: Vec<FlaggedEntry>,
}

/// An entry the plausibility review flags, with the evidence in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedEntry {
    pub attempt_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub score: i64,
    pub evidence: Vec<String>,
}

/// A unit in the collective-prize ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPrizeRow {
    pub rank: u32,
    /// Shares its rank with another unit (the board marks it "=").
    #[serde(default)]
    pub tied: bool,
    pub unit_name: String,
    /// Its figures at each link of the chain, as shown, joined by " · ".
    pub value: String,
    /// Within the prizes given.
    pub prize: bool,
    /// The prize's name ("Nhất") and money per unit in đồng (0: none recorded).
    #[serde(default)]
    pub prize_name: String,
    #[serde(default)]
    pub amount: u64,
    /// Why it is below the unit above: the link that separated them (empty for the first
    /// and for ties).
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPrizesView {
    /// The chain, as codes ("share,quota_time,high_prizes").
    pub criterion: String,
    /// The chain in words.
    pub criterion_label: String,
    /// Every criterion a link can be: (code, label).
    pub criteria: Vec<(String, String)>,
    pub points: String,
    pub prizes: u32,
    /// The prize tiers as typed ("Nhất:1, Nhì:1, Ba:1, Khuyến khích:5"), empty for `prizes`
    /// unnamed prizes.
    pub tiers: String,
    /// Every kind of unit: (code, label, competes).
    pub kinds: Vec<(String, String, bool)>,
    /// A unit below its mandatory quota cannot win.
    pub quota_required: bool,
    pub rows: Vec<UnitPrizeRow>,
    /// Units not ranked and why: (unit name, reason).
    pub left_out: Vec<(String, String)>,
    /// What the committee computed and stored (the units receiving a prize), if anything.
    pub stored: Option<UnitAwardsView>,
}

/// Collective prizes as computed and stored: the units that receive one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAwardsView {
    pub contest_name: String,
    pub criterion_label: String,
    /// The kinds of unit that competed, in words (empty: every kind).
    #[serde(default)]
    pub kinds_label: String,
    pub rows: Vec<UnitPrizeRow>,
    /// The money of every prize together, in đồng.
    #[serde(default)]
    pub payout_total: u64,
    pub computed_at: String,
    pub published_at: Option<String>,
}

/// What the prizes over the whole contest are called.
pub const OVERALL_NAME: &str = "Toàn cuộc thi";

/// Which published prizes a results address names: a round's (`/giai-thuong/17`) or the
/// whole contest's (`/giai-thuong/tong`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrizeList {
    Round(i64),
    Overall,
    /// The collective prizes (`/giai-thuong/tap-the`).
    Units,
}

impl PrizeList {
    /// The address segment of the prizes over the whole contest.
    pub const OVERALL_SEGMENT: &'static str = "tong";
    /// The address segment of the collective prizes.
    pub const UNITS_SEGMENT: &'static str = "tap-the";

    pub fn parse(segment: &str) -> Option<Self> {
        match segment {
            Self::OVERALL_SEGMENT => Some(Self::Overall),
            Self::UNITS_SEGMENT => Some(Self::Units),
            id => id.parse().ok().map(Self::Round),
        }
    }

    pub fn segment(self) -> String {
        match self {
            Self::Round(id) => id.to_string(),
            Self::Overall => Self::OVERALL_SEGMENT.to_string(),
            Self::Units => Self::UNITS_SEGMENT.to_string(),
        }
    }
}

/// A page of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// How many entries match the filter, over every page.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// One line of the audit log, as the administrators' page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    /// login, login_failed, register, admin, refused.
    pub kind: String,
    /// Name and phone of the account, when known.
    pub who: String,
    pub ip: String,
    /// The request path.
    pub action: String,
    pub status: u16,
    pub detail: String,
}

/// Participation on one Vietnamese calendar day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    pub day: String,
    pub registrations: u32,
    /// People who started at least one attempt that day.
    pub entrants: u32,
    pub attempts: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundFigures {
    pub round_id: i64,
    pub name: String,
    pub entrants: u32,
    pub attempts: u32,
}

/// One question's figures over the finished attempts of the chosen round(s).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemRow {
    pub question_id: i64,
    pub topic: String,
    pub text: String,
    pub presented: u32,
    pub correct: u32,
    pub blank: u32,
    pub facility: f64,
    pub discrimination: Option<f64>,
    /// Option letter (A, B, …) chosen by how many, in the bank's order.
    pub choices: Vec<(String, u32)>,
    pub correct_letter: String,
    /// The wrong option chosen most: letter and count.
    pub top_wrong: Option<(String, u32)>,
    pub flag: Option<String>,
}

/// The committee's reports: participation by unit, day and round; the spread of scores and
/// item statistics for one round or all of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub contest_name: String,
    pub rounds: Vec<(i64, String)>,
    /// The round the score and item figures are for (`None`: every round).
    pub round_id: Option<i64>,
    pub units: Vec<UnitParticipation>,
    /// Entrants of each unit in each round (in the order of `rounds`), units A to Z.
    pub unit_rounds: Vec<(String, Vec<u32>)>,
    pub by_day: Vec<DayFigures>,
    pub by_round: Vec<RoundFigures>,
    pub max_score: i64,
    pub bins: Vec<crate::domain::report::Bin>,
    pub summary: Option<crate::domain::report::Summary>,
    pub items: Vec<ItemRow>,
}
