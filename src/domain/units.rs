//! Units (agencies, wards, communes, schools...) as a tree, with a headcount and an optional
//! mandatory-participation quota: the share of the headcount that must take part.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::FieldError;

/// (stored kind, Vietnamese label), in the order the forms list them.
pub const KINDS: [(&str, &str); 9] = [
    ("province", "Tỉnh, thành phố"),
    ("district", "Huyện, thị xã, thành phố thuộc tỉnh"),
    ("ward", "Phường"),
    ("commune", "Xã"),
    ("department", "Sở, ban, ngành"),
    ("agency", "Cơ quan, đơn vị"),
    ("school", "Trường học"),
    ("union", "Đoàn thể"),
    ("other", "Khác"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or("Khác")
}

/// A kind typed by its code ("ward") or its label, with or without diacritics ("phuong").
pub fn parse_kind(raw: &str) -> Option<&'static str> {
    let folded = super::search::fold(raw);
    if folded.is_empty() {
        return None;
    }
    KINDS.iter().map(|(k, l)| (*k, *l)).find_map(|(k, l)| {
        let label = super::search::fold(l);
        (folded == k || folded == label || label.split(", ").any(|part| part == folded))
            .then_some(k)
    })
}

/// The address of a unit's own registration page (its unit chosen already), for a poster's
/// QR code: `host` as the browser reached the site.
pub fn registration_link(https: bool, host: &str, unit_id: i64) -> String {
    let scheme = if https { "https" } else { "http" };
    format!("{scheme}://{host}/dang-ky?don_vi={unit_id}")
}

/// A unit as typed in a form or a spreadsheet row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub parent_code: String,
    pub headcount: String,
    /// Minimum share of the headcount that must take part, in percent; empty for none.
    #[serde(default)]
    pub quota_percent: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidUnit {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub parent_code: Option<String>,
    pub headcount: i64,
    pub quota_percent: Option<i64>,
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks one unit on its own; whether its parent exists is `check_tree`'s job.
pub fn validate_unit(f: &UnitForm) -> Result<ValidUnit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let code = f.code.trim().to_uppercase();
    if code.is_empty() {
        errors.push(FieldError::new("code", "Thiếu mã đơn vị."));
    } else if code.chars().count() > 30
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        errors.push(FieldError::new(
            "code",
            "Mã đơn vị chỉ gồm chữ không dấu, số và các dấu - _ . (tối đa 30 ký tự).",
        ));
    }
    let name = squash(&f.name);
    if name.is_empty() {
        errors.push(FieldError::new("name", "Thiếu tên đơn vị."));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new("name", "Tên đơn vị dài quá 200 ký tự."));
    }
    let kind = match parse_kind(&f.kind) {
        Some(k) => k,
        None => {
            errors.push(FieldError::new(
                "kind",
                format!(
                    "Loại đơn vị “{}” không hợp lệ; chọn một trong: {}.",
                    f.kind.trim(),
                    KINDS.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("; ")
                ),
            ));
            "other"
        }
    };
    let parent = f.parent_code.trim().to_uppercase();
    if !parent.is_empty() && parent == code {
        errors.push(FieldError::new(
            "parent_code",
            "Đơn vị không thể trực thuộc chính nó.",
        ));
    }
    let headcount = match f.headcount.trim() {
        "" => 0,
        h => match h.replace(['.', ' '], "").parse::<i64>() {
            Ok(n) if (0..=10_000_000).contains(&n) => n,
            _ => {
                errors.push(FieldError::new(
                    "headcount",
                    "Số người (biên chế) phải là số nguyên không âm.",
                ));
                0
            }
        },
    };
    let quota_percent = match f.quota_percent.trim().trim_end_matches('%').trim() {
        "" => None,
        q => match q.parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new(
                    "quota_percent",
                    "Tỷ lệ tham gia bắt buộc phải là số nguyên từ 1 đến 100 (%), hoặc để trống.",
                ));
                None
            }
        },
    };
    if quota_percent.is_some() && headcount == 0 && errors.is_empty() {
        errors.push(FieldError::new(
            "headcount",
            "Cần số người (biên chế) để tính tỷ lệ tham gia bắt buộc.",
        ));
    }
    if errors.is_empty() {
        Ok(ValidUnit {
            code,
            name,
            kind,
            parent_code: (!parent.is_empty()).then_some(parent),
            headcount,
            quota_percent,
        })
    } else {
        Err(errors)
    }
}

