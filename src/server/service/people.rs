//! Who must take part: the contest's categories and positions, the participation rules
//! written with them, the units' rosters (imported all or nothing, matched to accounts), each
//! person's profile in a contest, and every unit's compliance, rolled up the tree.

use std::collections::{BTreeMap, HashMap};

use crate::domain::bank::RowError;
use crate::domain::people::{
    check_answers, format_field_specs, format_groups, parse_field_specs, parse_groups,
    parse_roster_line, FieldKind, FieldSpec, GroupKind, GroupLine, RosterEntry, RosterForm,
};
use crate::domain::quota::{
    compliance, minimums_over_headcount, parse_quota_rules, position_disagreements,
    took_part_by_unit, Entrant, LineFigures, Listed, QuotaRule, UnitPeople,
};
use crate::domain::roles::Permission;
use crate::domain::search::fold;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::model::{
    ComplianceLine, ImportReport, PeopleAdmin, ProfileChoices, ProfileField, RosterLine,
    UnitCompliance, UserInfo,
};
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::nfc;
use crate::server::repo::contests::ContestRow;
use crate::server::repo::people as repo;
use crate::server::repo::units as unit_repo;
use crate::server::service::bank::{data_rows, first_errors};
use crate::server::service::contests::resolve;
use crate::server::{sheet, AppState};

/// The lists and rules as the organizer types them.
#[derive(Clone, Debug, Default)]
pub struct GroupsForm {
    pub categories: String,
    pub positions: String,
    pub quota_rules: String,
    pub extra_fields: String,
}

fn active(rows: &[repo::GroupRow]) -> Vec<GroupLine> {
    rows.iter()
        .filter(|g| g.retired_at.is_none())
        .map(|g| GroupLine {
            name: g.name.clone(),
            mandatory: g.mandatory != 0,
            min_age: g.min_age.map(|a| a.clamp(0, 200) as u32),
        })
        .collect()
}

fn names(rows: &[repo::GroupRow]) -> Vec<String> {
    rows.iter()
        .filter(|g| g.retired_at.is_none())
        .map(|g| g.name.clone())
        .collect()
}

