//! Importing questions from a spreadsheet, all or nothing, and the reading of table files
//! that other imports (units) share: columns by name, data rows, a bounded error list.

use std::collections::HashMap;

use super::questions::insert_valid;
use super::{contest_id, TEMPLATE_HEADER};
use crate::domain::bank::{self, column_label, QuestionDraft, QuestionStatus, RowError};
use crate::domain::roles::Permission;
use crate::domain::search;
use crate::error::AppError;
use crate::model::{ImportReport, UserInfo};
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::repo::bank as repo;
use crate::server::sheet;
use crate::server::AppState;

/// Imports questions from an uploaded .xlsx or CSV file (header row, one question per row),
/// all or nothing. Every row is checked first; any problem refuses the whole file and lists
/// each by row and column.
#[tracing::instrument(skip_all)]
pub async fn import_file(
    state: &AppState,
    user: &UserInfo,
    contest: &str,
    bytes: &[u8],
    create_topics: bool,
) -> Result<ImportReport, AppError> {
    authorize(user, Permission::ImportQuestions)?;
    let rows = sheet::read_table(bytes).map_err(AppError::BadRequest)?;
    import_rows(state, user, contest, rows, create_topics).await
}

/// The same import from CSV text (the server function for scripts and tests).
pub async fn import_csv(
    state: &AppState,
    user: &UserInfo,
    contest: &str,
    content: &str,
    create_topics: bool,
) -> Result<ImportReport, AppError> {
    import_file(state, user, contest, content.as_bytes(), create_topics).await
}

async fn import_rows(
    state: &AppState,
    user: &UserInfo,
    contest: &str,
    rows: Vec<sheet::Row>,
    create_topics: bool,
) -> Result<ImportReport, AppError> {
    let contest_id = contest_id(state, contest).await?;
    let now = to_ms(state.clock.now());
    let drafts = parse_rows(rows).map_err(|e| AppError::ImportRejected(first_errors(e)))?;
    if drafts.is_empty() {
        return Err(AppError::BadRequest("Tệp không có câu hỏi nào.".into()));
    }

    let mut tx = state.db.begin_write().await?;
    let mut topics = repo::topics(&mut tx, contest_id).await?;
    // Topics the file names that the contest does not have yet: created with the questions
    // when the organizer asked for it, otherwise each such row is refused.
    let mut new_topics: Vec<String> = Vec::new();
    if create_topics {
        for (_, d) in &drafts {
            let t = d.topic.trim().to_string();
            if !t.is_empty() && !topics.contains(&t) && !new_topics.contains(&t) {
                new_topics.push(t);
            }
        }
        topics.extend(new_topics.iter().cloned());
    }
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
    for t in &new_topics {
        repo::insert_topic(&mut tx, contest_id, t).await?;
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
                    study_only: c[12].clone(),
                },
            )
        })
        .collect())
}
