//! Contests on one installation: the public list, the organizer's list and forms, a contest's
//! branding and news.

use serde::{Deserialize, Serialize};

use crate::domain::contests::ContestStage;

/// One contest in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestCard {
    pub slug: String,
    pub name: String,
    pub stage: ContestStage,
    pub is_trial: bool,
    pub archived: bool,
    pub organizer_name: String,
    /// Rounds (id, name) whose prizes are published, for the "results" links.
    pub published_rounds: Vec<(i64, String)>,
    pub overall_published: bool,
    pub units_published: bool,
}

/// The public home: contests by stage, and whether anyone can sign in to set one up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub contests: Vec<ContestCard>,
    /// False on an installation without an administrator yet.
    pub has_admin: bool,
}

/// The branding, documents and help page of a contest, as the form edits them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub organizer_name: String,
    #[serde(default)]
    pub logo_url: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_address: String,
    #[serde(default)]
    pub help_text: String,
    /// "GIẤY CHỨNG NHẬN" or "GIẤY KHEN".
    #[serde(default)]
    pub cert_title: String,
    /// "CHỦ TỊCH UBND PHƯỜNG HOÀI XUÂN".
    #[serde(default)]
    pub cert_issuer: String,
    #[serde(default)]
    pub cert_signer_name: String,
    #[serde(default)]
    pub cert_signer_title: String,
    /// "Hoài Xuân" in "Hoài Xuân, ngày 20 tháng 11 năm 2024".
    #[serde(default)]
    pub cert_place: String,
}

/// The organizer's page of contests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestList {
    pub contests: Vec<ContestCard>,
}

/// A contest's branding, help page and news, for the public pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestInfo {
    pub slug: String,
    pub name: String,
    pub profile: ProfileForm,
    pub news: Vec<NewsPost>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsPost {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// Vietnam time, "20/11/2024 08:00".
    pub at: String,
}

/// An account on the account-care page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub full_name: String,
    pub phone: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: String,
    pub role_label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    pub staff: Vec<Account>,
    pub found: Vec<Account>,
    /// Whether the viewer may grant roles (administrators).
    pub can_grant: bool,
    /// (code, label) of every role.
    pub roles: Vec<(String, String)>,
}

/// A one-time code just issued, shown once to the organizer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetCode {
    pub phone: String,
    pub full_name: String,
    pub code: String,
    pub valid_until: String,
}
