//! Initiative entries as plan 004 allows them: a write-up or a video or both, with images;
//! edited or withdrawn by the submitter until the deadline, every version kept and audited;
//! requirements that name units and formats, mandatory units told from encouraged ones, and
//! the list of units short of their requirements exported.

use chrono::Duration;
use serde_json::Value;

use crate::helpers::{location, registration, Backend, Reply, TestApp};
use crate::initiative::{
    admin_view, contest, docx, entry_of, mp4, outcome, sha256_hex, temp_files, upload,
    upload_files, PDF,
};
use crate::on_both_backends;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00";

fn mov() -> Vec<u8> {
    [
        b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00".as_slice(),
        &[0u8; 32],
    ]
    .concat()
}

fn webm() -> Vec<u8> {
    [
        [0x1A, 0x45, 0xDF, 0xA3].as_slice(),
        b"\x9f\x42\x86\x81\x01\x42\x82\x84webm",
        &[0u8; 32],
    ]
    .concat()
}

/// A Word 97 document: an OLE2 compound file with a `WordDocument` stream.
fn doc() -> Vec<u8> {
    let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    b.extend_from_slice(&[0u8; 504]);
    b.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    b
}

const TEXT: [(&str, &str); 4] = [
    ("title", "Một cửa số"),
    ("topic", "Chuyển đổi số"),
    ("lead_author", "Trần Thị Hoà"),
    ("co_authors", ""),
];

type Files = Vec<(&'static str, Vec<u8>, String)>;

fn file(field: &'static str, bytes: &[u8], name: &str) -> (&'static str, Vec<u8>, String) {
    (field, bytes.to_vec(), name.to_string())
}

async fn send(app: &TestApp, session: &str, contest: i64, files: Files) -> Reply {
    upload(
        app,
        session,
        &format!("/sang-kien/{contest}/nop"),
        &TEXT,
        files,
    )
    .await
}

async fn edit(
    app: &TestApp,
    session: &str,
    entry: i64,
    text: &[(&str, &str)],
    files: Files,
) -> Reply {
    upload(
        app,
        session,
        &format!("/sang-kien/bai/{entry}/sua"),
        text,
        files,
    )
    .await
}

async fn withdraw(app: &TestApp, session: &str, entry: i64) -> Reply {
    app.post_html_form(&format!("/sang-kien/bai/{entry}/rut"), &[], Some(session))
        .await
}

/// The refusal an edit or a withdrawal came back with (a 303 to the entry, with a flash).
fn refusal(app: &TestApp, r: &Reply) -> String {
    assert_eq!(r.status, 303, "{}", r.body);
    r.flash_error(app)
        .map(|e| e.to_string())
        .unwrap_or_else(|| panic!("no refusal: {:?}", r.headers))
}

fn accepted(app: &TestApp, r: &Reply) {
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.flash_error(app).is_none(), "{:?}", r.flash_error(app));
}

/// (slot, type, current) of an entry's files, in the order stored.
async fn files_of(app: &TestApp, entry: i64) -> Vec<(String, String, bool)> {
    sqlx::query_as::<_, (String, String, Option<i64>)>(
        "SELECT slot, detected_type, replaced_in FROM initiative_files WHERE entry_id = $1 ORDER BY id",
    )
    .bind(entry)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(slot, kind, replaced)| (slot, kind, replaced.is_none()))
    .collect()
}