/// Problems with the tree formed by `(code, parent code)` pairs: a parent that is not a
/// known unit, or a chain of parents that loops back. Each problem names the unit's code.
pub fn check_tree(units: &[(String, Option<String>)]) -> Vec<(String, String)> {
    let parent_of: HashMap<&str, Option<&str>> = units
        .iter()
        .map(|(c, p)| (c.as_str(), p.as_deref()))
        .collect();
    let mut problems = Vec::new();
    for (code, parent) in units {
        let Some(parent) = parent else { continue };
        if !parent_of.contains_key(parent.as_str()) {
            problems.push((
                code.clone(),
                format!("Không có đơn vị cấp trên mã “{parent}”."),
            ));
            continue;
        }
        let mut seen = HashSet::from([code.as_str()]);
        let mut at = Some(parent.as_str());
        while let Some(p) = at {
            if !seen.insert(p) {
                problems.push((
                    code.clone(),
                    "Quan hệ cấp trên tạo thành vòng lặp.".to_string(),
                ));
                break;
            }
            at = parent_of.get(p).copied().flatten();
        }
    }
    problems
}

/// Where a unit stands in a list for people: Vietnamese alphabetical order ("Đoàn" after "Dân"),
/// with the catch-all units of kind "other" (residents, businesses) after the rest.
pub fn list_order(kind: &str, name: &str) -> (bool, crate::domain::vnsort::SortKey) {
    (kind == "other", crate::domain::vnsort::sort_key(name))
}

/// One group of a unit picker: the parent's name (empty for units at the top of the tree)
/// and its units in list order.
pub type PickerGroup<T> = (String, Vec<T>);

/// The units a picker offers for a search typed with or without diacritics ("phuong 1" finds
/// "Phường 1"; the parent's name matches too, so "hoai nhon" lists the town's wards), grouped
/// by parent: top-level units first, then each parent's group in Vietnamese order. An empty
/// search offers every unit.
pub fn picker_groups<T>(
    units: Vec<T>,
    query: &str,
    name: impl Fn(&T) -> &str,
    kind: impl Fn(&T) -> &str,
    parent: impl Fn(&T) -> &str,
) -> Vec<PickerGroup<T>> {
    let mut groups: Vec<PickerGroup<T>> = Vec::new();
    for u in units {
        let haystack = format!("{} {}", name(&u), parent(&u));
        if !super::search::matches(&haystack, query) {
            continue;
        }
        let p = parent(&u).to_string();
        match groups.iter_mut().find(|(g, _)| *g == p) {
            Some((_, list)) => list.push(u),
            None => groups.push((p, vec![u])),
        }
    }
    for (_, list) in groups.iter_mut() {
        list.sort_by_cached_key(|u| list_order(kind(u), name(u)));
    }
    groups.sort_by_cached_key(|(p, _)| (!p.is_empty(), crate::domain::vnsort::sort_key(p)));
    groups
}

/// Units in display order, parents before their children, each with its depth.
pub fn tree_order<T>(
    units: Vec<T>,
    id: impl Fn(&T) -> i64,
    parent: impl Fn(&T) -> Option<i64>,
) -> Vec<(usize, T)> {
    let ids: HashSet<i64> = units.iter().map(&id).collect();
    let mut children: HashMap<Option<i64>, Vec<T>> = HashMap::new();
    for u in units {
        let p = parent(&u).filter(|p| ids.contains(p));
        children.entry(p).or_default().push(u);
    }
    let mut out = Vec::new();
    fn walk<T>(
        at: Option<i64>,
        depth: usize,
        children: &mut HashMap<Option<i64>, Vec<T>>,
        id: &dyn Fn(&T) -> i64,
        out: &mut Vec<(usize, T)>,
    ) {
        for u in children.remove(&at).unwrap_or_default() {
            let me = id(&u);
            out.push((depth, u));
            walk(Some(me), depth + 1, children, id, out);
        }
    }
    walk(None, 0, &mut children, &id, &mut out);
    // Whatever a loop left unreachable is still listed, at the top level.
    for (_, rest) in children.drain() {
        out.extend(rest.into_iter().map(|u| (0, u)));
    }
    out
}

