//! The files of an initiative entry: a write-up, a video, or both, plus images. Types are told
//! by content, never by a file's name or the browser's claim; sizes are limited per file and
//! per entry. Pure.

use serde::{Deserialize, Serialize};

/// Largest write-up (PDF, .docx or .doc).
pub const MAX_WRITEUP_BYTES: u64 = 20 * 1024 * 1024;
/// Largest video (MP4, MOV or WebM).
pub const MAX_VIDEO_BYTES: u64 = 200 * 1024 * 1024;
/// Largest image (JPEG or PNG).
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
/// Images one entry may carry.
pub const MAX_IMAGES: usize = 10;
/// All of an entry's files together.
pub const MAX_ENTRY_BYTES: u64 = 250 * 1024 * 1024;

const MIB: u64 = 1024 * 1024;

/// A file type recognised by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    Pdf,
    Docx,
    Doc,
    Mp4,
    Mov,
    Webm,
    Jpeg,
    Png,
}

const ALL_TYPES: [FileType; 8] = [
    FileType::Pdf,
    FileType::Docx,
    FileType::Doc,
    FileType::Mp4,
    FileType::Mov,
    FileType::Webm,
    FileType::Jpeg,
    FileType::Png,
];

impl FileType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Doc => "doc",
            Self::Mp4 => "mp4",
            Self::Mov => "mov",
            Self::Webm => "webm",
            Self::Jpeg => "jpeg",
            Self::Png => "png",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_TYPES.into_iter().find(|t| t.as_str() == s)
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Doc => "application/msword",
            Self::Mp4 => "video/mp4",
            Self::Mov => "video/quicktime",
            Self::Webm => "video/webm",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            other => other.as_str(),
        }
    }

    /// The part of an entry a file of this type can be.
    pub fn slot(self) -> Slot {
        match self {
            Self::Pdf | Self::Docx | Self::Doc => Slot::Writeup,
            Self::Mp4 | Self::Mov | Self::Webm => Slot::Video,
            Self::Jpeg | Self::Png => Slot::Image,
        }
    }

    pub fn is_writeup(self) -> bool {
        self.slot() == Slot::Writeup
    }
}

/// The part of an entry a file is: the form's field and the stored `slot`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Writeup,
    Video,
    Image,
}

impl Slot {
    pub const ALL: [Slot; 3] = [Slot::Writeup, Slot::Video, Slot::Image];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Writeup => "writeup",
            Self::Video => "video",
            Self::Image => "image",
        }
    }

    /// A stored slot or a form field's name (`images` is the field of several images).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "writeup" => Some(Self::Writeup),
            "video" => Some(Self::Video),
            "image" | "images" => Some(Self::Image),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Writeup => "Bản thuyết minh",
            Self::Video => "Video",
            Self::Image => "Hình ảnh",
        }
    }

    /// What the slot accepts, for messages and the form's hints.
    pub fn accepts(self) -> &'static str {
        match self {
            Self::Writeup => "PDF hoặc Word (.docx, .doc)",
            Self::Video => "video MP4, MOV hoặc WebM",
            Self::Image => "ảnh JPEG hoặc PNG",
        }
    }

    /// The browser's file picker filter.
    pub fn accept_attr(self) -> &'static str {
        match self {
            Self::Writeup => ".pdf,.docx,.doc,application/pdf",
            Self::Video => "video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm",
            Self::Image => "image/jpeg,image/png",
        }
    }

    pub fn max_bytes(self) -> u64 {
        match self {
            Self::Writeup => MAX_WRITEUP_BYTES,
            Self::Video => MAX_VIDEO_BYTES,
            Self::Image => MAX_IMAGE_BYTES,
        }
    }

    pub fn max_count(self) -> usize {
        match self {
            Self::Image => MAX_IMAGES,
            _ => 1,
        }
    }

    /// Whether the whole file must be kept to tell its type (a DOCX or a DOC is told by a
    /// name inside it); other types are told by their first bytes.
    pub fn needs_whole_file(self) -> bool {
        self == Self::Writeup
    }
}

