//! Units for administrators: the tree with headcounts and quotas, edits, import and export.

use std::collections::HashMap;

use crate::domain::bank::RowError;
use crate::domain::roles::{allows, Permission};
use crate::domain::units::{self, UnitForm, ValidUnit};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::model::{ImportReport, UnitAdminRow, UnitsAdmin, UserInfo};
use crate::server::guard::authorize;
use crate::server::repo::units::{self as repo, UnitTreeRow};
use crate::server::service::bank::{data_rows, first_errors};
use crate::server::sheet;
use crate::server::AppState;

/// Columns of the unit import template and export, in order.
pub const HEADER: [&str; 6] = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại",
    "Mã đơn vị cấp trên",
    "Số người",
    "Tỷ lệ bắt buộc (%)",
];
const WIDTHS: [f64; 6] = [14.0, 48.0, 22.0, 20.0, 10.0, 18.0];

fn column_of(field: &str) -> &'static str {
    match field {
        "code" => HEADER[0],
        "name" => HEADER[1],
        "kind" => HEADER[2],
        "parent_code" => HEADER[3],
        "headcount" => HEADER[4],
        "quota_percent" => HEADER[5],
        _ => "",
    }
}

async fn members_per_unit(conn: &mut sqlx::AnyConnection) -> Result<HashMap<i64, u32>, AppError> {
    let rows = crate::server::repo::participants::members_per_unit(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(u, n)| (u, n.max(0) as u32))
        .collect())
}

/// The units in tree order, for the administration page.
pub async fn list(state: &AppState, user: &UserInfo) -> Result<UnitsAdmin, AppError> {
    let role = authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let mut rows = repo::all_units(&mut conn).await?;
    // Siblings in list order (Vietnamese alphabet); tree_order keeps the order it is given.
    rows.sort_by_cached_key(|r| units::list_order(&r.kind, &r.name));
    let members = members_per_unit(&mut conn).await?;
    let code_of: HashMap<i64, String> = rows.iter().map(|r| (r.id, r.code.clone())).collect();
    let units = units::tree_order(rows, |r| r.id, |r| r.parent_id)
        .into_iter()
        .map(|(depth, r)| UnitAdminRow {
            id: r.id,
            kind_label: units::kind_label(&r.kind).into(),
            parent_code: r
                .parent_id
                .and_then(|p| code_of.get(&p).cloned())
                .unwrap_or_default(),
            depth: depth as u32,
            members: members.get(&r.id).copied().unwrap_or(0),
            code: r.code,
            name: r.name,
            kind: r.kind,
            headcount: r.headcount,
            quota_percent: r.quota_percent,
            retired: r.retired_at.is_some(),
        })
        .collect();
    Ok(UnitsAdmin {
        units,
        kinds: units::KINDS
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        can_edit: allows(role, Permission::ManageContest),
    })
}

/// Checks the tree that the stored units and `incoming` make together (incoming replaces a
/// stored unit with the same code). Problems come back keyed by the incoming unit's code.
fn tree_problems(stored: &[UnitTreeRow], incoming: &[ValidUnit]) -> Vec<(String, String)> {
    let code_of: HashMap<i64, &str> = stored.iter().map(|r| (r.id, r.code.as_str())).collect();
    let mut pairs: HashMap<String, Option<String>> = stored
        .iter()
        .map(|r| {
            let parent = r
                .parent_id
                .and_then(|p| code_of.get(&p))
                .map(|c| c.to_string());
            (r.code.clone(), parent)
        })
        .collect();
    for u in incoming {
        pairs.insert(u.code.clone(), u.parent_code.clone());
    }
    let pairs: Vec<(String, Option<String>)> = pairs.into_iter().collect();
    let mine: std::collections::HashSet<&str> = incoming.iter().map(|u| u.code.as_str()).collect();
    units::check_tree(&pairs)
        .into_iter()
        .filter(|(code, _)| mine.contains(code.as_str()))
        .collect()
}

/// Writes valid units: each one first (by code), then every parent link.
async fn write_units(tx: &mut sqlx::AnyConnection, list: &[ValidUnit]) -> Result<(), AppError> {
    let mut ids: HashMap<String, i64> = HashMap::new();
    for u in list {
        ids.insert(u.code.clone(), repo::upsert_unit(tx, u, None).await?);
    }
    let stored: HashMap<String, i64> = repo::all_units(tx)
        .await?
        .into_iter()
        .map(|r| (r.code, r.id))
        .collect();
    for u in list {
        let parent = u.parent_code.as_ref().and_then(|c| stored.get(c).copied());
        repo::set_parent(tx, ids[&u.code], parent).await?;
    }
    Ok(())
}

