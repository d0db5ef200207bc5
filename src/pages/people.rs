//! Who must take part (`/quan-tri/doi-tuong`): the contest's categories and positions, the
//! participation rules written with them, the units' rosters with the accounts they match,
//! and each unit's compliance, rolled up the tree. Plain forms; no WASM needed.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::people::{get_people_admin, AddRosterEntry, DeleteRosterEntry, SavePeopleGroups};
use crate::error::AppError;
use crate::model::{PeopleAdmin, RosterLine, UnitCompliance};
use crate::pages::{
    contest_param, flash_error, query_value, AdminNav, ContestField, ErrorBox, ImportOutcome,
    UploadForm,
};

fn messages(error: &Option<AppError>, field: &str) -> Vec<String> {
    match error {
        Some(AppError::Invalid(fields)) => fields
            .iter()
            .filter(|f| f.field == field)
            .map(|f| f.message.clone())
            .collect(),
        _ => Vec::new(),
    }
}

fn hints(error: &Option<AppError>, field: &str) -> impl IntoView {
    messages(error, field)
        .into_iter()
        .map(
            |m| view! { <span class="field-error" data-testid=format!("error-{field}")>{m}</span> },
        )
        .collect_view()
}

#[component]
pub fn PeopleAdminPage() -> impl IntoView {
    let data = Resource::new_blocking(contest_param, get_people_admin);
    let error = flash_error();
    let saved = !query_value("luu").is_empty() || !query_value("them").is_empty();
    view! {
        <h1>"Đối tượng, chức vụ và chỉ tiêu tham gia"</h1>
        <AdminNav/>
        <ImportOutcome noun="người"/>
        {error.clone().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| view! { <ErrorBox error=e/> })}
        {error.clone().filter(|e| matches!(e, AppError::Invalid(_))).map(|_| view! {
            <p class="error" role="alert" data-testid="error">"Chưa lưu: vui lòng sửa các dòng được chỉ ra bên dưới."</p>
        })}
        {saved.then(|| view! { <p class="notice" data-testid="saved">"Đã lưu."</p> })}
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || { let error = error.clone(); Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <People d=d error=error/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

#[component]
fn People(d: PeopleAdmin, error: Option<AppError>) -> impl IntoView {
    let missing =
        crate::domain::contests::with_contest("/quan-tri/xuat/chua-du-thi.xlsx", &contest_param());
    let rules = d
        .rule_labels
        .iter()
        .map(|r| view! { <li>{r.clone()}</li> })
        .collect_view();
    let retired = (!d.retired.is_empty()).then(|| {
        format!(
            "Đã ngừng dùng (vẫn giữ trong kết quả): {}.",
            d.retired.join("; ")
        )
    });
    view! {
        <h2>"Tình hình thực hiện chỉ tiêu"</h2>
        <Compliance list=d.compliance/>
        <form class="card form" method="post" action=SavePeopleGroups::url() data-testid="groups-form">
            <ContestField/>
            <label>"Đối tượng dự thi (mỗi dòng một đối tượng: tên | bắt buộc hoặc khuyến khích | tuổi tối thiểu nếu khác thể lệ chung)"
                <textarea name="categories" rows="4" placeholder="Cán bộ, công chức, viên chức | bắt buộc\nNgười dân | khuyến khích | 18" data-testid="categories">{d.categories}</textarea>
                {hints(&error, "categories")}
            </label>
            <label>"Chức vụ (mỗi dòng một chức vụ)"
                <textarea name="positions" rows="5" placeholder="Lãnh đạo đơn vị\nLãnh đạo phòng\nCông chức\nMột cửa" data-testid="positions">{d.positions}</textarea>
                {hints(&error, "positions")}
            </label>
            <label>"Chỉ tiêu tham gia (mỗi dòng: loại đơn vị áp dụng: chức vụ >= số người hoặc tỷ lệ %; nhiều chỉ tiêu cách nhau bởi dấu ;)"
                <textarea name="quota_rules" rows="5" placeholder="Sở, huyện: lãnh đạo đơn vị >= 1; lãnh đạo phòng >= 50%\nXã, phường: công chức + một cửa >= 30%\nmột cửa = 100%" data-testid="quota-rules">{d.quota_rules}</textarea>
                {hints(&error, "quota_rules")}
            </label>
            <label>"Thông tin thêm hỏi người dự thi (mỗi dòng: câu hỏi | bắt buộc hoặc không bắt buộc | chữ, số, hoặc các lựa chọn cách nhau bởi dấu ;)"
                <textarea name="extra_fields" rows="3" placeholder="Giới tính | bắt buộc | Nam; Nữ\nSố năm công tác | không bắt buộc | số" data-testid="extra-fields">{d.extra_fields}</textarea>
                {hints(&error, "extra_fields")}
            </label>
            <p class="muted small">
                "Người dự thi chọn đối tượng và chức vụ khi bắt đầu lượt thi đầu tiên của cuộc thi này. \
                 Bỏ một dòng đã có người chọn thì dòng đó ngừng dùng, không bị xoá."
            </p>
            {retired.map(|r| view! { <p class="muted small">{r}</p> })}
            <button type="submit" class="button primary" data-testid="save-groups">"Lưu"</button>
        </form>
        {(!d.rule_labels.is_empty()).then(|| view! { <h3>"Chỉ tiêu đang áp dụng"</h3><ul class="small">{rules}</ul> })}
        <h2>"Danh sách người phải tham gia"</h2>
        <p>
            <a href=missing download data-testid="export-missing">"Tải danh sách người chưa dự thi (.xlsx)"</a>
        </p>
        <Roster list=d.roster/>
        <details class="card">
            <summary data-testid="roster-import-open">"Nhập danh sách từ tệp"</summary>
            <p class="muted small">
                "Tệp Excel (.xlsx) hoặc CSV theo "
                <a href="/quan-tri/mau-nhap-danh-sach.xlsx" download>"tệp mẫu"</a>
                ": mã đơn vị, họ và tên, chức vụ, ngày sinh, số điện thoại hoặc số căn cước. Mỗi đơn vị có \
                 trong tệp được thay bằng đúng những người trong tệp. Nếu có dòng lỗi, không ai được nhập."
            </p>
            <UploadForm action="/quan-tri/nhap-danh-sach" accept=".xlsx,.csv,text/csv" label="Tải lên và nhập"/>
        </details>
        <details class="card">
            <summary>"Thêm một người"</summary>
            <form class="form" method="post" action=AddRosterEntry::url() data-testid="roster-add">
                <ContestField/>
                <label>"Mã đơn vị" <input name="input[unit_code]" required/>{hints(&error, "unit_code")}</label>
                <label>"Họ và tên" <input name="input[full_name]" required/>{hints(&error, "full_name")}</label>
                <label>"Chức vụ" <input name="input[position]"/>{hints(&error, "position")}</label>
                <label>"Ngày sinh" <input name="input[birth_date]" type="date"/>{hints(&error, "birth_date")}</label>
                <label>"Số điện thoại" <input name="input[phone]" type="tel" inputmode="tel"/>{hints(&error, "phone")}</label>
                <label>"Số căn cước" <input name="input[citizen_id]" inputmode="numeric"/>{hints(&error, "citizen_id")}</label>
                <button type="submit" class="button">"Thêm"</button>
            </form>
        </details>
    }
}

#[component]
fn Compliance(list: Vec<UnitCompliance>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"Chưa có chỉ tiêu tham gia theo chức vụ hoặc đối tượng."</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|u| {
            let status = if u.short == 0 {
                "Đạt".to_string()
            } else {
                format!("Chưa đạt {} chỉ tiêu", u.short)
            };
            let lines = u
                .lines
                .into_iter()
                .map(|l| {
                    let mark = if l.met { "✓" } else { "✗" };
                    view! {
                        <li class:short=!l.met data-testid="compliance-line">
                            {format!("{mark} {}", l.rule)}
                            {l.own.map(|t| view! { <span>{format!(": {t}")}</span> })}
                            {l.rolled.map(|t| view! { <div class="muted">{t}</div> })}
                        </li>
                    }
                })
                .collect_view();
            let short = u.short > 0;
            view! {
                <tr data-testid="compliance" class:short=short>
                    <td><div class="name">{u.unit_name}</div><div class="small">{status}</div></td>
                    <td><ul class="small plain">{lines}</ul></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="muted small">"Đơn vị chưa đạt được xếp trước. Số liệu “cả cấp dưới” cộng đơn vị với các đơn vị trực thuộc."</p>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)">
            <table class="board"><thead><tr><th>"Đơn vị"</th><th>"Chỉ tiêu: đã dự thi / cần (trong danh sách)"</th></tr></thead>
            <tbody>{rows}</tbody></table>
        </div>
    }
    .into_any()
}

#[component]
fn Roster(list: Vec<RosterLine>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"Chưa có danh sách."</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|r| {
            let contact = [r.phone.clone(), r.citizen_id.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            let status = if r.to_confirm {
                format!("{} (khớp theo họ tên và ngày sinh: cần xác nhận)", r.status)
            } else {
                r.status.clone()
            };
            view! {
                <tr data-testid="roster-entry" data-status=r.status.clone() class:short=!r.took_part>
                    <td><div class="name">{r.full_name}</div><div class="muted small">{r.unit_name}</div></td>
                    <td>
                        {r.position}
                        {r.declared_position.map(|d| {
                            let d = if d.is_empty() { "không khai".to_string() } else { d };
                            view! {
                                <div class="muted small" data-testid="declared-position">
                                    {format!("Tự khai: {d} (tính theo danh sách)")}
                                </div>
                            }
                        })}
                    </td>
                    <td class="small">{contact}</td>
                    <td class="small" data-testid="roster-status">{status}</td>
                    <td>
                        <form method="post" action=DeleteRosterEntry::url() class="inline">
                            <ContestField/>
                            <input type="hidden" name="id" value=r.id.to_string()/>
                            <button type="submit" class="link">"Xoá"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)">
            <table class="board" data-testid="roster">
                <thead><tr><th>"Họ tên · Đơn vị"</th><th>"Chức vụ"</th><th>"Liên hệ"</th><th>"Tình trạng"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
