//! The question bank for organizers: drafts, review, approval, retirement, import, search.

use std::collections::HashMap;

use crate::server::nfc;

use crate::domain::bank::{
    self, column_label, QuestionDraft, QuestionStatus, RowError, Transition, ValidQuestion,
};
use crate::domain::roles::{Permission, Role};
use crate::domain::search;
use crate::error::AppError;
use crate::server::guard::authorize;
use rand::{Rng, SeedableRng};

use crate::domain::scoring::{draw, draw_by_quota, Drawable};
use crate::model::{BankPage, BankQuestion, ImportReport, PracticeQuestion, PracticeSet, UserInfo};
use crate::server::clock::to_ms;
use crate::server::repo::bank::{self as repo, BankRow, NewQuestion};
use crate::server::repo::contests;
use crate::server::sheet;
use crate::server::AppState;

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
#[tracing::instrument(skip_all)]
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
#[tracing::instrument(skip_all)]
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

/// Imports questions from an uploaded .xlsx or CSV file (header row, one question per row),
/// all or nothing. Every row is checked first; any problem refuses the whole file and lists
/// each by row and column.
#[tracing::instrument(skip_all)]
pub async fn import_file(
    state: &AppState,
    user: &UserInfo,
    bytes: &[u8],
) -> Result<ImportReport, AppError> {
    authorize(user, Permission::ImportQuestions)?;
    let rows = sheet::read_table(bytes).map_err(AppError::BadRequest)?;
    import_rows(state, user, rows).await
}

/// The same import from CSV text (the server function for scripts and tests).
pub async fn import_csv(
    state: &AppState,
    user: &UserInfo,
    content: &str,
) -> Result<ImportReport, AppError> {
    import_file(state, user, content.as_bytes()).await
}

async fn import_rows(
    state: &AppState,
    user: &UserInfo,
    rows: Vec<sheet::Row>,
) -> Result<ImportReport, AppError> {
    let contest_id = contest_id(state).await?;
    let now = to_ms(state.clock.now());
    let drafts = parse_rows(rows).map_err(|e| AppError::ImportRejected(first_errors(e)))?;
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

pub fn first_errors(mut errors: Vec<RowError>) -> Vec<RowError> {
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

/// The header of the import template and of the export, in column order.
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
const TEMPLATE_WIDTHS: [f64; 12] = [
    22.0, 8.0, 60.0, 28.0, 28.0, 28.0, 28.0, 20.0, 20.0, 8.0, 40.0, 30.0,
];

/// Finds each named column in the header row (any order, with or without diacritics)
/// and reports the required ones that are missing.
pub fn locate_columns(
    header: &[String],
    names: &[&str],
    required: &[&str],
) -> Result<Vec<Option<usize>>, Vec<RowError>> {
    let folded: Vec<String> = header
        .iter()
        .map(|c| search::fold(c).replace('_', " "))
        .collect();
    let col = |name: &str| folded.iter().position(|h| *h == search::fold(name));
    let missing: Vec<RowError> = required
        .iter()
        .filter(|n| col(n).is_none())
        .map(|n| RowError {
            row: 1,
            column: n.to_string(),
            message: format!("Thiếu cột “{n}” ở dòng tiêu đề."),
        })
        .collect();
    if missing.is_empty() {
        Ok(names.iter().map(|n| col(n)).collect())
    } else {
        Err(missing)
    }
}

/// The data rows under the header, blank rows skipped, each cell fetched by column index.
pub fn data_rows(
    rows: Vec<sheet::Row>,
    names: &[&str],
    required: &[&str],
) -> Result<Vec<(u32, Vec<String>)>, Vec<RowError>> {
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Ok(Vec::new());
    };
    let idx = locate_columns(&header, names, required)?;
    Ok(rows
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(row, cells)| {
            let get = |k: &Option<usize>| k.and_then(|c| cells.get(c)).cloned().unwrap_or_default();
            (row, idx.iter().map(get).collect())
        })
        .collect())
}

fn parse_rows(rows: Vec<sheet::Row>) -> Result<Vec<(u32, QuestionDraft)>, Vec<RowError>> {
    let required = ["Chủ đề", "Câu hỏi", "Phương án A", "Phương án B", "Đáp án"];
    Ok(data_rows(rows, &TEMPLATE_HEADER, &required)?
        .into_iter()
        .map(|(row, c)| {
            (
                row,
                QuestionDraft {
                    topic: c[0].clone(),
                    difficulty: c[1].clone(),
                    text: c[2].clone(),
                    options: c[3..9].to_vec(),
                    correct: c[9].clone(),
                    explanation: c[10].clone(),
                    reference: c[11].clone(),
                },
            )
        })
        .collect())
}

