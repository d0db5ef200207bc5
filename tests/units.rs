//! Units: the tree with its headcounts and quotas, the all-or-nothing import from CSV or
//! Excel, and the dashboard's list of units below their participation quota.

use cuocthi::server::sheet::{read_table, write_xlsx, Cell, Sheet, XLSX_MIME};
use serde_json::Value;

use crate::helpers::{location, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    units_form_a_tree_with_quotas,
    unit_import_is_all_or_nothing_from_csv_or_excel,
    dashboard_lists_units_below_their_quota,
    the_registration_picker_finds_units_without_diacritics,
    each_unit_has_a_registration_link_and_its_qr_code,
);

pub(crate) fn unit(
    code: &str,
    name: &str,
    kind: &str,
    parent: &str,
    headcount: &str,
    quota: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("input[code]", code.into()),
        ("input[name]", name.into()),
        ("input[kind]", kind.into()),
        ("input[parent_code]", parent.into()),
        ("input[headcount]", headcount.into()),
        ("input[quota_percent]", quota.into()),
    ]
}

async fn units_list(app: &TestApp, token: &str) -> Value {
    let r = app
        .post_form("/api/admin/units/list", &[], Some(token))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn find<'a>(list: &'a Value, code: &str) -> &'a Value {
    list["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .unwrap_or_else(|| panic!("unit {code} listed"))
}

