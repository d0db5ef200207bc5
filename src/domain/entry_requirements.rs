//! What an initiative contest requires of units, as a plan writes it: "every ward and commune:
//! at least 1 entry", "Hòa Thành: at least 1 video", "the agencies under the town's People's
//! Committee: 1 each". A unit some requirement names is mandatory; any other unit is
//! encouraged and never counted short. Pure: units come in as a list.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::search::fold;
use super::units::{kind_label, parse_kind};

/// Which units a requirement speaks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every unit of a kind ("ward", "Xã").
    Kind(&'static str),
    /// One unit, by its code or its name.
    Unit(i64),
    /// Every unit directly under one ("thuộc UBND thị xã").
    Under(i64),
}

/// What counts toward a requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Any entry.
    Any,
    /// An entry with a video.
    Video,
    /// An entry with a write-up.
    Writeup,
    /// An entry of a unit directly under the one named, pre-selected by it (the education
    /// office choosing among its schools' entries). The named unit is an intermediate body.
    Selected,
}

impl Format {
    /// "1 bài", "2 video", "1 bài viết".
    pub fn describe(self, n: u32) -> String {
        match self {
            Self::Any => format!("{n} bài"),
            Self::Video => format!("{n} video"),
            Self::Writeup => format!("{n} bài viết"),
            Self::Selected => format!("{n} bài xét chọn từ đơn vị trực thuộc"),
        }
    }
}

/// One requirement: at least `count` entries of `format` from each unit in `scope`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The line as the committee typed it (spaces squashed), shown back in the form.
    pub text: String,
    pub scope: Scope,
    pub count: u32,
    pub format: Format,
}

/// A unit as the requirements see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
}

fn unit_named<'a>(raw: &str, units: &'a [UnitRef]) -> Result<Option<&'a UnitRef>, String> {
    let raw = raw.trim();
    if let Some(u) = units.iter().find(|u| u.code.eq_ignore_ascii_case(raw)) {
        return Ok(Some(u));
    }
    let folded = fold(raw);
    let named: Vec<&UnitRef> = units.iter().filter(|u| fold(&u.name) == folded).collect();
    match named.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(format!(
            "Có {} đơn vị tên “{raw}”: hãy ghi mã đơn vị.",
            named.len()
        )),
    }
}

fn parse_scope(raw: &str, units: &[UnitRef]) -> Result<Scope, String> {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let under = match folded.as_slice() {
        [a, b, ..] if a == "truc" && b == "thuoc" => Some(2),
        [a, ..] if a == "thuoc" => Some(1),
        _ => None,
    };
    if let Some(skip) = under {
        let typed = words[skip..].join(" ");
        return match unit_named(&typed, units)? {
            Some(u) => Ok(Scope::Under(u.id)),
            None => Err(format!("không có đơn vị “{typed}”")),
        };
    }
    if let Some(kind) = parse_kind(raw) {
        return Ok(Scope::Kind(kind));
    }
    match unit_named(raw, units)? {
        Some(u) => Ok(Scope::Unit(u.id)),
        None => Err(format!(
            "không có loại đơn vị hay đơn vị nào tên hoặc mã “{}”",
            raw.trim()
        )),
    }
}

fn parse_amount(raw: &str) -> Result<(u32, Format), String> {
    let folded = fold(raw);
    let (n, rest) = folded.split_once(' ').unwrap_or((folded.as_str(), ""));
    let n: u32 = n
        .parse()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .ok_or("số bài bắt buộc phải từ 1 đến 100")?;
    let format = match rest {
        "" | "bai" | "bai du thi" => Format::Any,
        "video" | "bai video" => Format::Video,
        "bai viet" | "thuyet minh" | "bai thuyet minh" => Format::Writeup,
        "chon" | "xet chon" | "bai chon" | "bai xet chon" => Format::Selected,
        other => {
            return Err(format!(
                "không rõ hình thức “{other}” (bài, video, bài viết, xét chọn)"
            ))
        }
    };
    Ok((n, format))
}

