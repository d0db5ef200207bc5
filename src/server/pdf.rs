//! Certificates (Giấy chứng nhận) as PDF: one A4 landscape page per winner.
//! Long because it holds both directions of one format: the writer (~320 lines) and `text_of`,
//! the reader that tests check certificates with (~160 lines).
//!
//! Vietnamese needs a Unicode font, so DejaVu Serif (regular and bold) is embedded, cut down to
//! the glyphs the document uses, as a CID font with a ToUnicode map: the text can be searched
//! and copied out of the PDF. Text is NFC (as everything stored is), so every letter with its
//! marks is one precomposed glyph and no shaping is needed. Lines are centred and wrapped by
//! the font's own advance widths.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

const REGULAR: &[u8] = include_bytes!("fonts/DejaVuSerif.ttf");
const BOLD: &[u8] = include_bytes!("fonts/DejaVuSerif-Bold.ttf");

/// A4 landscape, in points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const MARGIN: f32 = 70.0;

/// What one certificate says.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Certificate {
    pub organizer: String,
    pub contest: String,
    pub full_name: String,
    pub unit: String,
    /// e.g. "Giải Nhất · Tuần 1".
    pub prize: String,
    /// e.g. "Hoài Xuân, ngày 30 tháng 11 năm 2026".
    pub dated: String,
    /// "GIẤY CHỨNG NHẬN" or "GIẤY KHEN".
    pub title: String,
    /// The signer's title and name under the date (either may be empty).
    pub signer_title: String,
    pub signer_name: String,
}

#[derive(Clone, Copy)]
enum Style {
    Regular,
    Bold,
}

/// One embedded font and the glyphs used from it so far.
struct Font {
    face: ttf_parser::Face<'static>,
    data: &'static [u8],
    remapper: subsetter::GlyphRemapper,
    /// New glyph id → the character it shows (for the ToUnicode map) and its width.
    used: BTreeMap<u16, (char, f32)>,
}

impl Font {
    fn new(data: &'static [u8]) -> Result<Font, String> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| format!("font: {e}"))?;
        Ok(Font {
            face,
            data,
            remapper: subsetter::GlyphRemapper::new(),
            used: BTreeMap::new(),
        })
    }

    fn units(&self) -> f32 {
        f32::from(self.face.units_per_em())
    }

