//! Vietnamese alphabetical order for names shown in lists (units above all).
//!
//! Byte order puts "Đoàn" after "Văn" and "Ủy ban" far from "Uỷ ban": Đ and the toned vowels
//! are code points past the Latin block. Here a name sorts first by its letters in the
//! Vietnamese alphabet (a ă â b c d đ e ê … with f j w z in their Latin places), with numbers
//! compared by value ("số 2" before "số 10"); then by the tone marks (none, huyền, hỏi, ngã,
//! sắc, nặng, as dictionaries and CLDR order them), then by letter case. Both precomposed (NFC)
//! and decomposed (NFD) text give the same key.

use std::cmp::Ordering;

/// The alphabet, in order; each vowel that carries tones is followed by its five toned forms
/// (huyền, hỏi, ngã, sắc, nặng).
const ALPHABET: [&str; 33] = [
    "aàảãáạ",
    "ăằẳẵắặ",
    "âầẩẫấậ",
    "b",
    "c",
    "d",
    "đ",
    "eèẻẽéẹ",
    "êềểễếệ",
    "f",
    "g",
    "h",
    "iìỉĩíị",
    "j",
    "k",
    "l",
    "m",
    "n",
    "oòỏõóọ",
    "ôồổỗốộ",
    "ơờởỡớợ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "uùủũúụ",
    "ưừửữứự",
    "v",
    "w",
    "x",
    "yỳỷỹýỵ",
    "z",
];

/// One element of the primary key: what kind of thing it is, then its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    /// A run of spaces: words end before longer words that share their start.
    Space,
    Punct(char),
    Number(u128),
    Letter(u8),
    Other(char),
}

/// Compare two keys (`Ord`) to put names in Vietnamese order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    primary: Vec<Unit>,
    tones: Vec<u8>,
    /// Lower case first, letter by letter.
    upper: Vec<bool>,
}

/// The letter's place in the alphabet and its tone (0 = none .. 5 = nặng), for lower-case input.
fn letter(c: char) -> Option<(u8, u8)> {
    ALPHABET.iter().enumerate().find_map(|(rank, forms)| {
        forms
            .chars()
            .position(|f| f == c)
            .map(|tone| (rank as u8, tone as u8))
    })
}

fn rank_of(base: &str) -> u8 {
    ALPHABET
        .iter()
        .position(|f| f.starts_with(base))
        .unwrap_or(0) as u8
}

/// A combining mark (NFD text) applied to the letter before it: (vowel mark, tone).
fn combining(c: char) -> Option<(Option<char>, u8)> {
    Some(match c {
        '\u{300}' => (None, 1),
        '\u{309}' => (None, 2),
        '\u{303}' => (None, 3),
        '\u{301}' => (None, 4),
        '\u{323}' => (None, 5),
        '\u{306}' => (Some('\u{306}'), 0),
        '\u{302}' => (Some('\u{302}'), 0),
        '\u{31b}' => (Some('\u{31b}'), 0),
        _ => return None,
    })
}

/// The letter that a base letter and a vowel mark make (a + breve = ă, o + horn = ơ, …).
fn with_mark(rank: u8, mark: char) -> u8 {
    let base = ALPHABET[usize::from(rank)].chars().next().unwrap_or('a');
    let made = match (base, mark) {
        ('a', '\u{306}') => "ă",
        ('a', '\u{302}') => "â",
        ('e', '\u{302}') => "ê",
        ('o', '\u{302}') => "ô",
        ('o', '\u{31b}') => "ơ",
        ('u', '\u{31b}') => "ư",
        _ => return rank,
    };
    rank_of(made)
}

/// The key that orders `name` among others in Vietnamese.
pub fn sort_key(name: &str) -> SortKey {
    let mut key = SortKey {
        primary: Vec::new(),
        tones: Vec::new(),
        upper: Vec::new(),
    };
    let mut chars = name.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            key.primary.push(Unit::Space);
        } else if let Some(d) = c.to_digit(10) {
            let mut n = u128::from(d);
            while let Some(d) = chars
                .next_if(char::is_ascii_digit)
                .and_then(|c| c.to_digit(10))
            {
                n = n.saturating_mul(10).saturating_add(u128::from(d));
            }
            key.primary.push(Unit::Number(n));
        } else if let Some((mark, tone)) = combining(c) {
            // NFD: the mark belongs to the letter just read.
            if let (Some(Unit::Letter(rank)), Some(t)) =
                (key.primary.last_mut(), key.tones.last_mut())
            {
                match mark {
                    Some(m) => *rank = with_mark(*rank, m),
                    None => *t = tone,
                }
            }
        } else {
            let lower = c.to_lowercase().next().unwrap_or(c);
            match letter(lower) {
                Some((rank, tone)) => {
                    key.primary.push(Unit::Letter(rank));
                    key.tones.push(tone);
                    key.upper.push(lower != c);
                }
                None if c.is_alphanumeric() => key.primary.push(Unit::Other(lower)),
                None => key.primary.push(Unit::Punct(c)),
            }
        }
    }
    key
}