/// Bytes of a video or an image kept to recognise its type: every signature is near the start.
pub const HEAD_BYTES: usize = 64 * 1024;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The type of a file from its content. A DOCX is a ZIP archive holding `word/document.xml`
/// and a DOC an OLE2 compound file holding a `WordDocument` stream; both names may be anywhere
/// in the file, so `bytes` must be the whole file for those. Audio-only MP4 (M4A) and HEIC
/// photos share the MP4 container but are not videos; Matroska other than WebM is refused.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    const EBML: &[u8] = &[0x1A, 0x45, 0xDF, 0xA3];
    const QUICKTIME_ATOMS: [&[u8]; 4] = [b"moov", b"mdat", b"wide", b"pnot"];
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        contains(bytes, b"word/document.xml").then_some(FileType::Docx)
    } else if bytes.starts_with(OLE2) {
        let stream: Vec<u8> = "WordDocument"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        contains(bytes, &stream).then_some(FileType::Doc)
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        match &bytes[8..12] {
            b"qt  " => Some(FileType::Mov),
            b"M4A " | b"M4B " | b"M4P " | b"heic" | b"heix" | b"mif1" | b"msf1" | b"avif" => None,
            _ => Some(FileType::Mp4),
        }
    } else if bytes.len() >= 8 && QUICKTIME_ATOMS.contains(&&bytes[4..8]) {
        // QuickTime movies from before the `ftyp` box.
        Some(FileType::Mov)
    } else if bytes.starts_with(EBML) {
        contains(&bytes[..bytes.len().min(64)], b"webm").then_some(FileType::Webm)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else {
        None
    }
}

/// Why a file cannot go in `slot`: its name and the reason, as the person sees it.
pub fn wrong_type(slot: Slot, name: &str, found: Option<FileType>) -> String {
    let found = match found {
        Some(t) => format!("đây là tệp {}", t.as_str().to_uppercase()),
        None => "nội dung tệp không thuộc định dạng nào được nhận".into(),
    };
    format!(
        "Tệp “{name}”: {} phải là {}; {found}.",
        slot.label(),
        slot.accepts()
    )
}

/// A file that is over its slot's limit.
pub fn too_big(slot: Slot, name: &str) -> String {
    format!(
        "Tệp “{name}”: {} vượt quá {} MB.",
        slot.label().to_lowercase(),
        slot.max_bytes() / MIB
    )
}

/// The entry as a whole over its limit.
pub fn entry_too_big() -> String {
    format!(
        "Tổng dung lượng các tệp của bài dự thi vượt quá {} MB.",
        MAX_ENTRY_BYTES / MIB
    )
}

/// One file of an entry, already received (or kept from before an edit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSpec<'a> {
    pub slot: Slot,
    pub file_type: FileType,
    pub size: u64,
    pub name: &'a str,
}