    /// Width of one character in thousandths of the font size (the PDF's glyph space).
    fn advance(&self, c: char) -> f32 {
        let gid = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) * 1000.0 / self.units()
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size / 1000.0
    }

    /// The text as 2-byte glyph ids of the subset (Identity-H), recording each glyph used.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let old = self.face.glyph_index(c).map_or(0, |g| g.0);
            let new = self.remapper.remap(old);
            let advance = self.advance(c);
            self.used.entry(new).or_insert((c, advance));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    /// Writes the Type0 font, its CID font, descriptor, subset program and ToUnicode map.
    fn write(
        &self,
        pdf: &mut Pdf,
        ids: &mut impl FnMut() -> Ref,
        font_ref: Ref,
        name: &[u8],
    ) -> Result<(), String> {
        let (cid_ref, descriptor_ref, file_ref, cmap_ref) = (ids(), ids(), ids(), ids());
        let base = [b"CUOCTH+".as_slice(), name].concat();
        let info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        pdf.type0_font(font_ref)
            .base_font(Name(&base))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        // The subset numbers its glyphs 0..n in the remapper's order, and the CIDs are the
        // same numbers (the subsetter's identity CID mapping).
        let widths: Vec<f32> = (0..self.remapper.num_gids())
            .map(|g| self.used.get(&g).map_or(0.0, |(_, w)| *w))
            .collect();
        let mut cid = pdf.cid_font(cid_ref);
        cid.subtype(CidFontType::Type2)
            .base_font(Name(&base))
            .system_info(info)
            .font_descriptor(descriptor_ref)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths().consecutive(0, widths);
        cid.finish();

        let scale = 1000.0 / self.units();
        let bbox = self.face.global_bounding_box();
        let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
        if self.face.is_bold() {
            flags |= FontFlags::FORCE_BOLD;
        }
        pdf.font_descriptor(descriptor_ref)
            .name(Name(&base))
            .flags(flags)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * scale,
                f32::from(bbox.y_min) * scale,
                f32::from(bbox.x_max) * scale,
                f32::from(bbox.y_max) * scale,
            ))
            .italic_angle(0.0)
            .ascent(f32::from(self.face.ascender()) * scale)
            .descent(f32::from(self.face.descender()) * scale)
            .cap_height(
                f32::from(self.face.capital_height().unwrap_or(self.face.ascender())) * scale,
            )
            .stem_v(if self.face.is_bold() { 140.0 } else { 80.0 })
            .font_file2(file_ref);

        let program =
            subsetter::subset(self.data, 0, &self.remapper).map_err(|e| format!("subset: {e}"))?;
        let packed = deflate(&program);
        pdf.stream(file_ref, &packed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), program.len() as i32);

        let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), info);
        for (gid, (c, _)) in &self.used {
            cmap.pair(*gid, *c);
        }
        pdf.cmap(cmap_ref, &cmap.finish());
        Ok(())
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Breaks `text` into lines no wider than `max` at `size`, at spaces (a single word wider
/// than the line stays whole).
fn wrap(font: &Font, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && font.width(&candidate, size) > max {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

struct Page<'a> {
    content: Content,
    regular: &'a mut Font,
    bold: &'a mut Font,
    /// Baseline of the next line, from the bottom of the page.
    y: f32,
    /// The page's width: A4 landscape for certificates, portrait for a letter.
    width: f32,
    /// Lines start at the left margin instead of being centred.
    left: bool,
}

impl Page<'_> {
    /// Text wrapped to the page, centred (or from the left margin); the size shrinks (down to
    /// 60%) before a line wraps when `shrink` is set, for names that should stay on one line.
    fn line(&mut self, text: &str, style: Style, size: f32, shrink: bool) {
        let max = self.width - 2.0 * MARGIN;
        let font: &mut Font = match style {
            Style::Regular => self.regular,
            Style::Bold => self.bold,
        };
        let mut size = size;
        if shrink {
            let w = font.width(text, size);
            if w > max {
                size = (size * max / w).max(size * 0.6);
            }
        }
        let name = match style {
            Style::Regular => Name(b"R"),
            Style::Bold => Name(b"B"),
        };
        for part in wrap(font, text, size, max) {
            let x = if self.left {
                MARGIN
            } else {
                (self.width - font.width(&part, size)) / 2.0
            };
            let encoded = font.encode(&part);
            self.y -= size;
            self.content.begin_text();
            self.content.set_font(name, size);
            self.content.next_line(x, self.y);
            self.content.show(Str(&encoded));
            self.content.end_text();
            self.y -= size * 0.35;
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }
}

/// A double frame in the contest's red, inset from the page edge.
fn frame(content: &mut Content) {
    content.set_stroke_rgb(0.70, 0.11, 0.11);
    content.set_line_width(3.0);
    content.rect(24.0, 24.0, WIDTH - 48.0, HEIGHT - 48.0);
    content.stroke();
    content.set_line_width(0.8);
    content.rect(32.0, 32.0, WIDTH - 64.0, HEIGHT - 64.0);
    content.stroke();
    content.set_fill_rgb(0.0, 0.0, 0.0);
}

/// The document: one page per certificate (an empty list gives one blank page, as a PDF
/// needs at least one).
pub fn certificates(list: &[Certificate], title: &str) -> Result<Vec<u8>, String> {
    let mut regular = Font::new(REGULAR)?;
    let mut bold = Font::new(BOLD)?;
    let mut parts = parts();
    let mut contents = Vec::new();

    for cert in list.iter().map(Some).chain(list.is_empty().then_some(None)) {
        let mut page = Page {
            content: Content::new(),
            regular: &mut regular,
            bold: &mut bold,
            y: HEIGHT - 70.0,
            width: WIDTH,
            left: false,
        };
        if let Some(c) = cert {
            frame(&mut page.content);
            page.line(&c.organizer.to_uppercase(), Style::Regular, 13.0, false);
            page.line(&c.contest.to_uppercase(), Style::Bold, 15.0, false);
            page.gap(36.0);
            page.content.set_fill_rgb(0.70, 0.11, 0.11);
            page.line(&c.title.to_uppercase(), Style::Bold, 38.0, false);
            page.content.set_fill_rgb(0.0, 0.0, 0.0);
            page.gap(18.0);
            let verb = if c.title.to_lowercase().contains("khen") {
                "Tặng"
            } else {
                "Chứng nhận"
            };
            page.line(verb, Style::Regular, 16.0, false);
            page.gap(10.0);
            page.line(&c.full_name, Style::Bold, 30.0, true);
            page.gap(4.0);
            page.line(&c.unit, Style::Regular, 16.0, false);
            page.gap(18.0);
            page.line(&c.prize, Style::Bold, 20.0, false);
            page.gap(30.0);
            page.line(&c.dated, Style::Regular, 12.0, false);
            if !c.signer_title.is_empty() {
                page.line(&c.signer_title.to_uppercase(), Style::Bold, 12.0, false);
            }
            if !c.signer_name.is_empty() {
                page.gap(36.0);
                page.line(&c.signer_name, Style::Bold, 13.0, false);
            }
        }
        let content = page.content.finish();
        contents.push(((parts.ids)(), (parts.ids)(), content.to_vec()));
    }

    assemble(parts, (&regular, &bold), &contents, (WIDTH, HEIGHT), title)
}

/// What every document shares: its objects so far and the references set aside.
struct Parts<F: FnMut() -> Ref> {
    pdf: Pdf,
    ids: F,
    catalog: Ref,
    tree: Ref,
    info: Ref,
    font_r: Ref,
    font_b: Ref,
}

/// A new document with its first references set aside; `ids` gives the next ones.
fn parts() -> Parts<impl FnMut() -> Ref> {
    let mut next = 0;
    let mut ids = move || {
        next += 1;
        Ref::new(next)
    };
    let (catalog, tree, info, font_r, font_b) = (ids(), ids(), ids(), ids(), ids());
    Parts {
        pdf: Pdf::new(),
        ids,
        catalog,
        tree,
        info,
        font_r,
        font_b,
    }
}

/// Writes the page tree, the pages (`contents`: page, content stream, its bytes), the fonts
/// and the document's title.
fn assemble<F: FnMut() -> Ref>(
    parts: Parts<F>,
    (regular, bold): (&Font, &Font),
    contents: &[(Ref, Ref, Vec<u8>)],
    (width, height): (f32, f32),
    title: &str,
) -> Result<Vec<u8>, String> {
    let Parts {
        mut pdf,
        mut ids,
        catalog,
        tree,
        info,
        font_r,
        font_b,
    } = parts;
    let pages: Vec<Ref> = contents.iter().map(|(p, _, _)| *p).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(pages.iter().copied())
        .count(pages.len() as i32);
    for (page_ref, content_ref, content) in contents {
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, width, height))
            .parent(tree)
            .contents(*content_ref);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"R"), font_r);
        fonts.pair(Name(b"B"), font_b);
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(*content_ref, &deflate(content.as_slice()))
            .filter(Filter::FlateDecode);
    }
    regular.write(&mut pdf, &mut ids, font_r, b"DejaVuSerif")?;
    bold.write(&mut pdf, &mut ids, font_b, b"DejaVuSerif-Bold")?;
    pdf.document_info(info)
        .title(pdf_writer::TextStr(title))
        .producer(pdf_writer::TextStr("cuocthi"));
    Ok(pdf.finish())
}

