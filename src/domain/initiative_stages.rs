//! The stages of an initiative contest after submission: jurors assigned to entries, which
//! scores are still missing before an entry can be forwarded, the prize an entry won at the
//! next level and the one author a group proposes for commendation (plan 004: "Third prize or
//! better", "a group proposes only its single best author"). Pure.

use super::search::fold;

/// Each entry to `per_entry` jurors, the load spread evenly: entry i goes to the jurors
/// i·per_entry, i·per_entry+1, … (mod the number of jurors). `per_entry` 0, or not less than
/// the number of jurors, gives every juror every entry. Pairs (entry, juror), in entry order.
pub fn assign_jurors(entries: &[i64], jurors: &[i64], per_entry: usize) -> Vec<(i64, i64)> {
    let n = jurors.len();
    if n == 0 {
        return Vec::new();
    }
    let per = if per_entry == 0 || per_entry >= n {
        n
    } else {
        per_entry
    };
    entries
        .iter()
        .enumerate()
        .flat_map(|(i, &entry)| (0..per).map(move |k| (entry, jurors[(i * per + k) % n])))
        .collect()
}

/// The jurors expected to score an entry who have not, in the order expected.
pub fn missing_jurors(expected: &[i64], scored: &[i64]) -> Vec<i64> {
    expected
        .iter()
        .copied()
        .filter(|j| !scored.contains(j))
        .collect()
}

/// The prizes an entry can be recorded as winning at the next level, best first.
pub const HIGHER_PRIZES: [&str; 5] = ["Nhất", "Nhì", "Ba", "Khuyến khích", "Không đạt giải"];

/// A prize as typed or chosen ("giai ba", "Ba"); `None` for an empty field (not known yet).
pub fn parse_higher_prize(raw: &str) -> Result<Option<&'static str>, String> {
    let folded = fold(raw);
    let folded = folded.strip_prefix("giai ").unwrap_or(&folded);
    if folded.is_empty() {
        return Ok(None);
    }
    HIGHER_PRIZES
        .iter()
        .find(|p| fold(p) == folded)
        .map(|p| Some(*p))
        .ok_or_else(|| {
            format!(
                "Giải “{}” không có trong danh sách: {}.",
                raw.trim(),
                HIGHER_PRIZES.join(", ")
            )
        })
}

/// Plan 004: the town commends the entries that won Third prize or better.
pub fn commended(prize: &str) -> bool {
    HIGHER_PRIZES[..3].contains(&prize)
}

/// An entry's authors: the lead author, then the co-authors (separated by commas or ";").
pub fn authors(lead: &str, co_authors: &str) -> Vec<String> {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    std::iter::once(squash(lead))
        .chain(co_authors.split([',', ';']).map(squash))
        .filter(|a| !a.is_empty())
        .collect()
}

/// The one author proposed for commendation: a single author is that author; a group names
/// one of its authors (empty: the lead author).
pub fn honoree(lead: &str, co_authors: &str, chosen: &str) -> Result<String, String> {
    let all = authors(lead, co_authors);
    let chosen = chosen.split_whitespace().collect::<Vec<_>>().join(" ");
    if chosen.is_empty() {
        return all
            .first()
            .cloned()
            .ok_or_else(|| "Bài dự thi không có tên tác giả.".into());
    }
    all.iter()
        .find(|a| fold(a) == fold(&chosen))
        .cloned()
        .ok_or_else(|| {
            format!(
                "“{chosen}” không phải tác giả của bài dự thi ({}).",
                all.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jurors_share_the_entries_evenly() {
        let entries = [10, 11, 12, 13];
        let jurors = [1, 2, 3];
        // Two jurors per entry: 8 scorings over 3 jurors, no juror more than one above another.
        let two = assign_jurors(&entries, &jurors, 2);
        assert_eq!(
            two,
            [
                (10, 1),
                (10, 2),
                (11, 3),
                (11, 1),
                (12, 2),
                (12, 3),
                (13, 1),
                (13, 2)
            ]
        );
        let load = |j: i64| two.iter().filter(|(_, x)| *x == j).count();
        assert_eq!((load(1), load(2), load(3)), (3, 3, 2));
        // Never the same juror twice on one entry.
        for e in entries {
            let mut js: Vec<i64> = two.iter().filter(|(x, _)| *x == e).map(|p| p.1).collect();
            js.dedup();
            assert_eq!(js.len(), 2);
        }
        assert_eq!(assign_jurors(&entries, &jurors, 0).len(), 12);
        assert_eq!(assign_jurors(&entries, &jurors, 5).len(), 12);
        assert!(assign_jurors(&entries, &[], 2).is_empty());
        assert!(assign_jurors(&[], &jurors, 2).is_empty());
    }

    #[test]
    fn missing_scores_are_the_expected_jurors_without_one() {
        assert_eq!(missing_jurors(&[1, 2, 3], &[2]), [1, 3]);
        assert!(missing_jurors(&[1, 2], &[2, 1, 9]).is_empty());
        assert!(missing_jurors(&[], &[]).is_empty());
    }

    #[test]
    fn higher_prizes_and_commendation() {
        let table = [
            ("Ba", Ok(Some("Ba"))),
            ("giải ba", Ok(Some("Ba"))),
            (" Giai Nhi ", Ok(Some("Nhì"))),
            ("khuyen khich", Ok(Some("Khuyến khích"))),
            ("", Ok(None)),
            ("Đặc biệt", Err(())),
        ];
        for (raw, want) in table {
            assert_eq!(parse_higher_prize(raw).map_err(|_| ()), want, "{raw}");
        }
        let commended: Vec<&str> = HIGHER_PRIZES.into_iter().filter(|p| commended(p)).collect();
        assert_eq!(commended, ["Nhất", "Nhì", "Ba"]);
    }

    #[test]
    fn a_group_proposes_one_of_its_authors() {
        assert_eq!(
            authors(" Trần  Thị Hoà", "Lê Văn An; Phạm Thị Bình,  "),
            ["Trần Thị Hoà", "Lê Văn An", "Phạm Thị Bình"]
        );
        assert_eq!(honoree("Trần Thị Hoà", "", "").unwrap(), "Trần Thị Hoà");
        assert_eq!(
            honoree("Trần Thị Hoà", "Lê Văn An", "").unwrap(),
            "Trần Thị Hoà"
        );
        // The group chooses its best author when the prize is known, not only at submission.
        assert_eq!(
            honoree("Trần Thị Hoà", "Lê Văn An, Phạm Thị Bình", "pham thi binh").unwrap(),
            "Phạm Thị Bình"
        );
        let err = honoree("Trần Thị Hoà", "Lê Văn An", "Nguyễn Văn Khác").unwrap_err();
        assert!(
            err.contains("không phải tác giả") && err.contains("Lê Văn An"),
            "{err}"
        );
    }
}