/// Vietnamese order of two names; equal keys fall back to the text so the order is total.
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b)).then_with(|| a.cmp(b))
}

/// Sorts a list by a name in Vietnamese order (stable: equal names keep their order).
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|t| sort_key(name(t)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn orders_lists_as_a_vietnamese_reader_expects() {
        let cases: &[(&[&str], &[&str])] = &[
            // Đ is its own letter, right after D, not after V (byte order puts it past Z).
            (
                &["Văn phòng", "Đoàn Thanh niên", "Dân vận"],
                &["Dân vận", "Đoàn Thanh niên", "Văn phòng"],
            ),
            (&["Đ", "E", "D"], &["D", "Đ", "E"]),
            // a ă â, e ê, o ô ơ, u ư are letters in that order.
            (&["ân", "ăn", "an"], &["an", "ăn", "ân"]),
            (&["ơn", "ôn", "on"], &["on", "ôn", "ơn"]),
            (&["ưa", "ua", "va"], &["ua", "ưa", "va"]),
            (&["êm", "em", "fa"], &["em", "êm", "fa"]),
            // Tones only break ties between the same letters: ngang, huyền, hỏi, ngã, sắc, nặng.
            (
                &["má", "mạ", "mà", "ma", "mã", "mả"],
                &["ma", "mà", "mả", "mã", "má", "mạ"],
            ),
            // ...so a toned first letter does not push a word past later letters.
            (
                &["Ủy ban nhân dân", "Văn hóa", "Trường"],
                &["Trường", "Ủy ban nhân dân", "Văn hóa"],
            ),
            // "Ủy" and "Uỷ" (tone on the other vowel) are the same word to the eye: they sort by
            // what follows, and only the tones separate them when nothing else does.
            (
                &["Uỷ ban xã", "Ưu tiên", "Ủy ban phường", "Uy tín"],
                &["Ủy ban phường", "Uỷ ban xã", "Uy tín", "Ưu tiên"],
            ),
            (
                &["Ủy ban", "Uy ban", "Uỷ ban"],
                &["Uy ban", "Uỷ ban", "Ủy ban"],
            ),
            // Case does not change the place, only breaks a last tie (lower case first).
            (
                &["đoàn", "Dân", "Đoàn", "dân"],
                &["dân", "Dân", "đoàn", "Đoàn"],
            ),
            // A shorter word comes before a longer one with the same start.
            (
                &["Phường Bắc Sơn", "Phường Bắc", "Phường"],
                &["Phường", "Phường Bắc", "Phường Bắc Sơn"],
            ),
            // Numbers by value.
            (
                &["Trường số 10", "Trường số 2", "Trường số 1"],
                &["Trường số 1", "Trường số 2", "Trường số 10"],
            ),
            // Extra spaces do not matter.
            (&["  Xã  An", "Xã Bình"], &["  Xã  An", "Xã Bình"]),
        ];
        for (input, expected) in cases {
            assert_eq!(
                sorted(input),
                expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn decomposed_text_sorts_like_precomposed() {
        let pairs = [
            ("Đoàn", "Đoa\u{300}n"),
            ("Ủy ban", "U\u{31b}\u{309}y ban"),
            ("Ủy ban", "U\u{309}y ban"),
            ("Sở Nội vụ", "So\u{31b}\u{309} No\u{302}\u{323}i vu\u{323}"),
            ("Ấp", "A\u{302}\u{301}p"),
        ];
        // "Ủy" is U + hỏi; a decomposed "Ửy" (U + horn + hỏi) is another word, after it.
        assert_eq!(sort_key(pairs[0].0), sort_key(pairs[0].1));
        assert_ne!(sort_key(pairs[1].0), sort_key(pairs[1].1));
        assert_eq!(sort_key(pairs[2].0), sort_key(pairs[2].1));
        assert_eq!(sort_key(pairs[3].0), sort_key(pairs[3].1));
        assert_eq!(sort_key(pairs[4].0), sort_key(pairs[4].1));
    }

    #[test]
    fn sort_by_name_is_stable_and_total() {
        let mut units = vec![(3, "Văn phòng"), (1, "Đoàn"), (2, "Dân"), (4, "Đoàn")];
        sort_by_name(&mut units, |u| u.1);
        assert_eq!(
            units,
            vec![(2, "Dân"), (1, "Đoàn"), (4, "Đoàn"), (3, "Văn phòng")]
        );
        assert_eq!(compare("", "a"), Ordering::Less);
        assert_eq!(compare("a", "a"), Ordering::Equal);
    }
}