/// A cover letter (công văn), A4 portrait: the issuer and the date at the top, the title,
/// the recipient, then the wording's paragraphs and a numbered list, flowing onto further
/// pages when long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub issuer: String,
    /// e.g. "Đông Hòa, ngày 20 tháng 8 năm 2024".
    pub dated: String,
    pub title: String,
    pub recipient: String,
    pub paragraphs: Vec<String>,
    pub list: Vec<String>,
    pub signer: String,
}

pub fn letter(l: &Letter) -> Result<Vec<u8>, String> {
    const W: f32 = HEIGHT;
    const H: f32 = WIDTH;
    let mut regular = Font::new(REGULAR)?;
    let mut bold = Font::new(BOLD)?;
    let mut parts = parts();
    // (text, style, size, centred, gap after)
    let mut blocks: Vec<(String, Style, f32, bool, f32)> = vec![
        (l.issuer.to_uppercase(), Style::Bold, 12.0, true, 4.0),
        (l.dated.clone(), Style::Regular, 11.0, true, 24.0),
        (l.title.clone(), Style::Bold, 14.0, true, 12.0),
        (
            format!("Kính gửi: {}", l.recipient),
            Style::Regular,
            12.0,
            true,
            18.0,
        ),
    ];
    for p in &l.paragraphs {
        blocks.push((p.clone(), Style::Regular, 12.0, false, 8.0));
    }
    for (i, item) in l.list.iter().enumerate() {
        blocks.push((
            format!("{}. {item}", i + 1),
            Style::Regular,
            11.0,
            false,
            4.0,
        ));
    }
    blocks.push((l.issuer.to_uppercase(), Style::Bold, 12.0, true, 40.0));
    blocks.push((l.signer.clone(), Style::Bold, 12.0, true, 0.0));
    let mut contents = Vec::new();
    let mut blocks = blocks.into_iter().peekable();
    while blocks.peek().is_some() {
        let mut page = Page {
            content: Content::new(),
            regular: &mut regular,
            bold: &mut bold,
            y: H - 60.0,
            width: W,
            left: false,
        };
        for (text, style, size, centred, after) in blocks.by_ref() {
            if text.is_empty() {
                continue;
            }
            page.left = !centred;
            page.line(&text, style, size, false);
            page.gap(after);
            if page.y < MARGIN + 40.0 {
                break;
            }
        }
        let content = page.content.finish();
        contents.push(((parts.ids)(), (parts.ids)(), content.to_vec()));
    }
    assemble(parts, (&regular, &bold), &contents, (W, H), &l.title)
}

