//! The question bank for organizers: drafts, review, approval, retirement, import, search.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::domain::bank::{
    self, column_label, QuestionDraft, QuestionStatus, RowError, Transition, ValidQuestion,
};
use crate::domain::roles::{allows, Permission, Role};
use crate::domain::search;
use crate::error::AppError;
use crate::model::{BankPage, BankQuestion, ImportReport, UserInfo};
use crate::server::clock::to_ms;
use crate::server::repo::bank::{self as repo, BankRow, NewQuestion};
use crate::server::repo::contests;
use crate::server::AppState;

/// The organizer's role, if it allows `p`; otherwise the refusal to send.
pub fn authorize(user: &UserInfo, p: Permission) -> Result<Role, AppError> {
    let role = Role::parse(&user.role).unwrap_or(Role::Participant);
    if allows(role, p) {
        Ok(role)
    } else {
        tracing::warn!(user_id = user.id, ?p, "refused an organizer function");
        Err(AppError::Forbidden(
            "Bạn không có quyền thực hiện chức năng này.".into(),
        ))
    }
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

async fn contest_id(state: &AppState) -> Result<i64, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    contests::latest_contest(&mut conn)
        .await?
        .map(|c| c.id)
        .ok_or_else(|| AppError::NotFound("Chưa có cuộc thi.".into()))
}

/// Every question of a contest with its options, newest first.
async fn load_questions(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    viewer: i64,
) -> Result<Vec<BankQuestion>, AppError> {
    let rows = repo::questions_of(conn, contest_id).await?;
    let mut options: HashMap<i64, Vec<(String, bool)>> = HashMap::new();
    for (qid, _, text, correct) in repo::options_of_contest(conn, contest_id).await? {
        options.entry(qid).or_default().push((text, correct != 0));
    }
    Ok(rows
        .into_iter()
        .map(|r| to_bank_question(r, &options, viewer))
        .collect())
}

fn matches_query(q: &BankQuestion, query: &str) -> bool {
    query.trim().is_empty() || search::matches(&format!("{} {}", q.text, q.topic), query)
}

/// The bank as organizers see it, filtered by status and a diacritics-insensitive search.
pub async fn page(
    state: &AppState,
    user: &UserInfo,
    status: Option<&str>,
    query: &str,
) -> Result<BankPage, AppError> {
    let role = authorize(user, Permission::ViewBank)?;
    let contest_id = contest_id(state).await?;
    let mut conn = state.db.pool.acquire().await?;
    let all = load_questions(&mut conn, contest_id, user.id).await?;
    let topics = repo::topics(&mut conn, contest_id).await?;
    let counts = [
        QuestionStatus::Draft,
        QuestionStatus::InReview,
        QuestionStatus::Approved,
        QuestionStatus::Retired,
    ]
    .iter()
    .map(|s| {
        let n = all.iter().filter(|q| q.status == s.as_str()).count() as u32;
        (s.as_str().to_string(), s.label().to_string(), n)
    })
    .collect();
    let questions = all
        .into_iter()
        .filter(|q| status.is_none_or(|s| s.is_empty() || q.status == s))
        .filter(|q| matches_query(q, query))
        .collect();
    Ok(BankPage {
        role: role.as_str().into(),
        role_label: role.label().into(),
        topics,
        counts,
        questions,
    })
}

/// The approved questions with their answers, for participants to study, once the
/// committee has published the bank. Ordered by topic.
pub async fn published(state: &AppState, query: &str) -> Result<Vec<BankQuestion>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let contest = contests::latest_contest(&mut conn)
        .await?
        .ok_or_else(|| AppError::NotFound("Chưa có cuộc thi.".into()))?;
    if contest.bank_published == 0 {
        return Err(AppError::NotFound("Bộ câu hỏi chưa được công bố.".into()));
    }
    let topics = repo::topics(&mut conn, contest.id).await?;
    let mut list: Vec<BankQuestion> = load_questions(&mut conn, contest.id, 0)
        .await?
        .into_iter()
        .filter(|q| q.status == QuestionStatus::Approved.as_str() && matches_query(q, query))
        .collect();
    list.sort_by_key(|q| {
        (
            topics
                .iter()
                .position(|t| *t == q.topic)
                .unwrap_or(usize::MAX),
            q.id,
        )
    });
    Ok(list)
}

fn to_bank_question(
    r: BankRow,
    options: &HashMap<i64, Vec<(String, bool)>>,
    viewer: i64,
) -> BankQuestion {
    let opts = options.get(&r.id).cloned().unwrap_or_default();
    let status = QuestionStatus::parse(&r.status).unwrap_or(QuestionStatus::Draft);
    BankQuestion {
        id: r.id,
        topic: r.topic,
        difficulty: r.difficulty,
        text: r.text,
        correct: opts.iter().position(|(_, c)| *c).unwrap_or(0) as u8,
        options: opts.into_iter().map(|(t, _)| t).collect(),
        explanation: r.explanation,
        reference: r.reference,
        status: status.as_str().into(),
        status_label: status.label().into(),
        review_comment: r.review_comment,
        written_by_viewer: r.author_id == Some(viewer),
        revision_of: r.revision_of,
    }
}