/// Checks the files an entry will have: each in a slot its type fits and within its size,
/// at most one write-up and one video and `MAX_IMAGES` images, all together within
/// `MAX_ENTRY_BYTES`, and at least a write-up or a video.
pub fn check_entry_files(files: &[FileSpec<'_>]) -> Result<(), String> {
    for f in files {
        if f.file_type.slot() != f.slot {
            return Err(wrong_type(f.slot, f.name, Some(f.file_type)));
        }
        if f.size > f.slot.max_bytes() {
            return Err(too_big(f.slot, f.name));
        }
    }
    for slot in Slot::ALL {
        let n = files.iter().filter(|f| f.slot == slot).count();
        if n > slot.max_count() {
            return Err(if slot == Slot::Image {
                format!("Mỗi bài dự thi kèm tối đa {MAX_IMAGES} hình ảnh.")
            } else {
                format!(
                    "Mỗi bài dự thi chỉ có một tệp {}.",
                    slot.label().to_lowercase()
                )
            });
        }
    }
    if files.iter().map(|f| f.size).sum::<u64>() > MAX_ENTRY_BYTES {
        return Err(entry_too_big());
    }
    if !files
        .iter()
        .any(|f| matches!(f.slot, Slot::Writeup | Slot::Video))
    {
        return Err(
            "Bài dự thi cần bản thuyết minh (PDF, Word) hoặc video (MP4, MOV, WebM), hoặc cả hai."
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ole2_with(stream: &str) -> Vec<u8> {
        let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        b.extend_from_slice(&[0u8; 500]);
        b.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
        b
    }

    fn ftyp(brand: &[u8; 4]) -> Vec<u8> {
        [
            b"\x00\x00\x00\x18ftyp".as_slice(),
            brand,
            b"\x00\x00\x00\x00isom",
        ]
        .concat()
    }

    #[test]
    fn sniffing_by_content() {
        let docx = [b"PK\x03\x04".as_slice(), b"....word/document.xml...."].concat();
        let other_zip = [b"PK\x03\x04".as_slice(), b"....xl/workbook.xml...."].concat();
        let webm = [
            [0x1A, 0x45, 0xDF, 0xA3].as_slice(),
            b"\x9f\x42\x86\x81\x01\x42\x82\x84webm",
        ]
        .concat();
        let mkv = [
            [0x1A, 0x45, 0xDF, 0xA3].as_slice(),
            b"\x9f\x42\x86\x81\x01\x42\x82\x88matroska",
        ]
        .concat();
        let table: Vec<(Vec<u8>, Option<FileType>)> = vec![
            (b"%PDF-1.7\n...".to_vec(), Some(FileType::Pdf)),
            (docx, Some(FileType::Docx)),
            (other_zip, None),
            (ole2_with("WordDocument"), Some(FileType::Doc)),
            // An Excel 97 workbook is an OLE2 file too, with another stream.
            (ole2_with("Workbook"), None),
            (ftyp(b"mp42"), Some(FileType::Mp4)),
            (ftyp(b"isom"), Some(FileType::Mp4)),
            (ftyp(b"qt  "), Some(FileType::Mov)),
            (
                b"\x00\x00\x00\x08wide\x00\x00".to_vec(),
                Some(FileType::Mov),
            ),
            (ftyp(b"M4A "), None),
            (ftyp(b"heic"), None),
            (webm, Some(FileType::Webm)),
            (mkv, None),
            (b"\xFF\xD8\xFF\xE0JFIF".to_vec(), Some(FileType::Jpeg)),
            (b"\x89PNG\r\n\x1a\n....".to_vec(), Some(FileType::Png)),
            (b"MZ\x90\x00 an executable".to_vec(), None),
            (b"<html>%PDF-".to_vec(), None),
            (Vec::new(), None),
            (b"ftyp".to_vec(), None),
        ];
        for (bytes, want) in table {
            assert_eq!(sniff(&bytes), want, "{:?}", String::from_utf8_lossy(&bytes));
        }
        for t in ALL_TYPES {
            assert_eq!(FileType::parse(t.as_str()), Some(t));
        }
        assert_eq!(FileType::Doc.slot(), Slot::Writeup);
        assert_eq!(FileType::Webm.slot(), Slot::Video);
        assert_eq!(FileType::Png.slot(), Slot::Image);
        assert_eq!(Slot::parse("images"), Some(Slot::Image));
        assert_eq!(Slot::parse("attachment"), None);
    }

    #[test]
    fn entry_files_are_checked_as_a_whole() {
        let f = |slot, file_type, size| FileSpec {
            slot,
            file_type,
            size,
            name: "tep",
        };
        let writeup = f(Slot::Writeup, FileType::Pdf, 1000);
        let video = f(Slot::Video, FileType::Mp4, 1000);
        let image = f(Slot::Image, FileType::Jpeg, 1000);
        let ok = |files: Vec<FileSpec<'_>>| check_entry_files(&files).is_ok();
        assert!(ok(vec![writeup.clone()]));
        assert!(ok(vec![video.clone()]), "a video alone is an entry");
        assert!(ok(vec![writeup.clone(), video.clone(), image.clone()]));
        assert!(ok(vec![video.clone(); 1]
            .into_iter()
            .chain(vec![image.clone(); MAX_IMAGES])
            .collect()));
        let err = |files: Vec<FileSpec<'_>>| check_entry_files(&files).unwrap_err();
        assert!(err(vec![]).contains("hoặc video"));
        assert!(
            err(vec![image.clone()]).contains("hoặc video"),
            "images alone"
        );
        assert!(err(vec![writeup.clone(), writeup.clone()]).contains("một tệp"));
        assert!(err(vec![video.clone(), video.clone()]).contains("một tệp"));
        assert!(err(vec![writeup.clone()]
            .into_iter()
            .chain(vec![image.clone(); MAX_IMAGES + 1])
            .collect())
        .contains("tối đa 10 hình ảnh"));
        // A video in the write-up's place is refused with the file's name and what it is.
        assert_eq!(
            err(vec![f(Slot::Writeup, FileType::Mp4, 10)]),
            "Tệp “tep”: Bản thuyết minh phải là PDF hoặc Word (.docx, .doc); đây là tệp MP4."
        );
        // Each file within its own limit, and the entry within its total.
        assert!(ok(vec![f(Slot::Video, FileType::Mov, MAX_VIDEO_BYTES)]));
        assert!(err(vec![f(Slot::Video, FileType::Mov, MAX_VIDEO_BYTES + 1)]).contains("200 MB"));
        assert!(err(vec![f(Slot::Image, FileType::Png, MAX_IMAGE_BYTES + 1)]).contains("10 MB"));
        let full = vec![
            f(Slot::Writeup, FileType::Pdf, MAX_WRITEUP_BYTES),
            f(Slot::Video, FileType::Webm, MAX_VIDEO_BYTES),
        ];
        let room = MAX_ENTRY_BYTES - MAX_WRITEUP_BYTES - MAX_VIDEO_BYTES;
        let mut at_limit = full.clone();
        let mut left = room;
        while left > 0 {
            let size = left.min(MAX_IMAGE_BYTES);
            at_limit.push(f(Slot::Image, FileType::Png, size));
            left -= size;
        }
        assert!(ok(at_limit.clone()));
        at_limit.push(f(Slot::Image, FileType::Png, 1));
        assert_eq!(err(at_limit), entry_too_big());
    }
}