/// Reads back the text of a document [`certificates`] wrote, one string per page with its
/// lines joined by newlines: the content streams decoded through the fonts' ToUnicode maps,
/// which is what a PDF reader does when text is searched or copied. Tests use it to check
/// what a certificate says.
pub fn text_of(pdf: &[u8]) -> Vec<String> {
    // ToUnicode maps in the order the fonts were written: regular (/R), then bold (/B).
    let mut maps: Vec<BTreeMap<u16, char>> = Vec::new();
    let mut contents: Vec<Vec<u8>> = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&pdf[at..], b">>\nstream\n") {
        let dict_start = find_last(&pdf[..at + found], b"obj\n").unwrap_or(0);
        let dict = &pdf[dict_start..at + found];
        let body_start = at + found + b">>\nstream\n".len();
        let Some(length) = dict_number(dict, b"/Length ") else {
            break;
        };
        let body = &pdf[body_start..(body_start + length).min(pdf.len())];
        at = body_start + length;
        if find(dict, b"/Length1").is_some() {
            continue; // a font program
        }
        if find(dict, b"/CMap").is_some() {
            maps.push(read_cmap(body));
        } else if let Ok(inflated) = miniz_oxide::inflate::decompress_to_vec_zlib(body) {
            contents.push(inflated);
        }
    }
    contents
        .iter()
        .map(|content| read_content(content, &maps))
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn dict_number(dict: &[u8], key: &[u8]) -> Option<usize> {
    let start = find(dict, key)? + key.len();
    let digits: String = dict[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    digits.parse().ok()
}

fn hex_u16(hex: &[u8]) -> Option<u16> {
    u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
}

/// `<glyph> <utf-16>` lines between `beginbfchar` and `endbfchar`.
fn read_cmap(body: &[u8]) -> BTreeMap<u16, char> {
    let text = String::from_utf8_lossy(body);
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line
            .split(['<', '>', ' '])
            .filter(|p| !p.is_empty())
            .collect();
        if let [glyph, unit] = parts.as_slice() {
            if let (Some(g), Some(u)) = (hex_u16(glyph.as_bytes()), hex_u16(unit.as_bytes())) {
                if let Some(c) = char::from_u32(u32::from(u)) {
                    map.insert(g, c);
                }
            }
        }
    }
    map
}

