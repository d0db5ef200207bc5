use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::auth::{list_units, Login, Register};
use crate::domain::units::picker_groups;
use crate::error::AppError;
use crate::pages::{flash_error, query_value, refill_value, ErrorBox};

#[component]
fn FieldHint(error: Option<AppError>, field: &'static str) -> impl IntoView {
    error.and_then(|e| e.field_message(field)).map(
        |m| view! { <span class="field-error" data-testid=format!("error-{field}")>{m}</span> },
    )
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let units = Resource::new_blocking(|| (), |_| list_units());
    let error = flash_error();
    // The unit a refused registration chose, or the one picked from the search results.
    let chosen_unit = Some(refill_value("don_vi"))
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| query_value("don_vi"));
    // A province has hundreds of units: a search (a plain GET form, so it works without
    // JavaScript) narrows the list, grouped by parent.
    let search = query_value("tim-don-vi");
    let workplace = refill_value("noi_cong_tac");
    let searching = !search.trim().is_empty();
    view! {
        <h1>"Đăng ký dự thi"</h1>
        <p class="muted">"Mỗi người chỉ đăng ký một tài khoản. Thông tin dùng để xác nhận giải thưởng."</p>
        <form class="card form unit-search" method="get" action="/dang-ky" role="search" data-testid="unit-search-form">
            <label>"Tìm đơn vị công tác / nơi cư trú (gõ có dấu hoặc không dấu, ví dụ: phuong 1)"
                <input name="tim-don-vi" type="search" value=search.clone() maxlength="100" data-testid="unit-search"/>
            </label>
            <button type="submit" class="button">"Tìm đơn vị"</button>
            {searching.then(|| view! { <a href="/dang-ky" class="small">"Hiện tất cả đơn vị"</a> })}
        </form>
        {error.clone().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| view! { <ErrorBox error=e/> })}
        {error.clone().filter(|e| matches!(e, AppError::Invalid(_))).map(|_| view! {
            <p class="error" role="alert" data-testid="error">"Vui lòng sửa các thông tin được đánh dấu bên dưới."</p>
        })}
        <form class="card form" method="post" action=Register::url() data-testid="register-form">
            <label>"Họ và tên"
                <input name="input[full_name]" autocomplete="name" required maxlength="100"
                    value=refill_value("ho_ten") data-testid="full-name"/>
                <FieldHint error=error.clone() field="full_name"/>
            </label>
            <label>"Ngày sinh"
                <input name="input[birth_date]" type="date" required value=refill_value("ngay_sinh") data-testid="birth-date"/>
                <FieldHint error=error.clone() field="birth_date"/>
            </label>
            <label>"Số điện thoại"
                <input name="input[phone]" type="tel" inputmode="tel" autocomplete="tel" required maxlength="20"
                    value=refill_value("dien_thoai") data-testid="phone"/>
                <FieldHint error=error.clone() field="phone"/>
            </label>
            <label>"Số căn cước công dân (không bắt buộc)"
                <input name="input[citizen_id]" inputmode="numeric" maxlength="12" value=refill_value("cccd") data-testid="citizen-id"/>
                <FieldHint error=error.clone() field="citizen_id"/>
            </label>
            <label>"Đơn vị công tác / nơi cư trú"
                <Suspense fallback=|| view! { <select disabled><option>"Đang tải…"</option></select> }>
                    {move || {
                        let chosen_unit = chosen_unit.clone();
                        let search = search.clone();
                        Suspend::new(async move {
                            let list = units.await.unwrap_or_default();
                            let groups = picker_groups(list, &search, |u| &u.name, |u| &u.kind, |u| &u.parent);
                            let found: usize = groups.iter().map(|(_, l)| l.len()).sum();
                            // One match is the unit searched for: chosen already.
                            let only = (searching && found == 1).then(|| groups[0].1[0].id.to_string());
                            let chosen = only.unwrap_or(chosen_unit);
                            let note = searching.then(|| if found == 0 {
                                "Không tìm thấy đơn vị nào; thử gõ ngắn hơn hoặc xem tất cả đơn vị.".to_string()
                            } else {
                                format!("Tìm thấy {found} đơn vị.")
                            });
                            view! {
                                {note.map(|n| view! { <span class="small found" data-testid="unit-found">{n}</span> })}
                                <select name="input[unit_id]" required data-testid="unit">
                                    <option value="">"— Chọn đơn vị —"</option>
                                    {unit_options(groups, chosen)}
                                </select>
                            }
                        })
                    }}
                </Suspense>
                <FieldHint error=error.clone() field="unit_id"/>
            </label>
            <label>"Nơi công tác (nếu khác đơn vị trên, không bắt buộc)"
                <span class="small muted hint">
                    "Ví dụ: dự thi ở phường nơi cư trú, làm việc ở một phòng, ban của thành phố."
                </span>
                <Suspense fallback=|| view! { <select disabled><option>"Đang tải…"</option></select> }>
                    {move || {
                        let chosen = workplace.clone();
                        Suspend::new(async move {
                            let list = units.await.unwrap_or_default();
                            let groups = picker_groups(list, "", |u| &u.name, |u| &u.kind, |u| &u.parent);
                            view! {
                                <select name="input[workplace_id]" data-testid="workplace">
                                    <option value="">"— Như đơn vị trên —"</option>
                                    {unit_options(groups, chosen)}
                                </select>
                            }
                        })
                    }}
                </Suspense>
                <FieldHint error=error.clone() field="workplace_id"/>
            </label>
            <label>"Mật khẩu (ít nhất 8 ký tự)"
                <input name="input[password]" type="password" autocomplete="new-password" required minlength="8" maxlength="128" data-testid="password"/>
                <FieldHint error=error.clone() field="password"/>
            </label>
            <button type="submit" class="button primary" data-testid="submit-register">"Đăng ký"</button>
        </form>
        <p>"Đã có tài khoản? " <a href="/dang-nhap">"Đăng nhập"</a></p>
    }
}

/// A unit picker's options, grouped under their parents, `chosen` (an id) selected.
fn unit_options(
    groups: Vec<(String, Vec<crate::model::UnitOption>)>,
    chosen: String,
) -> impl IntoView {
    groups
        .into_iter()
        .map(|(parent, list)| {
            let options = list
                .into_iter()
                .map(|u| {
                    let selected = u.id.to_string() == chosen;
                    view! { <option value=u.id.to_string() selected=selected>{u.name}</option> }
                })
                .collect_view();
            if parent.is_empty() {
                options.into_any()
            } else {
                view! { <optgroup label=parent>{options}</optgroup> }.into_any()
            }
        })
        .collect_view()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let error = flash_error();
    view! {
        <h1>"Đăng nhập"</h1>
        {error.clone().map(|e| view! { <ErrorBox error=e/> })}
        <form class="card form" method="post" action=Login::url() data-testid="login-form">
            <label>"Số điện thoại"
                <input name="phone" type="tel" inputmode="tel" autocomplete="tel" required maxlength="20"
                    value=refill_value("dien_thoai") data-testid="phone"/>
            </label>
            <label>"Mật khẩu"
                <input name="password" type="password" autocomplete="current-password" required maxlength="128" data-testid="password"/>
            </label>
            <button type="submit" class="button primary" data-testid="submit-login">"Đăng nhập"</button>
        </form>
        <p>"Chưa có tài khoản? " <a href="/dang-ky">"Đăng ký dự thi"</a></p>
        <p><a href="/quen-mat-khau">"Quên mật khẩu?"</a></p>
    }
}