/// The requirements' lines, spaces squashed: split at line ends and ";", and at a comma
/// once the piece before it has its ":" (a kind's label may hold a comma: "Cơ quan, đơn vị").
pub fn split_requirements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.split(['\n', ';']) {
        let mut piece = String::new();
        for part in line.split(',') {
            if !piece.is_empty() {
                piece.push(',');
            }
            piece.push_str(part);
            if piece.contains(':') {
                out.push(std::mem::take(&mut piece));
            }
        }
        out.push(piece);
    }
    out.into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Requirements, one per line (or separated by "," or ";"): "scope: n [format]", where scope
/// is a unit kind ("ward", "Xã"), a unit's code or name, or "thuộc" and a unit (the units
/// directly under it), and format is "bài" (any entry, the default), "video", "bài viết" or
/// "xét chọn" (entries of the units under it that it pre-selected).
/// The old form "ward:1, school:2" is the same grammar.
pub fn parse_requirements(text: &str, units: &[UnitRef]) -> Result<Vec<Requirement>, String> {
    let mut out: Vec<Requirement> = Vec::new();
    for part in split_requirements(text) {
        let (scope, amount) = part
            .rsplit_once(':')
            .ok_or_else(|| format!("“{part}”: cần dạng “đơn vị hoặc loại đơn vị: số bài”."))?;
        let scope = parse_scope(scope, units).map_err(|e| format!("“{part}”: {e}."))?;
        let (count, format) = parse_amount(amount).map_err(|e| format!("“{part}”: {e}."))?;
        if out.iter().any(|r| r.scope == scope && r.format == format) {
            return Err(format!("“{part}”: yêu cầu này bị lặp lại."));
        }
        out.push(Requirement {
            text: part.clone(),
            scope,
            count,
            format,
        });
    }
    Ok(out)
}

/// The requirements as stored: one per line.
pub fn format_requirements(reqs: &[Requirement]) -> String {
    reqs.iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Requirement {
    pub fn applies_to(&self, unit: &UnitRef) -> bool {
        match self.scope {
            Scope::Kind(kind) => unit.kind == kind,
            Scope::Unit(id) => unit.id == id,
            Scope::Under(parent) => unit.parent_id == Some(parent),
        }
    }

    /// Who it names, for the committee's table: "Xã", "Hòa Thành", "thuộc UBND thị xã".
    pub fn scope_label(&self, units: &[UnitRef]) -> String {
        let name = |id: i64| {
            units
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .unwrap_or_default()
        };
        match self.scope {
            Scope::Kind(kind) => kind_label(kind).to_string(),
            Scope::Unit(id) => name(id),
            Scope::Under(id) => format!("thuộc {}", name(id)),
        }
    }
}

/// A unit must take part when a requirement names it, or when it is directly under an
/// intermediate body (`selectors`), which answers for its entries; otherwise it is encouraged.
pub fn is_mandatory(reqs: &[Requirement], selectors: &[i64], unit: &UnitRef) -> bool {
    reqs.iter().any(|r| r.applies_to(unit)) || needs_preselection(unit.parent_id, selectors)
}

/// A unit's entries, counted the ways requirements count them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntryCounts {
    pub any: u32,
    pub video: u32,
    pub writeup: u32,
    /// Entries of the units directly under this one that it pre-selected.
    pub selected: u32,
}

impl EntryCounts {
    pub fn of(&self, format: Format) -> u32 {
        match format {
            Format::Any => self.any,
            Format::Video => self.video,
            Format::Writeup => self.writeup,
            Format::Selected => self.selected,
        }
    }
}

/// The intermediate bodies: units a "xét chọn" requirement applies to. Entries of the units
/// directly under one go to the jury only once it has pre-selected them.
pub fn selectors(reqs: &[Requirement], units: &[UnitRef]) -> Vec<i64> {
    units
        .iter()
        .filter(|u| {
            reqs.iter()
                .any(|r| r.format == Format::Selected && r.applies_to(u))
        })
        .map(|u| u.id)
        .collect()
}

/// Whether an entry of a unit under `parent` waits for its intermediate body's pre-selection.
pub fn needs_preselection(parent: Option<i64>, selectors: &[i64]) -> bool {
    parent.is_some_and(|p| selectors.contains(&p))
}

/// A mandatory unit short of one requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortfall {
    pub unit: i64,
    /// Position of the requirement in the list.
    pub requirement: usize,
    pub required: u32,
    pub submitted: u32,
}