fn template_example() -> [&'static str; 12] {
    [
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
    ]
}

/// The import template: the header and one example row, as CSV.
pub fn template_csv() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(TEMPLATE_HEADER);
    let _ = w.write_record(template_example());
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn bank_sheet(rows: Vec<Vec<sheet::Cell>>) -> sheet::Sheet<'static> {
    sheet::Sheet {
        name: "Câu hỏi",
        header: &TEMPLATE_HEADER,
        widths: &TEMPLATE_WIDTHS,
        rows,
    }
}

/// The import template as an Excel workbook.
pub fn template_xlsx() -> Result<Vec<u8>, AppError> {
    let row = template_example().iter().map(|c| (*c).into()).collect();
    sheet::write_xlsx(bank_sheet(vec![row]))
}

/// The approved questions in the import layout, so an exported bank imports again unchanged.
pub async fn export_xlsx(state: &AppState, user: &UserInfo) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::ViewBank)?;
    let contest_id = contest_id(state).await?;
    let mut conn = state.db.pool.acquire().await?;
    let mut list = load_questions(&mut conn, contest_id, user.id).await?;
    list.retain(|q| q.status == QuestionStatus::Approved.as_str());
    list.sort_by_key(|q| q.id);
    let rows = list
        .into_iter()
        .map(|q| {
            let mut cells: Vec<sheet::Cell> =
                vec![q.topic.into(), q.difficulty.into(), q.text.into()];
            cells.extend((0..6).map(|i| q.options.get(i).cloned().unwrap_or_default().into()));
            cells.push(bank::option_letter(q.correct as usize).into());
            cells.push(q.explanation.into());
            cells.push(q.reference.into());
            cells
        })
        .collect();
    sheet::write_xlsx(bank_sheet(rows))
}

/// The most questions a practice set may name (a set is normally the contest's size).
const MAX_PRACTICE: usize = 100;

/// An untimed practice set from the published bank; see `api::contest::practice`.
pub async fn practice(
    state: &AppState,
    ids: &str,
    chosen: &[(i64, u8)],
    check: bool,
) -> Result<PracticeSet, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let contest = contests::latest_contest(&mut conn)
        .await?
        .ok_or_else(|| AppError::NotFound("Chưa có cuộc thi.".into()))?;
    drop(conn);
    let bank = published(state, "").await?;
    let wanted: Vec<i64> = ids
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .take(MAX_PRACTICE)
        .collect();
    let by_id: HashMap<i64, &BankQuestion> = bank.iter().map(|q| (q.id, q)).collect();
    let picked: Vec<i64> = if wanted.is_empty() {
        let drawable: Vec<Drawable> = bank
            .iter()
            .map(|q| Drawable {
                id: q.id,
                topic: q.topic.clone(),
                difficulty: q.difficulty,
            })
            .collect();
        let mut conn = state.db.pool.acquire().await?;
        let quotas = contests::quotas_of(&mut conn, contest.id).await?;
        let mut rng = rand::rngs::StdRng::from_entropy();
        let n = contest.questions_per_attempt.max(1) as usize;
        // Practice follows the contest's topic mix when the bank can fill it.
        draw_by_quota(&drawable, &quotas, n, &mut |k| rng.gen_range(0..k)).unwrap_or_else(|_| {
            draw(
                &drawable.iter().map(|d| d.id).collect::<Vec<_>>(),
                n,
                &mut |k| rng.gen_range(0..k),
            )
        })
    } else {
        wanted
            .into_iter()
            .filter(|id| by_id.contains_key(id))
            .collect()
    };
    let choice_of: HashMap<i64, u8> = chosen.iter().copied().collect();
    let questions: Vec<PracticeQuestion> = picked
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|q| {
            let chosen = choice_of
                .get(&q.id)
                .copied()
                .filter(|c| usize::from(*c) < q.options.len());
            PracticeQuestion {
                id: q.id,
                topic: q.topic.clone(),
                text: q.text.clone(),
                options: q.options.clone(),
                chosen,
                correct: check.then_some(q.correct),
                explanation: if check {
                    q.explanation.clone()
                } else {
                    String::new()
                },
                reference: if check {
                    q.reference.clone()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let correct = questions
        .iter()
        .filter(|q| q.correct.is_some() && q.chosen == q.correct)
        .count() as u32;
    Ok(PracticeSet {
        questions,
        checked: check,
        correct,
    })
}
