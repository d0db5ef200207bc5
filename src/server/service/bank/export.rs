//! The import template (CSV and Excel) and the export of approved questions in its layout.

use super::{contest_id, load_questions, TEMPLATE_HEADER};
use crate::domain::bank::{self, QuestionStatus};
use crate::domain::roles::Permission;
use crate::error::AppError;
use crate::model::UserInfo;
use crate::server::guard::authorize;
use crate::server::sheet;
use crate::server::AppState;

const TEMPLATE_WIDTHS: [f64; 13] = [
    22.0, 8.0, 60.0, 28.0, 28.0, 28.0, 28.0, 20.0, 20.0, 8.0, 40.0, 30.0, 8.0,
];

fn template_example() -> [&'static str; 13] {
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
        "",
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
pub async fn export_xlsx(
    state: &AppState,
    user: &UserInfo,
    contest: &str,
) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::ViewBank)?;
    let contest_id = contest_id(state, contest).await?;
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
            cells.push(if q.study_only { "x" } else { "" }.into());
            cells
        })
        .collect();
    sheet::write_xlsx(bank_sheet(rows))
}
