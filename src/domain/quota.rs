//! Who must take part, unit by unit, as the plans write it (Đắk Lắk: "at least 1 leader; at
//! least 50% of section heads; at least 30% of non-leader staff; 100% of one-stop-shop
//! staff", with other numbers for communes). A rule names groups of people (positions or
//! categories the contest lists) and a minimum: a count, a share of the unit's roster for
//! those groups, or both. Rules apply to the kinds of unit they name. Compliance is judged
//! per unit and rolled up the tree: a district shows its own figures and its communes'
//! together.
//! Long because of its table tests (~200 lines): the rules above them are ~280 lines.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::search::fold;
use super::units::{parse_kind, required_entrants};

/// One line of a quota: the groups it counts together, and the minimum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaRule {
    /// Kinds of unit it applies to (stored codes); empty for every unit.
    pub kinds: Vec<String>,
    /// The groups counted together, as the contest names them.
    pub groups: Vec<String>,
    /// At least this many people.
    pub at_least: Option<u32>,
    /// At least this share of the roster's people in those groups, in percent.
    pub percent: Option<u32>,
}

impl QuotaRule {
    /// As people read it: "Lãnh đạo phòng ≥ 50%", "Công chức + Một cửa ≥ 2 và ≥ 30%".
    pub fn label(&self) -> String {
        let mut bounds = Vec::new();
        if let Some(n) = self.at_least {
            bounds.push(format!("≥ {n}"));
        }
        if let Some(p) = self.percent {
            bounds.push(format!("≥ {p}%"));
        }
        format!("{} {}", self.groups.join(" + "), bounds.join(" và "))
    }

    pub fn applies_to(&self, kind: &str) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind)
    }
}

/// Parses the organizer's rules, one or more per line separated by ";", each line optionally
/// scoped by the kinds of unit before a colon:
///
/// ```text
/// department, district: lãnh đạo đơn vị >= 1; lãnh đạo phòng >= 50%
/// xã, phường: công chức + một cửa >= 30%
/// một cửa = 100%
/// ```
///
/// `known` is the contest's positions and categories; a group is matched by name, with or
/// without diacritics, and written as the contest names it. Every problem is reported with
/// its line number; nothing is returned unless every line is right.
pub fn parse_quota_rules(text: &str, known: &[String]) -> Result<Vec<QuotaRule>, Vec<String>> {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let by_fold: HashMap<String, &String> = known.iter().map(|k| (fold(k), k)).collect();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = |m: String| format!("Dòng {}: {m}", i + 1);
        let (scope, body) = match line.split_once(':') {
            Some((scope, body)) => (scope.trim(), body),
            None => ("", line),
        };
        let mut kinds = Vec::new();
        if !scope.is_empty() && scope != "*" {
            for part in scope.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match parse_kind(part) {
                    Some(k) if !kinds.iter().any(|have: &String| have == k) => {
                        kinds.push(k.to_string())
                    }
                    Some(_) => {}
                    None => errors.push(at(format!("loại đơn vị “{part}” không hợp lệ."))),
                }
            }
        }
        for rule in body.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            match parse_rule(rule, &by_fold) {
                Ok((groups, at_least, percent)) => rules.push(QuotaRule {
                    kinds: kinds.clone(),
                    groups,
                    at_least,
                    percent,
                }),
                Err(m) => errors.push(at(m)),
            }
        }
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

type Parsed = (Vec<String>, Option<u32>, Option<u32>);

