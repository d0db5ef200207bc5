//! Tables in and out of spreadsheets: uploads are read as .xlsx or CSV (told apart by their
//! content, not their name), downloads are written as .xlsx. Text comes back in Unicode NFC.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use unicode_normalization::UnicodeNormalization;

/// One row of an uploaded table with its spreadsheet row number (1 = the header row).
pub type Row = (u32, Vec<String>);

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Reads the first sheet of an .xlsx file, or a UTF-8 CSV file (a byte-order mark allowed).
/// Row numbers are the ones the organizer sees in the spreadsheet.
pub fn read_table(bytes: &[u8]) -> Result<Vec<Row>, String> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.nfc().collect(),
        // Whole numbers typed in a cell ("2", "45") come back as floats.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string().nfc().collect(),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Row>, String> {
    read_xlsx_sheet(bytes, 0)
}

/// The `index`-th sheet of a workbook (0 is the first), rows numbered from 1.
pub fn read_xlsx_sheet(bytes: &[u8], index: usize) -> Result<Vec<Row>, String> {
    const UNREADABLE: &str =
        "Không đọc được tệp Excel (.xlsx). Hãy lưu lại tệp bằng Excel hoặc dùng tệp mẫu.";
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| UNREADABLE.to_string())?;
    let range = match book.worksheet_range_at(index) {
        Some(Ok(r)) => r,
        Some(Err(_)) => return Err(UNREADABLE.into()),
        None => return Err("Tệp Excel không có trang tính nào.".into()),
    };
    // The range starts at the first used cell; pad so columns and rows keep their places.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row: Vec<String> = vec![String::new(); first_col as usize];
            row.extend(cells.iter().map(cell_text));
            (first_row + i as u32 + 1, row)
        })
        .collect())
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        "Tệp phải là Excel (.xlsx) hoặc CSV mã hóa UTF-8 (Excel: Lưu thành “CSV UTF-8”)."
            .to_string()
    })?;
    let text: String = text.trim_start_matches('\u{feff}').nfc().collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("Dòng {} không đọc được: {e}", i + 1))?;
        rows.push((i as u32 + 1, record.iter().map(str::to_string).collect()));
    }
    Ok(rows)
}

/// A sheet to download: a bold, frozen header row and text or number cells.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub header: &'a [&'a str],
    pub widths: &'a [f64],
    pub rows: Vec<Vec<Cell>>,
}

pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n as f64)
    }
}

pub fn write_xlsx(sheet: Sheet<'_>) -> Result<Vec<u8>, crate::error::AppError> {
    write_workbook(vec![sheet])
}

/// A workbook of several sheets, each with a bold frozen header row. A failure is logged with
/// its cause and answered as an internal error.
pub fn write_workbook(sheets: Vec<Sheet<'_>>) -> Result<Vec<u8>, crate::error::AppError> {
    build_workbook(sheets).map_err(crate::error::AppError::internal("cannot write a workbook"))
}

fn build_workbook(sheets: Vec<Sheet<'_>>) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name)?;
        for (c, title) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *title, &bold)?;
            if let Some(w) = sheet.widths.get(c) {
                ws.set_column_width(c as u16, *w)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Text(s) if s.is_empty() => {}
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                }
            }
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_round_trips_vietnamese_text_and_numbers() {
        let bytes = write_xlsx(Sheet {
            name: "Câu hỏi",
            header: &["Chủ đề", "Mức độ"],
            widths: &[20.0],
            rows: vec![
                vec!["Cải cách hành chính".into(), 2.into()],
                vec!["".into(), "Đề án 06".into()],
            ],
        })
        .unwrap();
        let rows = read_table(&bytes).unwrap();
        assert_eq!(
            rows,
            vec![
                (1, vec!["Chủ đề".to_string(), "Mức độ".to_string()]),
                (2, vec!["Cải cách hành chính".to_string(), "2".to_string()]),
                (3, vec!["".to_string(), "Đề án 06".to_string()]),
            ]
        );
    }

    #[test]
    fn csv_with_bom_and_decomposed_text_comes_back_composed() {
        // "Hoài" written with a combining grave accent (NFD) becomes the single code point.
        let rows = read_table("\u{feff}a,b\nHoa\u{300}i,1\n".as_bytes()).unwrap();
        assert_eq!(rows[1].1[0], "Hoài");
        assert_eq!(rows[1].0, 2);
    }

    #[test]
    fn other_bytes_are_refused_with_a_message() {
        assert!(read_table(&[0xff, 0xfe, 0x00])
            .unwrap_err()
            .contains("UTF-8"));
        assert!(read_table(b"PK\x03\x04garbage")
            .unwrap_err()
            .contains("Excel"));
    }
}
