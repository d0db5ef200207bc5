//! Parse, don't validate: registration input becomes typed values or a list of
//! field errors written for the participant, in Vietnamese.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Vietnamese mobile number normalised to its 10-digit national form (0xxxxxxxxx).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let digits: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        let national = if let Some(rest) = digits.strip_prefix("+84") {
            format!("0{rest}")
        } else if digits.starts_with("84") && digits.len() == 11 {
            format!("0{}", &digits[2..])
        } else {
            digits
        };
        if national.is_empty() {
            return Err("Vui lòng nhập số điện thoại.");
        }
        if !national.chars().all(|c| c.is_ascii_digit()) {
            return Err("Số điện thoại chỉ gồm chữ số.");
        }
        if national.len() != 10 || !national.starts_with('0') {
            return Err("Số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678).");
        }
        if !matches!(national.as_bytes()[1], b'3' | b'5' | b'7' | b'8' | b'9') {
            return Err("Số điện thoại di động không hợp lệ (đầu số 03, 05, 07, 08 hoặc 09).");
        }
        Ok(Self(national))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 12-digit citizen identity number (căn cước công dân).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitizenId(String);

impl CitizenId {
    pub fn parse(raw: &str) -> Result<Option<Self>, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.len() != 12 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err("Số căn cước công dân phải gồm đúng 12 chữ số.");
        }
        Ok(Some(Self(s.to_string())))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let letters = collapsed.chars().filter(|c| c.is_alphabetic()).count();
        if collapsed.is_empty() {
            return Err("Vui lòng nhập họ và tên.");
        }
        if collapsed.chars().count() > 100 {
            return Err("Họ và tên dài quá 100 ký tự.");
        }
        if letters < 2 || !collapsed.contains(' ') {
            return Err("Vui lòng nhập đầy đủ họ và tên (ví dụ Nguyễn Văn An).");
        }
        if !collapsed
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-')
        {
            return Err("Họ và tên chỉ gồm chữ cái và khoảng trắng.");
        }
        Ok(Self(collapsed))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Full years between `dob` and `today`.
pub fn age_on(dob: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - dob.year();
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

/// Why someone born on `dob` (stored "YYYY-MM-DD") may not enter a contest with this
/// minimum age today; `None` when they may (an unreadable date is left to the registration
/// check that stored it).
pub fn too_young(dob: &str, today: NaiveDate, min_age: i64) -> Option<String> {
    let dob = NaiveDate::parse_from_str(dob, "%Y-%m-%d").ok()?;
    (min_age > 0 && i64::from(age_on(dob, today)) < min_age)
        .then(|| format!("Cuộc thi này dành cho người từ đủ {min_age} tuổi trở lên."))
}

pub fn parse_birth_date(raw: &str, today: NaiveDate, min_age: u32) -> Result<NaiveDate, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Vui lòng nhập ngày sinh.".into());
    }
    let dob = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map_err(|_| "Ngày sinh không hợp lệ (định dạng ngày/tháng/năm).".to_string())?;
    if dob > today {
        return Err("Ngày sinh không thể ở tương lai.".into());
    }
    let age = age_on(dob, today);
    if age > 120 {
        return Err("Ngày sinh không hợp lệ.".into());
    }
    if age < min_age as i32 {
        return Err(format!("Người dự thi phải từ đủ {min_age} tuổi trở lên."));
    }
    Ok(dob)
}

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

pub fn check_password(raw: &str) -> Result<(), &'static str> {
    let n = raw.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Err("Mật khẩu phải có ít nhất 8 ký tự.")
    } else if n > MAX_PASSWORD_CHARS {
        Err("Mật khẩu dài quá 128 ký tự.")
    } else {
        Ok(())
    }
}

/// Raw registration form, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    pub full_name: String,
    pub birth_date: String,
    pub phone: String,
    #[serde(default)]
    pub citizen_id: String,
    pub unit_id: String,
    /// Where the person works, when it is not `unit_id` (optional).
    #[serde(default)]
    pub workplace_id: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub full_name: FullName,
    pub birth_date: NaiveDate,
    pub phone: PhoneNumber,
    pub citizen_id: Option<CitizenId>,
    pub unit_id: i64,
    pub workplace_id: Option<i64>,
    pub password: String,
}

