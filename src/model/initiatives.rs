//! Initiative contests (sáng kiến) as client and server exchange them.

use serde::{Deserialize, Serialize};

use crate::domain::initiatives::{Criterion, InitiativeForm};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeSummary {
    pub id: i64,
    pub name: String,
    pub topics: Vec<String>,
    /// Vietnam time, for display.
    pub deadline: String,
    pub results_at: String,
    pub open: bool,
    pub results_public: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryFile {
    pub id: i64,
    /// `writeup`, `video` or `image` (`domain::entry_files::Slot`).
    pub slot: String,
    pub detected_type: String,
    pub size_bytes: i64,
    pub original_name: String,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    pub id: i64,
    pub contest_id: i64,
    pub unit_name: String,
    pub title: String,
    pub topic: String,
    pub lead_author: String,
    pub co_authors: String,
    pub submitted_at: String,
    /// 1 as submitted, one more per edit (and the withdrawal).
    pub version: i64,
    /// When it was last edited (Vietnam time), if ever.
    pub edited_at: Option<String>,
    pub withdrawn: bool,
    /// Its unit is under an intermediate body that has not pre-selected it (yet): it does
    /// not go to the jury.
    pub awaiting_preselection: bool,
    pub preselected: bool,
    /// Sent on to the next level by the committee.
    pub forwarded: bool,
    /// The prize it won at the next level, once recorded.
    pub higher_prize: Option<String>,
    /// The author proposed for commendation.
    pub honoree: Option<String>,
    pub files: Vec<EntryFile>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    pub rank: u32,
    pub prize: String,
    /// Combined score, e.g. "85,50".
    pub score: String,
    pub entry: EntryView,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativesView {
    pub contests: Vec<InitiativeSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeView {
    pub contest: InitiativeSummary,
    pub rubric: Vec<Criterion>,
    pub prizes: String,
    pub signed_in: bool,
    /// A signed-in participant, while the contest is open (also: may edit and withdraw their
    /// entries).
    pub can_submit: bool,
    pub unit_name: String,
    pub my_entries: Vec<EntryView>,
    /// Published results, once public.
    pub results: Option<Vec<ResultRow>>,
    /// The entries forwarded to the next level, with the prizes they won there, once the
    /// results are public.
    pub forwarded: Option<Vec<EntryView>>,
    /// The rules (Thể lệ), free text.
    pub rules_text: String,
    /// The rules document's original name, when one is attached.
    pub rules_file: Option<String>,
    /// For a member of an intermediate body: the entries of the units under it, to pre-select.
    pub selection: Option<SelectionView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionView {
    pub unit_name: String,
    /// How many it must pre-select ("xét chọn" requirements), 0 when none says.
    pub required: u32,
    pub entries: Vec<EntryView>,
    /// Pre-selection closes once the committee has computed the prizes.
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortfallRow {
    pub unit_code: String,
    pub unit_name: String,
    pub kind_label: String,
    /// The requirement as the committee wrote it, e.g. "UBND xã Hòa Thành: 1 video".
    pub requirement: String,
    /// "1 video", "2 bài".
    pub wanted: String,
    pub required: u32,
    pub submitted: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEntry {
    pub entry: EntryView,
    /// Jurors expected to score it who have not (names).
    pub missing_jurors: Vec<String>,
    pub jurors: u32,
    /// Combined score so far ("—" when nobody has scored it).
    pub combined: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeAdmin {
    pub id: i64,
    pub form: InitiativeForm,
    pub entries: Vec<AdminEntry>,
    pub shortfalls: Vec<ShortfallRow>,
    /// Units no requirement names that sent entries anyway (encouraged).
    pub encouraged_units: u32,
    /// Units some requirement names.
    pub mandatory_units: u32,
    pub results: Vec<ResultRow>,
    pub deadline_passed: bool,
    pub computed: bool,
    pub published: bool,
    /// Each juror's work: assigned entries and how many they have scored.
    pub jurors: Vec<JurorProgress>,
    /// Jurors per entry as last assigned (0: every juror scores every entry).
    pub per_entry: u32,
    /// Forwarded entries that won Third prize or better at the next level, one author each.
    pub commendations: Vec<Commendation>,
    /// The rules document's original name, when one is attached.
    pub rules_file: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JurorProgress {
    pub name: String,
    pub assigned: u32,
    pub scored: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commendation {
    pub honoree: String,
    pub unit_name: String,
    pub title: String,
    pub prize: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeAdminView {
    pub contests: Vec<InitiativeSummary>,
    pub current: Option<InitiativeAdmin>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JuryEntry {
    pub entry: EntryView,
    /// This juror's own points, if already given; other jurors' are never shown here.
    pub my_points: Option<Vec<u32>>,
    /// This juror's own comments, one per criterion.
    pub my_comments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JuryView {
    pub contests: Vec<InitiativeSummary>,
    pub contest_id: Option<i64>,
    pub rubric: Vec<Criterion>,
    pub entries: Vec<JuryEntry>,
    /// Scoring is closed once the committee has published the results.
    pub closed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreForm {
    pub entry_id: i64,
    #[serde(default)]
    pub points: Vec<String>,
    /// A comment per criterion (optional).
    #[serde(default)]
    pub comments: Vec<String>,
}

/// The committee's record of a forwarded entry's result at the next level.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HigherResultForm {
    pub entry_id: i64,
    /// One of `domain::initiative_stages::HIGHER_PRIZES`, or empty when not known yet.
    #[serde(default)]
    pub prize: String,
    /// The author the group proposes (empty: the lead author).
    #[serde(default)]
    pub honoree: String,
}

/// An entry its submitter may still edit, with what the edit form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryEditView {
    pub contest_id: i64,
    pub contest_name: String,
    pub topics: Vec<String>,
    /// The deadline, Vietnam time.
    pub deadline: String,
    pub entry: EntryView,
}
