//! What a contest's stages read: the units its requirements may name, its requirements and
//! its intermediate bodies (units that pre-select the entries of the units under them).

use super::ContestRow;
use crate::domain::entry_requirements::{
    parse_requirements, selectors, split_requirements, Requirement, UnitRef,
};
use crate::error::AppError;

/// The units requirements may name: every unit not retired, by code.
pub(crate) async fn unit_refs(conn: &mut sqlx::AnyConnection) -> Result<Vec<UnitRef>, AppError> {
    let mut units: Vec<UnitRef> = crate::server::repo::units::all_units(conn)
        .await?
        .into_iter()
        .filter(|u| u.retired_at.is_none())
        .map(|u| UnitRef {
            id: u.id,
            code: u.code,
            name: u.name,
            kind: u.kind,
            parent_id: u.parent_id,
        })
        .collect();
    units.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(units)
}

pub(crate) struct Stage {
    pub units: Vec<UnitRef>,
    pub reqs: Vec<Requirement>,
    /// The intermediate bodies' unit ids.
    pub selectors: Vec<i64>,
}

impl Stage {
    /// Whether an entry of a unit under `parent` still waits for its intermediate body.
    pub fn awaits_preselection(&self, parent: Option<i64>, preselected: bool) -> bool {
        !preselected
            && crate::domain::entry_requirements::needs_preselection(parent, &self.selectors)
    }
}

pub(crate) async fn stage(
    conn: &mut sqlx::AnyConnection,
    c: &ContestRow,
) -> Result<Stage, AppError> {
    let units = unit_refs(&mut *conn).await?;
    // Stored requirements were valid when saved; a unit renamed or retired since makes its
    // line unreadable, and the rest still count.
    let reqs: Vec<Requirement> = split_requirements(&c.requirements)
        .iter()
        .filter_map(|line| parse_requirements(line, &units).ok())
        .flatten()
        .collect();
    let selectors = selectors(&reqs, &units);
    Ok(Stage {
        units,
        reqs,
        selectors,
    })
}
