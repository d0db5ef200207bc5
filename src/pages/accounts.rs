//! Accounts: roles, one-time password codes and unit corrections for organizers; a person's
//! own password change, and setting a new password with a code (server-rendered forms).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::accounts::{
    get_accounts, ChangePassword, IssueReset, RedeemReset, SetRole, SetUnit, ACCOUNTS_PATH,
};
use crate::model::contests::{Account, Accounts};
use crate::model::UnitOption;
use crate::pages::{flash_error, query_value, AdminNav, ErrorBox};

#[component]
pub fn AccountsPage() -> impl IntoView {
    let q = query_value("q");
    let q2 = q.clone();
    let data = Resource::new_blocking(move || q2.clone(), get_accounts);
    let units = Resource::new_blocking(|| (), |_| crate::api::auth::list_units());
    let code = query_value("ma");
    let saved = !query_value("luu").is_empty();
    view! {
        <h1>"Tài khoản và vai trò"</h1>
        <AdminNav/>
        {flash_error().map(|e| view! { <ErrorBox error=e/> })}
        {saved.then(|| view! { <p class="notice" data-testid="saved">"Đã lưu."</p> })}
        {(!code.is_empty()).then(|| view! {
            <p class="notice" data-testid="reset-code">
                {format!("Mã đặt lại mật khẩu cho {}: ", query_value("sdt"))}
                <strong>{code.clone()}</strong>
                {format!(" (dùng một lần, hết hạn lúc {}). Người dùng vào trang “Quên mật khẩu” để đặt mật khẩu mới.", query_value("han"))}
            </p>
        })}
        <form method="get" action=ACCOUNTS_PATH class="search">
            <input type="search" name="q" value=q placeholder="Tìm theo số điện thoại hoặc họ tên" data-testid="account-search"/>
            <button type="submit" class="button">"Tìm"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                let units = units.await.unwrap_or_default();
                match data.await {
                    Ok(d) => view! { <AccountLists d=d units=units/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountLists(d: Accounts, units: Vec<UnitOption>) -> impl IntoView {
    let row = {
        let (roles, units, can_grant) = (d.roles.clone(), units.clone(), d.can_grant);
        move |a: Account| view! { <AccountRow a=a roles=roles.clone() units=units.clone() can_grant=can_grant/> }
    };
    let staff = d.staff.into_iter().map(row.clone()).collect_view();
    let found = d.found.into_iter().map(row).collect_view();
    view! {
        <h2>"Ban Tổ chức và người được phân quyền"</h2>
        <div data-testid="staff">{staff}</div>
        <h2>"Kết quả tìm"</h2>
        <div data-testid="found">{found}</div>
    }
}

#[component]
fn AccountRow(
    a: Account,
    roles: Vec<(String, String)>,
    units: Vec<UnitOption>,
    can_grant: bool,
) -> impl IntoView {
    let id = a.id.to_string();
    let role_options = roles
        .into_iter()
        .map(|(code, label)| {
            let selected = code == a.role;
            view! { <option value=code selected=selected>{label}</option> }
        })
        .collect_view();
    let unit_options = units
        .into_iter()
        .map(|u| {
            let selected = u.id == a.unit_id;
            view! { <option value=u.id.to_string() selected=selected>{u.name}</option> }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="account-row">
            <p><strong>{a.full_name.clone()}</strong>{format!(" · {} · {} · {}", a.phone, a.unit_name, a.role_label)}</p>
            {can_grant.then(|| view! {
                <form method="post" action=SetRole::url() class="inline">
                    <input type="hidden" name="account_id" value=id.clone()/>
                    <label>"Vai trò " <select name="role">{role_options}</select></label>
                    <button type="submit" class="button">"Đổi vai trò"</button>
                </form>
            })}
            <form method="post" action=SetUnit::url() class="inline">
                <input type="hidden" name="account_id" value=id.clone()/>
                <label>"Đơn vị " <select name="unit_id">{unit_options}</select></label>
                <button type="submit" class="button">"Sửa đơn vị"</button>
            </form>
            <form method="post" action=IssueReset::url() class="inline">
                <input type="hidden" name="account_id" value=id/>
                <button type="submit" class="button" data-testid="issue-reset">"Cấp mã đặt lại mật khẩu"</button>
            </form>
        </section>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let saved = !query_value("luu").is_empty();
    view! {
        <h1>"Đổi mật khẩu"</h1>
        {flash_error().map(|e| view! { <ErrorBox error=e/> })}
        {saved.then(|| view! { <p class="notice" data-testid="saved">"Đã đổi mật khẩu."</p> })}
        <form class="card form" method="post" action=ChangePassword::url()>
            <label>"Mật khẩu hiện tại" <input name="current_password" type="password" autocomplete="current-password" required maxlength="128"/></label>
            <label>"Mật khẩu mới" <input name="new_password" type="password" autocomplete="new-password" required minlength="8" maxlength="128"/></label>
            <button type="submit" class="button primary">"Đổi mật khẩu"</button>
        </form>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    view! {
        <h1>"Quên mật khẩu"</h1>
        {flash_error().map(|e| view! { <ErrorBox error=e/> })}
        <p>"Liên hệ Tổ Thư ký cuộc thi để được cấp mã một lần (có hiệu lực 30 phút), rồi nhập mã và mật khẩu mới."</p>
        <form class="card form" method="post" action=RedeemReset::url()>
            <label>"Số điện thoại" <input name="phone" type="tel" inputmode="tel" required maxlength="20"/></label>
            <label>"Mã được cấp" <input name="code" inputmode="numeric" required maxlength="20" autocomplete="one-time-code"/></label>
            <label>"Mật khẩu mới" <input name="new_password" type="password" autocomplete="new-password" required minlength="8" maxlength="128"/></label>
            <button type="submit" class="button primary">"Đặt mật khẩu mới"</button>
        </form>
    }
}