/// Every (unit, requirement) pair where the unit has fewer entries than required, units in
/// the order given, then requirements in theirs. A unit no requirement names is never short.
pub fn shortfalls(
    units: &[UnitRef],
    counts: &HashMap<i64, EntryCounts>,
    reqs: &[Requirement],
) -> Vec<Shortfall> {
    let mut out = Vec::new();
    for unit in units {
        let have = counts.get(&unit.id).copied().unwrap_or_default();
        for (i, r) in reqs.iter().enumerate() {
            let n = have.of(r.format);
            if r.applies_to(unit) && n < r.count {
                out.push(Shortfall {
                    unit: unit.id,
                    requirement: i,
                    required: r.count,
                    submitted: n,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, code: &str, name: &str, kind: &str, parent: Option<i64>) -> UnitRef {
        UnitRef {
            id,
            code: code.into(),
            name: name.into(),
            kind: kind.into(),
            parent_id: parent,
        }
    }

    /// Đông Hòa, as plan 004 names its units.
    fn dong_hoa() -> Vec<UnitRef> {
        vec![
            unit(1, "DH", "UBND thị xã Đông Hòa", "district", None),
            unit(2, "PNV", "Phòng Nội vụ", "agency", Some(1)),
            unit(3, "PGD", "Phòng Giáo dục và Đào tạo", "agency", Some(1)),
            unit(4, "HTH", "UBND xã Hòa Thành", "commune", Some(1)),
            unit(5, "HTD", "UBND xã Hòa Tân Đông", "commune", Some(1)),
            unit(6, "HVT", "UBND phường Hòa Vinh", "ward", Some(1)),
            unit(7, "THA", "Trường Tiểu học Hòa Thành", "school", Some(3)),
            unit(8, "MTTQ", "Ủy ban MTTQ thị xã", "union", None),
            unit(9, "X1", "Trùng tên", "other", None),
            unit(10, "X2", "Trùng tên", "other", None),
        ]
    }

    #[test]
    fn requirements_name_kinds_units_and_formats() {
        let units = dong_hoa();
        let reqs = parse_requirements(
            "thuộc DH: 1\nward: 1; Xã:1\nUBND xã Hòa Thành: 1 video\nHTD: 1 Video\nschool: 1 bài viết",
            &units,
        )
        .unwrap();
        let got: Vec<(Scope, u32, Format)> =
            reqs.iter().map(|r| (r.scope, r.count, r.format)).collect();
        assert_eq!(
            got,
            [
                (Scope::Under(1), 1, Format::Any),
                (Scope::Kind("ward"), 1, Format::Any),
                (Scope::Kind("commune"), 1, Format::Any),
                (Scope::Unit(4), 1, Format::Video),
                (Scope::Unit(5), 1, Format::Video),
                (Scope::Kind("school"), 1, Format::Writeup),
            ]
        );
        assert_eq!(reqs[3].text, "UBND xã Hòa Thành: 1 video");
        assert_eq!(reqs[0].scope_label(&units), "thuộc UBND thị xã Đông Hòa");
        // Without diacritics, by name.
        assert_eq!(
            parse_requirements("truc thuoc ubnd thi xa dong hoa: 2", &units).unwrap()[0].scope,
            Scope::Under(1)
        );
        // The old per-kind form still reads.
        assert_eq!(
            parse_requirements("agency:1, ward:1, commune:1, school:2", &units)
                .unwrap()
                .len(),
            4
        );
        assert_eq!(parse_requirements("", &units).unwrap(), vec![]);
        // A kind's label with a comma in it, in a one-line list.
        assert_eq!(
            split_requirements("Cơ quan, đơn vị: 1, Phường:1;Xã: 2 video\n\n"),
            ["Cơ quan, đơn vị: 1", "Phường:1", "Xã: 2 video"]
        );
        let scopes: Vec<Scope> = parse_requirements("Cơ quan, đơn vị: 1, Phường:1", &units)
            .unwrap()
            .into_iter()
            .map(|r| r.scope)
            .collect();
        assert_eq!(scopes, [Scope::Kind("agency"), Scope::Kind("ward")]);
        let err = |s: &str| parse_requirements(s, &units).unwrap_err();
        assert!(err("Hòa Bình: 1").contains("không có loại đơn vị hay đơn vị nào"));
        assert!(err("thuộc Hòa Bình: 1").contains("không có đơn vị “Hòa Bình”"));
        assert!(err("Trùng tên: 1").contains("hãy ghi mã đơn vị"));
        assert!(
            parse_requirements("X2: 1", &units).is_ok(),
            "the code decides"
        );
        assert!(err("ward: 0").contains("từ 1 đến 100"));
        assert!(err("ward").contains("cần dạng"));
        assert!(err("ward: 1 podcast").contains("không rõ hình thức"));
        assert!(err("ward: 1, Phường: 2").contains("lặp lại"));
        // The same units asked for any entry and for a video are two requirements.
        assert!(parse_requirements("HTH: 1, HTH: 1 video", &units).is_ok());
    }

    #[test]
    fn mandatory_units_fall_short_per_requirement_encouraged_ones_never() {
        let units = dong_hoa();
        let reqs = parse_requirements(
            "thuộc DH: 1\nHòa Thành: 1 video\nHòa Tân Đông: 1 video\nschool: 1",
            &units,
        );
        // "Hòa Thành" alone is not a unit's name: the plan's communes are written in full.
        assert!(reqs.is_err());
        let reqs = parse_requirements(
            "thuộc DH: 1\nUBND xã Hòa Thành: 1 video\nHTD: 1 video\nschool: 1",
            &units,
        )
        .unwrap();
        let mandatory: Vec<i64> = units
            .iter()
            .filter(|u| is_mandatory(&reqs, &[], u))
            .map(|u| u.id)
            .collect();
        assert_eq!(mandatory, [2, 3, 4, 5, 6, 7]);
        let c = |any, video, writeup| EntryCounts {
            any,
            video,
            writeup,
            selected: 0,
        };
        let counts = HashMap::from([
            (2, c(1, 0, 1)),
            // Hòa Thành sent a write-up only: counted for the first requirement, short of
            // its video.
            (4, c(1, 0, 1)),
            (5, c(2, 1, 1)),
            // The union (encouraged) sent nothing and is never short.
        ]);
        let got: Vec<(i64, usize, u32, u32)> = shortfalls(&units, &counts, &reqs)
            .into_iter()
            .map(|s| (s.unit, s.requirement, s.required, s.submitted))
            .collect();
        assert_eq!(
            got,
            [(3, 0, 1, 0), (4, 1, 1, 0), (6, 0, 1, 0), (7, 3, 1, 0)]
        );
        assert!(shortfalls(&units, &counts, &[]).is_empty());
        assert_eq!(Format::Video.describe(1), "1 video");
    }

    #[test]
    fn an_intermediate_body_pre_selects_its_units_entries() {
        let units = dong_hoa();
        let reqs = parse_requirements("thuộc DH: 1\nPGD: 2 xét chọn", &units).unwrap();
        assert_eq!(reqs[1].format, Format::Selected);
        let selectors = selectors(&reqs, &units);
        assert_eq!(selectors, [3]);
        // The school under the education office waits for it; the office's own entries and
        // those of units under the town do not.
        let table = [(Some(3), true), (Some(1), false), (None, false)];
        for (parent, want) in table {
            assert_eq!(needs_preselection(parent, &selectors), want, "{parent:?}");
        }
        let counts = HashMap::from([(
            3,
            EntryCounts {
                any: 1,
                selected: 1,
                ..Default::default()
            },
        )]);
        let short: Vec<(i64, usize, u32)> = shortfalls(&units, &counts, &reqs)
            .into_iter()
            .filter(|s| s.unit == 3)
            .map(|s| (s.unit, s.requirement, s.submitted))
            .collect();
        assert_eq!(short, [(3, 1, 1)], "one of the two pre-selected");
        // The school under the office is mandatory through it, never short on its own; the
        // union stays encouraged.
        let school = &units[6];
        assert!(is_mandatory(&reqs, &selectors, school));
        assert!(!shortfalls(&units, &counts, &reqs)
            .iter()
            .any(|s| s.unit == school.id));
        assert!(!is_mandatory(&reqs, &selectors, &units[7]));
        assert!(parse_requirements("PGD: 2 chọn", &units).is_ok());
    }
}
