//! Plan 004 (Đông Hòa, 2024) end to end, from an empty installation through the organizer's
//! endpoints: the town's units and the plan's requirements (every agency, ward and commune
//! under the town at least one entry; Hòa Thành and Hòa Tân Đông a video each; the education
//! office at least two entries selected from its schools'), entries by the deadline of
//! 15/8/2024 (a video-only one, an edit, a withdrawal, a refused late one), the education
//! office's pre-selection, the jury with one juror late, the selection forwarded to the
//! provincial Department of Home Affairs (the package unzipped and read), the province's
//! prizes recorded and the town's commendation list ("Third prize or better", one author per
//! group). Long because it is one scenario, step by step as the plan runs it.

use std::io::Read;

use serde_json::Value;

use crate::helpers::{registration, spawn_empty_app, Backend, Reply, TestApp};
use crate::initiative::{mp4, outcome, upload, PDF};
use crate::on_both_backends;
use crate::plans::{first_admin, login, ok, set_clock, ADMIN_PHONE};

on_both_backends!(dong_hoa_2024);

const ADMIN: &str = "/api/admin/initiatives";

/// A unit's member, registered from the registration form; their session.
async fn member(app: &TestApp, code: &str, name: &str, phone: &str) -> String {
    let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
        .bind(code)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let mut form = registration(name, phone, unit);
    form[1].1 = "1985-03-12".into();
    let r = app.post_form("/api/auth/register", &form, None).await;
    assert_eq!(r.status, 200, "{name}: {}", r.body);
    r.session().unwrap()
}

/// An entry as the form sends it: text, then files (field, bytes, name).
async fn entry(
    app: &TestApp,
    who: &str,
    contest: i64,
    text: [&str; 4],
    files: Vec<(&'static str, Vec<u8>, String)>,
) -> Reply {
    let fields = [
        ("title", text[0]),
        ("topic", text[1]),
        ("lead_author", text[2]),
        ("co_authors", text[3]),
    ];
    upload(
        app,
        who,
        &format!("/sang-kien/{contest}/nop"),
        &fields,
        files,
    )
    .await
}

fn pdf(name: &str) -> Vec<(&'static str, Vec<u8>, String)> {
    vec![("writeup", PDF.to_vec(), name.to_string())]
}

fn video(name: &str) -> Vec<(&'static str, Vec<u8>, String)> {
    vec![("video", mp4(), name.to_string())]
}

async fn admin_view(app: &TestApp, admin: &str, id: i64) -> Value {
    ok(
        app,
        &format!("{ADMIN}/get"),
        &[("id", id.to_string())],
        admin,
    )
    .await["current"]
        .clone()
}

/// The units short of a requirement: "code: wanted (submitted)".
fn shortfalls(v: &Value) -> Vec<String> {
    v["shortfalls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}: {} ({})",
                s["unit_code"].as_str().unwrap(),
                s["wanted"].as_str().unwrap(),
                s["submitted"]
            )
        })
        .collect()
}

async fn score(app: &TestApp, juror: &str, entry: i64, points: [&str; 3], comment: &str) -> Reply {
    let mut form = vec![("input[entry_id]".to_string(), entry.to_string())];
    for (i, p) in points.iter().enumerate() {
        form.push((format!("input[points][{i}]"), p.to_string()));
        form.push((
            format!("input[comments][{i}]"),
            if i == 0 {
                comment.into()
            } else {
                String::new()
            },
        ));
    }
    let form: Vec<(&str, String)> = form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    app.post_form("/api/jury/initiatives/score", &form, Some(juror))
        .await
}

fn entry_ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry"]["id"].as_i64().unwrap())
        .collect()
}