/// "công chức + một cửa >= 2, 30%" as its groups and bounds.
fn parse_rule(rule: &str, known: &HashMap<String, &String>) -> Result<Parsed, String> {
    let (lhs, rhs) = [">=", "≥", "="]
        .iter()
        .find_map(|op| rule.split_once(op))
        .ok_or_else(|| {
            format!("“{rule}”: cần dạng “chức vụ >= số người” hoặc “chức vụ >= tỷ lệ %”.")
        })?;
    let mut groups = Vec::new();
    for name in lhs.split('+').map(str::trim) {
        if name.is_empty() {
            return Err(format!("“{rule}”: thiếu tên chức vụ hoặc đối tượng."));
        }
        let canonical = known.get(&fold(name)).ok_or_else(|| {
            format!("không có chức vụ hoặc đối tượng “{name}” trong danh sách của cuộc thi.")
        })?;
        if !groups.contains(*canonical) {
            groups.push((*canonical).clone());
        }
    }
    let (mut at_least, mut percent) = (None, None);
    for bound in rhs
        .split([',', '&'])
        .flat_map(|b| b.split(" và "))
        .map(|b| {
            b.trim()
                .trim_start_matches(">=")
                .trim_start_matches('≥')
                .trim()
        })
        .filter(|b| !b.is_empty())
    {
        if let Some(p) = bound.strip_suffix('%') {
            let p: u32 = p
                .trim()
                .parse()
                .ok()
                .filter(|p| (1..=100).contains(p))
                .ok_or_else(|| format!("“{bound}”: tỷ lệ phải từ 1% đến 100%."))?;
            percent = Some(p);
        } else {
            let n: u32 = bound
                .parse()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| format!("“{bound}”: số người tối thiểu phải là số nguyên dương."))?;
            at_least = Some(n);
        }
    }
    if at_least.is_none() && percent.is_none() {
        return Err(format!("“{rule}”: thiếu số người hoặc tỷ lệ tối thiểu."));
    }
    Ok((groups, at_least, percent))
}

/// Rules that ask a unit for more people than it has: a minimum count over the headcount of a
/// unit the rule applies to. `units` are (name, kind, headcount); a headcount of 0 is not
/// known and asks nothing. One message per rule, naming the smallest such unit.
pub fn minimums_over_headcount(
    rules: &[QuotaRule],
    units: &[(String, String, u32)],
) -> Vec<String> {
    rules
        .iter()
        .filter_map(|r| {
            let n = r.at_least?;
            let (name, _, headcount) = units
                .iter()
                .filter(|(_, kind, headcount)| {
                    r.applies_to(kind) && *headcount > 0 && *headcount < n
                })
                .min_by_key(|(_, _, headcount)| *headcount)?;
            Some(format!(
                "“{}”: đòi ít nhất {n} người, nhưng {name} chỉ có {headcount} người.",
                r.label()
            ))
        })
        .collect()
}

/// A unit's people by group: how many its roster lists, and how many took part.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPeople<K> {
    pub key: K,
    pub parent: Option<K>,
    pub kind: String,
    /// People on its roster, by group.
    pub roster: BTreeMap<String, u32>,
    /// People who took part, by group.
    pub took_part: BTreeMap<String, u32>,
}

/// One rule's figures for a unit (or a unit and everything under it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFigures {
    /// Index of the rule in the contest's list.
    pub rule: usize,
    /// People on the roster in the rule's groups.
    pub listed: u32,
    pub required: u32,
    pub took_part: u32,
    /// For a rolled-up line: how many units it applies to, and how many of them meet it.
    pub units: u32,
    pub units_met: u32,
}

impl LineFigures {
    pub fn met(&self) -> bool {
        self.took_part >= self.required && self.units_met == self.units
    }
}

/// How many people a rule requires of a unit: its count and the share of its roster, the
/// larger; never more than the roster lists when the unit has one.
pub fn required_of(rule: &QuotaRule, listed: u32, has_roster: bool) -> u32 {
    let by_share = rule.percent.map_or(0, |p| required_entrants(listed, p));
    let n = rule.at_least.unwrap_or(0).max(by_share);
    if has_roster {
        n.min(listed)
    } else {
        n
    }
}

fn own_line<K>(u: &UnitPeople<K>, rule: &QuotaRule, i: usize) -> LineFigures {
    let sum = |m: &BTreeMap<String, u32>| {
        rule.groups
            .iter()
            .map(|g| m.get(g).copied().unwrap_or(0))
            .sum()
    };
    let listed: u32 = sum(&u.roster);
    let took_part: u32 = sum(&u.took_part);
    let required = required_of(rule, listed, !u.roster.is_empty());
    LineFigures {
        rule: i,
        listed,
        required,
        took_part,
        units: 1,
        units_met: u32::from(took_part >= required),
    }
}

/// A unit's compliance: each rule that applies to it, for the unit alone and rolled up with
/// everything under it (`rolled` lists every rule that applies anywhere in its subtree).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance<K> {
    pub key: K,
    pub own: Vec<LineFigures>,
    pub rolled: Vec<LineFigures>,
}

impl<K> Compliance<K> {
    /// Lines of the rule the unit (with its subtree) still falls short of.
    pub fn short(&self) -> usize {
        self.rolled.iter().filter(|l| !l.met()).count()
    }
}