fn nfc_draft(d: &QuestionDraft) -> QuestionDraft {
    QuestionDraft {
        topic: nfc(&d.topic),
        difficulty: d.difficulty.clone(),
        text: nfc(&d.text),
        options: d.options.iter().map(|o| nfc(o)).collect(),
        correct: d.correct.clone(),
        explanation: nfc(&d.explanation),
        reference: nfc(&d.reference),
    }
}

async fn insert_valid(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    q: &ValidQuestion,
    status: QuestionStatus,
    author_id: i64,
    revision_of: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    let id = repo::insert_question(
        conn,
        NewQuestion {
            contest_id,
            topic: &q.topic,
            difficulty: q.difficulty,
            text: &q.text,
            explanation: &q.explanation,
            reference: &q.reference,
            status: status.as_str(),
            author_id: Some(author_id),
            revision_of,
            now,
        },
    )
    .await?;
    for (i, text) in q.options.iter().enumerate() {
        contests::insert_option(conn, id, i as i64, text, i == q.correct).await?;
    }
    Ok(id)
}

/// A new draft written by an author. `revision_of` names an approved question it replaces
/// once approved; the old one is never edited, so attempts that saw it keep their key.
pub async fn create_draft(
    state: &AppState,
    user: &UserInfo,
    draft: &QuestionDraft,
    revision_of: Option<i64>,
) -> Result<i64, AppError> {
    authorize(user, Permission::WriteQuestions)?;
    let contest_id = contest_id(state).await?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let topics = repo::topics(&mut tx, contest_id).await?;
    let q = bank::validate_question(&nfc_draft(draft), &topics).map_err(AppError::Invalid)?;
    if let Some(old) = revision_of {
        let old = repo::question(&mut tx, old, state.db.for_update())
            .await?
            .ok_or_else(|| AppError::NotFound("Không tìm thấy câu hỏi.".into()))?;
        if old.status != QuestionStatus::Approved.as_str() {
            return Err(AppError::Conflict(
                "Chỉ sửa đổi được câu hỏi đã duyệt; bản nháp thì sửa trực tiếp.".into(),
            ));
        }
    }
    let id = insert_valid(
        &mut tx,
        contest_id,
        &q,
        QuestionStatus::Draft,
        user.id,
        revision_of,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(question_id = id, user_id = user.id, "question drafted");
    Ok(id)
}

/// Moves a question through review. Approving a revision retires the question it revises.
pub async fn transition(
    state: &AppState,
    user: &UserInfo,
    question_id: i64,
    t: Transition,
    comment: &str,
) -> Result<QuestionStatus, AppError> {
    authorize(user, Permission::ViewBank)?;
    let role = Role::parse(&user.role).unwrap_or(Role::Participant);
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let q = repo::question(&mut tx, question_id, state.db.for_update())
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy câu hỏi.".into()))?;
    let from = QuestionStatus::parse(&q.status).unwrap_or(QuestionStatus::Draft);
    let to = bank::check_transition(from, t, role, q.author_id == Some(user.id), comment)
        .map_err(AppError::Forbidden)?;
    let reviewer = matches!(t, Transition::Approve | Transition::ReturnToDraft).then_some(user.id);
    repo::set_status(
        &mut tx,
        question_id,
        to.as_str(),
        reviewer,
        &nfc(comment.trim()),
        now,
    )
    .await?;
    if let (QuestionStatus::Approved, Some(old)) = (to, q.revision_of) {
        repo::set_status(
            &mut tx,
            old,
            QuestionStatus::Retired.as_str(),
            None,
            "",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(question_id, user_id = user.id, ?t, "question moved");
    Ok(to)
}

/// Imports questions from CSV (UTF-8, header row, one question per row), all or nothing.
/// Every row is checked first; any problem refuses the whole file and lists each by row and column.
pub async fn import_csv(
    state: &AppState,
    user: &UserInfo,
    content: &str,
) -> Result<ImportReport, AppError> {
    authorize(user, Permission::ImportQuestions)?;
    let contest_id = contest_id(state).await?;
    let now = to_ms(state.clock.now());
    let content = nfc(content.trim_start_matches('\u{feff}'));
    let drafts = parse_csv(&content).map_err(|e| AppError::ImportRejected(first_errors(e)))?;
    if drafts.is_empty() {
        return Err(AppError::BadRequest("Tệp không có câu hỏi nào.".into()));
    }

    let mut tx = state.db.begin_write().await?;
    let topics = repo::topics(&mut tx, contest_id).await?;
    let mut known: HashMap<String, i64> = repo::questions_of(&mut tx, contest_id)
        .await?
        .into_iter()
        .filter(|r| r.status != QuestionStatus::Retired.as_str())
        .map(|r| (bank::duplicate_key(&r.text), r.id))
        .collect();
    let mut in_file: HashMap<String, u32> = HashMap::new();
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    for (row, d) in &drafts {
        match bank::validate_question(d, &topics) {
            Err(fields) => errors.extend(fields.into_iter().map(|f| RowError {
                row: *row,
                column: column_label(&f.field).to_string(),
                message: f.message,
            })),
            Ok(q) => {
                let key = bank::duplicate_key(&q.text);
                if let Some(first) = in_file.get(&key) {
                    errors.push(RowError {
                        row: *row,
                        column: "Câu hỏi".into(),
                        message: format!("Câu hỏi trùng với dòng {first}."),
                    });
                } else if let Some(id) = known.get(&key) {
                    errors.push(RowError {
                        row: *row,
                        column: "Câu hỏi".into(),
                        message: format!("Câu hỏi đã có trong ngân hàng (mã {id})."),
                    });
                } else {
                    in_file.insert(key, *row);
                    valid.push(q);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::ImportRejected(first_errors(errors)));
    }
    for q in &valid {
        let id = insert_valid(
            &mut tx,
            contest_id,
            q,
            QuestionStatus::Approved,
            user.id,
            None,
            now,
        )
        .await?;
        known.insert(bank::duplicate_key(&q.text), id);
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        imported = valid.len(),
        "questions imported"
    );
    Ok(ImportReport {
        imported: valid.len() as u32,
    })
}

/// Reports at most this many problems, then how many more there are: enough to fix a file,
/// small enough to carry back to the page.
const MAX_REPORTED: usize = 50;

fn first_errors(mut errors: Vec<RowError>) -> Vec<RowError> {
    if errors.len() > MAX_REPORTED {
        let more = errors.len() - MAX_REPORTED;
        errors.truncate(MAX_REPORTED);
        errors.push(RowError {
            row: 0,
            column: String::new(),
            message: format!("Còn {more} lỗi khác."),
        });
    }
    errors
}

/// The header of the import template, in column order.
pub const TEMPLATE_HEADER: [&str; 12] = [
    "Chủ đề",
    "Mức độ",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Phương án E",
    "Phương án F",
    "Đáp án",
    "Giải thích",
    "Căn cứ",
];

/// Reads rows by header name (any order, with or without diacritics); row 1 is the header.
fn parse_csv(content: &str) -> Result<Vec<(u32, QuestionDraft)>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(content.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|c| search::fold(c).replace('_', " "))
            .collect(),
        Err(e) => {
            return Err(vec![RowError {
                row: 1,
                column: String::new(),
                message: format!("Không đọc được tệp CSV: {e}"),
            }])
        }
    };
    let col = |name: &str| header.iter().position(|h| *h == search::fold(name));
    let required = ["Chủ đề", "Câu hỏi", "Phương án A", "Phương án B", "Đáp án"];
    let missing: Vec<RowError> = required
        .iter()
        .filter(|n| col(n).is_none())
        .map(|n| RowError {
            row: 1,
            column: n.to_string(),
            message: format!("Thiếu cột “{n}” ở dòng tiêu đề."),
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let idx: Vec<Option<usize>> = TEMPLATE_HEADER.iter().map(|n| col(n)).collect();
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i as u32 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    row,
                    column: String::new(),
                    message: format!("Dòng không đọc được: {e}"),
                });
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |k: usize| idx[k].and_then(|c| record.get(c)).unwrap_or("").to_string();
        drafts.push((
            row,
            QuestionDraft {
                topic: get(0),
                difficulty: get(1),
                text: get(2),
                options: (3..9).map(get).collect(),
                correct: get(9),
                explanation: get(10),
                reference: get(11),
            },
        ));
    }
    if errors.is_empty() {
        Ok(drafts)
    } else {
        Err(errors)
    }
}

/// The import template: the header and one example row, as CSV.
pub fn template_csv() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(TEMPLATE_HEADER);
    let _ = w.write_record([
        "PAR Index",
        "1",
        "Chỉ số cải cách hành chính (PAR Index) do cơ quan nào chủ trì xác định?",
        "Bộ Nội vụ",
        "Bộ Tư pháp",
        "Văn phòng Chính phủ",
        "Bộ Tài chính",
        "",
        "",
        "A",
        "Bộ Nội vụ chủ trì xác định PAR Index hằng năm.",
        "Đề án xác định Chỉ số cải cách hành chính",
    ]);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
