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