/// The strings shown with `Tj`, decoded with the font selected by the last `Tf`.
fn read_content(content: &[u8], maps: &[BTreeMap<u16, char>]) -> String {
    let mut lines = Vec::new();
    let mut font = 0;
    let mut last: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'/' => {
                font = usize::from(content.get(i + 1) == Some(&b'B'));
                i += 2;
            }
            b'<' => {
                let end = content[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(content.len(), |e| i + e);
                last = content[i + 1..end]
                    .chunks(2)
                    .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
                    .collect();
                i = end + 1;
            }
            b'(' => {
                // A literal string; unescaped parentheses inside it come in balanced pairs.
                last.clear();
                i += 1;
                let mut depth = 0;
                while i < content.len() && (content[i] != b')' || depth > 0) {
                    if content[i] == b'(' {
                        depth += 1;
                    } else if content[i] == b')' {
                        depth -= 1;
                    }
                    if content[i] == b'\\' {
                        i += 1;
                        let escaped = match content.get(i) {
                            Some(b'n') => b'\n',
                            Some(b'r') => b'\r',
                            Some(b't') => b'\t',
                            Some(b'b') => 8,
                            Some(b'f') => 12,
                            Some(d) if d.is_ascii_digit() => {
                                let octal: String = content[i..]
                                    .iter()
                                    .take(3)
                                    .take_while(|b| (b'0'..=b'7').contains(b))
                                    .map(|&b| b as char)
                                    .collect();
                                i += octal.len() - 1;
                                u8::from_str_radix(&octal, 8).unwrap_or(0)
                            }
                            Some(&other) => other,
                            None => break,
                        };
                        last.push(escaped);
                    } else {
                        last.push(content[i]);
                    }
                    i += 1;
                }
                i += 1;
            }
            b'T' if content.get(i + 1) == Some(&b'j') => {
                let map = maps.get(font);
                let line: String = last
                    .chunks(2)
                    .map(|pair| {
                        let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                        map.and_then(|m| m.get(&code))
                            .copied()
                            .unwrap_or('\u{fffd}')
                    })
                    .collect();
                lines.push(line);
                i += 2;
            }
            _ => i += 1,
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Certificate {
        Certificate {
            organizer: "Ban Tổ chức cuộc thi".into(),
            contest: "Tìm hiểu về cải cách hành chính và chuyển đổi số năm 2026 trên địa bàn thị xã Hương Trà".into(),
            full_name: name.into(),
            unit: "Phường Tứ Hạ".into(),
            prize: "Giải Nhất · Tuần 1".into(),
            dated: "Công bố ngày 30/11/2026".into(),
            title: "Giấy chứng nhận".into(),
            signer_title: String::new(),
            signer_name: String::new(),
        }
    }

    #[test]
    fn a_cover_letter_reads_back_and_flows_onto_a_second_page() {
        let l = Letter {
            issuer: "UBND thị xã Đông Hòa".into(),
            dated: "Đông Hòa, ngày 20 tháng 8 năm 2024".into(),
            title: "V/v gửi bài dự thi Cuộc thi tìm kiếm sáng kiến".into(),
            recipient: "Sở Nội vụ tỉnh Phú Yên".into(),
            paragraphs: vec!["UBND thị xã Đông Hòa gửi các bài dự thi sau:".into()],
            list: vec!["Một cửa số – UBND xã Hòa Thành".into()],
            signer: "Nguyễn Lê Vi Phúc".into(),
        };
        let pages = text_of(&letter(&l).unwrap());
        assert_eq!(pages.len(), 1);
        for line in [
            "UBND THỊ XÃ ĐÔNG HÒA",
            "Kính gửi: Sở Nội vụ tỉnh Phú Yên",
            "1. Một cửa số – UBND xã Hòa Thành",
            "Nguyễn Lê Vi Phúc",
        ] {
            assert!(pages[0].contains(line), "{line} in {}", pages[0]);
        }
        let long = Letter {
            list: (1..=80).map(|i| format!("Bài dự thi số {i}")).collect(),
            ..l
        };
        let pages = text_of(&letter(&long).unwrap());
        assert!(pages.len() >= 2, "{}", pages.len());
        assert!(pages.concat().contains("80. Bài dự thi số 80"));
    }

    #[test]
    fn one_page_per_winner_and_the_text_reads_back_with_its_diacritics() {
        let pdf = certificates(
            &[sample("Nguyễn Thị Phương Thảo"), sample("Trần Văn Ổn")],
            "Giấy chứng nhận",
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = text_of(&pdf);
        assert_eq!(pages.len(), 2);
        assert!(pages[0].contains("\nGIẤY CHỨNG NHẬN\n"), "{}", pages[0]);
        assert!(
            pages[0].contains("\nNguyễn Thị Phương Thảo\nPhường Tứ Hạ\nGiải Nhất · Tuần 1\n"),
            "{}",
            pages[0]
        );
        assert!(pages[1].contains("\nTrần Văn Ổn\n"), "{}", pages[1]);
        assert!(pages[0].starts_with("BAN TỔ CHỨC CUỘC THI\n"));
        assert!(
            !pages.iter().any(|p| p.contains('\u{fffd}')),
            "every glyph maps back to its letter"
        );
    }

    #[test]
    fn a_long_contest_name_wraps_within_the_margins() {
        let font = Font::new(BOLD).unwrap();
        let title = sample("A").contest.to_uppercase();
        let lines = wrap(&font, &title, 15.0, WIDTH - 2.0 * MARGIN);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(lines.join(" "), title, "no word is lost or split");
        for line in &lines {
            assert!(font.width(line, 15.0) <= WIDTH - 2.0 * MARGIN, "{line}");
        }
        let text = &text_of(&certificates(&[sample("A")], "t").unwrap())[0];
        assert!(text.contains(&lines.join("\n")), "{text}");
    }

    #[test]
    fn the_fonts_are_cut_down_to_the_glyphs_used() {
        let pdf = certificates(&[sample("Lê Thị Hà")], "t").unwrap();
        // The two full fonts are about 740 KB; the subsets with the page come to a few dozen.
        assert!(pdf.len() < 80_000, "{} bytes", pdf.len());
    }

    #[test]
    fn an_empty_list_still_makes_a_valid_document() {
        let pdf = certificates(&[], "t").unwrap();
        assert_eq!(text_of(&pdf), vec![String::new()]);
    }

    #[test]
    fn a_long_name_shrinks_to_stay_on_one_line() {
        let name = "Công Tôn Nữ Thị Hoàng Phương Thảo Nguyễn Phúc Vĩnh";
        let bold = Font::new(BOLD).unwrap();
        assert!(
            bold.width(name, 30.0) > WIDTH - 2.0 * MARGIN,
            "too short to need shrinking"
        );
        let text = &text_of(&certificates(&[sample(name)], "t").unwrap())[0];
        assert!(text.contains(&format!("\n{name}\n")), "{text}");
    }
}