/// Saves the category and position lists and the participation rules, all or nothing: kept
/// names stay (and keep every reference), new ones are added, and those gone are deleted, or
/// retired when a profile or a roster uses them.
#[tracing::instrument(skip_all)]
pub async fn save_groups(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    form: &GroupsForm,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut errors = Vec::new();
    let mut parse = |text: &str, kind: GroupKind, field: &str| {
        parse_groups(&nfc(text), kind).unwrap_or_else(|e| {
            errors.extend(e.into_iter().map(|m| FieldError::new(field, m)));
            Vec::new()
        })
    };
    let categories = parse(&form.categories, GroupKind::Category, "categories");
    let positions = parse(&form.positions, GroupKind::Position, "positions");
    let known: Vec<String> = positions
        .iter()
        .chain(&categories)
        .map(|g| g.name.clone())
        .collect();
    let rules_text = nfc(form.quota_rules.trim());
    let fields_text = match parse_field_specs(&nfc(&form.extra_fields)) {
        Ok(specs) => format_field_specs(&specs),
        Err(e) => {
            errors.extend(e.into_iter().map(|m| FieldError::new("extra_fields", m)));
            String::new()
        }
    };
    if errors.is_empty() {
        match parse_quota_rules(&rules_text, &known) {
            Err(e) => errors.extend(e.into_iter().map(|m| FieldError::new("quota_rules", m))),
            // A minimum no unit it applies to can reach is a typing mistake.
            Ok(rules) => {
                let mut conn = state.db.pool.acquire().await?;
                let units: Vec<(String, String, u32)> = unit_repo::all_units(&mut conn)
                    .await?
                    .into_iter()
                    .filter(|u| u.retired_at.is_none())
                    .map(|u| (u.name, u.kind, u32::try_from(u.headcount).unwrap_or(0)))
                    .collect();
                errors.extend(
                    minimums_over_headcount(&rules, &units)
                        .into_iter()
                        .map(|m| FieldError::new("quota_rules", &m)),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let contest = resolve(&mut tx, slug).await?;
    for (kind, lines) in [
        (GroupKind::Category, &categories),
        (GroupKind::Position, &positions),
    ] {
        let stored = repo::groups(&mut tx, contest.id, kind).await?;
        for (i, line) in lines.iter().enumerate() {
            match stored.iter().find(|g| fold(&g.name) == fold(&line.name)) {
                Some(g) => repo::update_group(&mut tx, g.id, line, i as i64).await?,
                None => repo::insert_group(&mut tx, contest.id, kind, line, i as i64).await?,
            }
        }
        for gone in stored
            .iter()
            .filter(|g| !lines.iter().any(|l| fold(&l.name) == fold(&g.name)))
        {
            if repo::group_in_use(&mut tx, gone.id).await? {
                repo::retire_group(&mut tx, gone.id, now).await?;
            } else {
                repo::delete_group(&mut tx, gone.id).await?;
            }
        }
    }
    repo::set_rules_and_fields(&mut tx, contest.id, &rules_text, &fields_text).await?;
    tx.commit().await?;
    Ok(())
}

/// The page: lists, rules, rosters with their matches, compliance per unit.
pub async fn admin(state: &AppState, user: &UserInfo, slug: &str) -> Result<PeopleAdmin, AppError> {
    authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let contest = resolve(&mut conn, slug).await?;
    let cats = repo::groups(&mut conn, contest.id, GroupKind::Category).await?;
    let pos = repo::groups(&mut conn, contest.id, GroupKind::Position).await?;
    let rules = contest_rules(&contest, &pos, &cats);
    let name_of = group_names(&pos, &cats);
    let counted = entrants_and_roster(&mut conn, contest.id, &name_of).await?;
    let compliance = unit_compliance(&mut conn, &contest, &rules, &pos, &cats, &counted).await?;
    let (entrants, roster) = counted;
    // Lines without a strong match stand in as nobody (account 0 never takes part).
    let listed: Vec<Listed<i64>> = roster
        .iter()
        .map(|(r, l)| {
            l.clone().unwrap_or(Listed {
                account: 0,
                unit: r.unit_id,
                position: None,
            })
        })
        .collect();
    let mut differs = position_disagreements(&entrants, &listed);
    let roster = roster
        .into_iter()
        .enumerate()
        .map(|(i, (r, _))| {
            let to_confirm = r.matched_by.as_deref() == Some("name");
            let status = match (r.user_id.is_some(), r.took_part != 0) {
                (_, true) => "Đã dự thi",
                (true, false) => "Đã đăng ký, chưa dự thi",
                (false, false) => "Chưa đăng ký",
            };
            RosterLine {
                id: r.id,
                unit_name: r.unit_name,
                full_name: r.full_name,
                birth_date: r.birth_date.unwrap_or_default(),
                phone: r.phone.unwrap_or_default(),
                citizen_id: r.citizen_id.unwrap_or_default(),
                position: r.position.unwrap_or_default(),
                status: status.into(),
                took_part: r.took_part != 0,
                to_confirm,
                declared_position: differs.remove(&i).map(Option::unwrap_or_default),
            }
        })
        .collect();
    Ok(PeopleAdmin {
        slug: contest.slug.clone(),
        categories: format_groups(&active(&cats), GroupKind::Category),
        positions: format_groups(&active(&pos), GroupKind::Position),
        quota_rules: contest.quota_rules.clone(),
        extra_fields: contest.extra_fields.clone(),
        rule_labels: rules.iter().map(QuotaRule::label).collect(),
        retired: cats
            .iter()
            .chain(&pos)
            .filter(|g| g.retired_at.is_some())
            .map(|g| g.name.clone())
            .collect(),
        roster,
        compliance,
    })
}

/// The contest's stored rules (checked when saved; a rule naming a group retired since is
/// dropped rather than failing the page).
fn contest_rules(
    contest: &ContestRow,
    pos: &[repo::GroupRow],
    cats: &[repo::GroupRow],
) -> Vec<QuotaRule> {
    let known: Vec<String> = pos.iter().chain(cats).map(|g| g.name.clone()).collect();
    let mut rules = Vec::new();
    for line in contest.quota_rules.lines() {
        if let Ok(mut r) = parse_quota_rules(line, &known) {
            rules.append(&mut r);
        }
    }
    rules
}

/// The contest's counted entrants with the groups they declared, and its roster with each
/// line's match (`Listed` for a line matched by phone or citizen ID): what the participation
/// rules count, read once per page.
type Counted = (
    Vec<Entrant<i64>>,
    Vec<(repo::RosterMatchRow, Option<Listed<i64>>)>,
);

async fn entrants_and_roster(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    name_of: &HashMap<i64, String>,
) -> Result<Counted, AppError> {
    let name = |id: Option<i64>| id.and_then(|id| name_of.get(&id).cloned());
    let entrants = repo::entrants_with_groups(&mut *conn, contest_id)
        .await?
        .into_iter()
        .map(|(account, unit, workplace, position, category)| Entrant {
            account,
            unit,
            workplace,
            position: name(position),
            category: name(category),
        })
        .collect();
    let roster = repo::roster_with_matches(&mut *conn, contest_id)
        .await?
        .into_iter()
        .map(|r| {
            let strong = matches!(r.matched_by.as_deref(), Some("phone" | "citizen_id"));
            let listed = r.user_id.filter(|_| strong).map(|account| Listed {
                account,
                unit: r.unit_id,
                position: r.position.clone(),
            });
            (r, listed)
        })
        .collect();
    Ok((entrants, roster))
}

fn group_names(pos: &[repo::GroupRow], cats: &[repo::GroupRow]) -> HashMap<i64, String> {
    pos.iter()
        .chain(cats)
        .map(|g| (g.id, g.name.clone()))
        .collect()
}

/// Every unit (not retired) in tree order, with its roster and its entrants counted by group.
async fn people_by_unit(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    name_of: &HashMap<i64, String>,
    (entrants, roster): &Counted,
) -> Result<Vec<UnitPeople<i64>>, AppError> {
    let units = unit_repo::all_units(&mut *conn).await?;
    let mut people: BTreeMap<i64, UnitPeople<i64>> = units
        .iter()
        .filter(|u| u.retired_at.is_none())
        .map(|u| {
            (
                u.id,
                UnitPeople {
                    key: u.id,
                    parent: u.parent_id,
                    kind: u.kind.clone(),
                    ..Default::default()
                },
            )
        })
        .collect();
    for (unit, position, n) in repo::roster_per_unit_and_position(&mut *conn, contest_id).await? {
        if let (Some(p), Some(name)) = (
            people.get_mut(&unit),
            position.and_then(|id| name_of.get(&id)),
        ) {
            *p.roster.entry(name.clone()).or_default() += n.max(0) as u32;
        }
    }
    let listed: Vec<Listed<i64>> = roster.iter().filter_map(|(_, l)| l.clone()).collect();
    for (unit, groups) in took_part_by_unit(entrants, &listed) {
        if let Some(p) = people.get_mut(&unit) {
            p.took_part = groups;
        }
    }
    Ok(
        crate::domain::units::tree_order(people.into_values().collect(), |u| u.key, |u| u.parent)
            .into_iter()
            .map(|(_, u)| u)
            .collect(),
    )
}

/// Per unit: how many of the participation rules that apply to it (its own lines) it has not
/// met yet. Units no rule reaches, or that meet every line, are left out.
pub async fn units_short_of_rules(
    conn: &mut sqlx::AnyConnection,
    contest: &ContestRow,
) -> Result<HashMap<i64, u32>, AppError> {
    if contest.quota_rules.trim().is_empty() {
        return Ok(HashMap::new());
    }
    let cats = repo::groups(&mut *conn, contest.id, GroupKind::Category).await?;
    let pos = repo::groups(&mut *conn, contest.id, GroupKind::Position).await?;
    let rules = contest_rules(contest, &pos, &cats);
    let name_of = group_names(&pos, &cats);
    let counted = entrants_and_roster(&mut *conn, contest.id, &name_of).await?;
    let list = people_by_unit(conn, contest.id, &name_of, &counted).await?;
    Ok(compliance(&list, &rules)
        .into_iter()
        .map(|c| (c.key, c.own.iter().filter(|l| !l.met()).count() as u32))
        .filter(|(_, n)| *n > 0)
        .collect())
}

/// Every unit's compliance with the contest's participation rules, units short first (for
/// the reports' workbook).
pub async fn compliance_of(
    conn: &mut sqlx::AnyConnection,
    contest: &ContestRow,
) -> Result<Vec<UnitCompliance>, AppError> {
    let cats = repo::groups(&mut *conn, contest.id, GroupKind::Category).await?;
    let pos = repo::groups(&mut *conn, contest.id, GroupKind::Position).await?;
    let rules = contest_rules(contest, &pos, &cats);
    let counted = entrants_and_roster(&mut *conn, contest.id, &group_names(&pos, &cats)).await?;
    unit_compliance(conn, contest, &rules, &pos, &cats, &counted).await
}

/// Every unit's compliance, units short of a line first.
async fn unit_compliance(
    conn: &mut sqlx::AnyConnection,
    contest: &ContestRow,
    rules: &[QuotaRule],
    pos: &[repo::GroupRow],
    cats: &[repo::GroupRow],
    counted: &Counted,
) -> Result<Vec<UnitCompliance>, AppError> {
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let list = people_by_unit(&mut *conn, contest.id, &group_names(pos, cats), counted).await?;
    let unit_name: HashMap<i64, String> = unit_repo::all_units(&mut *conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(compliance(&list, rules)
        .into_iter()
        // A unit no rule reaches, or asked for nobody with nobody listed, has nothing to show.
        .filter(|c| {
            c.rolled
                .iter()
                .any(|l| l.required > 0 || l.listed > 0 || l.took_part > 0)
        })
        .map(|c| {
            let has_children = c.rolled.iter().any(|l| l.units > 1) || c.rolled.len() > c.own.len();
            let lines = c
                .rolled
                .iter()
                // A line that asks nobody of a unit that lists nobody says nothing.
                .filter(|l| l.required > 0 || l.listed > 0 || l.took_part > 0)
                .map(|rolled| {
                    let own = c.own.iter().find(|l| l.rule == rolled.rule);
                    ComplianceLine {
                        rule: rules[rolled.rule].label(),
                        own: own.map(own_text),
                        own_met: own.map(LineFigures::met),
                        rolled: has_children.then(|| rolled_text(rolled)),
                        met: rolled.met(),
                    }
                })
                .collect();
            UnitCompliance {
                unit_name: unit_name.get(&c.key).cloned().unwrap_or_default(),
                short: c.short() as u32,
                lines,
            }
        })
        .collect())
}

fn own_text(l: &LineFigures) -> String {
    format!(
        "{}/{} người (danh sách {})",
        l.took_part, l.required, l.listed
    )
}

fn rolled_text(l: &LineFigures) -> String {
    format!(
        "Cả cấp dưới: {}/{} người; {}/{} đơn vị đạt",
        l.took_part, l.required, l.units_met, l.units
    )
}

/// The roster file's columns, in the template's order; the first three are required.
pub const ROSTER_HEADER: [&str; 6] = [
    "Mã đơn vị",
    "Họ và tên",
    "Chức vụ",
    "Ngày sinh",
    "Số điện thoại",
    "Số CCCD",
];

fn roster_column(field: &str) -> &'static str {
    match field {
        "unit_code" => ROSTER_HEADER[0],
        "full_name" => ROSTER_HEADER[1],
        "position" => ROSTER_HEADER[2],
        "birth_date" => ROSTER_HEADER[3],
        "phone" => ROSTER_HEADER[4],
        "citizen_id" => ROSTER_HEADER[5],
        _ => "",
    }
}

/// Imports rosters from a spreadsheet, all or nothing: every unit the file lists gets exactly
/// the people the file lists for it (a second import of a unit replaces its roster).
#[tracing::instrument(skip_all)]
pub async fn import_roster(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    bytes: &[u8],
) -> Result<ImportReport, AppError> {
    authorize(user, Permission::ManageContest)?;
    let rows = sheet::read_table(bytes).map_err(AppError::BadRequest)?;
    let rows = data_rows(rows, &ROSTER_HEADER, &ROSTER_HEADER[..2])
        .map_err(|e| AppError::ImportRejected(first_errors(e)))?;
    if rows.is_empty() {
        return Err(AppError::BadRequest("Tệp không có người nào.".into()));
    }
    let today = state
        .clock
        .now()
        .with_timezone(&crate::domain::vntime::offset())
        .date_naive();
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let contest = resolve(&mut tx, slug).await?;
    let positions = repo::groups(&mut tx, contest.id, GroupKind::Position).await?;
    let position_names = names(&positions);
    let unit_ids: HashMap<String, i64> = unit_repo::all_units(&mut tx)
        .await?
        .into_iter()
        .filter(|u| u.retired_at.is_none())
        .map(|u| (u.code, u.id))
        .collect();
    let mut errors = Vec::new();
    let mut valid: Vec<(i64, RosterEntry)> = Vec::new();
    for (row, c) in rows {
        let form = RosterForm {
            unit_code: c[0].clone(),
            full_name: nfc(&c[1]),
            position: nfc(&c[2]),
            birth_date: c[3].clone(),
            phone: c[4].clone(),
            citizen_id: c[5].clone(),
        };
        match parse_roster_line(&form, &position_names, today) {
            Err(fields) => errors.extend(fields.into_iter().map(|f| RowError {
                row,
                column: roster_column(&f.field).into(),
                message: f.message,
            })),
            Ok(e) => match unit_ids.get(&e.unit_code) {
                Some(id) => valid.push((*id, e)),
                None => errors.push(RowError {
                    row,
                    column: ROSTER_HEADER[0].into(),
                    message: format!("Không có đơn vị mã “{}”.", e.unit_code),
                }),
            },
        }
    }
    if !errors.is_empty() {
        return Err(AppError::ImportRejected(first_errors(errors)));
    }
    let position_id: HashMap<&str, i64> = positions
        .iter()
        .filter(|g| g.retired_at.is_none())
        .map(|g| (g.name.as_str(), g.id))
        .collect();
    let mut cleared = std::collections::HashSet::new();
    for (unit_id, e) in &valid {
        if cleared.insert(*unit_id) {
            repo::clear_roster(&mut tx, contest.id, *unit_id).await?;
        }
        let entry = repo::NewRosterEntry {
            unit_id: *unit_id,
            full_name: &e.full_name,
            birth_date: e.birth_date.as_deref(),
            phone: e.phone.as_deref(),
            citizen_id: e.citizen_id.as_deref(),
            position_id: e
                .position
                .as_deref()
                .and_then(|p| position_id.get(p).copied()),
        };
        repo::insert_roster_entry(&mut tx, contest.id, &entry, now).await?;
    }
    tx.commit().await?;
    Ok(ImportReport {
        imported: valid.len() as u32,
    })
}

/// One person added to a unit's roster by hand.
#[tracing::instrument(skip_all)]
pub async fn add_roster_entry(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    form: &RosterForm,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let today = state
        .clock
        .now()
        .with_timezone(&crate::domain::vntime::offset())
        .date_naive();
    let mut tx = state.db.begin_write().await?;
    let contest = resolve(&mut tx, slug).await?;
    let positions = repo::groups(&mut tx, contest.id, GroupKind::Position).await?;
    let form = RosterForm {
        full_name: nfc(&form.full_name),
        position: nfc(&form.position),
        ..form.clone()
    };
    let e = parse_roster_line(&form, &names(&positions), today).map_err(AppError::Invalid)?;
    let unit = unit_repo::all_units(&mut tx)
        .await?
        .into_iter()
        .find(|u| u.code == e.unit_code && u.retired_at.is_none())
        .ok_or_else(|| {
            AppError::Invalid(vec![FieldError::new(
                "unit_code",
                format!("Không có đơn vị mã “{}”.", e.unit_code),
            )])
        })?;
    let position_id = positions
        .iter()
        .find(|g| Some(&g.name) == e.position.as_ref() && g.retired_at.is_none())
        .map(|g| g.id);
    let entry = repo::NewRosterEntry {
        unit_id: unit.id,
        full_name: &e.full_name,
        birth_date: e.birth_date.as_deref(),
        phone: e.phone.as_deref(),
        citizen_id: e.citizen_id.as_deref(),
        position_id,
    };
    repo::insert_roster_entry(&mut tx, contest.id, &entry, to_ms(state.clock.now())).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_roster_entry(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    id: i64,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let contest = resolve(&mut tx, slug).await?;
    if !repo::delete_roster_entry(&mut tx, contest.id, id).await? {
        return Err(AppError::NotFound(
            "Không tìm thấy người này trong danh sách.".into(),
        ));
    }
    tx.commit().await?;
    Ok(())
}

const MISSING_HEADER: [&str; 8] = [
    "Đơn vị",
    "Họ và tên",
    "Chức vụ",
    "Ngày sinh",
    "Số điện thoại",
    "Số CCCD",
    "Tình trạng",
    "Ghi chú",
];

/// The roster's people who have not taken part yet, by unit, for reminders.
pub async fn missing_xlsx(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
) -> Result<Vec<u8>, AppError> {
    let page = admin(state, user, slug).await?;
    let rows = page
        .roster
        .into_iter()
        .filter(|r| !r.took_part)
        .map(|r| {
            let note = if r.to_confirm {
                "Khớp theo họ tên và ngày sinh: cần xác nhận"
            } else {
                ""
            };
            vec![
                r.unit_name.into(),
                r.full_name.into(),
                r.position.into(),
                r.birth_date.into(),
                r.phone.into(),
                r.citizen_id.into(),
                r.status.into(),
                note.into(),
            ]
        })
        .collect();
    sheet::write_xlsx(sheet::Sheet {
        name: "Chưa dự thi",
        header: &MISSING_HEADER,
        widths: &[36.0, 28.0, 20.0, 12.0, 14.0, 14.0, 24.0, 40.0],
        rows,
    })
}

/// The start form's lists when the person has no profile in the contest yet; `None` when the
/// contest lists neither categories nor positions, or the profile exists.
pub async fn choices_for(
    conn: &mut sqlx::AnyConnection,
    contest: &ContestRow,
    user_id: i64,
) -> Result<(Option<ProfileChoices>, String), AppError> {
    let contest_id = contest.id;
    if let Some(p) = repo::profile(&mut *conn, contest_id, user_id).await? {
        let answers: Vec<(String, String)> = serde_json::from_str(&p.extra).unwrap_or_default();
        let words: Vec<String> = [p.category, p.position]
            .into_iter()
            .flatten()
            .chain(answers.into_iter().map(|(l, v)| format!("{l}: {v}")))
            .collect();
        return Ok((None, words.join(" · ")));
    }
    let fields: Vec<ProfileField> = field_specs(contest)
        .into_iter()
        .map(|f| ProfileField {
            label: f.label,
            required: f.required,
            number: f.kind == FieldKind::Number,
            options: match f.kind {
                FieldKind::Choice(o) => o,
                _ => Vec::new(),
            },
        })
        .collect();
    let pick = |rows: Vec<repo::GroupRow>| -> Vec<(i64, String)> {
        rows.into_iter()
            .filter(|g| g.retired_at.is_none())
            .map(|g| (g.id, g.name))
            .collect()
    };
    let categories = pick(repo::groups(&mut *conn, contest_id, GroupKind::Category).await?);
    let positions = pick(repo::groups(&mut *conn, contest_id, GroupKind::Position).await?);
    if categories.is_empty() && positions.is_empty() && fields.is_empty() {
        return Ok((None, String::new()));
    }
    Ok((
        Some(ProfileChoices {
            categories,
            positions,
            fields,
        }),
        String::new(),
    ))
}

/// The contest's extra profile questions (checked when saved).
fn field_specs(contest: &ContestRow) -> Vec<FieldSpec> {
    parse_field_specs(&contest.extra_fields).unwrap_or_default()
}

/// At a start: the person's profile in the contest, recorded from the start form the first
/// time (a category, a position and the organizer's extra questions are asked when the
/// contest has them). Returns the category's own minimum age, if it has one.
pub async fn ensure_profile(
    tx: &mut sqlx::AnyConnection,
    contest: &ContestRow,
    user_id: i64,
    choice: &crate::server::service::attempt::ProfileChoice,
    now: i64,
) -> Result<Option<u32>, AppError> {
    let contest_id = contest.id;
    if let Some(p) = repo::profile(&mut *tx, contest_id, user_id).await? {
        return Ok(p.category_min_age.map(|a| a.clamp(0, 200) as u32));
    }
    let cats = repo::groups(&mut *tx, contest_id, GroupKind::Category).await?;
    let pos = repo::groups(&mut *tx, contest_id, GroupKind::Position).await?;
    let offered = |rows: &[repo::GroupRow], id: Option<i64>| {
        id.and_then(|id| {
            rows.iter()
                .find(|g| g.id == id && g.retired_at.is_none())
                .cloned()
        })
    };
    let category = offered(&cats, choice.category_id);
    let position = offered(&pos, choice.position_id);
    let mut errors = Vec::new();
    if !names(&cats).is_empty() && category.is_none() {
        errors.push(FieldError::new(
            "category_id",
            "Vui lòng chọn đối tượng dự thi.",
        ));
    }
    if !names(&pos).is_empty() && position.is_none() {
        errors.push(FieldError::new("position_id", "Vui lòng chọn chức vụ."));
    }
    let specs = field_specs(contest);
    let answers = check_answers(&specs, &choice.extra).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if category.is_none() && position.is_none() && specs.is_empty() {
        return Ok(None);
    }
    let answers: Vec<(String, String)> = answers.into_iter().map(|(l, v)| (l, nfc(&v))).collect();
    let extra = serde_json::to_string(&answers).map_err(AppError::internal("profile answers"))?;
    let profile = repo::NewProfile {
        category_id: category.as_ref().map(|g| g.id),
        position_id: position.as_ref().map(|g| g.id),
        extra: &extra,
    };
    repo::insert_profile(&mut *tx, contest_id, user_id, profile, now).await?;
    Ok(category
        .and_then(|g| g.min_age)
        .map(|a| a.clamp(0, 200) as u32))
}

/// An example roster file in the import layout.
pub fn template_xlsx() -> Result<Vec<u8>, AppError> {
    let row = |cells: [&str; 6]| cells.into_iter().map(sheet::Cell::from).collect::<Vec<_>>();
    sheet::write_xlsx(sheet::Sheet {
        name: "Danh sách",
        header: &ROSTER_HEADER,
        widths: &[14.0, 28.0, 20.0, 12.0, 14.0, 14.0],
        rows: vec![
            row([
                "S-NV",
                "Hoàng Văn Nội",
                "Lãnh đạo đơn vị",
                "15/03/1975",
                "0912345678",
                "",
            ]),
            row([
                "S-NV",
                "Lê Thị Phòng",
                "Lãnh đạo phòng",
                "",
                "",
                "066180000123",
            ]),
        ],
    })
}