/// Registers someone in the unit with `code` and returns their session.
async fn member_of(app: &TestApp, code: &str, phone: &str) -> String {
    let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
        .bind(code)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let r = app
        .post_form(
            "/api/auth/register",
            &registration("Lê Thị Đơn Vị", phone, unit),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.session().unwrap()
}

async fn entries_as_plans_allow_them(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (_, id) = contest(&app, "Chất lượng: 100", "Nhất:1", "").await;
    let unit = app.participant("0916100001").await;

    // A video alone is an entry; so are a Word 97 write-up, a MOV and a WebM, with images.
    let video_only = send(&app, &unit, id, vec![file("video", &mp4(), "clip.mp4")]).await;
    let video_only = outcome(&app, &video_only).unwrap();
    assert_eq!(
        files_of(&app, video_only).await,
        [("video".into(), "mp4".into(), true)]
    );
    let all = send(
        &app,
        &unit,
        id,
        vec![
            file("writeup", &doc(), "thuyet-minh.doc"),
            file("video", &mov(), "phong-su.mov"),
            file("images", PNG, "anh-1.png"),
            file("images", JPEG, "anh-2.jpg"),
        ],
    )
    .await;
    let all = outcome(&app, &all).unwrap();
    assert_eq!(
        files_of(&app, all).await,
        [
            ("writeup".into(), "doc".into(), true),
            ("video".into(), "mov".into(), true),
            ("image".into(), "png".into(), true),
            ("image".into(), "jpeg".into(), true),
        ]
    );
    let webm_entry = send(&app, &unit, id, vec![file("video", &webm(), "v.webm")]).await;
    assert!(outcome(&app, &webm_entry).is_ok());

    // Refused, each with the file's name and the reason, and nothing stored.
    let before = (
        app.count("SELECT COUNT(*) FROM initiative_entries").await,
        upload_files(&app),
    );
    let table: Vec<(Files, &str)> = vec![
        // Images alone are not an entry.
        (vec![file("images", PNG, "anh.png")], "hoặc video"),
        // A PDF where the video goes.
        (
            vec![file("video", PDF, "clip.mp4")],
            "Tệp “clip.mp4”: Video phải là video MP4, MOV hoặc WebM; đây là tệp PDF.",
        ),
        // A video where an image goes.
        (
            vec![
                file("writeup", PDF, "a.pdf"),
                file("images", &mp4(), "anh.jpg"),
            ],
            "Tệp “anh.jpg”: Hình ảnh phải là ảnh JPEG hoặc PNG; đây là tệp MP4.",
        ),
        // An Excel 97 workbook named .doc.
        (
            vec![file(
                "writeup",
                &doc()
                    .iter()
                    .map(|b| if *b == b'W' { b'X' } else { *b })
                    .collect::<Vec<_>>(),
                "bang.doc",
            )],
            "nội dung tệp không thuộc định dạng nào được nhận",
        ),
        // Two videos.
        (
            vec![
                file("video", &mp4(), "a.mp4"),
                file("video", &mp4(), "b.mp4"),
            ],
            "Chỉ gửi một tệp video.",
        ),
        // Eleven images.
        (
            std::iter::once(file("writeup", PDF, "a.pdf"))
                .chain((0..11).map(|i| file("images", PNG, &format!("anh-{i}.png"))))
                .collect(),
            "tối đa 10 hình ảnh",
        ),
    ];
    for (files, want) in table {
        let r = send(&app, &unit, id, files).await;
        let got = outcome(&app, &r).unwrap_err();
        assert!(got.contains(want), "{got} (wanted {want})");
    }
    // An image over its own limit is refused while it streams in.
    let mut big = PNG.to_vec();
    big.resize(10 * 1024 * 1024 + 1, 0);
    let r = send(
        &app,
        &unit,
        id,
        vec![
            file("writeup", PDF, "a.pdf"),
            file("images", &big, "to.png"),
        ],
    )
    .await;
    let got = outcome(&app, &r).unwrap_err();
    assert!(got.contains("“to.png”") && got.contains("10 MB"), "{got}");
    assert_eq!(
        (
            app.count("SELECT COUNT(*) FROM initiative_entries").await,
            upload_files(&app)
        ),
        before
    );
    assert_eq!(temp_files(&app), 0);
}

async fn the_submitter_edits_or_withdraws_until_the_deadline(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (admin, id) = contest(&app, "Chất lượng: 100", "Nhất:1", "").await;
    let unit = app.participant("0916100101").await;
    let other = app.participant("0916100102").await;
    let entry = entry_of(&app, &unit, id, "Bản đầu").await;

    // A new title, the write-up replaced by a Word file and a video added.
    let text = [
        ("title", "Bản sửa"),
        ("topic", "Cải cách thủ tục hành chính"),
        ("lead_author", "Trần Thị Hoà"),
        ("co_authors", "Lê Văn An"),
    ];
    let r = edit(
        &app,
        &unit,
        entry,
        &text,
        vec![
            file("writeup", &docx(), "moi.docx"),
            file("video", &mp4(), "clip.mp4"),
        ],
    )
    .await;
    accepted(&app, &r);
    assert_eq!(
        files_of(&app, entry).await,
        [
            ("writeup".into(), "pdf".into(), false),
            ("writeup".into(), "docx".into(), true),
            ("video".into(), "mp4".into(), true),
        ]
    );
    // The first version's text is kept; the entry is at version 2.
    let kept: (String, String, i64) = sqlx::query_as(
        "SELECT v.title, v.topic, e.version FROM initiative_entry_versions v \
         JOIN initiative_entries e ON e.id = v.entry_id WHERE v.entry_id = $1 AND v.version = 1",
    )
    .bind(entry)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(kept, ("Bản đầu".into(), "Chuyển đổi số".into(), 2));
    // The old write-up stays stored (the committee may read an earlier version).
    assert!(upload_files(&app).contains(&sha256_hex(PDF)));

    // Removing the write-up leaves a video-only entry; removing the video too is refused and
    // changes nothing.
    let ids: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, slot FROM initiative_files WHERE entry_id = $1 AND replaced_in IS NULL ORDER BY id",
    )
    .bind(entry)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let id_of = |slot: &str| ids.iter().find(|(_, s)| s == slot).unwrap().0.to_string();
    let (writeup_id, video_id) = (id_of("writeup"), id_of("video"));
    let mut both = text.to_vec();
    both.push(("remove", &writeup_id));
    both.push(("remove", &video_id));
    let r = edit(&app, &unit, entry, &both, vec![]).await;
    assert!(refusal(&app, &r).contains("hoặc video"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM initiative_entry_versions")
            .await,
        1
    );
    let mut one = text.to_vec();
    one.push(("remove", &writeup_id));
    accepted(&app, &edit(&app, &unit, entry, &one, vec![]).await);
    assert_eq!(
        files_of(&app, entry)
            .await
            .into_iter()
            .filter(|f| f.2)
            .collect::<Vec<_>>(),
        [("video".into(), "mp4".into(), true)]
    );

    // Someone else's entry is not theirs to edit or withdraw; a file id from another entry
    // cannot be removed.
    let r = edit(&app, &other, entry, &text, vec![]).await;
    assert!(refusal(&app, &r).contains("Không tìm thấy bài dự thi của bạn"));
    assert!(refusal(&app, &withdraw(&app, &other, entry).await)
        .contains("Không tìm thấy bài dự thi của bạn"));
    let foreign = entry_of(&app, &other, id, "Của người khác").await;
    let foreign_file: i64 =
        sqlx::query_scalar("SELECT id FROM initiative_files WHERE entry_id = $1")
            .bind(foreign)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let foreign_file = foreign_file.to_string();
    let mut steal = text.to_vec();
    steal.push(("remove", &foreign_file));
    assert!(
        refusal(&app, &edit(&app, &unit, entry, &steal, vec![]).await)
            .contains("không thuộc bài dự thi này")
    );

    // The edit page is the submitter's alone; the submission page asks to sign in first.
    let own = app
        .get(&format!("/sang-kien/bai/{entry}"), Some(&unit))
        .await;
    assert_eq!(own.status, 200);
    assert!(own.body.contains("entry-edit-form") && own.body.contains("<leptos-island"));
    let theirs = app
        .navigate(&format!("/sang-kien/bai/{entry}"), Some(&other))
        .await;
    assert_eq!(
        (theirs.status, location(&theirs)),
        (302, format!("/sang-kien/{id}#bai-{entry}"))
    );
    let anonymous = app
        .navigate(&format!("/sang-kien/{id}/nop-bai"), None)
        .await;
    assert_eq!(
        (anonymous.status, location(&anonymous)),
        (302, "/dang-nhap".into())
    );
    assert_eq!(
        app.get(&format!("/sang-kien/{id}/nop-bai"), Some(&unit))
            .await
            .status,
        200
    );

    // The page shows the edited entry with its version.
    let page = app.get(&format!("/sang-kien/{id}"), Some(&unit)).await;
    assert!(page.body.contains("Bản sửa") && page.body.contains("phiên bản 3"));

    // Withdrawn: kept, but the committee and the jury no longer see it.
    accepted(&app, &withdraw(&app, &unit, entry).await);
    let v = admin_view(&app, &admin, id).await;
    let listed: Vec<i64> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [foreign]);
    let juror = app.staff("0916100103", "juror").await;
    let jury = app
        .post_form(
            "/api/jury/initiatives/get",
            &[("id", id.to_string())],
            Some(&juror),
        )
        .await;
    assert!(!jury.body.contains("Bản sửa"), "{}", jury.body);
    let page = app.get(&format!("/sang-kien/{id}"), Some(&unit)).await;
    assert!(page.body.contains("Đã rút lúc"));
    assert!(refusal(&app, &withdraw(&app, &unit, entry).await).contains("đã được rút"));
    assert!(refusal(&app, &edit(&app, &unit, entry, &text, vec![]).await).contains("đã được rút"));

    // Each edit and the withdrawal is in the audit log, for the submitter.
    let logged: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE kind = 'entry' ORDER BY id")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(
        logged,
        [
            format!("sửa bài dự thi {entry}, phiên bản 2"),
            format!("sửa bài dự thi {entry}, phiên bản 3"),
            format!("rút bài dự thi {entry}"),
        ]
    );

    // After the deadline: no edit, no withdrawal.
    app.state
        .clock
        .advance(Duration::days(1) + Duration::minutes(1));
    let late_edit = edit(&app, &other, foreign, &text, vec![]).await;
    assert!(refusal(&app, &late_edit).contains("Đã hết hạn nộp bài"));
    assert!(refusal(&app, &withdraw(&app, &other, foreign).await).contains("Đã hết hạn nộp bài"));
    // Neither form page opens after the deadline: back to the contest.
    let late = app
        .navigate(&format!("/sang-kien/{id}/nop-bai"), Some(&other))
        .await;
    assert_eq!(
        (late.status, location(&late)),
        (302, format!("/sang-kien/{id}"))
    );
    let late = app
        .navigate(&format!("/sang-kien/bai/{foreign}"), Some(&other))
        .await;
    assert_eq!(late.status, 302);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM initiative_entries WHERE withdrawn_at IS NULL")
            .await,
        1
    );
}