/// Adds a unit or changes the one with the same code.
#[tracing::instrument(skip_all)]
pub async fn save(state: &AppState, user: &UserInfo, form: &UnitForm) -> Result<i64, AppError> {
    authorize(user, Permission::ManageContest)?;
    let nfc_form = UnitForm {
        name: crate::server::nfc(&form.name),
        kind: crate::server::nfc(&form.kind),
        ..form.clone()
    };
    let unit = units::validate_unit(&nfc_form).map_err(AppError::Invalid)?;
    let mut tx = state.db.begin_write().await?;
    let stored = repo::all_units(&mut tx).await?;
    if let Some((_, message)) = tree_problems(&stored, std::slice::from_ref(&unit))
        .into_iter()
        .next()
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "parent_code",
            &message,
        )]));
    }
    write_units(&mut tx, std::slice::from_ref(&unit)).await?;
    let id = repo::all_units(&mut tx)
        .await?
        .into_iter()
        .find(|r| r.code == unit.code)
        .map(|r| r.id)
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, unit = %unit.code, "unit saved");
    Ok(id)
}

/// Imports units from .xlsx or CSV, all or nothing: new codes are added, known codes updated.
#[tracing::instrument(skip_all)]
pub async fn import_file(
    state: &AppState,
    user: &UserInfo,
    bytes: &[u8],
) -> Result<ImportReport, AppError> {
    authorize(user, Permission::ManageContest)?;
    let rows = sheet::read_table(bytes).map_err(AppError::BadRequest)?;
    let rows = data_rows(rows, &HEADER, &HEADER[..3])
        .map_err(|e| AppError::ImportRejected(first_errors(e)))?;
    if rows.is_empty() {
        return Err(AppError::BadRequest("Tệp không có đơn vị nào.".into()));
    }
    let mut errors = Vec::new();
    let mut valid: Vec<ValidUnit> = Vec::new();
    let mut row_of: HashMap<String, u32> = HashMap::new();
    for (row, c) in rows {
        let form = UnitForm {
            code: c[0].clone(),
            name: c[1].clone(),
            kind: c[2].clone(),
            parent_code: c[3].clone(),
            headcount: c[4].clone(),
            quota_percent: c[5].clone(),
        };
        match units::validate_unit(&form) {
            Err(fields) => errors.extend(fields.into_iter().map(|f| RowError {
                row,
                column: column_of(&f.field).into(),
                message: f.message,
            })),
            Ok(u) => {
                if let Some(first) = row_of.get(&u.code) {
                    errors.push(RowError {
                        row,
                        column: HEADER[0].into(),
                        message: format!("Mã đơn vị “{}” trùng với dòng {first}.", u.code),
                    });
                } else {
                    row_of.insert(u.code.clone(), row);
                    valid.push(u);
                }
            }
        }
    }
    let mut tx = state.db.begin_write().await?;
    let stored = repo::all_units(&mut tx).await?;
    if errors.is_empty() {
        for (code, message) in tree_problems(&stored, &valid) {
            errors.push(RowError {
                row: row_of.get(&code).copied().unwrap_or(0),
                column: HEADER[3].into(),
                message,
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(AppError::ImportRejected(first_errors(errors)));
    }
    write_units(&mut tx, &valid).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, units = valid.len(), "units imported");
    Ok(ImportReport {
        imported: valid.len() as u32,
    })
}

fn unit_sheet(rows: Vec<Vec<sheet::Cell>>) -> sheet::Sheet<'static> {
    sheet::Sheet {
        name: "Đơn vị",
        header: &HEADER,
        widths: &WIDTHS,
        rows,
    }
}

pub fn template_xlsx() -> Result<Vec<u8>, AppError> {
    let rows = vec![
        vec![
            "TX-HN".into(),
            "UBND thị xã Hoài Nhơn".into(),
            "Thị xã".into(),
            "".into(),
            60.into(),
            70.into(),
        ],
        vec![
            "P-HX".into(),
            "UBND phường Hoài Xuân".into(),
            "Phường".into(),
            "TX-HN".into(),
            45.into(),
            50.into(),
        ],
    ];
    sheet::write_xlsx(unit_sheet(rows))
}

/// Every unit in tree order, in the import layout (an export imports back unchanged).
pub async fn export_xlsx(state: &AppState, user: &UserInfo) -> Result<Vec<u8>, AppError> {
    let list = list(state, user).await?;
    let rows = list
        .units
        .into_iter()
        .map(|u| {
            vec![
                u.code.into(),
                u.name.into(),
                u.kind_label.into(),
                u.parent_code.into(),
                u.headcount.into(),
                u.quota_percent
                    .map_or(sheet::Cell::Text(String::new()), Into::into),
            ]
        })
        .collect();
    sheet::write_xlsx(unit_sheet(rows))
}
