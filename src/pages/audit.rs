//! The audit log page: who logged in, what organizers changed, what was refused.

use leptos::prelude::*;

use crate::api::audit::{audit_log, AUDIT_PATH};
use crate::pages::{query_value, AdminNav, ErrorBox};

const KINDS: [(&str, &str); 7] = [
    ("", "Tất cả"),
    ("login", "Đăng nhập"),
    ("login_failed", "Đăng nhập sai"),
    ("register", "Đăng ký"),
    ("admin", "Thay đổi quản trị"),
    ("refused", "Bị từ chối"),
    ("entry", "Sửa, rút bài sáng kiến"),
];

fn label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Khác", |(_, l)| *l)
}

/// A query value, percent-encoded (this page also builds for the browser, without `url`).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let (kind, person, from, to) = (
        query_value("loai"),
        query_value("nguoi"),
        query_value("tu"),
        query_value("den"),
    );
    let page = query_value("trang").parse::<u32>().unwrap_or(1).max(1);
    let args = (
        kind.clone(),
        person.clone(),
        from.clone(),
        to.clone(),
        page - 1,
    );
    let data = Resource::new_blocking(
        move || args.clone(),
        |(k, p, f, t, n)| audit_log(k, p, f, t, n),
    );
    let options = KINDS
        .iter()
        .map(|(k, l)| {
            let selected = *k == kind;
            view! { <option value=*k selected=selected>{*l}</option> }
        })
        .collect_view();
    // The same filter on another page.
    let link = {
        let (kind, person, from, to) = (kind.clone(), person.clone(), from.clone(), to.clone());
        move |n: u32| {
            format!(
                "{AUDIT_PATH}?loai={}&nguoi={}&tu={}&den={}&trang={n}",
                encode(&kind),
                encode(&person),
                encode(&from),
                encode(&to)
            )
        }
    };
    view! {
        <h1>"Nhật ký hệ thống"</h1>
        <AdminNav/>
        <form method="get" action=AUDIT_PATH class="card form inline" data-testid="audit-filter">
            <label>"Loại" <select name="loai">{options}</select></label>
            <label>"Người (tên hoặc số điện thoại)" <input name="nguoi" value=person maxlength="100"/></label>
            <label>"Từ ngày" <input name="tu" type="date" value=from/></label>
            <label>"Đến ngày" <input name="den" type="date" value=to/></label>
            <button type="submit" class="button">"Lọc"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || {
                let link = link.clone();
                Suspend::new(async move {
                match data.await {
                    Ok(p) if p.entries.is_empty() => view! { <p class="muted">"Chưa có mục nào."</p> }.into_any(),
                    Ok(p) => {
                        let pages = p.total.div_ceil(u64::from(p.per_page)).max(1) as u32;
                        let shown = p.page + 1;
                        let rows = p
                            .entries
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
                            <p class="muted small" data-testid="audit-count">{format!("{} mục · trang {shown}/{pages}", p.total)}</p>
                            <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
                                <thead><tr>
                                    <th>"Thời điểm"</th><th>"Loại"</th><th>"Tài khoản"</th>
                                    <th>"Thao tác"</th><th>"Mã"</th><th class="wide-only">"Địa chỉ IP"</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table></div>
                            <nav class="actions" aria-label="Trang">
                                {(shown > 1).then(|| view! { <a class="button" href=link(shown - 1) data-testid="audit-newer">"‹ Mới hơn"</a> })}
                                {(shown < pages).then(|| view! { <a class="button" href=link(shown + 1) data-testid="audit-older">"Cũ hơn ›"</a> })}
                            </nav>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}
