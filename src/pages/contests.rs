//! The organizer's list of contests: create, duplicate, archive (server-rendered forms).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::contests::{admin_contests, CreateContest, DuplicateContest, SetContestState};
use crate::domain::contests::with_contest;
use crate::model::contests::ContestCard;
use crate::pages::{flash_error, AdminNav, ErrorBox};

#[component]
pub fn ContestsAdminPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| admin_contests());
    let error = flash_error();
    let hint = move |field: &str| error.as_ref().and_then(|e| e.field_message(field));
    let (name_hint, slug_hint) = (hint("name"), hint("slug"));
    view! {
        <h1>"Các cuộc thi"</h1>
        <AdminNav/>
        {flash_error().map(|e| view! { <ErrorBox error=e/> })}
        <form class="card form" method="post" action=CreateContest::url() data-testid="create-contest">
            <h2>"Tạo cuộc thi mới"</h2>
            <label>"Tên cuộc thi"
                <input name="name" required maxlength="200" data-testid="new-contest-name"
                    placeholder="Tìm hiểu về cải cách hành chính và chuyển đổi số năm 2025"/>
                {name_hint.map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
            <label>"Địa chỉ trang (để trống: tạo từ tên)"
                <input name="slug" maxlength="80" placeholder="cai-cach-hanh-chinh-2025" data-testid="new-contest-slug"/>
                {slug_hint.map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
            <label class="check"><input type="checkbox" name="is_trial" value="on"/>" Thi thử (không hiện trên trang chủ; xóa được dữ liệu trước khi chính thức)"</label>
            <button type="submit" class="button primary" data-testid="create-contest-submit">"Tạo cuộc thi"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) if d.contests.is_empty() => view! { <p class="muted">"Chưa có cuộc thi nào."</p> }.into_any(),
                    Ok(d) => d.contests.into_iter().map(|c| view! { <ContestRow c=c/> }).collect_view().into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContestRow(c: ContestCard) -> impl IntoView {
    let settings = with_contest("/quan-tri/cuoc-thi", &c.slug);
    let public = format!("/cuoc-thi/{}", c.slug);
    let slug = c.slug.clone();
    let (archive_state, archive_label) = if c.archived {
        ("restore", "Đưa ra khỏi lưu trữ")
    } else {
        ("archive", "Lưu trữ")
    };
    view! {
        <section class="card" data-testid="contest-row">
            <div class="round-head">
                <h3><a href=settings.clone()>{c.name.clone()}</a></h3>
                <span class="badge">{c.stage.label()}</span>
            </div>
            <p class="muted small">
                {format!("/cuoc-thi/{}", c.slug)}
                {c.is_trial.then_some(" · THI THỬ")}
                {c.archived.then_some(" · đã lưu trữ")}
            </p>
            <p class="links">
                <a href=settings>"Cài đặt"</a>" "
                <a href=public>"Trang công khai"</a>
            </p>
            <form method="post" action=SetContestState::url() class="inline">
                <input type="hidden" name="contest" value=slug.clone()/>
                <input type="hidden" name="state" value=archive_state/>
                <button type="submit" class="button">{archive_label}</button>
            </form>
            <details>
                <summary>"Nhân bản (cho năm sau hoặc đợt khác)"</summary>
                <form class="form" method="post" action=DuplicateContest::url() data-testid="duplicate-contest">
                    <input type="hidden" name="contest" value=slug/>
                    <label>"Tên cuộc thi mới" <input name="name" required maxlength="200" value=c.name/></label>
                    <label>"Địa chỉ trang mới" <input name="slug" maxlength="80" required/></label>
                    <label>"Dời lịch các vòng (số ngày, ví dụ 364)" <input name="shift_days" inputmode="numeric" value="364"/></label>
                    <label class="check"><input type="checkbox" name="copy_bank" value="on" checked/>" Sao chép các câu hỏi đã duyệt"</label>
                    <p class="muted small">"Sao chép cài đặt, thể lệ, cơ cấu giải, chủ đề, phân bổ câu hỏi, văn bản giấy chứng nhận; không sao chép lượt thi hay thông tin cá nhân."</p>
                    <button type="submit" class="button">"Nhân bản"</button>
                </form>
            </details>
        </section>
    }
}