async fn units_form_a_tree_with_quotas(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000001", "admin").await;
    let secretary = app.staff("0914000002", "secretary").await;
    let participant = app.participant("0914000003").await;
    let new_unit = unit("p-moi", "UBND phường  Mới", "Phường", "TX-HN", "40", "30");

    // Who may do what.
    assert_eq!(
        app.post_form("/api/admin/unit/save", &new_unit, None)
            .await
            .status,
        401
    );
    for token in [&participant, &secretary] {
        assert_eq!(
            app.post_form("/api/admin/unit/save", &new_unit, Some(token))
                .await
                .status,
            403
        );
    }
    assert_eq!(
        app.post_form("/api/admin/units/list", &[], Some(&participant))
            .await
            .status,
        403
    );
    assert_eq!(units_list(&app, &secretary).await["can_edit"], false);

    // The seeded tree: the town first, its wards under it, a youth union under its ward.
    let list = units_list(&app, &admin).await;
    assert_eq!(list["can_edit"], true);
    assert_eq!(list["units"][0]["code"], "TX-HN");
    assert_eq!(find(&list, "P-HX")["depth"], 1);
    assert_eq!(find(&list, "DTN-HX")["depth"], 2);
    assert_eq!(find(&list, "DTN-HX")["parent_code"], "P-HX");

    let r = app
        .post_form("/api/admin/unit/save", &new_unit, Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list = units_list(&app, &admin).await;
    let added = find(&list, "P-MOI");
    assert_eq!(
        (
            &added["name"],
            &added["kind"],
            &added["parent_code"],
            &added["depth"],
            &added["headcount"],
            &added["quota_percent"]
        ),
        (
            &Value::from("UBND phường Mới"),
            &Value::from("ward"),
            &Value::from("TX-HN"),
            &Value::from(1),
            &Value::from(40),
            &Value::from(30)
        )
    );

    // Same code: an update, not a second unit.
    let before = app.count("SELECT COUNT(*) FROM units").await;
    let r = app
        .post_form(
            "/api/admin/unit/save",
            &unit("P-MOI", "UBND phường Mới", "ward", "", "44", ""),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM units").await, before);
    let list = units_list(&app, &admin).await;
    assert_eq!(find(&list, "P-MOI")["depth"], 0);
    assert_eq!(find(&list, "P-MOI")["quota_percent"], Value::Null);

    // Bad input: each field named, in Vietnamese, and nothing written.
    let bad = [
        (
            unit("P-X", "X", "ward", "KHONG-CO", "1", ""),
            "parent_code",
            "Không có đơn vị cấp trên",
        ),
        (
            unit(
                "TX-HN",
                "UBND thị xã Hoài Nhơn",
                "district",
                "DTN-HX",
                "60",
                "",
            ),
            "parent_code",
            "vòng lặp",
        ),
        (
            unit("P-Y", "Y", "công ty", "", "1", ""),
            "kind",
            "Loại đơn vị",
        ),
        (
            unit("P-Z", "Z", "ward", "", "", "50"),
            "headcount",
            "biên chế",
        ),
        (
            unit("P-Z", "Z", "ward", "", "10", "120"),
            "quota_percent",
            "từ 1 đến 100",
        ),
    ];
    for (form, field, words) in bad {
        let r = app
            .post_form("/api/admin/unit/save", &form, Some(&admin))
            .await;
        assert_eq!(r.status, 400, "{field}: {}", r.body);
        let detail = &r.json()["detail"][0];
        assert_eq!(detail["field"], field, "{}", r.body);
        assert!(
            detail["message"].as_str().unwrap().contains(words),
            "{}",
            r.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM units").await, before);
    let town_parent: Option<i64> =
        sqlx::query_scalar("SELECT parent_id FROM units WHERE code = 'TX-HN'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(town_parent, None, "the loop was not written");

    // The page lists the tree (server-rendered).
    let page = app.get("/quan-tri/don-vi", Some(&admin)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("UBND phường Mới"));
    assert!(page.body.contains("data-testid=\"unit-form\""));
}

const UNIT_HEADER: &str =
    "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Số người,Tỷ lệ bắt buộc (%)\n";

async fn unit_import_is_all_or_nothing_from_csv_or_excel(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000011", "admin").await;
    let before = app.count("SELECT COUNT(*) FROM units").await;
    // Row 3: an unknown kind; row 4: the code of row 2 again; row 5: a parent nobody has.
    let bad = format!(
        "{UNIT_HEADER}THPT-HN,Trường THPT Hoài Nhơn,Trường học,TX-HN,80,30\n\
         X-A,Xã A,tập đoàn,TX-HN,10,\n\
         THPT-HN,Trùng mã,school,,5,\n\
         X-B,Xã B,xã,X-KHONG,12,50\n"
    );
    let r = app
        .upload_file(
            "/quan-tri/nhap-don-vi",
            bad.into_bytes(),
            "don-vi.csv",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = location(&r);
    assert!(back.starts_with("/quan-tri/don-vi?loi_nhap="), "{back}");
    let page = app.get(&back, Some(&admin)).await;
    assert!(
        page.body.contains("Tệp có lỗi, chưa nhập đơn vị nào."),
        "{}",
        page.body
    );
    for words in ["Loại đơn vị “tập đoàn” không hợp lệ", "trùng với dòng 2"]
    {
        assert!(page.body.contains(words), "{words}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM units").await,
        before,
        "nothing imported"
    );

    // The parent problem shows once the rows themselves are valid.
    let only_parent = format!("{UNIT_HEADER}X-B,Xã B,xã,X-KHONG,12,50\n");
    let r = app
        .upload_file(
            "/quan-tri/nhap-don-vi",
            only_parent.into_bytes(),
            "don-vi.csv",
            Some(&admin),
        )
        .await;
    let page = app.get(&location(&r), Some(&admin)).await;
    assert!(page.body.contains("Không có đơn vị cấp trên mã “X-KHONG”."));

    // The fixed file, as Excel: one new school under the town, a new commune whose parent
    // comes later in the same file, and an update of a seeded ward's headcount and quota.
    let rows: Vec<Vec<Cell>> = vec![
        vec![
            "THPT-HN".into(),
            "Trường THPT Hoài Nhơn".into(),
            "Trường học".into(),
            "TX-HN".into(),
            80.into(),
            30.into(),
        ],
        vec![
            "X-A".into(),
            "Xã A".into(),
            "Xã".into(),
            "C-MOI".into(),
            10.into(),
            "".into(),
        ],
        vec![
            "C-MOI".into(),
            "Cụm xã mới".into(),
            "Khác".into(),
            "TX-HN".into(),
            0.into(),
            "".into(),
        ],
        vec![
            "P-HX".into(),
            "UBND phường Hoài Xuân".into(),
            "Phường".into(),
            "TX-HN".into(),
            50.into(),
            60.into(),
        ],
    ];
    let header = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Loại",
        "Mã đơn vị cấp trên",
        "Số người",
        "Tỷ lệ bắt buộc (%)",
    ];
    let xlsx = write_xlsx(Sheet {
        name: "Đơn vị",
        header: &header,
        widths: &[],
        rows,
    })
    .unwrap();
    let r = app
        .upload_file("/quan-tri/nhap-don-vi", xlsx, "don-vi.xlsx", Some(&admin))
        .await;
    assert_eq!(location(&r), "/quan-tri/don-vi?nhap=4");
    assert_eq!(app.count("SELECT COUNT(*) FROM units").await, before + 3);
    let list = units_list(&app, &admin).await;
    assert_eq!(find(&list, "X-A")["parent_code"], "C-MOI");
    assert_eq!(find(&list, "X-A")["depth"], 2);
    assert_eq!(
        (
            &find(&list, "P-HX")["headcount"],
            &find(&list, "P-HX")["quota_percent"]
        ),
        (&Value::from(50), &Value::from(60))
    );

    // Export, then read it back: the same rows in the import layout.
    let (status, kind, bytes) = app
        .download("/quan-tri/xuat/don-vi.xlsx", Some(&admin))
        .await;
    assert_eq!((status, kind.as_str()), (200, XLSX_MIME));
    let table = read_table(&bytes).unwrap();
    assert_eq!(table[0].1, header.map(String::from).to_vec());
    let school = table
        .iter()
        .find(|(_, r)| r[0] == "THPT-HN")
        .expect("exported");
    assert_eq!(
        school.1[1..].to_vec(),
        ["Trường THPT Hoài Nhơn", "Trường học", "TX-HN", "80", "30"]
    );
    // The export imports back unchanged (every row an update).
    let r = app
        .upload_file("/quan-tri/nhap-don-vi", bytes, "don-vi.xlsx", Some(&admin))
        .await;
    assert!(location(&r).contains("nhap="), "{}", location(&r));
    assert_eq!(app.count("SELECT COUNT(*) FROM units").await, before + 3);

    // Only administrators import; strangers are sent to log in.
    let secretary = app.staff("0914000012", "secretary").await;
    let r = app
        .upload_file(
            "/quan-tri/nhap-don-vi",
            format!("{UNIT_HEADER}Q,Q,xã,,1,\n").into_bytes(),
            "u.csv",
            Some(&secretary),
        )
        .await;
    assert!(location(&r).contains("loi_nhap="));
    let r = app
        .upload_file("/quan-tri/nhap-don-vi", b"x".to_vec(), "u.csv", None)
        .await;
    assert_eq!(location(&r), "/dang-nhap");
    assert_eq!(app.count("SELECT COUNT(*) FROM units").await, before + 3);
    let (status, _, _) = app.download("/quan-tri/mau-nhap-don-vi.xlsx", None).await;
    assert_eq!(status, 200, "the template is public");
}

async fn dashboard(app: &TestApp, token: &str) -> Value {
    let r = app
        .post_form("/api/admin/dashboard", &[], Some(token))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The unit registrations use (the first of the list): its name and code.
pub(crate) async fn first_unit(app: &TestApp) -> (String, String) {
    let units = app.post_form("/api/units", &[], None).await.json();
    let name = units[0]["name"].as_str().unwrap().to_string();
    let code: String = sqlx::query_scalar("SELECT code FROM units WHERE name = $1")
        .bind(&name)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    (name, code)
}

async fn dashboard_lists_units_below_their_quota(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000081", "admin").await;
    // Everyone registers in the first unit of the list; give it 3 people and a 50% quota.
    let (first, code) = first_unit(&app).await;
    let r = app
        .post_form(
            "/api/admin/unit/save",
            &unit(&code, &first, "agency", "", "3", "50"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let row = |d: &Value| {
        d["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_name"] == first.as_str())
            .unwrap()
            .clone()
    };

    let d = dashboard(&app, &admin).await;
    assert_eq!(row(&d)["required"], 2, "50% of 3, rounded up");
    assert_eq!(row(&d)["quota"], serde_json::json!({ "Short": 2 }));
    let below = d["below_quota"].as_u64().unwrap();
    assert!(below >= 1);

    let one = app.participant("0914000082").await;
    app.start(&one).await;
    assert_eq!(
        row(&dashboard(&app, &admin).await)["quota"],
        serde_json::json!({ "Short": 1 })
    );
    let two = app.participant("0914000083").await;
    app.start(&two).await;
    let d = dashboard(&app, &admin).await;
    assert_eq!(row(&d)["quota"], "Met");
    assert_eq!(d["below_quota"].as_u64().unwrap(), below - 1);
    let page = app.get("/quan-tri/theo-doi", Some(&admin)).await;
    assert!(page
        .body
        .contains("Đơn vị chưa đạt tỷ lệ tham gia bắt buộc"));
}

/// A province's hundreds of units: the registration page's search (a plain GET, no script)
/// finds "Phường 1" from "phuong 1", lists the matches under their parent, and picks the
/// only match by itself.
async fn the_registration_picker_finds_units_without_diacritics(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0917300001", "admin").await;
    let tree = [
        ("TX-QT", "Thị xã Quảng Trị", "district", ""),
        ("QT-P1", "Phường 1", "ward", "TX-QT"),
        ("QT-P2", "Phường 2", "ward", "TX-QT"),
        ("TP-DH", "Thành phố Đông Hà", "district", ""),
        ("DH-P1", "Phường 1", "ward", "TP-DH"),
        ("QT-HL", "Xã Hải Lệ", "commune", "TX-QT"),
    ];
    for (code, name, kind, parent) in tree {
        let form = unit(code, name, kind, parent, "10", "");
        let r = app
            .post_form("/api/admin/unit/save", &form, Some(&admin))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let page = app.get("/dang-ky?tim-don-vi=phuong%201", None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Tìm thấy 2 đơn vị."), "{}", page.body);
    // The unit picker (the optional workplace picker below it lists every unit).
    let body = unit_picker(&page.body);
    assert!(
        body.contains(r#"<optgroup label="Thành phố Đông Hà">"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<optgroup label="Thị xã Quảng Trị">"#),
        "{body}"
    );
    assert!(!body.contains("Phường 2"), "{body}");
    assert!(!body.contains("Xã Hải Lệ"), "{body}");
    // One match is chosen already.
    let page = app.get("/dang-ky?tim-don-vi=HAI%20LE", None).await;
    assert!(page.body.contains("Tìm thấy 1 đơn vị."), "{}", page.body);
    let selected = unit_picker(&page.body)
        .split("<option")
        .find(|o| o.contains("Xã Hải Lệ"))
        .unwrap();
    assert!(selected.contains("selected"), "{selected}");
    // A workplace beside the unit: stored when it exists, refused by its field when not.
    let unit = app.first_unit_id().await;
    let workplace: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = 'TP-DH'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let mut form = crate::helpers::registration("Hồ Thị Làm", "0917300021", unit);
    form.push(("input[workplace_id]", "999999".into()));
    let refused = app.post_form("/api/auth/register", &form, None).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("Nơi công tác đã chọn không tồn tại."),
        "{}",
        refused.body
    );
    form.last_mut().unwrap().1 = workplace.to_string();
    let r = app.post_form("/api/auth/register", &form, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT workplace_unit_id FROM users WHERE phone = '0917300021'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, Some(workplace));
    let page = app.get("/dang-ky?tim-don-vi=phuong%209", None).await;
    assert!(
        page.body.contains("Không tìm thấy đơn vị nào"),
        "{}",
        page.body
    );
}

/// The registration form's unit picker, as the page writes it.
fn unit_picker(page: &str) -> &str {
    let start = page
        .find(r#"<select name="input[unit_id]""#)
        .expect("a unit picker");
    let len = page[start..].find("</select>").expect("its end");
    &page[start..start + len]
}

/// A poster in a ward office: the unit's own registration link (its unit chosen already) and
/// that link as a QR code, listed on the units page.
async fn each_unit_has_a_registration_link_and_its_qr_code(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0917300011", "admin").await;
    let unit = app.first_unit_id().await;
    let page = app.get("/quan-tri/don-vi", Some(&admin)).await;
    assert!(
        page.body
            .contains(&format!("href=\"/dang-ky/ma-qr/{unit}\""))
            && page
                .body
                .contains(&format!("href=\"/dang-ky?don_vi={unit}\"")),
        "{}",
        page.body
    );
    let form = app.get(&format!("/dang-ky?don_vi={unit}"), None).await;
    assert!(
        form.body
            .contains(&format!("<option value=\"{unit}\" selected")),
        "the unit is chosen already: {}",
        form.body
    );
    let qr = app.get(&format!("/dang-ky/ma-qr/{unit}"), None).await;
    assert_eq!(qr.status, 200);
    assert_eq!(qr.header("content-type").as_deref(), Some("image/svg+xml"));
    // The code says the address the browser reached the site by, with the unit.
    let link = format!("http://{}/dang-ky?don_vi={unit}", app.addr);
    let want = qrcode::QrCode::new(link.as_bytes())
        .unwrap()
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build();
    assert_eq!(qr.body, want);
    assert_eq!(app.get("/dang-ky/ma-qr/999999", None).await.status, 404);
}
