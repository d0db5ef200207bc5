//! Units: the tree with headcounts and mandatory-participation quotas, edited one by one or
//! imported from a spreadsheet (server-rendered forms; no WASM needed).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::units::{get_units_admin, SaveUnit};
use crate::model::{UnitAdminRow, UnitsAdmin};
use crate::pages::{flash_error, query_value, AdminNav, ErrorBox, ImportOutcome, UploadForm};

#[component]
pub fn UnitsAdminPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_units_admin());
    let saved = !query_value("luu").is_empty();
    view! {
        <h1>"Đơn vị dự thi"</h1>
        <AdminNav/>
        <ImportOutcome noun="đơn vị"/>
        {saved.then(|| view! { <p class="notice" data-testid="saved">"Đã lưu."</p> })}
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Units d=d/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Units(d: UnitsAdmin) -> impl IntoView {
    let (kinds, all) = (d.kinds.clone(), d.units.clone());
    let rows = d
        .units
        .into_iter()
        .map(|u| view! { <UnitRow u=u can_edit=d.can_edit/> })
        .collect_view();
    view! {
        <p class="muted small">
            "Tỷ lệ bắt buộc: phần trăm số người (biên chế) của đơn vị phải tham gia; \
             trang Theo dõi cho biết đơn vị nào chưa đạt."
        </p>
        <p class="muted small">
            "Mỗi đơn vị có liên kết đăng ký riêng (đơn vị được chọn sẵn, ví dụ /dang-ky?don_vi=12) \
             và mã QR của liên kết đó để in, dán tại trụ sở: mở “Mã QR” ở dòng của đơn vị."
        </p>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)">
            <table class="board" data-testid="units">
                <thead><tr>
                    <th class="wide-only">"Mã"</th><th>"Đơn vị"</th><th class="wide-only">"Loại"</th><th class="num">"Số người"</th>
                    <th class="num">"Bắt buộc"</th><th class="num">"Đã đăng ký"</th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p><a href="/quan-tri/xuat/don-vi.xlsx" download data-testid="export-units">"Xuất danh sách đơn vị ra Excel (.xlsx)"</a></p>
        {d.can_edit.then(|| view! {
            <UnitForm kinds=kinds units=all/>
            <details class="card">
                <summary data-testid="import-open">"Nhập đơn vị từ tệp"</summary>
                <p class="muted small">
                    "Tệp Excel (.xlsx) hoặc CSV theo "
                    <a href="/quan-tri/mau-nhap-don-vi.xlsx" download>"tệp mẫu"</a>
                    ". Mã đã có thì cập nhật, mã mới thì thêm; cột “Mã đơn vị cấp trên” tạo cây đơn vị. \
                     Nếu có dòng lỗi, không đơn vị nào được nhập."
                </p>
                <UploadForm action="/quan-tri/nhap-don-vi" accept=".xlsx,.csv,text/csv" label="Tải lên và nhập"/>
            </details>
        })}
    }
}

#[component]
fn UnitRow(u: UnitAdminRow, can_edit: bool) -> impl IntoView {
    let indent = format!("padding-left:{}rem", 0.25 + 1.25 * u.depth as f32);
    let quota = u
        .quota_percent
        .map(|q| format!("{q}%"))
        .unwrap_or_else(|| "—".into());
    let code = u.code.clone();
    view! {
        <tr data-testid="unit" data-code=u.code.clone() data-depth=u.depth.to_string()>
            <td class="wide-only">{u.code.clone()}</td>
            <td style=indent>
                {if can_edit {
                    view! { <a href=format!("?ma={code}#sua")>{u.name.clone()}</a> }.into_any()
                } else {
                    view! { <span>{u.name.clone()}</span> }.into_any()
                }}
                {(!u.retired).then(|| view! {
                    <div class="small links">
                        <a href=format!("/dang-ky?don_vi={}", u.id) data-testid="unit-register-link">"Liên kết đăng ký"</a>
                        " · "
                        <a href=format!("/dang-ky/ma-qr/{}", u.id) data-testid="unit-qr" target="_blank">"Mã QR"</a>
                    </div>
                })}
            </td>
            <td class="wide-only">{u.kind_label}</td>
            <td class="num">{u.headcount}</td>
            <td class="num">{quota}</td>
            <td class="num">{u.members}</td>
            <td>
                {can_edit.then(|| {
                    let (action, label) = match (u.retired, u.members) {
                        (true, _) => ("restore", "Hoạt động lại"),
                        (false, 0) => ("delete", "Xóa"),
                        (false, _) => ("retire", "Ngừng"),
                    };
                    view! {
                        <form method="post" action=crate::api::contests::RemoveUnit::url() class="inline">
                            <input type="hidden" name="unit_id" value=u.id.to_string()/>
                            <input type="hidden" name="action" value=action/>
                            <button type="submit" class="link" data-testid=format!("unit-{action}")>{label}</button>
                        </form>
                    }
                })}
                {u.retired.then_some(" (đã ngừng)")}
            </td>
        </tr>
    }
}

/// Adds a unit; `?ma=CODE` fills the form with that unit so it can be changed.
#[component]
fn UnitForm(kinds: Vec<(String, String)>, units: Vec<UnitAdminRow>) -> impl IntoView {
    let error = flash_error();
    let hint = move |field: &str| {
        error
            .as_ref()
            .and_then(|e| e.field_message(field))
            .map(|m| view! { <span class="field-error">{m}</span> })
    };
    let editing = query_value("ma");
    let current = units
        .into_iter()
        .find(|u| !editing.is_empty() && u.code == editing);
    let title = match &current {
        Some(u) => format!("Sửa đơn vị {}", u.code),
        None => "Thêm đơn vị".to_string(),
    };
    let value = |f: fn(&UnitAdminRow) -> String| current.as_ref().map(f).unwrap_or_default();
    let kind = value(|u| u.kind.clone());
    let options = kinds
        .into_iter()
        .map(|(k, l)| {
            let selected = k == kind;
            view! { <option value=k selected=selected>{l}</option> }
        })
        .collect_view();
    view! {
        <form class="card form" id="sua" method="post" action=SaveUnit::url() data-testid="unit-form">
            <h2>{title}</h2>
            <label>"Mã đơn vị" <input name="input[code]" value=value(|u| u.code.clone()) required maxlength="30"
                data-testid="unit-code"/>{hint("code")}</label>
            <label>"Tên đơn vị" <input name="input[name]" value=value(|u| u.name.clone()) required maxlength="200"
                data-testid="unit-name"/>{hint("name")}</label>
            <label>"Loại" <select name="input[kind]" data-testid="unit-kind">{options}</select>{hint("kind")}</label>
            <label>"Mã đơn vị cấp trên (để trống nếu là cấp cao nhất)"
                <input name="input[parent_code]" value=value(|u| u.parent_code.clone()) data-testid="unit-parent"/>
                {hint("parent_code")}</label>
            <label>"Số người (biên chế)" <input name="input[headcount]" inputmode="numeric"
                value=value(|u| u.headcount.to_string()) data-testid="unit-headcount"/>{hint("headcount")}</label>
            <label>"Tỷ lệ tham gia bắt buộc (%)" <input name="input[quota_percent]" inputmode="numeric"
                value=value(|u| u.quota_percent.map(|q| q.to_string()).unwrap_or_default())
                data-testid="unit-quota"/>{hint("quota_percent")}</label>
            <button type="submit" class="button primary" data-testid="unit-save">"Lưu đơn vị"</button>
        </form>
    }
}