/// How many entrants a unit needs to meet its quota: the quota share of the headcount,
/// rounded up (50% of 45 people is 23).
pub fn required_entrants(headcount: u32, quota_percent: u32) -> u32 {
    ((u64::from(headcount) * u64::from(quota_percent)).div_ceil(100)) as u32
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuotaStatus {
    NoQuota,
    Met,
    /// Below the quota by this many entrants.
    Short(u32),
}

pub fn quota_status(entrants: u32, headcount: u32, quota_percent: Option<u32>) -> QuotaStatus {
    match quota_percent {
        None => QuotaStatus::NoQuota,
        Some(q) => {
            let need = required_entrants(headcount, q);
            if entrants >= need {
                QuotaStatus::Met
            } else {
                QuotaStatus::Short(need - entrants)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_listed_alphabetically_with_the_catch_all_last() {
        let mut list = [
            ("other", "Người dân, doanh nghiệp"),
            ("district", "UBND thị xã Hoài Nhơn"),
            ("agency", "Đoàn Thanh niên"),
            ("agency", "Dân vận"),
            ("ward", "Ủy ban phường Bồng Sơn"),
        ];
        list.sort_by_cached_key(|(kind, name)| list_order(kind, name));
        let names: Vec<&str> = list.iter().map(|u| u.1).collect();
        assert_eq!(
            names,
            [
                "Dân vận",
                "Đoàn Thanh niên",
                "UBND thị xã Hoài Nhơn",
                "Ủy ban phường Bồng Sơn",
                "Người dân, doanh nghiệp"
            ]
        );
    }

    #[test]
    fn the_picker_finds_units_without_diacritics_and_groups_them_by_parent() {
        let units = vec![
            ("Phường 1", "ward", "Thị xã Quảng Trị"),
            ("Phường 2", "ward", "Thị xã Quảng Trị"),
            ("Xã Hải Lệ", "commune", "Thị xã Quảng Trị"),
            ("Phường 1", "ward", "Thành phố Đông Hà"),
            ("Sở Nội vụ", "department", ""),
            ("Người dân", "other", ""),
            ("Thị xã Quảng Trị", "district", ""),
        ];
        let pick = |q: &str| -> Vec<(String, Vec<&str>)> {
            picker_groups(units.clone(), q, |u| u.0, |u| u.1, |u| u.2)
                .into_iter()
                .map(|(p, list)| (p, list.into_iter().map(|u| u.0).collect()))
                .collect()
        };
        let g = |p: &str, list: &[&'static str]| (p.to_string(), list.to_vec());
        assert_eq!(
            pick("phuong 1"),
            [
                g("Thành phố Đông Hà", &["Phường 1"]),
                g("Thị xã Quảng Trị", &["Phường 1"])
            ]
        );
        assert_eq!(
            pick("QUẢNG TRỊ"),
            [
                g("", &["Thị xã Quảng Trị"]),
                g("Thị xã Quảng Trị", &["Phường 1", "Phường 2", "Xã Hải Lệ"])
            ]
        );
        assert_eq!(pick("hai le"), [g("Thị xã Quảng Trị", &["Xã Hải Lệ"])]);
        assert!(pick("phuong 9").is_empty());
        // No search: everything, top-level units first with the catch-all last.
        let all = pick("  ");
        assert_eq!(
            all[0],
            g("", &["Sở Nội vụ", "Thị xã Quảng Trị", "Người dân"])
        );
        assert_eq!(all.len(), 3);
    }

    fn form() -> UnitForm {
        UnitForm {
            code: "p-hx".into(),
            name: "  UBND phường   Hoài Xuân ".into(),
            kind: "Phường".into(),
            parent_code: "tx-hn".into(),
            headcount: "45".into(),
            quota_percent: "50%".into(),
        }
    }

    fn fields(f: UnitForm) -> Vec<String> {
        validate_unit(&f)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn unit_rows_table() {
        let ok = validate_unit(&form()).unwrap();
        assert_eq!(
            (ok.code.as_str(), ok.name.as_str(), ok.kind),
            ("P-HX", "UBND phường Hoài Xuân", "ward")
        );
        assert_eq!(
            (ok.parent_code.as_deref(), ok.headcount, ok.quota_percent),
            (Some("TX-HN"), 45, Some(50))
        );
        let none = validate_unit(&UnitForm {
            quota_percent: " ".into(),
            parent_code: "".into(),
            ..form()
        })
        .unwrap();
        assert_eq!((none.quota_percent, none.parent_code), (None, None));
        assert_eq!(
            fields(UnitForm {
                code: "".into(),
                ..form()
            }),
            ["code"]
        );
        assert_eq!(
            fields(UnitForm {
                code: "Hoài Xuân".into(),
                ..form()
            }),
            ["code"]
        );
        assert_eq!(
            fields(UnitForm {
                name: " ".into(),
                ..form()
            }),
            ["name"]
        );
        assert_eq!(
            fields(UnitForm {
                kind: "bộ".into(),
                ..form()
            }),
            ["kind"]
        );
        assert_eq!(
            fields(UnitForm {
                headcount: "-3".into(),
                ..form()
            }),
            ["headcount"]
        );
        assert_eq!(
            fields(UnitForm {
                headcount: "".into(),
                ..form()
            }),
            ["headcount"]
        );
        assert_eq!(
            fields(UnitForm {
                quota_percent: "0".into(),
                ..form()
            }),
            ["quota_percent"]
        );
        assert_eq!(
            fields(UnitForm {
                quota_percent: "101".into(),
                ..form()
            }),
            ["quota_percent"]
        );
        assert_eq!(
            fields(UnitForm {
                parent_code: "P-HX".into(),
                ..form()
            }),
            ["parent_code"]
        );
    }

    #[test]
    fn kinds_by_code_label_or_plain_letters() {
        assert_eq!(parse_kind("ward"), Some("ward"));
        assert_eq!(parse_kind("Trường học"), Some("school"));
        assert_eq!(parse_kind("truong hoc"), Some("school"));
        assert_eq!(parse_kind("Thị xã"), Some("district"));
        assert_eq!(parse_kind("Xã"), Some("commune"));
        assert_eq!(parse_kind(""), None);
        assert_eq!(parse_kind("công ty"), None);
    }

    fn pair(c: &str, p: Option<&str>) -> (String, Option<String>) {
        (c.to_string(), p.map(str::to_string))
    }

    #[test]
    fn tree_problems() {
        assert!(
            check_tree(&[pair("T", None), pair("A", Some("T")), pair("B", Some("A"))]).is_empty()
        );
        assert_eq!(
            check_tree(&[pair("A", Some("X"))]),
            [(
                "A".to_string(),
                "Không có đơn vị cấp trên mã “X”.".to_string()
            )]
        );
        let looped = check_tree(&[
            pair("A", Some("B")),
            pair("B", Some("C")),
            pair("C", Some("A")),
        ]);
        assert_eq!(looped.len(), 3);
    }

    #[test]
    fn tree_order_puts_parents_first_with_depth() {
        let units = vec![
            (3, Some(1)),
            (1, None),
            (2, Some(1)),
            (4, Some(3)),
            (5, Some(99)),
        ];
        let order: Vec<(usize, i64)> = tree_order(units, |u| u.0, |u| u.1)
            .into_iter()
            .map(|(d, u)| (d, u.0))
            .collect();
        assert_eq!(order, [(0, 1), (1, 3), (2, 4), (1, 2), (0, 5)]);
    }

    #[test]
    fn quota_table() {
        assert_eq!(required_entrants(45, 50), 23);
        assert_eq!(required_entrants(40, 50), 20);
        assert_eq!(required_entrants(0, 50), 0);
        assert_eq!(required_entrants(3, 30), 1);
        assert_eq!(quota_status(22, 45, Some(50)), QuotaStatus::Short(1));
        assert_eq!(quota_status(23, 45, Some(50)), QuotaStatus::Met);
        assert_eq!(quota_status(60, 45, Some(50)), QuotaStatus::Met);
        assert_eq!(quota_status(0, 45, None), QuotaStatus::NoQuota);
    }
}