async fn dong_hoa_2024(backend: Backend) {
    let app = spawn_empty_app(backend).await;
    // The plan is dated June 2024; the home-affairs office runs the contest.
    set_clock(&app, "2024-06-20T08:00");
    let admin = first_admin(&app, "Trần Văn Nội", "Phòng Nội vụ thị xã Đông Hòa").await;

    // II.1 a: mandatory are the agencies under the town's People's Committee, the wards and
    // communes, and the schools; b: the Party's and the Front's bodies are encouraged.
    let units = [
        ("DH", "UBND thị xã Đông Hòa", "district", ""),
        ("PNV", "Phòng Nội vụ", "agency", "DH"),
        ("PGD", "Phòng Giáo dục và Đào tạo", "agency", "DH"),
        ("PVH", "Phòng Văn hóa và Thông tin", "agency", "DH"),
        ("HTH", "UBND xã Hòa Thành", "commune", "DH"),
        ("HTD", "UBND xã Hòa Tân Đông", "commune", "DH"),
        ("HVI", "UBND phường Hòa Vinh", "ward", "DH"),
        ("TH-HT", "Trường Tiểu học Hòa Thành", "school", "PGD"),
        ("THCS-HV", "Trường THCS Hòa Vinh", "school", "PGD"),
        ("MTTQ", "Ủy ban MTTQ Việt Nam thị xã", "union", ""),
    ];
    for (code, name, kind, parent) in units {
        let form = crate::units::unit(code, name, kind, parent, "20", "");
        ok(&app, "/api/admin/unit/save", &form, &admin).await;
    }

    // III.2: each mandatory body at least one entry; III.3: Hòa Thành and Hòa Tân Đông a video
    // each; III.4: the education office gathers the schools' entries and selects at least two.
    // II.4: "chậm nhất ngày 15/8/2024". The plan names no town prizes and no rubric (the
    // province's rules do); the app needs both, so the committee's own are used.
    let requirements =
        "thuộc DH: 1\nUBND xã Hòa Thành: 1 video\nUBND xã Hòa Tân Đông: 1 video\nPGD: 2 xét chọn";
    let contest = [
        ("input[name]", "Cuộc thi tìm kiếm sáng kiến, giải pháp cải cách hành chính tỉnh Phú Yên năm 2024"),
        ("input[topics]", "Cải thiện môi trường đầu tư, kinh doanh\nCải cách thủ tục hành chính, Bộ phận Một cửa\nỨng dụng công nghệ thông tin, dịch vụ công trực tuyến"),
        ("input[rubric]", "Tính mới, sáng tạo: 30\nTính khả thi, khả năng nhân rộng: 40\nHiệu quả: 30"),
        ("input[prizes]", "Nhất:1, Nhì:1, Ba:1"),
        ("input[requirements]", requirements),
        ("input[deadline]", "2024-08-15T23:59"),
        ("input[results_at]", "2024-09-30T08:00"),
        ("input[rules_text]", "Bài dự thi bằng hình thức bài viết hoặc video.\nGửi về UBND thị xã (qua Phòng Nội vụ) chậm nhất ngày 15/8/2024."),
        ("input[issuer]", "UBND thị xã Đông Hòa"),
        ("input[recipient]", "Sở Nội vụ tỉnh Phú Yên"),
        ("input[letter]", ""),
    ];
    let contest: Vec<(&str, String)> = contest.iter().map(|(k, v)| (*k, v.to_string())).collect();
    let id = ok(&app, &format!("{ADMIN}/save"), &contest, &admin)
        .await
        .as_i64()
        .unwrap();
    let v = admin_view(&app, &admin, id).await;
    // The six units under the town are mandatory, and the two schools through the education
    // office; the Front is encouraged.
    assert_eq!(v["mandatory_units"], 8);
    assert!(shortfalls(&v).contains(&"HTH: 1 video (0)".to_string()));
    assert!(shortfalls(&v).contains(&"PGD: 2 bài xét chọn từ đơn vị trực thuộc (0)".to_string()));
    assert!(
        !shortfalls(&v).iter().any(|s| s.starts_with("MTTQ")),
        "encouraged"
    );
    // "Ban Tổ chức Cuộc thi sẽ ban hành Thể lệ": the rules document is attached (a PDF; a
    // picture named .pdf is refused with its name), and anyone downloads it.
    let attach = format!("/quan-tri/sang-kien/{id}/the-le");
    let png = b"\x89PNG\r\n\x1a\n....".to_vec();
    let r = app
        .upload_file(&attach, png, "the-le.pdf", Some(&admin))
        .await;
    assert_eq!(r.status, 303);
    let refusal = r.flash_error(&app).expect("refused").to_string();
    assert!(
        refusal.contains("“the-le.pdf”") && refusal.contains("PNG"),
        "{refusal}"
    );
    let r = app
        .upload_file(&attach, PDF.to_vec(), "the-le-2024.pdf", Some(&admin))
        .await;
    assert_eq!((r.status, r.flash_error(&app)), (303, None));
    let (status, kind, body) = app.download(&format!("/sang-kien/{id}/the-le"), None).await;
    assert_eq!(
        (status, kind.as_str(), body.as_slice()),
        (200, "application/pdf", PDF)
    );
    let page = app.get(&format!("/sang-kien/{id}"), None).await;
    assert!(
        page.body.contains("chậm nhất ngày 15/8/2024"),
        "the rules are public"
    );
    assert!(page.body.contains("Tải văn bản thể lệ (the-le-2024.pdf)"));

    // Entries in July and August.
    set_clock(&app, "2024-07-15T09:00");
    let topic = "Cải cách thủ tục hành chính, Bộ phận Một cửa";
    let pnv = member(&app, "PNV", "Lê Thị Nội Vụ", "0915000001").await;
    let pnv_entry = outcome(
        &app,
        &entry(
            &app,
            &pnv,
            id,
            ["Số hóa hồ sơ công chức", topic, "Lê Thị Nội Vụ", ""],
            pdf("so-hoa.pdf"),
        )
        .await,
    )
    .unwrap();
    // Hòa Thành: a video only, as III.3 asks.
    let hth = member(&app, "HTH", "Võ Văn Thành", "0915000002").await;
    let hth_entry = outcome(
        &app,
        &entry(
            &app,
            &hth,
            id,
            ["Phóng sự một cửa liên thông", topic, "Võ Văn Thành", ""],
            video("phong-su.mp4"),
        )
        .await,
    )
    .unwrap();
    // Hòa Tân Đông sends a write-up first, then adds its video before the deadline.
    let htd = member(&app, "HTD", "Nguyễn Thị Tân", "0915000003").await;
    let htd_entry = outcome(
        &app,
        &entry(
            &app,
            &htd,
            id,
            ["Zalo phục vụ người dân", topic, "Nguyễn Thị Tân", ""],
            pdf("zalo.pdf"),
        )
        .await,
    )
    .unwrap();
    assert!(
        shortfalls(&admin_view(&app, &admin, id).await).contains(&"HTD: 1 video (0)".to_string())
    );
    let text = [
        ("title", "Zalo phục vụ người dân"),
        ("topic", topic),
        ("lead_author", "Nguyễn Thị Tân"),
        ("co_authors", ""),
    ];
    let edited = upload(
        &app,
        &htd,
        &format!("/sang-kien/bai/{htd_entry}/sua"),
        &text,
        video("zalo.mp4"),
    )
    .await;
    assert_eq!(edited.status, 303);
    assert!(edited.flash_error(&app).is_none());
    // Hòa Vinh withdraws its first entry and sends another.
    let hvi = member(&app, "HVI", "Phạm Văn Vinh", "0915000004").await;
    let first = outcome(
        &app,
        &entry(
            &app,
            &hvi,
            id,
            ["Bản nháp", topic, "Phạm Văn Vinh", ""],
            pdf("nhap.pdf"),
        )
        .await,
    )
    .unwrap();
    let r = app
        .post_html_form(&format!("/sang-kien/bai/{first}/rut"), &[], Some(&hvi))
        .await;
    assert_eq!(r.status, 303);
    assert!(shortfalls(&admin_view(&app, &admin, id).await).contains(&"HVI: 1 bài (0)".to_string()));
    let hvi_entry = outcome(
        &app,
        &entry(
            &app,
            &hvi,
            id,
            [
                "Khảo sát mức độ hài lòng bằng mã QR",
                topic,
                "Phạm Văn Vinh",
                "",
            ],
            pdf("qr.pdf"),
        )
        .await,
    )
    .unwrap();
    // The schools send theirs to the education office: a group of three authors among them.
    let school = member(&app, "TH-HT", "Đỗ Thị Giáo", "0915000005").await;
    let school_a = outcome(
        &app,
        &entry(
            &app,
            &school,
            id,
            ["Sổ liên lạc điện tử", topic, "Đỗ Thị Giáo", ""],
            pdf("so-lien-lac.pdf"),
        )
        .await,
    )
    .unwrap();
    let school_b = outcome(
        &app,
        &entry(
            &app,
            &school,
            id,
            ["Thời khóa biểu trực tuyến", topic, "Đỗ Thị Giáo", ""],
            pdf("tkb.pdf"),
        )
        .await,
    )
    .unwrap();
    let school2 = member(&app, "THCS-HV", "Huỳnh Văn Học", "0915000006").await;
    let group = outcome(
        &app,
        &entry(
            &app,
            &school2,
            id,
            [
                "Tuyển sinh đầu cấp trực tuyến",
                topic,
                "Huỳnh Văn Học",
                "Lý Thị Minh, Trần Quốc Bảo",
            ],
            pdf("tuyen-sinh.pdf"),
        )
        .await,
    )
    .unwrap();
    // The Front (encouraged) takes part.
    let front = member(&app, "MTTQ", "Mai Văn Mặt", "0915000007").await;
    let front_entry = outcome(
        &app,
        &entry(
            &app,
            &front,
            id,
            ["Camera an ninh khu dân cư", topic, "Mai Văn Mặt", ""],
            pdf("camera.pdf"),
        )
        .await,
    )
    .unwrap();
    assert_eq!(admin_view(&app, &admin, id).await["encouraged_units"], 1);

    // III.4: the education office sees its schools' entries and selects two; a school cannot.
    let pgd = member(&app, "PGD", "Trương Thị Phòng", "0915000008").await;
    let page = ok(
        &app,
        "/api/initiatives/get",
        &[("id", id.to_string())],
        &pgd,
    )
    .await;
    let listed: Vec<i64> = page["selection"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [school_a, school_b, group]);
    assert_eq!(page["selection"]["required"], 2);
    let select = |who: String, entry: i64| {
        let app = &app;
        async move {
            let form = [
                ("id", id.to_string()),
                ("entry_id", entry.to_string()),
                ("selected", "true".to_string()),
            ];
            app.post_form("/api/initiatives/preselect", &form, Some(&who))
                .await
        }
    };
    assert_eq!(select(school.clone(), school_a).await.status, 403);
    assert_eq!(select(pgd.clone(), school_a).await.status, 200);
    assert_eq!(select(pgd.clone(), group).await.status, 200);
    let v = admin_view(&app, &admin, id).await;
    // Every requirement met but the agencies that sent nothing of their own.
    assert_eq!(shortfalls(&v), ["PGD: 1 bài (0)", "PVH: 1 bài (0)"]);
    let unselected = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"]["id"] == school_b)
        .unwrap()
        .clone();
    assert_eq!(unselected["entry"]["awaiting_preselection"], true);

    // A late entry is refused (15/8 23:59 is the last minute).
    set_clock(&app, "2024-08-16T00:00");
    // Sessions last 30 days: the committee signs in again.
    let admin = login(&app, ADMIN_PHONE).await;
    let late = entry(
        &app,
        &pvh_member(&app).await,
        id,
        ["Muộn", topic, "Bùi Văn Muộn", ""],
        pdf("muon.pdf"),
    )
    .await;
    assert!(outcome(&app, &late).unwrap_err().contains("hết hạn"));

    // The jury: three jurors, two per entry; the unselected school entry is not theirs.
    let jurors: Vec<String> = three_jurors(&app).await;
    let r = ok(
        &app,
        &format!("{ADMIN}/assign"),
        &[("id", id.to_string()), ("per_entry", "2".into())],
        &admin,
    )
    .await;
    let scoring = [
        pnv_entry,
        hth_entry,
        htd_entry,
        hvi_entry,
        school_a,
        group,
        front_entry,
    ];
    assert_eq!(r, scoring.len() * 2);
    let mut assigned: Vec<Vec<i64>> = Vec::new();
    for j in &jurors {
        let view = ok(
            &app,
            "/api/jury/initiatives/get",
            &[("id", id.to_string())],
            j,
        )
        .await;
        let mine = entry_ids(&view["entries"]);
        assert!(!mine.contains(&school_b));
        assigned.push(mine);
    }
    assert_eq!(
        assigned.iter().map(Vec::len).sum::<usize>(),
        scoring.len() * 2
    );
    assert_eq!(
        score(&app, &jurors[0], school_b, ["1", "1", "1"], "")
            .await
            .status,
        409
    );
    // Jurors 1 and 2 score everything assigned to them, juror 1 with a comment on the first
    // criterion; juror 3 does not.
    // Every juror gives an entry the same points, different for each entry, so the town's
    // own ranking has no ties: the group's entry is best.
    let points = |e: &i64| -> [String; 3] {
        if *e == group {
            return ["28".into(), "38".into(), "27".into()];
        }
        let k = scoring.iter().position(|x| x == e).unwrap();
        [10 + k, 20 + k, 10 + k].map(|p| p.to_string())
    };
    for (j, mine) in jurors.iter().zip(&assigned).take(2) {
        for e in mine {
            let p = points(e);
            let p = [p[0].as_str(), p[1].as_str(), p[2].as_str()];
            assert_eq!(
                score(&app, j, *e, p, "Cách làm mới, dễ nhân rộng")
                    .await
                    .status,
                200
            );
        }
    }
    let v = admin_view(&app, &admin, id).await;
    let progress: Vec<(String, u64, u64)> = v["jurors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            (
                j["name"].as_str().unwrap().to_string(),
                j["scored"].as_u64().unwrap(),
                j["assigned"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(progress[2].1, 0, "{progress:?}");
    assert!(progress[2].2 > 0 && progress[0].1 == progress[0].2);

    // The town selects what it forwards: an entry juror 3 has not scored is refused, naming
    // them; once scored, it goes.
    let waiting = *assigned[2].iter().find(|e| scoring.contains(e)).unwrap();
    let forward = |entry: i64| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let form = [
                ("id", id.to_string()),
                ("entry_id", entry.to_string()),
                ("selected", "true".to_string()),
            ];
            app.post_form(&format!("{ADMIN}/forward"), &form, Some(&admin))
                .await
        }
    };
    let r = forward(waiting).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("còn thiếu điểm của: Giám khảo Ba"),
        "{}",
        r.body
    );
    for e in &assigned[2] {
        let p = points(e);
        let p = [p[0].as_str(), p[1].as_str(), p[2].as_str()];
        assert_eq!(score(&app, &jurors[2], *e, p, "").await.status, 200);
    }
    for e in [hth_entry, group, pnv_entry] {
        assert_eq!(forward(e).await.status, 200, "{e}");
    }
    assert_eq!(forward(school_b).await.status, 409, "never pre-selected");

    // The package: the sheet, the cover letter and each entry's files.
    let (status, _, zip) = app
        .download(
            &format!("/quan-tri/xuat/sang-kien/{id}/ho-so-gui.zip"),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("a readable name").into_owned())
        .collect();
    let mut read = |name: &str| {
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        bytes
    };
    let sheet = cuocthi::server::sheet::read_table(&read("danh-sach-bai-du-thi.xlsx")).unwrap();
    assert_eq!(
        sheet[0].1,
        [
            "STT",
            "Tên sáng kiến",
            "Đơn vị",
            "Tác giả",
            "Tác giả chính",
            "Chủ đề",
            "Điểm tổng hợp",
            "Nhận xét của giám khảo"
        ]
    );
    let rows: Vec<(String, String, String)> = sheet[1..]
        .iter()
        .map(|(_, r)| (r[1].clone(), r[2].clone(), r[3].clone()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "Số hóa hồ sơ công chức".into(),
                "Phòng Nội vụ".into(),
                "Lê Thị Nội Vụ".into()
            ),
            (
                "Phóng sự một cửa liên thông".into(),
                "UBND xã Hòa Thành".into(),
                "Võ Văn Thành".into()
            ),
            (
                "Tuyển sinh đầu cấp trực tuyến".into(),
                "Trường THCS Hòa Vinh".into(),
                "Huỳnh Văn Học, Lý Thị Minh, Trần Quốc Bảo".into()
            ),
        ]
    );
    let group_row = &sheet[3].1;
    assert_eq!(group_row[4], "Huỳnh Văn Học");
    assert!(
        group_row[7].contains("Cách làm mới, dễ nhân rộng"),
        "{group_row:?}"
    );
    let letter = cuocthi::server::pdf::text_of(&read("cong-van.pdf")).concat();
    for line in [
        "UBND THỊ XÃ ĐÔNG HÒA",
        "Kính gửi: Sở Nội vụ tỉnh Phú Yên",
        "2. Phóng sự một cửa liên thông – UBND xã Hòa Thành",
    ] {
        assert!(letter.contains(line), "{line} in {letter}");
    }
    let videos: Vec<&String> = names.iter().filter(|n| n.ends_with(".mp4")).collect();
    assert_eq!(videos.len(), 1, "{names:?}");
    assert!(
        videos[0].starts_with("02-phong-su-mot-cua-lien-thong/"),
        "{names:?}"
    );
    assert_eq!(read(&videos[0].clone()), mp4());
    assert_eq!(
        names
            .iter()
            .filter(|n| n.ends_with(".pdf") && n.contains('/'))
            .count(),
        2
    );

    // September: the province's results. A group proposes one of its authors; someone else
    // is refused.
    set_clock(&app, "2024-09-20T08:00");
    let admin = login(&app, ADMIN_PHONE).await;
    let result = |entry: i64, prize: &str, honoree: &str| {
        let app = &app;
        let admin = admin.clone();
        let (prize, honoree) = (prize.to_string(), honoree.to_string());
        async move {
            let form = [
                ("id", id.to_string()),
                ("input[entry_id]", entry.to_string()),
                ("input[prize]", prize),
                ("input[honoree]", honoree),
            ];
            app.post_form(&format!("{ADMIN}/higher-result"), &form, Some(&admin))
                .await
        }
    };
    let r = result(group, "Nhì", "Nguyễn Văn Ngoài").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("không phải tác giả"));
    assert_eq!(result(group, "Giải Nhì", "Lý Thị Minh").await.status, 200);
    assert_eq!(result(hth_entry, "Ba", "").await.status, 200);
    assert_eq!(result(pnv_entry, "Khuyến khích", "").await.status, 200);
    assert_eq!(
        result(front_entry, "Ba", "").await.status,
        404,
        "not forwarded"
    );
    let v = admin_view(&app, &admin, id).await;
    let commended: Vec<String> = v["commendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} | {} | {}",
                c["honoree"].as_str().unwrap(),
                c["unit_name"].as_str().unwrap(),
                c["prize"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        commended,
        [
            "Lý Thị Minh | Trường THCS Hòa Vinh | Nhì",
            "Võ Văn Thành | UBND xã Hòa Thành | Ba"
        ]
    );
    let (status, _, xlsx) = app
        .download(
            &format!("/quan-tri/xuat/sang-kien/{id}/de-nghi-khen-thuong.xlsx"),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200);
    let rows = cuocthi::server::sheet::read_table(&xlsx).unwrap();
    assert_eq!(
        rows[1].1,
        [
            "1",
            "Lý Thị Minh",
            "Trường THCS Hòa Vinh",
            "Tuyển sinh đầu cấp trực tuyến",
            "Giải Nhì"
        ]
    );
    assert_eq!(rows.len(), 3);

    // The town's own results and the forwarded entries, public from 30/9.
    assert_eq!(
        ok(
            &app,
            &format!("{ADMIN}/compute"),
            &[("id", id.to_string())],
            &admin
        )
        .await,
        3
    );
    let results_sheet = format!("/sang-kien/{id}/ket-qua.xlsx");
    assert_eq!(
        app.download(&results_sheet, None).await.0,
        404,
        "not public yet"
    );
    assert_eq!(app.download(&results_sheet, Some(&admin)).await.0, 200);
    ok(
        &app,
        &format!("{ADMIN}/publish"),
        &[("id", id.to_string())],
        &admin,
    )
    .await;
    set_clock(&app, "2024-09-30T08:00");
    let (status, _, sheet) = app.download(&results_sheet, None).await;
    assert_eq!(status, 200);
    let rows = cuocthi::server::sheet::read_table(&sheet).unwrap();
    assert_eq!(
        rows[1].1[..5],
        [
            "1",
            "Nhất",
            "Tuyển sinh đầu cấp trực tuyến",
            "Trường THCS Hòa Vinh",
            "Huỳnh Văn Học"
        ]
    );
    assert_eq!(rows.len(), 4);
    let (status, _, pdf) = app
        .download(&format!("/sang-kien/{id}/giay-chung-nhan.pdf"), None)
        .await;
    assert_eq!(status, 200);
    let pages = cuocthi::server::pdf::text_of(&pdf);
    assert_eq!(pages.len(), 3);
    assert!(
        pages[0].contains("Huỳnh Văn Học") && pages[0].contains("Giải Nhất"),
        "{}",
        pages[0]
    );
    assert!(pages[0].contains("UBND THỊ XÃ ĐÔNG HÒA"), "{}", pages[0]);
    let public = app
        .post_form("/api/initiatives/get", &[("id", id.to_string())], None)
        .await
        .json();
    let forwarded: Vec<(String, String)> = public["forwarded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["title"].as_str().unwrap().to_string(),
                e["higher_prize"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        forwarded,
        [
            ("Số hóa hồ sơ công chức".into(), "Khuyến khích".into()),
            ("Phóng sự một cửa liên thông".into(), "Ba".into()),
            ("Tuyển sinh đầu cấp trực tuyến".into(), "Nhì".into()),
        ]
    );
    assert_eq!(
        public["results"][0]["entry"]["title"],
        "Tuyển sinh đầu cấp trực tuyến"
    );
}

/// Someone of the culture office, for the late entry.
async fn pvh_member(app: &TestApp) -> String {
    member(app, "PVH", "Bùi Văn Muộn", "0915000009").await
}

/// Three jurors, named Giám khảo Một, Hai, Ba (in that order of ids).
async fn three_jurors(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for (i, name) in ["Giám khảo Một", "Giám khảo Hai", "Giám khảo Ba"]
        .iter()
        .enumerate()
    {
        let phone = format!("091500010{i}");
        let session = member(app, "PNV", name, &phone).await;
        let mut conn = app.state.db.pool.acquire().await.unwrap();
        assert!(
            cuocthi::server::repo::users::set_role_by_phone(&mut conn, &phone, "juror")
                .await
                .unwrap()
        );
        out.push(session);
    }
    out
}