/// Every unit's compliance, the units still short of a line first (most lines short first),
/// then the rest in the order given.
pub fn compliance<K: Clone + Ord>(
    units: &[UnitPeople<K>],
    rules: &[QuotaRule],
) -> Vec<Compliance<K>> {
    let mut children: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    let keys: std::collections::BTreeSet<&K> = units.iter().map(|u| &u.key).collect();
    for (i, u) in units.iter().enumerate() {
        if let Some(p) = u
            .parent
            .as_ref()
            .filter(|p| keys.contains(p) && **p != u.key)
        {
            children.entry(p.clone()).or_default().push(i);
        }
    }
    let own: Vec<Vec<LineFigures>> = units
        .iter()
        .map(|u| {
            rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.applies_to(&u.kind))
                .map(|(i, r)| own_line(u, r, i))
                .collect()
        })
        .collect();
    let mut out: Vec<Compliance<K>> = units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            // The unit and everything under it, each once even if the tree has a loop.
            let mut seen = vec![false; units.len()];
            let mut stack = vec![i];
            let mut rolled: BTreeMap<usize, LineFigures> = BTreeMap::new();
            while let Some(j) = stack.pop() {
                if std::mem::replace(&mut seen[j], true) {
                    continue;
                }
                for l in &own[j] {
                    let r = rolled.entry(l.rule).or_insert(LineFigures {
                        rule: l.rule,
                        listed: 0,
                        required: 0,
                        took_part: 0,
                        units: 0,
                        units_met: 0,
                    });
                    r.listed += l.listed;
                    r.required += l.required;
                    r.took_part += l.took_part;
                    r.units += l.units;
                    r.units_met += l.units_met;
                }
                stack.extend(children.get(&units[j].key).into_iter().flatten().copied());
            }
            Compliance {
                key: u.key.clone(),
                own: own[i].clone(),
                rolled: rolled.into_values().collect(),
            }
        })
        .collect();
    // Stable: among equals, the order given (the tree's) stays.
    out.sort_by_key(|c| std::cmp::Reverse(c.short()));
    out
}

/// Someone with a counted entry in the contest: the unit they registered under, their
/// workplace when they gave another, and the groups they declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entrant<K> {
    pub account: i64,
    pub unit: K,
    pub workplace: Option<K>,
    pub position: Option<String>,
    pub category: Option<String>,
}

/// A roster line matched to an account by phone or citizen ID (a match by name and date of
/// birth alone waits for the organizer and is not one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed<K> {
    pub account: i64,
    pub unit: K,
    pub position: Option<String>,
}

/// Who counts where for the participation rules. The rosters are the organizer's word: a
/// person a roster lists counts in each unit that lists them, in the position the roster
/// gives, whatever unit they registered under (Thái Nguyên's department staff take part in the
/// ward where they live, and count for their department) and whatever position they
/// declared. Everyone else counts at their workplace when they gave one (the rules are about a
/// unit's staff), else in the unit they registered under, in the position they declared. A
/// category is always the person's own declaration. Each person once per unit and group.
pub fn took_part_by_unit<K: Ord + Clone>(
    entrants: &[Entrant<K>],
    listed: &[Listed<K>],
) -> BTreeMap<K, BTreeMap<String, u32>> {
    let mut places: BTreeMap<i64, Vec<(K, Option<String>)>> = BTreeMap::new();
    for l in listed {
        places
            .entry(l.account)
            .or_default()
            .push((l.unit.clone(), l.position.clone()));
    }
    let mut seen: std::collections::BTreeSet<(K, String, i64)> = Default::default();
    let mut out: BTreeMap<K, BTreeMap<String, u32>> = BTreeMap::new();
    let mut count = |unit: &K, group: &Option<String>, account: i64| {
        if let Some(g) = group {
            if seen.insert((unit.clone(), g.clone(), account)) {
                *out.entry(unit.clone())
                    .or_default()
                    .entry(g.clone())
                    .or_default() += 1;
            }
        }
    };
    for e in entrants {
        match places.get(&e.account) {
            Some(rostered) => {
                for (unit, position) in rostered {
                    count(unit, position, e.account);
                    count(unit, &e.category, e.account);
                }
            }
            None => {
                let unit = e.workplace.as_ref().unwrap_or(&e.unit);
                count(unit, &e.position, e.account);
                count(unit, &e.category, e.account);
            }
        }
    }
    out
}

