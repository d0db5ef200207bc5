//! The question bank's rules: what a valid question is, and how it moves
//! from draft to review to approved (soạn thảo, thẩm định) and out of use.

use serde::{Deserialize, Serialize};

use super::roles::Role;
use super::FieldError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Draft,
    InReview,
    Approved,
    Retired,
}

impl QuestionStatus {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "draft" => Self::Draft,
            "in_review" => Self::InReview,
            "approved" => Self::Approved,
            "retired" => Self::Retired,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Approved => "approved",
            Self::Retired => "retired",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Bản nháp",
            Self::InReview => "Chờ thẩm định",
            Self::Approved => "Đã duyệt",
            Self::Retired => "Ngừng sử dụng",
        }
    }
}

/// One problem in an imported file, located like a spreadsheet cell (row 1 is the header).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// The column a field is read from, as named in the import template.
pub fn column_label(field: &str) -> &'static str {
    match field {
        "topic" => "Chủ đề",
        "difficulty" => "Mức độ",
        "text" => "Câu hỏi",
        "options" => "Phương án",
        "correct" => "Đáp án",
        "explanation" => "Giải thích",
        "reference" => "Căn cứ",
        "study_only" => "Ôn tập",
        _ => "",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transition {
    SubmitForReview,
    Approve,
    ReturnToDraft,
    Retire,
}

/// Why a transition is refused, in Vietnamese.
pub fn check_transition(
    from: QuestionStatus,
    t: Transition,
    actor: Role,
    actor_is_author: bool,
    comment: &str,
) -> Result<QuestionStatus, String> {
    use QuestionStatus::*;
    use Transition::*;
    let may = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err("Bạn không có quyền thực hiện thao tác này.".to_string())
        }
    };
    match t {
        SubmitForReview => may(matches!(actor, Role::Admin | Role::Author))?,
        Approve | ReturnToDraft => may(matches!(actor, Role::Admin | Role::Reviewer))?,
        Retire => may(actor == Role::Admin)?,
    }
    match (from, t) {
        (Draft, SubmitForReview) => Ok(InReview),
        // Four eyes: nobody approves a question they wrote, except an administrator.
        (InReview, Approve) if actor_is_author && actor != Role::Admin => {
            Err("Người soạn câu hỏi không được tự thẩm định câu hỏi của mình.".into())
        }
        (InReview, Approve) => Ok(Approved),
        (InReview, ReturnToDraft) if comment.trim().is_empty() => {
            Err("Vui lòng ghi nhận xét khi trả lại câu hỏi.".into())
        }
        (InReview, ReturnToDraft) => Ok(Draft),
        (Approved, Retire) => Ok(Retired),
        (from, _) => Err(format!(
            "Câu hỏi đang ở trạng thái “{}”, không thể thực hiện thao tác này.",
            from.label()
        )),
    }
}

/// A question as typed by an author or read from an import row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDraft {
    pub topic: String,
    pub difficulty: String,
    pub text: String,
    /// Up to six option texts; empty ones at the end are ignored.
    pub options: Vec<String>,
    /// The correct option as a letter A-F.
    pub correct: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub reference: String,
    /// "Ôn tập" (or "x", "có"): a question for study only, never drawn; empty: for the contest.
    #[serde(default)]
    pub study_only: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidQuestion {
    pub topic: String,
    pub difficulty: i64,
    pub text: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: String,
    pub reference: String,
    pub study_only: bool,
}

/// Reads the "Ôn tập" mark: empty or "không" for a contest question, "x", "có" or "ôn tập"
/// for one to study only.
pub fn parse_study_mark(raw: &str) -> Option<bool> {
    match super::search::fold(raw).as_str() {
        "" | "khong" | "0" | "thi" => Some(false),
        "x" | "co" | "1" | "on tap" => Some(true),
        _ => None,
    }
}

pub const MAX_OPTIONS: usize = 6;
const LETTERS: [&str; MAX_OPTIONS] = ["A", "B", "C", "D", "E", "F"];

/// The letter of the option at `index` (0 = A), as the import template writes answers.
pub fn option_letter(index: usize) -> &'static str {
    LETTERS.get(index).copied().unwrap_or("?")
}

