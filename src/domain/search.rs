//! Diacritics-insensitive matching for Vietnamese: "cai cach" finds "cải cách".
//! Works on NFC text (the server normalises everything it stores to NFC).

const FOLDS: [(&str, char); 7] = [
    ("àáạảãâầấậẩẫăằắặẳẵ", 'a'),
    ("èéẹẻẽêềếệểễ", 'e'),
    ("ìíịỉĩ", 'i'),
    ("òóọỏõôồốộổỗơờớợởỡ", 'o'),
    ("ùúụủũưừứựửữ", 'u'),
    ("ỳýỵỷỹ", 'y'),
    ("đ", 'd'),
];

fn fold_char(c: char) -> char {
    FOLDS
        .iter()
        .find(|(group, _)| group.contains(c))
        .map(|(_, base)| *base)
        .unwrap_or(c)
}

/// Lower case, no diacritics, single spaces.
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.to_lowercase().chars().map(fold_char).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Does `haystack` contain every word of `query`, ignoring case and diacritics?
pub fn matches(haystack: &str, query: &str) -> bool {
    let h = fold(haystack);
    fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|w| h.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_table() {
        let cases = [
            ("Cải cách hành chính", "cai cach hanh chinh"),
            ("ĐỀ ÁN 06", "de an 06"),
            ("Dịch vụ công trực tuyến", "dich vu cong truc tuyen"),
            ("  Nguyễn   Thị  Ỷ ", "nguyen thi y"),
            ("Chuyển đổi số", "chuyen doi so"),
            ("PAPI", "papi"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "{input}");
        }
    }

    #[test]
    fn search_matches_words_in_any_accent() {
        assert!(matches("Tìm hiểu về cải cách hành chính", "cai cach"));
        assert!(matches("Tìm hiểu về cải cách hành chính", "CẢI   hành"));
        assert!(!matches("Tìm hiểu về cải cách hành chính", "chuyen doi"));
        assert!(matches("bất kỳ", ""));
    }
}