/// Roster lines whose person declared another position than the line gives (the line's index
/// in `listed`, with what they declared). The roster's counts; the committee sees the
/// difference.
pub fn position_disagreements<K>(
    entrants: &[Entrant<K>],
    listed: &[Listed<K>],
) -> BTreeMap<usize, Option<String>> {
    let declared: BTreeMap<i64, &Option<String>> =
        entrants.iter().map(|e| (e.account, &e.position)).collect();
    listed
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let d = declared.get(&l.account)?;
            (l.position.is_some() && **d != l.position).then(|| (i, (*d).clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimum_larger_than_a_units_headcount_is_named() {
        let rule = |kinds: &[&str], at_least: Option<u32>| QuotaRule {
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            groups: vec!["Công chức".into()],
            at_least,
            percent: Some(30),
        };
        let units = [
            ("Phường 1".to_string(), "ward".to_string(), 12),
            ("Phường 2".to_string(), "ward".to_string(), 4),
            ("Sở Nội vụ".to_string(), "department".to_string(), 40),
            ("Xã mới".to_string(), "commune".to_string(), 0),
        ];
        let cases: [(QuotaRule, Vec<&str>); 5] = [
            (
                rule(&["ward"], Some(5)),
                vec![
                    "“Công chức ≥ 5 và ≥ 30%”: đòi ít nhất 5 người, nhưng Phường 2 chỉ có 4 người.",
                ],
            ),
            (rule(&["ward"], Some(4)), vec![]),
            (rule(&["department"], Some(20)), vec![]),
            // A headcount not given asks nothing; a share alone asks nothing.
            (rule(&["commune"], Some(100)), vec![]),
            (rule(&[], None), vec![]),
        ];
        for (r, want) in cases {
            assert_eq!(
                minimums_over_headcount(std::slice::from_ref(&r), &units),
                want,
                "{r:?}"
            );
        }
    }

    #[test]
    fn rosters_decide_where_and_as_what_a_person_counts() {
        let s = |x: &str| Some(x.to_string());
        let entrant = |account, unit, position: Option<String>, category: Option<String>| Entrant {
            account,
            unit,
            workplace: None,
            position,
            category,
        };
        let entrants = [
            // Registered at the ward where she lives; the department's roster lists her.
            entrant(1, "phường 1", s("Công chức"), s("CBCCVC")),
            // Declares himself a leader; the roster says section head.
            entrant(2, "sở", s("Lãnh đạo đơn vị"), None),
            // On no roster: counts where he registered, as he declared.
            entrant(3, "phường 1", s("Một cửa"), s("Người dân")),
            // Listed twice (the department and the one-stop shop of the ward): counts in both.
            entrant(4, "phường 1", None, None),
            // The same person twice in the list counts once.
            entrant(3, "phường 1", s("Một cửa"), s("Người dân")),
            // On no roster, working at the department: counts there, not where she lives.
            Entrant {
                workplace: Some("sở"),
                ..entrant(5, "phường 1", s("Lãnh đạo phòng"), None)
            },
        ];
        let listed = [
            Listed {
                account: 1,
                unit: "sở",
                position: s("Công chức"),
            },
            Listed {
                account: 2,
                unit: "sở",
                position: s("Lãnh đạo phòng"),
            },
            Listed {
                account: 4,
                unit: "sở",
                position: s("Công chức"),
            },
            Listed {
                account: 4,
                unit: "phường 1",
                position: s("Một cửa"),
            },
            // Listed, but took part in nothing: counts nowhere.
            Listed {
                account: 9,
                unit: "sở",
                position: s("Lãnh đạo đơn vị"),
            },
        ];
        let got = took_part_by_unit(&entrants, &listed);
        let of = |unit: &str| -> Vec<(String, u32)> {
            got.get(unit)
                .map(|m| m.iter().map(|(g, n)| (g.clone(), *n)).collect())
                .unwrap_or_default()
        };
        let row = |pairs: &[(&str, u32)]| -> Vec<(String, u32)> {
            pairs.iter().map(|(g, n)| (g.to_string(), *n)).collect()
        };
        assert_eq!(
            of("sở"),
            row(&[("CBCCVC", 1), ("Công chức", 2), ("Lãnh đạo phòng", 2)])
        );
        assert_eq!(of("phường 1"), row(&[("Một cửa", 2), ("Người dân", 1)]));

        let differ = position_disagreements(&entrants, &listed);
        assert_eq!(
            differ.into_iter().collect::<Vec<_>>(),
            vec![(1, s("Lãnh đạo đơn vị")), (2, None), (3, None)]
        );
    }

    fn known() -> Vec<String> {
        [
            "Lãnh đạo đơn vị",
            "Lãnh đạo phòng",
            "Công chức",
            "Một cửa",
            "Người dân",
        ]
        .map(String::from)
        .to_vec()
    }

    const DAK_LAK: &str = "
        Sở, huyện: lanh dao don vi >= 1; lãnh đạo phòng >= 50%
        department, district: công chức + một cửa >= 30%
        Xã, Phường: lãnh đạo đơn vị >= 50%; công chức + một cửa >= 30%
        một cửa = 100%";

    #[test]
    fn the_dak_lak_rules_parse_with_their_scopes() {
        let rules = parse_quota_rules(DAK_LAK, &known()).unwrap();
        let labels: Vec<(Vec<String>, String)> =
            rules.iter().map(|r| (r.kinds.clone(), r.label())).collect();
        let k = |ks: &[&str]| ks.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert_eq!(
            labels,
            [
                (
                    k(&["department", "district"]),
                    "Lãnh đạo đơn vị ≥ 1".to_string()
                ),
                (
                    k(&["department", "district"]),
                    "Lãnh đạo phòng ≥ 50%".to_string()
                ),
                (
                    k(&["department", "district"]),
                    "Công chức + Một cửa ≥ 30%".to_string()
                ),
                (k(&["commune", "ward"]), "Lãnh đạo đơn vị ≥ 50%".to_string()),
                (
                    k(&["commune", "ward"]),
                    "Công chức + Một cửa ≥ 30%".to_string()
                ),
                (k(&[]), "Một cửa ≥ 100%".to_string()),
            ]
        );
        let both = parse_quota_rules("lãnh đạo phòng >= 2, 50%", &known()).unwrap();
        assert_eq!((both[0].at_least, both[0].percent), (Some(2), Some(50)));
        assert_eq!(both[0].label(), "Lãnh đạo phòng ≥ 2 và ≥ 50%");
    }

    #[test]
    fn a_wrong_line_is_refused_by_its_number_and_nothing_is_kept() {
        let text = "lãnh đạo đơn vị >= 1\nthôn: công chức >= 30%\nphó chủ tịch >= 1\ncông chức >= 130%\nmột cửa\ncông chức >= -1";
        let errors = parse_quota_rules(text, &known()).unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(
            errors[0].starts_with("Dòng 2:") && errors[0].contains("“thôn”"),
            "{errors:?}"
        );
        assert!(errors[1].starts_with("Dòng 3:") && errors[1].contains("phó chủ tịch"));
        assert!(errors[2].starts_with("Dòng 4:") && errors[2].contains("1% đến 100%"));
        assert!(errors[3].starts_with("Dòng 5:"));
        assert!(errors[4].starts_with("Dòng 6:") && errors[4].contains("số nguyên dương"));
    }

    fn people(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        pairs.iter().map(|(g, n)| (g.to_string(), *n)).collect()
    }

    fn unit(
        key: u32,
        parent: Option<u32>,
        kind: &str,
        roster: &[(&str, u32)],
        took: &[(&str, u32)],
    ) -> UnitPeople<u32> {
        UnitPeople {
            key,
            parent,
            kind: kind.into(),
            roster: people(roster),
            took_part: people(took),
        }
    }

    /// (rule, listed, required, took part, units, units met) of each line.
    fn figures(lines: &[LineFigures]) -> Vec<(usize, u32, u32, u32, u32, u32)> {
        lines
            .iter()
            .map(|l| {
                (
                    l.rule,
                    l.listed,
                    l.required,
                    l.took_part,
                    l.units,
                    l.units_met,
                )
            })
            .collect()
    }

    /// A department that meets everything; a district that meets three lines of four (its
    /// one-stop-shop staff are short); two communes under it, one short of its leaders.
    #[test]
    fn the_dak_lak_four_part_rule_for_a_department_a_district_and_its_communes() {
        let rules = parse_quota_rules(DAK_LAK, &known()).unwrap();
        let roster = |l: u32, p: u32, c: u32, m: u32| {
            vec![
                ("Lãnh đạo đơn vị", l),
                ("Lãnh đạo phòng", p),
                ("Công chức", c),
                ("Một cửa", m),
            ]
        };
        let units = [
            // Sở: 3 leaders, 6 section heads, 16 staff + 4 one-stop. Took part: 1, 3, 3 + 4.
            unit(
                1,
                None,
                "department",
                &roster(3, 6, 16, 4),
                &[
                    ("Lãnh đạo đơn vị", 1),
                    ("Lãnh đạo phòng", 3),
                    ("Công chức", 3),
                    ("Một cửa", 4),
                ],
            ),
            // Huyện: 1 leader of 4, 5 heads of 9 (50% of 9 is 5), 10 staff + 2 one-stop of
            // 30 + 3 (30% of 33 is 10), but one of its 3 one-stop staff is missing.
            unit(
                2,
                None,
                "district",
                &roster(4, 9, 30, 3),
                &[
                    ("Lãnh đạo đơn vị", 1),
                    ("Lãnh đạo phòng", 5),
                    ("Công chức", 10),
                    ("Một cửa", 2),
                ],
            ),
            // Xã A: 2 leaders of 4, 3 of 10 staff, its one-stop officer.
            unit(
                3,
                Some(2),
                "commune",
                &roster(4, 0, 9, 1),
                &[("Lãnh đạo đơn vị", 2), ("Công chức", 2), ("Một cửa", 1)],
            ),
            // Xã B: 1 leader of 3 (50% of 3 is 2): short.
            unit(
                4,
                Some(2),
                "commune",
                &roster(3, 0, 5, 1),
                &[("Lãnh đạo đơn vị", 1), ("Công chức", 1), ("Một cửa", 1)],
            ),
        ];
        let all = compliance(&units, &rules);
        let by_key = |k: u32| all.iter().find(|c| c.key == k).unwrap();
        // The units short of something come first: the district (itself and its commune B),
        // then commune B; then the department and commune A, in the order given.
        let order: Vec<u32> = all.iter().map(|c| c.key).collect();
        assert_eq!(order, [2, 4, 1, 3]);

        assert_eq!(
            figures(&by_key(1).own),
            [
                (0, 3, 1, 1, 1, 1),
                (1, 6, 3, 3, 1, 1),
                (2, 20, 6, 7, 1, 1),
                (5, 4, 4, 4, 1, 1)
            ]
        );
        assert_eq!(by_key(1).short(), 0);

        let district = by_key(2);
        assert_eq!(
            figures(&district.own),
            [
                (0, 4, 1, 1, 1, 1),
                (1, 9, 5, 5, 1, 1),
                (2, 33, 10, 12, 1, 1),
                (5, 3, 3, 2, 1, 0)
            ]
        );
        let met: Vec<bool> = district.own.iter().map(LineFigures::met).collect();
        assert_eq!(met, [true, true, true, false], "three lines of four");
        // Rolled up: the communes' lines join (rules 3 and 4 are theirs), and the one-stop
        // line adds the communes' officers: 3 + 1 + 1 listed, 2 + 1 + 1 took part.
        assert_eq!(
            figures(&district.rolled),
            [
                (0, 4, 1, 1, 1, 1),
                (1, 9, 5, 5, 1, 1),
                (2, 33, 10, 12, 1, 1),
                (3, 7, 4, 3, 2, 1),
                (4, 16, 5, 5, 2, 2),
                (5, 5, 5, 4, 3, 2),
            ]
        );
        assert_eq!(district.short(), 2);
        assert_eq!(
            figures(&by_key(4).own),
            [(3, 3, 2, 1, 1, 0), (4, 6, 2, 2, 1, 1), (5, 1, 1, 1, 1, 1)]
        );
    }

    #[test]
    fn a_count_is_capped_at_the_roster_and_needs_no_roster() {
        let rule = parse_quota_rules("lãnh đạo đơn vị >= 2, 30%", &known())
            .unwrap()
            .remove(0);
        // 30% of 10 is 3, more than 2.
        assert_eq!(required_of(&rule, 10, true), 3);
        // 30% of 4 is 2 (rounded up); at least 2 anyway.
        assert_eq!(required_of(&rule, 4, true), 2);
        // The roster lists one leader: one is all there is.
        assert_eq!(required_of(&rule, 1, true), 1);
        // No roster for this unit: the count still holds, the share of nobody is nothing.
        assert_eq!(required_of(&rule, 0, false), 2);
    }
}