/// Checks a question and reports every problem, by field, in Vietnamese.
pub fn validate_question(
    d: &QuestionDraft,
    known_topics: &[String],
) -> Result<ValidQuestion, Vec<FieldError>> {
    let mut errors = Vec::new();
    let topic = d.topic.trim().to_string();
    if topic.is_empty() {
        errors.push(FieldError::new("topic", "Thiếu chủ đề."));
    } else if !known_topics.iter().any(|t| t == &topic) {
        errors.push(FieldError::new(
            "topic",
            format!(
                "Chủ đề “{topic}” chưa có trong danh sách chủ đề của cuộc thi: thêm chủ đề ở trang Cuộc thi, hoặc khi nhập tệp đánh dấu “Tạo chủ đề chưa có”."
            ),
        ));
    }
    let difficulty = match d.difficulty.trim() {
        "" | "1" => 1,
        "2" => 2,
        "3" => 3,
        _ => {
            errors.push(FieldError::new(
                "difficulty",
                "Mức độ phải là 1 (dễ), 2 (trung bình) hoặc 3 (khó).",
            ));
            1
        }
    };
    let text = d.text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        errors.push(FieldError::new("text", "Thiếu nội dung câu hỏi."));
    } else if text.chars().count() > 1000 {
        errors.push(FieldError::new(
            "text",
            "Nội dung câu hỏi dài quá 1000 ký tự.",
        ));
    }
    let mut options: Vec<String> = d
        .options
        .iter()
        .map(|o| o.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    while options.last().is_some_and(|o| o.is_empty()) {
        options.pop();
    }
    if options.len() < 2 {
        errors.push(FieldError::new(
            "options",
            "Câu hỏi cần ít nhất 2 phương án trả lời.",
        ));
    } else if options.len() > MAX_OPTIONS {
        errors.push(FieldError::new(
            "options",
            "Câu hỏi có tối đa 6 phương án trả lời.",
        ));
    } else if let Some(i) = options.iter().position(|o| o.is_empty()) {
        errors.push(FieldError::new(
            "options",
            format!("Phương án {} bị bỏ trống.", LETTERS[i]),
        ));
    } else {
        let mut seen: Vec<String> = Vec::new();
        for o in &options {
            let k = o.to_lowercase();
            if seen.contains(&k) {
                errors.push(FieldError::new(
                    "options",
                    format!("Phương án “{o}” bị trùng."),
                ));
                break;
            }
            seen.push(k);
        }
    }
    let letters: Vec<&str> = d
        .correct
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let correct = match letters.as_slice() {
        [] => {
            errors.push(FieldError::new("correct", "Thiếu đáp án đúng."));
            0
        }
        [one] => match LETTERS.iter().position(|l| l.eq_ignore_ascii_case(one)) {
            Some(i) if i < options.len() => i,
            _ => {
                errors.push(FieldError::new(
                    "correct",
                    format!("Đáp án “{one}” không ứng với phương án nào."),
                ));
                0
            }
        },
        _ => {
            errors.push(FieldError::new(
                "correct",
                "Mỗi câu hỏi chỉ có một đáp án đúng.",
            ));
            0
        }
    };
    let study_only = parse_study_mark(&d.study_only).unwrap_or_else(|| {
        errors.push(FieldError::new(
            "study_only",
            "Cột “Ôn tập” để trống (câu dùng để thi) hoặc ghi “x” (câu chỉ để ôn tập).",
        ));
        false
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidQuestion {
        topic,
        difficulty,
        text,
        options,
        correct,
        explanation: d.explanation.trim().to_string(),
        reference: d.reference.trim().to_string(),
        study_only,
    })
}

/// A key for spotting the same question twice: case, spacing and diacritics ignored.
pub fn duplicate_key(text: &str) -> String {
    super::search::fold(text)
}

/// Questions per page of the bank.
pub const PER_PAGE: usize = 25;

/// The slice of `total` items that page `page` (from 1, clamped) shows, with the page and
/// the page count: (start, end, page, pages).
pub fn page_slice(total: usize, page: usize, per_page: usize) -> (usize, usize, usize, usize) {
    let pages = total.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * per_page;
    (start.min(total), (start + per_page).min(total), page, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_bank() {
        assert_eq!(page_slice(0, 1, 25), (0, 0, 1, 1));
        assert_eq!(page_slice(25, 1, 25), (0, 25, 1, 1));
        assert_eq!(page_slice(26, 2, 25), (25, 26, 2, 2));
        assert_eq!(page_slice(500, 0, 25), (0, 25, 1, 20));
        assert_eq!(page_slice(500, 99, 25), (475, 500, 20, 20));
    }
    use QuestionStatus::*;
    use Transition::*;

    #[test]
    fn transitions() {
        let cases = [
            (Draft, SubmitForReview, Role::Author, true, "", Ok(InReview)),
            (Draft, SubmitForReview, Role::Reviewer, false, "", Err(())),
            (InReview, Approve, Role::Reviewer, false, "", Ok(Approved)),
            (InReview, Approve, Role::Reviewer, true, "", Err(())),
            (InReview, Approve, Role::Admin, true, "", Ok(Approved)),
            (InReview, Approve, Role::Author, false, "", Err(())),
            (InReview, ReturnToDraft, Role::Reviewer, false, "", Err(())),
            (
                InReview,
                ReturnToDraft,
                Role::Reviewer,
                false,
                "Sai căn cứ",
                Ok(Draft),
            ),
            (Draft, Approve, Role::Reviewer, false, "", Err(())),
            (Approved, Retire, Role::Admin, false, "", Ok(Retired)),
            (Approved, Retire, Role::Reviewer, false, "", Err(())),
            (Retired, SubmitForReview, Role::Admin, false, "", Err(())),
            (Draft, SubmitForReview, Role::Secretary, true, "", Err(())),
            (Draft, SubmitForReview, Role::Participant, true, "", Err(())),
        ];
        for (from, t, actor, own, comment, want) in cases {
            let got = check_transition(from, t, actor, own, comment).map_err(|_| ());
            assert_eq!(got, want, "{from:?} {t:?} by {actor:?}");
        }
    }

    fn draft() -> QuestionDraft {
        QuestionDraft {
            topic: "PAR Index".into(),
            difficulty: "2".into(),
            text: "  Chỉ số  PAR Index do cơ quan nào chủ trì? ".into(),
            options: vec!["Bộ Nội vụ".into(), "Bộ Tư pháp".into(), "".into()],
            correct: "a".into(),
            explanation: "".into(),
            reference: "".into(),
            study_only: "".into(),
        }
    }

    #[test]
    fn valid_question_is_normalised() {
        let q = validate_question(&draft(), &["PAR Index".to_string()]).unwrap();
        assert_eq!(q.text, "Chỉ số PAR Index do cơ quan nào chủ trì?");
        assert_eq!(q.options.len(), 2, "trailing empty options dropped");
        assert_eq!((q.correct, q.difficulty), (0, 2));
    }

    #[test]
    fn every_problem_is_reported() {
        let field = |d: QuestionDraft| -> Vec<String> {
            validate_question(&d, &["PAR Index".to_string()])
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            field(QuestionDraft {
                correct: "".into(),
                ..draft()
            }),
            ["correct"]
        );
        assert_eq!(
            field(QuestionDraft {
                correct: "A,B".into(),
                ..draft()
            }),
            ["correct"]
        );
        assert_eq!(
            field(QuestionDraft {
                correct: "C".into(),
                ..draft()
            }),
            ["correct"]
        );
        assert_eq!(
            field(QuestionDraft {
                topic: "Khác".into(),
                ..draft()
            }),
            ["topic"]
        );
        assert_eq!(
            field(QuestionDraft {
                difficulty: "5".into(),
                ..draft()
            }),
            ["difficulty"]
        );
        assert_eq!(
            field(QuestionDraft {
                options: vec!["Một".into()],
                ..draft()
            }),
            ["options"]
        );
        assert_eq!(
            field(QuestionDraft {
                options: vec!["Một".into()],
                correct: "B".into(),
                ..draft()
            }),
            ["options", "correct"]
        );
        assert_eq!(
            field(QuestionDraft {
                options: vec!["X".into(), "x".into()],
                ..draft()
            }),
            ["options"]
        );
        assert_eq!(
            field(QuestionDraft {
                options: vec!["X".into(), "".into(), "Y".into()],
                ..draft()
            }),
            ["options"]
        );
        assert_eq!(
            field(QuestionDraft {
                text: " ".into(),
                ..draft()
            }),
            ["text"]
        );
        assert_eq!(
            field(QuestionDraft {
                options: (0..7).map(|i| i.to_string()).collect(),
                ..draft()
            }),
            ["options"]
        );
    }

    #[test]
    fn duplicates_ignore_case_spacing_and_diacritics() {
        assert_eq!(
            duplicate_key("Cải cách  hành chính?"),
            duplicate_key("cai cach hanh chinh?")
        );
        assert_ne!(duplicate_key("Cải cách"), duplicate_key("Cải tổ"));
    }
}
