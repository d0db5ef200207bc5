//! The administrator's contest page: settings and rounds (server-rendered forms).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::manage::{
    get_contest_admin, AddExclusion, RemoveExclusion, SaveRound, UpdateContest,
};
use crate::error::AppError;
use crate::model::{ContestAdmin, Exclusion};
use crate::pages::{error_from_query, query_value, ErrorBox};

#[component]
pub fn ContestAdminPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_contest_admin());
    let error = error_from_query();
    let saved = !query_value("luu").is_empty();
    view! {
        <h1>"Cuộc thi và các vòng thi"</h1>
        <p><a href="/quan-tri/cau-hoi">"Ngân hàng câu hỏi"</a></p>
        {error.map(|e| view! { <ErrorBox error=e/> })}
        {saved.then(|| view! { <p class="notice" data-testid="saved">"Đã lưu."</p> })}
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ContestForms d=d/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn field_error(error: &Option<AppError>, field: &str) -> Option<String> {
    error.as_ref().and_then(|e| e.field_message(field))
}

#[component]
fn ContestForms(d: ContestAdmin) -> impl IntoView {
    let f = d.form;
    let error = error_from_query();
    let number = move |name: &'static str, label: &'static str, value: String| {
        let hint = field_error(&error, name);
        view! {
            <label>{label}
                <input name=format!("input[{name}]") inputmode="numeric" value=value required/>
                {hint.map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
        }
    };
    let rounds = d
        .rounds
        .into_iter()
        .map(|(id, name, opens, closes)| view! { <RoundForm id=Some(id) name=name opens=opens closes=closes/> })
        .collect_view();
    view! {
        <p class="muted small">
            {format!(
                "Đang có {} lượt thi chưa kết thúc. Thay đổi chỉ áp dụng cho lượt thi bắt đầu sau khi lưu; \
                 lượt đang làm giữ nguyên câu hỏi và hạn nộp đã cấp.",
                d.running_attempts
            )}
        </p>
        <form class="card form" method="post" action=UpdateContest::url() data-testid="contest-form">
            <label>"Tên cuộc thi" <input name="input[name]" value=f.name required maxlength="200"/></label>
            <label>"Thể lệ" <textarea name="input[rules_text]" rows="8">{f.rules_text}</textarea></label>
            {number("min_age", "Tuổi tối thiểu", f.min_age)}
            {number("questions_per_attempt", "Số câu hỏi mỗi lượt", f.questions_per_attempt)}
            {number("time_limit_minutes", "Thời gian làm bài (phút)", f.time_limit_minutes)}
            {number("grace_secs", "Gia hạn nhận câu trả lời sau giờ (giây)", f.grace_secs)}
            {number("max_attempts_per_round", "Số lượt thi tối đa mỗi vòng", f.max_attempts_per_round)}
            {number("points_per_question", "Điểm mỗi câu đúng", f.points_per_question)}
            <label class="check">
                <input type="checkbox" name="input[bank_published]" checked=f.bank_published.is_some()/>
                " Công bố bộ câu hỏi kèm đáp án để người dự thi ôn tập"
            </label>
            <button type="submit" class="button primary">"Lưu cài đặt"</button>
        </form>
        <h2>"Các vòng thi (giờ Việt Nam)"</h2>
        {rounds}
        <h3>"Thêm vòng thi"</h3>
        <RoundForm id=None name=String::new() opens=String::new() closes=String::new()/>
        <Exclusions list=d.exclusions/>
    }
}

#[component]
fn Exclusions(list: Vec<Exclusion>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|e| {
            view! {
                <tr data-testid="exclusion">
                    <td>{e.full_name}</td>
                    <td>{e.phone}" "{e.citizen_id}</td>
                    <td>{e.reason}</td>
                    <td>
                        <form method="post" action=RemoveExclusion::url()>
                            <input type="hidden" name="id" value=e.id.to_string()/>
                            <button type="submit" class="link">"Xóa"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Người không được dự thi"</h2>
        <p class="muted small">
            "Thành viên Ban Tổ chức, Tổ Thư ký, Tổ soạn thảo câu hỏi, cán bộ kỹ thuật. Người trong danh sách không              đăng ký và không thi được; kết quả đã có của họ không hiện trên bảng xếp hạng."
        </p>
        <table class="board">
            <thead><tr><th>"Họ tên"</th><th>"Điện thoại / CCCD"</th><th>"Lý do"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <form class="card form" method="post" action=AddExclusion::url()>
            <label>"Họ tên" <input name="full_name"/></label>
            <label>"Số điện thoại" <input name="phone" type="tel"/></label>
            <label>"Số căn cước" <input name="citizen_id" inputmode="numeric"/></label>
            <label>"Lý do" <input name="reason" required placeholder="thành viên Ban Tổ chức"/></label>
            <button type="submit" class="button">"Thêm vào danh sách"</button>
        </form>
    }
}

#[component]
fn RoundForm(id: Option<i64>, name: String, opens: String, closes: String) -> impl IntoView {
    view! {
        <form class="card form" method="post" action=SaveRound::url()>
            {id.map(|id| view! { <input type="hidden" name="round_id" value=id.to_string()/> })}
            <label>"Tên vòng" <input name="name" value=name required/></label>
            <label>"Mở lúc" <input type="datetime-local" name="opens_at" value=opens required/></label>
            <label>"Đóng lúc" <input type="datetime-local" name="closes_at" value=closes required/></label>
            <button type="submit" class="button">{if id.is_some() { "Lưu vòng thi" } else { "Thêm vòng thi" }}</button>
        </form>
    }
}
