//! The groups a contest tells people apart by: categories (cán bộ công chức viên chức,
//! người dân, học sinh; each mandatory or encouraged, optionally with its own minimum age)
//! and positions (lãnh đạo đơn vị, lãnh đạo phòng, công chức, bộ phận một cửa). The
//! organizer writes each list one per line; saving it again keeps what is unchanged, adds
//! what is new, and deletes what is gone, or retires it when a person or a roster uses it.

use serde::{Deserialize, Serialize};

use super::search::fold;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupKind {
    Category,
    Position,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Category => "category",
            Self::Position => "position",
        }
    }
}

/// One line of a list: the name, and for a category whether it is mandatory and its own
/// minimum age.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupLine {
    pub name: String,
    pub mandatory: bool,
    pub min_age: Option<u32>,
}

/// "Cán bộ, công chức, viên chức | bắt buộc" / "Người dân | khuyến khích | 18" for
/// categories; a bare name per line for positions. Names are unique (ignoring case and
/// diacritics); errors name their line.
pub fn parse_groups(text: &str, kind: GroupKind) -> Result<Vec<GroupLine>, Vec<String>> {
    let mut out: Vec<GroupLine> = Vec::new();
    let mut errors = Vec::new();
    let what = match kind {
        GroupKind::Category => "đối tượng",
        GroupKind::Position => "chức vụ",
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = |m: String| format!("Dòng {} ({what}): {m}", i + 1);
        let mut parts = line.split('|').map(str::trim);
        let name = parts
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            errors.push(at("thiếu tên.".into()));
            continue;
        }
        if name.chars().count() > 100 {
            errors.push(at(format!("tên “{name}” dài quá 100 ký tự.")));
            continue;
        }
        if name.contains(['+', ';', ':', '=', '>']) {
            errors.push(at(format!(
                "tên “{name}” không được chứa các ký tự + ; : = > (chúng dùng để viết chỉ tiêu)."
            )));
            continue;
        }
        let (mut mandatory, mut min_age) = (false, None);
        for extra in parts.filter(|p| !p.is_empty()) {
            if kind == GroupKind::Position {
                errors.push(at(format!("chức vụ chỉ có tên; “{extra}” là thừa.")));
                continue;
            }
            match fold(extra).as_str() {
                "bat buoc" => mandatory = true,
                "khuyen khich" => mandatory = false,
                n => match n.parse::<u32>() {
                    Ok(age) if age <= 100 => min_age = Some(age),
                    _ => errors.push(at(format!(
                        "“{extra}”: ghi “bắt buộc”, “khuyến khích” hoặc tuổi tối thiểu (số)."
                    ))),
                },
            }
        }
        if out.iter().any(|g| fold(&g.name) == fold(&name)) {
            errors.push(at(format!("“{name}” bị lặp lại.")));
            continue;
        }
        out.push(GroupLine {
            name,
            mandatory,
            min_age,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The list written back as the organizer types it.
pub fn format_groups(lines: &[GroupLine], kind: GroupKind) -> String {
    lines
        .iter()
        .map(|g| match kind {
            GroupKind::Position => g.name.clone(),
            GroupKind::Category => {
                let mut s = format!(
                    "{} | {}",
                    g.name,
                    if g.mandatory {
                        "bắt buộc"
                    } else {
                        "khuyến khích"
                    }
                );
                if let Some(a) = g.min_age {
                    s.push_str(&format!(" | {a}"));
                }
                s
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One roster line as typed or read from a spreadsheet row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterForm {
    pub unit_code: String,
    pub full_name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub citizen_id: String,
    #[serde(default)]
    pub position: String,
}

/// A checked roster line: the unit is still a code (the service looks it up), the position
/// is written as the contest names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub unit_code: String,
    pub full_name: String,
    /// "YYYY-MM-DD", as accounts store it.
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub citizen_id: Option<String>,
    pub position: Option<String>,
}

/// Checks a roster line: a name; a phone or a citizen ID to match an account by; a date of
/// birth if given; a position from the contest's list (required when the contest has one).
pub fn parse_roster_line(
    f: &RosterForm,
    positions: &[String],
    today: chrono::NaiveDate,
) -> Result<RosterEntry, Vec<super::FieldError>> {
    use super::validation::{CitizenId, FullName, PhoneNumber};
    use super::FieldError;
    let mut errors = Vec::new();
    let unit_code = f.unit_code.trim().to_uppercase();
    if unit_code.is_empty() {
        errors.push(FieldError::new("unit_code", "Thiếu mã đơn vị."));
    }
    let full_name = FullName::parse(&f.full_name)
        .map_err(|m| errors.push(FieldError::new("full_name", m)))
        .ok();
    let birth_date = match f.birth_date.trim() {
        "" => None,
        raw => match super::validation::parse_birth_date(raw, today, 0) {
            Ok(d) => Some(d.format("%Y-%m-%d").to_string()),
            Err(m) => {
                errors.push(FieldError::new("birth_date", m));
                None
            }
        },
    };
    let phone = match f.phone.trim() {
        "" => None,
        raw => PhoneNumber::parse(raw)
            .map(|p| p.as_str().to_string())
            .map_err(|m| errors.push(FieldError::new("phone", m)))
            .ok(),
    };
    let citizen_id = CitizenId::parse(&f.citizen_id)
        .map_err(|m| errors.push(FieldError::new("citizen_id", m)))
        .ok()
        .flatten()
        .map(|c| c.as_str().to_string());
    if f.phone.trim().is_empty() && f.citizen_id.trim().is_empty() {
        errors.push(FieldError::new(
            "phone",
            "Cần số điện thoại hoặc số căn cước để đối chiếu với tài khoản dự thi.",
        ));
    }
    let position = match f.position.trim() {
        "" if positions.is_empty() => None,
        "" => {
            errors.push(FieldError::new("position", "Thiếu chức vụ."));
            None
        }
        raw => match positions.iter().find(|p| fold(p) == fold(raw)) {
            Some(p) => Some(p.clone()),
            None => {
                errors.push(FieldError::new(
                    "position",
                    format!(
                        "Chức vụ “{raw}” không có trong danh sách của cuộc thi ({}).",
                        positions.join("; ")
                    ),
                ));
                None
            }
        },
    };
    match (errors.is_empty(), full_name) {
        (true, Some(full_name)) => Ok(RosterEntry {
            unit_code,
            full_name: full_name.as_str().to_string(),
            birth_date,
            phone,
            citizen_id,
            position,
        }),
        _ => Err(errors),
    }
}

/// What an extra question at the first start takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldKind {
    Text,
    Number,
    /// One of these answers.
    Choice(Vec<String>),
}

/// A question the organizer adds to the participant's profile in the contest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    pub label: String,
    pub required: bool,
    pub kind: FieldKind,
}

/// "Số năm công tác | không bắt buộc | số" / "Giới tính | bắt buộc | Nam; Nữ" /
/// "Trường | bắt buộc | chữ": a label, whether an answer is required, and text, a number or
/// a choice (the answers separated by ";"). Errors name their line.
pub fn parse_field_specs(text: &str) -> Result<Vec<FieldSpec>, Vec<String>> {
    let mut out: Vec<FieldSpec> = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = |m: String| format!("Dòng {} (thông tin thêm): {m}", i + 1);
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let label = parts[0].split_whitespace().collect::<Vec<_>>().join(" ");
        if label.is_empty() || label.chars().count() > 100 {
            errors.push(at("cần tên câu hỏi (tối đa 100 ký tự).".into()));
            continue;
        }
        if out.iter().any(|f| fold(&f.label) == fold(&label)) {
            errors.push(at(format!("“{label}” bị lặp lại.")));
            continue;
        }
        let required = match parts.get(1).map(|p| fold(p)) {
            None => false,
            Some(p) if p == "bat buoc" => true,
            Some(p) if p == "khong bat buoc" || p.is_empty() => false,
            Some(_) => {
                errors.push(at(format!(
                    "“{}”: ghi “bắt buộc” hoặc “không bắt buộc”.",
                    parts[1]
                )));
                continue;
            }
        };
        let kind = match parts.get(2).copied().unwrap_or("") {
            raw if ["", "chu", "van ban"].contains(&fold(raw).as_str()) => FieldKind::Text,
            raw if fold(raw) == "so" => FieldKind::Number,
            raw => {
                let options: Vec<String> = raw
                    .split(';')
                    .map(|o| o.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|o| !o.is_empty())
                    .collect();
                if options.len() < 2 {
                    errors.push(at(format!(
                        "“{raw}”: ghi “chữ”, “số”, hoặc ít nhất hai lựa chọn cách nhau bởi dấu ;."
                    )));
                    continue;
                }
                FieldKind::Choice(options)
            }
        };
        if parts.len() > 3 {
            errors.push(at(
                "chỉ có tên | bắt buộc hay không | loại câu trả lời.".into()
            ));
            continue;
        }
        out.push(FieldSpec {
            label,
            required,
            kind,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The list written back as the organizer types it.
pub fn format_field_specs(specs: &[FieldSpec]) -> String {
    specs
        .iter()
        .map(|f| {
            let need = if f.required {
                "bắt buộc"
            } else {
                "không bắt buộc"
            };
            let kind = match &f.kind {
                FieldKind::Text => "chữ".to_string(),
                FieldKind::Number => "số".to_string(),
                FieldKind::Choice(o) => o.join("; "),
            };
            format!("{} | {need} | {kind}", f.label)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks the answers (in the order of `specs`; missing ones count as empty): a required one
/// is given, a number is a whole number, a choice is one of the choices (matched ignoring case
/// and diacritics, and written as the organizer wrote it). Errors are on `extra[i]`.
pub fn check_answers(
    specs: &[FieldSpec],
    answers: &[String],
) -> Result<Vec<(String, String)>, Vec<super::FieldError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, f) in specs.iter().enumerate() {
        let field = format!("extra[{i}]");
        let raw = answers
            .get(i)
            .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        if raw.is_empty() {
            if f.required {
                errors.push(super::FieldError::new(
                    &field,
                    format!("Vui lòng trả lời “{}”.", f.label),
                ));
            }
            continue;
        }
        if raw.chars().count() > 200 {
            errors.push(super::FieldError::new(
                &field,
                format!("“{}”: tối đa 200 ký tự.", f.label),
            ));
            continue;
        }
        let value = match &f.kind {
            FieldKind::Text => Some(raw),
            FieldKind::Number => raw.parse::<i64>().ok().map(|n| n.to_string()),
            FieldKind::Choice(options) => options.iter().find(|o| fold(o) == fold(&raw)).cloned(),
        };
        match value {
            Some(v) => out.push((f.label.clone(), v)),
            None => errors.push(super::FieldError::new(
                &field,
                match &f.kind {
                    FieldKind::Number => format!("“{}” phải là một số nguyên.", f.label),
                    FieldKind::Choice(o) => {
                        format!("“{}”: chọn một trong {}.", f.label, o.join("; "))
                    }
                    FieldKind::Text => String::new(),
                },
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The minimum age that applies to a person: their category's, else the contest's.
pub fn min_age_for(contest_min_age: u32, category_min_age: Option<u32>) -> u32 {
    category_min_age.unwrap_or(contest_min_age)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_and_positions_parse_line_by_line() {
        let text = "
            Cán bộ, công chức, viên chức | bắt buộc
            Người dân | Khuyen khich | 18
            Học sinh   trung học cơ sở
        ";
        let got = parse_groups(text, GroupKind::Category).unwrap();
        let g = |n: &str, m: bool, a: Option<u32>| GroupLine {
            name: n.into(),
            mandatory: m,
            min_age: a,
        };
        assert_eq!(
            got,
            [
                g("Cán bộ, công chức, viên chức", true, None),
                g("Người dân", false, Some(18)),
                g("Học sinh trung học cơ sở", false, None),
            ]
        );
        assert_eq!(
            format_groups(&got, GroupKind::Category),
            "Cán bộ, công chức, viên chức | bắt buộc\nNgười dân | khuyến khích | 18\nHọc sinh trung học cơ sở | khuyến khích"
        );
        let positions = parse_groups("Lãnh đạo đơn vị\n\nMột cửa", GroupKind::Position).unwrap();
        assert_eq!(positions.len(), 2);
        assert_eq!(
            format_groups(&positions, GroupKind::Position),
            "Lãnh đạo đơn vị\nMột cửa"
        );
    }

    #[test]
    fn a_wrong_line_is_refused_by_its_number() {
        let text = "Người dân | mười tám\nNGUOI DAN\nCông chức + một cửa\n | bắt buộc";
        let errors = parse_groups(text, GroupKind::Category).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("Dòng 1 (đối tượng):") && errors[0].contains("mười tám"));
        assert!(errors[1].starts_with("Dòng 2") && errors[1].contains("lặp lại"));
        assert!(errors[2].starts_with("Dòng 3") && errors[2].contains("+ ; : = >"));
        assert!(errors[3].starts_with("Dòng 4") && errors[3].contains("thiếu tên"));
        let errors = parse_groups("Công chức | bắt buộc", GroupKind::Position).unwrap_err();
        assert!(errors[0].contains("chức vụ chỉ có tên"), "{errors:?}");
    }

    #[test]
    fn roster_lines_are_checked_field_by_field() {
        let today = chrono::NaiveDate::from_ymd_opt(2023, 8, 1).unwrap();
        let positions = ["Lãnh đạo phòng".to_string(), "Một cửa".to_string()];
        let line =
            |code: &str, name: &str, dob: &str, phone: &str, id: &str, pos: &str| RosterForm {
                unit_code: code.into(),
                full_name: name.into(),
                birth_date: dob.into(),
                phone: phone.into(),
                citizen_id: id.into(),
                position: pos.into(),
            };
        let ok = parse_roster_line(
            &line(
                "s-nv",
                " Hoàng  Văn Nội ",
                "15/03/1980",
                "0912 345 678",
                "",
                "mot cua",
            ),
            &positions,
            today,
        )
        .unwrap();
        assert_eq!(ok.unit_code, "S-NV");
        assert_eq!(ok.full_name, "Hoàng Văn Nội");
        assert_eq!(ok.birth_date.as_deref(), Some("1980-03-15"));
        assert_eq!(ok.phone.as_deref(), Some("0912345678"));
        assert_eq!(ok.position.as_deref(), Some("Một cửa"));
        let fields = |f: RosterForm| -> Vec<String> {
            parse_roster_line(&f, &positions, today)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields(line("", "", "", "", "", "")),
            ["unit_code", "full_name", "phone", "position"]
        );
        assert_eq!(
            fields(line(
                "A",
                "Lê Văn A",
                "31/02/1980",
                "0912345678",
                "",
                "Phó phòng"
            )),
            ["birth_date", "position"]
        );
        assert_eq!(
            fields(line("A", "Lê Văn A", "", "12", "", "Một cửa")),
            ["phone"]
        );
        // A citizen ID alone is enough to match by.
        assert!(parse_roster_line(
            &line("A", "Lê Văn A", "", "", "066080000123", "Một cửa"),
            &positions,
            today
        )
        .is_ok());
        // A contest without positions needs none.
        assert!(
            parse_roster_line(&line("A", "Lê Văn A", "", "0912345678", "", ""), &[], today).is_ok()
        );
    }

    #[test]
    fn extra_questions_parse_and_check_their_answers() {
        let text = "Giới tính | bắt buộc | Nam; Nữ\nSố năm công tác | không bắt buộc | số\nTrường | Bắt buộc";
        let specs = parse_field_specs(text).unwrap();
        assert_eq!(
            specs[0].kind,
            FieldKind::Choice(vec!["Nam".into(), "Nữ".into()])
        );
        assert_eq!(
            (specs[1].required, &specs[1].kind),
            (false, &FieldKind::Number)
        );
        assert_eq!(
            (specs[2].required, &specs[2].kind),
            (true, &FieldKind::Text)
        );
        assert_eq!(
            format_field_specs(&specs),
            "Giới tính | bắt buộc | Nam; Nữ\nSố năm công tác | không bắt buộc | số\nTrường | bắt buộc | chữ"
        );
        let answers = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = check_answers(&specs, &answers(&["nu", "", "  THCS  Hòa Thuận "])).unwrap();
        assert_eq!(
            ok,
            [
                ("Giới tính".into(), "Nữ".into()),
                ("Trường".into(), "THCS Hòa Thuận".into())
            ]
        );
        let fields = |a: &[&str]| -> Vec<String> {
            check_answers(&specs, &answers(a))
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields(&["Khác", "mười", ""]),
            ["extra[0]", "extra[1]", "extra[2]"]
        );
        assert_eq!(fields(&[]), ["extra[0]", "extra[2]"]);
        let bad = parse_field_specs(
            "Giới tính | cần | Nam\n | bắt buộc\nA | bắt buộc | Một\nA\na\nB | x | y | z",
        )
        .unwrap_err();
        assert_eq!(bad.len(), 5, "{bad:?}");
        assert!(bad[0].starts_with("Dòng 1") && bad[0].contains("“cần”"));
        assert!(bad[2].starts_with("Dòng 3") && bad[2].contains("hai lựa chọn"));
    }

    #[test]
    fn a_category_can_set_its_own_minimum_age() {
        // Đắk Lắk: 18 only for people who are not officials.
        assert_eq!(min_age_for(0, Some(18)), 18);
        assert_eq!(min_age_for(15, None), 15);
        assert_eq!(min_age_for(15, Some(0)), 0);
    }
}
