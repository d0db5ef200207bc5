//! The audit log page: who logged in, what organizers changed, what was refused.

use leptos::prelude::*;

use crate::api::audit::{audit_log, AUDIT_PATH};
use crate::pages::{query_value, AdminNav, ErrorBox};

const KINDS: [(&str, &str); 6] = [
    ("", "Tất cả"),
    ("login", "Đăng nhập"),
    ("login_failed", "Đăng nhập sai"),
    ("register", "Đăng ký"),
    ("admin", "Thay đổi quản trị"),
    ("refused", "Bị từ chối"),
];

fn label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Khác", |(_, l)| *l)
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let kind = query_value("loai");
    let data = Resource::new_blocking(move || kind.clone(), audit_log);
    let chosen = query_value("loai");
    let options = KINDS
        .iter()
        .map(|(k, l)| {
            let selected = *k == chosen;
            view! { <option value=*k selected=selected>{*l}</option> }
        })
        .collect_view();
    view! {
        <h1>"Nhật ký hệ thống"</h1>
        <AdminNav/>
        <form method="get" action=AUDIT_PATH class="card form inline">
            <label>"Loại" <select name="loai">{options}</select></label>
            <button type="submit" class="button">"Lọc"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) if rows.is_empty() => view! { <p class="muted">"Chưa có mục nào."</p> }.into_any(),
                    Ok(rows) => {
                        let rows = rows
                            .into_iter()
                            .map(|e| view! {
                                <tr data-testid="audit-entry">
                                    <td class="small">{e.at}</td>
                                    <td>{label(&e.kind)}</td>
                                    <td>{e.who}<div class="muted small">{e.detail}</div></td>
                                    <td class="small">{e.action}</td>
                                    <td class="num">{e.status}</td>
                                    <td class="small wide-only">{e.ip}</td>
                                </tr>
                            })
                            .collect_view();
                        view! {
                            <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
                                <thead><tr>
                                    <th>"Thời điểm"</th><th>"Loại"</th><th>"Tài khoản"</th>
                                    <th>"Thao tác"</th><th>"Mã"</th><th class="wide-only">"Địa chỉ IP"</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table></div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
