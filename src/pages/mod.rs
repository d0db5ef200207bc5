pub mod accounts;
pub mod admin;
pub mod attempt;
pub mod audit;
pub mod auth;
pub mod awards;
pub mod contests;
pub mod home;
pub mod initiatives;
pub mod leaderboard;
pub mod manage;
pub mod monitor;
pub mod people;
pub mod reports;
pub mod result;
pub mod study;
pub mod units;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// What a plain form post left for this page (see `server::flash`); pages render on the
/// server only, so the browser never needs it.
fn flash() -> Option<crate::model::Flash> {
    #[cfg(feature = "ssr")]
    {
        crate::api::ctx::take_flash()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The error a refused form post left for this page.
pub fn flash_error() -> Option<AppError> {
    flash().and_then(|f| f.error)
}

/// A field of a refused form post to fill in again.
pub fn refill_value(name: &str) -> String {
    flash()
        .and_then(|f| {
            f.fields
                .into_iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
        })
        .unwrap_or_default()
}

pub fn query_value(name: &str) -> String {
    use_query_map()
        .get_untracked()
        .get(name)
        .unwrap_or_default()
}

#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    view! { <p class="error" role="alert" data-testid="error">{error.user_message()}</p> }
}

/// Links between the organizer pages.
#[component]
pub fn AdminNav() -> impl IntoView {
    let slug = contest_param();
    let link = move |path: &str| crate::domain::contests::with_contest(path, &slug);
    view! {
        <nav class="actions admin-nav" aria-label="Quản trị">
            <a class="button" href="/quan-tri/cac-cuoc-thi" data-testid="go-contests">"Các cuộc thi"</a>
            <a class="button" href=link("/quan-tri/cuoc-thi")>"Cuộc thi"</a>
            <a class="button" href=link("/quan-tri/cau-hoi")>"Ngân hàng câu hỏi"</a>
            <a class="button" href="/quan-tri/don-vi">"Đơn vị"</a>
            <a class="button" href=link("/quan-tri/doi-tuong")>"Đối tượng, chỉ tiêu"</a>
            <a class="button" href=link("/quan-tri/theo-doi")>"Theo dõi"</a>
            <a class="button" href=link("/quan-tri/bao-cao")>"Báo cáo"</a>
            <a class="button" href=link("/quan-tri/giai-thuong")>"Giải thưởng"</a>
            <a class="button" href=link("/quan-tri/giai-tap-the")>"Giải tập thể"</a>
            <a class="button" href="/quan-tri/tai-khoan">"Tài khoản"</a>
            <a class="button" href="/quan-tri/sang-kien">"Sáng kiến"</a>
            <a class="button" href="/quan-tri/nhat-ky">"Nhật ký"</a>
        </nav>
    }
}

/// The contest an organizer page works on (`?cuoc-thi=slug`; empty: the default one).
pub fn contest_param() -> String {
    query_value(crate::domain::contests::PARAM)
}

/// The hidden field that names the page's contest in a form post.
#[component]
pub fn ContestField() -> impl IntoView {
    view! { <input type="hidden" name="contest" value=contest_param()/> }
}

/// The outcome of a file import carried back in the query: the rows refused, or how many
/// rows went in (`noun` names them: "câu hỏi", "đơn vị").
#[component]
pub fn ImportOutcome(noun: &'static str) -> impl IntoView {
    let imported = query_value("nhap");
    let kept = query_value(crate::api::forms::OUTCOME_PARAM);
    let error = flash_error();
    let kept = (!kept.is_empty()).then(|| {
        let outcome = Resource::new_blocking(move || kept.clone(), crate::api::forms::form_outcome);
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    outcome.await.ok().flatten().map(|e| view! { <ImportErrors error=e noun=noun/> })
                })}
            </Suspense>
        }
    });
    view! {
        {kept}
        {error.map(|e| view! { <ImportErrors error=e noun=noun/> })}
        {(!imported.is_empty()).then(|| view! {
            <p class="notice" data-testid="imported">{format!("Đã nhập {imported} {noun}.")}</p>
        })}
    }
}

#[component]
fn ImportErrors(error: AppError, noun: &'static str) -> impl IntoView {
    view! {
        {match error {
            AppError::ImportRejected(rows) => view! {
                <div class="error" role="alert" data-testid="import-errors">
                    <p><strong>{format!("Tệp có lỗi, chưa nhập {noun} nào. Sửa các lỗi sau rồi nhập lại:")}</strong></p>
                    <table class="board">
                        <thead><tr><th>"Dòng"</th><th>"Cột"</th><th>"Lỗi"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr data-testid="import-error"><td>{r.row}</td><td>{r.column}</td><td>{r.message}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
            other => view! { <ErrorBox error=other/> }.into_any(),
        }}
    }
}

/// A file upload form that posts without JavaScript and, once the page is interactive,
/// shows a progress bar while the file travels.
#[component]
pub fn UploadForm(
    action: &'static str,
    accept: &'static str,
    label: &'static str,
    /// Offer to create the topics a question file names that the contest lacks.
    #[prop(optional)]
    topics_box: bool,
) -> impl IntoView {
    view! {
        <form class="form upload" method="post" action=action enctype="multipart/form-data"
            data-testid="import-file-form">
            <ContestField/>
            {topics_box.then(|| view! {
                <label class="check"><input type="checkbox" name="create_topics" value="on" data-testid="create-topics"/>
                    " Tạo chủ đề chưa có (nếu không, dòng có chủ đề lạ bị từ chối)"</label>
            })}
            <input type="file" name="file" accept=accept required data-testid="import-file"/>
            <crate::components::upload::UploadProgress/>
            <button type="submit" class="button primary" data-testid="import-upload">{label}</button>
        </form>
    }
}