/// Checks every field and reports all problems at once, so the form can be fixed in one go.
pub fn parse_registration(
    form: &RegistrationForm,
    today: NaiveDate,
    min_age: u32,
) -> Result<Registration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let full_name = FullName::parse(&form.full_name)
        .map_err(|m| errors.push(FieldError::new("full_name", m)))
        .ok();
    let birth_date = parse_birth_date(&form.birth_date, today, min_age)
        .map_err(|m| errors.push(FieldError::new("birth_date", &m)))
        .ok();
    let phone = PhoneNumber::parse(&form.phone)
        .map_err(|m| errors.push(FieldError::new("phone", m)))
        .ok();
    let citizen_id = CitizenId::parse(&form.citizen_id)
        .map_err(|m| errors.push(FieldError::new("citizen_id", m)))
        .ok();
    let unit_id = form
        .unit_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .or_else(|| {
            errors.push(FieldError::new(
                "unit_id",
                "Vui lòng chọn đơn vị công tác hoặc nơi cư trú.",
            ));
            None
        });
    // Optional; the same unit twice says nothing more.
    let workplace_id = match form.workplace_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) if id > 0 => Some(id).filter(|id| Some(*id) != unit_id),
            _ => {
                errors.push(FieldError::new(
                    "workplace_id",
                    "Nơi công tác không hợp lệ; chọn lại trong danh sách hoặc để trống.",
                ));
                None
            }
        },
    };
    if let Err(m) = check_password(&form.password) {
        errors.push(FieldError::new("password", m));
    }
    match (full_name, birth_date, phone, citizen_id, unit_id) {
        (Some(full_name), Some(birth_date), Some(phone), Some(citizen_id), Some(unit_id))
            if errors.is_empty() =>
        {
            Ok(Registration {
                full_name,
                birth_date,
                phone,
                citizen_id,
                unit_id,
                workplace_id,
                password: form.password.clone(),
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn phone_numbers() {
        let cases = [
            ("0912345678", Ok("0912345678")),
            ("091 234 5678", Ok("0912345678")),
            ("+84912345678", Ok("0912345678")),
            ("84912345678", Ok("0912345678")),
            ("0312.345.678", Ok("0312345678")),
            ("", Err(())),
            ("091234567", Err(())),
            ("09123456789", Err(())),
            ("0212345678", Err(())),
            ("09123abc78", Err(())),
            ("1912345678", Err(())),
        ];
        for (raw, want) in cases {
            let got = PhoneNumber::parse(raw)
                .map(|p| p.as_str().to_string())
                .map_err(|_| ());
            assert_eq!(got, want.map(String::from), "{raw:?}");
        }
    }

    #[test]
    fn citizen_ids() {
        assert_eq!(CitizenId::parse("  ").unwrap(), None);
        assert!(CitizenId::parse("052090001234").unwrap().is_some());
        assert!(CitizenId::parse("05209000123").is_err());
        assert!(CitizenId::parse("05209000123x").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(
            FullName::parse("  Nguyễn   Thị  Hồng ").unwrap().as_str(),
            "Nguyễn Thị Hồng"
        );
        assert!(FullName::parse("").is_err());
        assert!(
            FullName::parse("An").is_err(),
            "one word is not a full name"
        );
        assert!(FullName::parse("<script>alert(1)</script> x").is_err());
        assert!(FullName::parse(&"a ".repeat(60)).is_err());
    }

    #[test]
    fn ages_and_birth_dates() {
        let today = d(2026, 11, 22);
        assert_eq!(age_on(d(2008, 11, 22), today), 18);
        assert_eq!(age_on(d(2008, 11, 23), today), 17);
        assert!(parse_birth_date("2008-11-22", today, 18).is_ok());
        assert!(parse_birth_date("22/11/2008", today, 18).is_ok());
        assert!(parse_birth_date("23/11/2008", today, 18)
            .unwrap_err()
            .contains("18 tuổi"));
        assert!(parse_birth_date("2027-01-01", today, 0).is_err());
        assert!(parse_birth_date("1890-01-01", today, 0).is_err());
        assert!(parse_birth_date("31/02/2000", today, 0).is_err());
        assert!(parse_birth_date("", today, 0).is_err());
    }

    #[test]
    fn registration_reports_every_field() {
        let form = RegistrationForm::default();
        let errs = parse_registration(&form, d(2026, 11, 22), 16).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["full_name", "birth_date", "phone", "unit_id", "password"]
        );

        let ok = RegistrationForm {
            full_name: "Trần Văn Bình".into(),
            birth_date: "1990-05-01".into(),
            phone: "0987654321".into(),
            citizen_id: "".into(),
            unit_id: "3".into(),
            workplace_id: "".into(),
            password: "mat-khau-dai".into(),
        };
        let reg = parse_registration(&ok, d(2026, 11, 22), 16).unwrap();
        assert_eq!(reg.unit_id, 3);
        assert_eq!(reg.citizen_id, None);
        assert_eq!(reg.workplace_id, None);
        // A workplace: another unit, the same one again (nothing more), or nonsense.
        for (raw, want) in [
            ("7", Ok(Some(7))),
            ("3", Ok(None)),
            ("x", Err("workplace_id")),
        ] {
            let form = RegistrationForm {
                workplace_id: raw.into(),
                ..ok.clone()
            };
            let got = parse_registration(&form, d(2026, 11, 22), 16)
                .map(|r| r.workplace_id)
                .map_err(|e| e[0].field.clone());
            assert_eq!(got, want.map_err(String::from), "{raw}");
        }
    }
}

/// The answer to the prediction question: a whole number from 0, or nothing.
pub fn parse_prediction(raw: &str) -> Result<Option<i64>, Vec<FieldError>> {
    let raw = raw.trim().replace(['.', ' '], "");
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(n) if (0..=1_000_000_000).contains(&n) => Ok(Some(n)),
        _ => Err(vec![FieldError::new(
            "prediction",
            "Số dự đoán phải là số nguyên không âm.",
        )]),
    }
}

#[cfg(test)]
mod prediction_tests {
    use super::*;

    #[test]
    fn prediction_table() {
        assert_eq!(parse_prediction(""), Ok(None));
        assert_eq!(parse_prediction(" 1.250 "), Ok(Some(1250)));
        assert_eq!(parse_prediction("0"), Ok(Some(0)));
        assert!(parse_prediction("-3").is_err());
        assert!(parse_prediction("nhiều").is_err());
    }
}