/// The plan's requirements: every unit under the town at least one entry, two named communes
/// a video each; unions (not named) are encouraged.
async fn requirements_name_units_and_formats(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let requirements = "thuộc TX-HN: 1\nUBND xã Hoài Mỹ: 1 video\nX-HS: 1 video";
    let (admin, id) = contest(&app, "Chất lượng: 100", "Nhất:1", requirements).await;
    let short = |v: &Value| -> Vec<(String, String, u64)> {
        v["shortfalls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["unit_code"].as_str().unwrap().to_string(),
                    s["wanted"].as_str().unwrap().to_string(),
                    s["submitted"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let v = admin_view(&app, &admin, id).await;
    assert_eq!(v["form"]["requirements"], requirements);
    let under_town: i64 = app
        .count("SELECT COUNT(*) FROM units WHERE parent_id = (SELECT id FROM units WHERE code = 'TX-HN')")
        .await;
    assert_eq!(v["mandatory_units"], under_town);
    assert_eq!(short(&v).len() as i64, under_town + 2);
    assert!(short(&v).contains(&("X-HM".into(), "1 video".into(), 0)));

    // Hoài Mỹ sends a write-up: it has its entry, but still owes a video.
    let hoai_my = member_of(&app, "X-HM", "0916100201").await;
    entry_of(&app, &hoai_my, id, "Bài viết").await;
    let v = admin_view(&app, &admin, id).await;
    let of_hoai_my: Vec<_> = short(&v).into_iter().filter(|s| s.0 == "X-HM").collect();
    assert_eq!(of_hoai_my, [("X-HM".into(), "1 video".into(), 0)]);
    // A video-only entry settles it.
    let r = send(&app, &hoai_my, id, vec![file("video", &mp4(), "clip.mp4")]).await;
    outcome(&app, &r).unwrap();
    let v = admin_view(&app, &admin, id).await;
    assert!(!short(&v).iter().any(|s| s.0 == "X-HM"), "{:?}", short(&v));
    // A union (encouraged) takes part: counted as encouraged, never listed as short.
    assert_eq!(v["encouraged_units"], 0);
    let union = member_of(&app, "DTN-HX", "0916100202").await;
    entry_of(&app, &union, id, "Thanh niên với cải cách").await;
    let v = admin_view(&app, &admin, id).await;
    assert_eq!(v["encouraged_units"], 1);
    assert!(!short(&v).iter().any(|s| s.0.starts_with("DTN")));

    // The list is exported as the page shows it.
    let (status, _, bytes) = app
        .download(
            &format!("/quan-tri/xuat/sang-kien/{id}/chua-nop-du.xlsx"),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200);
    let rows = cuocthi::server::sheet::read_table(&bytes).unwrap();
    assert_eq!(
        rows[0].1,
        [
            "Mã đơn vị",
            "Đơn vị",
            "Loại",
            "Yêu cầu",
            "Số bài cần",
            "Đã nộp"
        ]
    );
    let exported: Vec<String> = rows[1..].iter().map(|(_, r)| r[0].clone()).collect();
    let shown: Vec<String> = short(&v).into_iter().map(|s| s.0).collect();
    assert_eq!(exported, shown);
    assert!(rows[1..]
        .iter()
        .any(|(_, r)| r[0] == "X-HS" && r[3] == "X-HS: 1 video" && r[5] == "0"));
    // Only the committee attaches the rules document.
    let r = app
        .upload_file(
            &format!("/quan-tri/sang-kien/{id}/the-le"),
            PDF.to_vec(),
            "the-le.pdf",
            Some(&union),
        )
        .await;
    assert!(
        refusal(&app, &r).contains("\"forbidden\""),
        "{:?}",
        r.flash_error(&app)
    );
    assert_eq!(
        app.download(&format!("/sang-kien/{id}/the-le"), None)
            .await
            .0,
        404
    );
    // Only the committee downloads it.
    let (status, _, _) = app
        .download(
            &format!("/quan-tri/xuat/sang-kien/{id}/chua-nop-du.xlsx"),
            Some(&union),
        )
        .await;
    assert_eq!(status, 403);

    // A requirement naming no unit is refused with the line and the reason.
    let r = app
        .post_form(
            "/api/admin/initiatives/save",
            &[
                ("input[id]", id.to_string()),
                ("input[name]", "Sáng kiến 2024".into()),
                ("input[topics]", "Chuyển đổi số".into()),
                ("input[rubric]", "Chất lượng: 100".into()),
                ("input[prizes]", "Nhất:1".into()),
                ("input[requirements]", "UBND xã Hòa Bình: 1 video".into()),
                (
                    "input[deadline]",
                    v["form"]["deadline"].as_str().unwrap().into(),
                ),
                (
                    "input[results_at]",
                    v["form"]["results_at"].as_str().unwrap().into(),
                ),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("UBND xã Hòa Bình: 1 video") && r.body.contains("không có loại đơn vị")
    );
    assert_eq!(
        admin_view(&app, &admin, id).await["form"]["requirements"],
        requirements
    );
}

on_both_backends!(
    entries_as_plans_allow_them,
    the_submitter_edits_or_withdraws_until_the_deadline,
    requirements_name_units_and_formats,
);
