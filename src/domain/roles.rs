//! Who may do what. Checked on the server for every organizer function.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything.
    Admin,
    /// Writes question drafts (Tổ soạn thảo).
    Author,
    /// Approves drafts or returns them with a comment (thẩm định).
    Reviewer,
    /// Monitors and exports; never changes questions (Tổ Thư ký).
    Secretary,
    /// Reads and scores initiative-contest entries, nothing else (giám khảo).
    Juror,
    Participant,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "admin" => Role::Admin,
            "author" => Role::Author,
            "reviewer" => Role::Reviewer,
            "secretary" => Role::Secretary,
            "juror" => Role::Juror,
            "participant" => Role::Participant,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Author => "author",
            Role::Reviewer => "reviewer",
            Role::Secretary => "secretary",
            Role::Juror => "juror",
            Role::Participant => "participant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị",
            Role::Author => "Soạn thảo câu hỏi",
            Role::Reviewer => "Thẩm định câu hỏi",
            Role::Secretary => "Thư ký",
            Role::Juror => "Giám khảo",
            Role::Participant => "Người dự thi",
        }
    }

    pub fn is_staff(self) -> bool {
        self != Role::Participant
    }
}

/// Something an organizer may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    ViewBank,
    WriteQuestions,
    ReviewQuestions,
    RetireQuestions,
    ImportQuestions,
    ManageContest,
    Monitor,
    /// Read and score initiative entries (jurors and the committee).
    ScoreInitiatives,
    /// Give and take back organizer roles (administrators only).
    ManageRoles,
    /// Issue one-time password codes and correct a participant's unit (the secretariat).
    CareForAccounts,
}

pub fn allows(role: Role, p: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => true,
        Role::Author => matches!(p, ViewBank | WriteQuestions),
        Role::Reviewer => matches!(p, ViewBank | ReviewQuestions),
        Role::Secretary => matches!(p, ViewBank | Monitor | CareForAccounts),
        Role::Juror => matches!(p, ScoreInitiatives),
        Role::Participant => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn permission_table() {
        let all = [
            ViewBank,
            WriteQuestions,
            ReviewQuestions,
            RetireQuestions,
            ImportQuestions,
        ];
        let cases = [
            (Role::Admin, [true, true, true, true, true, true]),
            (Role::Author, [true, true, false, false, false, false]),
            (Role::Reviewer, [true, false, true, false, false, false]),
            (Role::Secretary, [true, false, false, false, false, false]),
            (Role::Juror, [false, false, false, false, false, false]),
            (
                Role::Participant,
                [false, false, false, false, false, false],
            ),
        ];
        for (role, want) in cases {
            for (p, w) in all.iter().zip(want) {
                assert_eq!(allows(role, *p), w, "{role:?} {p:?}");
            }
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in [
            Role::Admin,
            Role::Author,
            Role::Reviewer,
            Role::Secretary,
            Role::Juror,
            Role::Participant,
        ] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(!Role::Participant.is_staff());
        assert!(Role::Secretary.is_staff());
        assert!(Role::Juror.is_staff());
        assert!(allows(Role::Juror, ScoreInitiatives));
        assert!(allows(Role::Admin, ScoreInitiatives));
        assert!(allows(Role::Admin, ManageRoles));
        assert!(allows(Role::Secretary, CareForAccounts));
        for r in [
            Role::Secretary,
            Role::Author,
            Role::Reviewer,
            Role::Juror,
            Role::Participant,
        ] {
            assert!(!allows(r, ManageRoles), "{r:?}");
        }
        for r in [Role::Author, Role::Reviewer, Role::Juror, Role::Participant] {
            assert!(!allows(r, CareForAccounts), "{r:?}");
        }
        for r in [
            Role::Author,
            Role::Reviewer,
            Role::Secretary,
            Role::Participant,
        ] {
            assert!(!allows(r, ScoreInitiatives), "{r:?}");
        }
        assert!(!allows(Role::Juror, ManageContest));
        assert!(!allows(Role::Juror, Monitor));
    }
}
