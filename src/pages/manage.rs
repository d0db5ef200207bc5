//! The administrator's contest page: settings and rounds (server-rendered forms).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::manage::{
    get_contest_admin, AddExclusion, RemoveExclusion, SaveRound, UpdateContest,
};
use crate::error::AppError;
use crate::model::{ContestAdmin, Exclusion};
use crate::pages::{error_from_query, query_value, AdminNav, ErrorBox};

#[component]
pub fn ContestAdminPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_contest_admin());
    let error = error_from_query();
    let saved = !query_value("luu").is_empty();
    view! {
        <h1>"Cuộc thi và các vòng thi"</h1>
        <AdminNav/>
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

/// Every message for `field`, one after another (a textarea can have a problem per line).
fn field_error_all(error: &Option<AppError>, field: &str) -> Option<String> {
    match error {
        Some(AppError::Invalid(fields)) => {
            let all: Vec<&str> = fields
                .iter()
                .filter(|f| f.field == field)
                .map(|f| f.message.as_str())
                .collect();
            (!all.is_empty()).then(|| all.join(" "))
        }
        _ => None,
    }
}

#[component]
fn ContestForms(d: ContestAdmin) -> impl IntoView {
    let f = d.form;
    let error = error_from_query();
    let for_numbers = error.clone();
    let number = move |name: &'static str, label: &'static str, value: String| {
        let hint = field_error(&for_numbers, name);
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
        .map(|r| view! { <RoundForm id=Some(r.id) name=r.name opens=r.opens_at closes=r.closes_at results=r.results_at/> })
        .collect_view();
    let quota_hint = field_error_all(&error, "quotas");
    let chain_hint = format!(
        "Mã tiêu chí: {}. Bằng nhau theo mọi tiêu chí thì cùng hạng.",
        d.tie_breaks
            .iter()
            .map(|(code, label)| format!("{code} = {label}"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let targets = d
        .prediction_targets
        .into_iter()
        .map(|(value, label)| {
            let selected = value == f.prediction_target;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let modes = d
        .counting_modes
        .into_iter()
        .map(|(value, label)| {
            let selected = value == f.counting_mode;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let supply = d
        .available
        .into_iter()
        .map(|t| {
            let total: u32 = t.by_difficulty.iter().sum();
            view! {
                <tr data-testid="supply-row">
                    <td>{t.topic}</td>
                    {t.by_difficulty.iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view()}
                    <td class="num">{total}</td>
                </tr>
            }
        })
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
            <label>"Lượt được tính khi thi nhiều lượt"
                <select name="input[counting_mode]" data-testid="counting-mode">{modes}</select>
            </label>
            <label class="check">
                <input type="checkbox" name="input[bank_published]" checked=f.bank_published.is_some()/>
                " Công bố bộ câu hỏi kèm đáp án để người dự thi ôn tập"
            </label>
            <label class="check">
                <input type="checkbox" name="input[prediction_enabled]" checked=f.prediction_enabled.is_some()
                    data-testid="prediction-enabled"/>
                " Có câu hỏi dự đoán ở cuối mỗi lượt thi"
            </label>
            <label>"Câu hỏi dự đoán"
                <input name="input[prediction_prompt]" value=f.prediction_prompt maxlength="500"/>
                {field_error(&error, "prediction_prompt").map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
            <fieldset>
                <legend>"Xếp hạng và giải thưởng"</legend>
                <label>"Tiêu chí xếp hạng, theo thứ tự (mã, cách nhau bởi dấu phẩy)"
                    <input name="input[rank_chain]" value=f.rank_chain list="rank-chains" data-testid="rank-chain"/>
                    {field_error(&error, "rank_chain").map(|m| view! { <span class="field-error">{m}</span> })}
                </label>
                <datalist id="rank-chains">
                    <option value="score,elapsed,prediction"/>
                    <option value="score,prediction,elapsed,registered"/>
                    <option value="score,elapsed,attempts,registered"/>
                    <option value="prediction,elapsed"/>
                </datalist>
                <p class="muted small">{chain_hint}</p>
                <label class="check">
                    <input type="checkbox" name="input[all_correct_only]" checked=f.all_correct_only.is_some()/>
                    " Chỉ xếp hạng bài thi trả lời đúng tất cả các câu"
                </label>
                <label>"Câu hỏi dự đoán hỏi về"
                    <select name="input[prediction_target]">{targets}</select>
                </label>
                <label>"Giải mỗi vòng (tên giải:số lượng, từ cao xuống thấp)"
                    <input name="input[round_prizes]" value=f.round_prizes placeholder="Nhất:1, Nhì:2, Ba:3, Khuyến khích:10"
                        data-testid="round-prizes"/>
                    {field_error(&error, "round_prizes").map(|m| view! { <span class="field-error">{m}</span> })}
                </label>
                <label>"Giải toàn cuộc thi (tổng điểm các vòng; tên giải:số lượng)"
                    <input name="input[overall_prizes]" value=f.overall_prizes placeholder="Nhất:1, Nhì:5, Ba:10, Khuyến khích:20"/>
                    {field_error(&error, "overall_prizes").map(|m| view! { <span class="field-error">{m}</span> })}
                </label>
                <label>"Tỷ lệ giải tối đa trên số người dự thi (%, để trống nếu không giới hạn)"
                    <input name="input[prize_cap_percent]" inputmode="numeric" value=f.prize_cap_percent/>
                    {field_error(&error, "prize_cap_percent").map(|m| view! { <span class="field-error">{m}</span> })}
                </label>
                <label class="check">
                    <input type="checkbox" name="input[one_prize_per_person]" checked=f.one_prize_per_person.is_some()/>
                    " Mỗi người chỉ nhận một giải trong cả cuộc thi"
                </label>
                {number("freeze_minutes", "Tạm dừng bảng xếp hạng công khai trước giờ đóng vòng (phút, 0: không dừng)", f.freeze_minutes)}
            </fieldset>
            <fieldset>
                <legend>"Phân bổ câu hỏi theo chủ đề và mức độ"</legend>
                <p class="muted small">
                    "Mỗi dòng: “chủ đề | mức độ | số câu”, mức độ là 1 (dễ), 2 (trung bình), 3 (khó) hoặc * (mọi mức độ). \
                     Tổng số câu phải bằng số câu hỏi mỗi lượt, để mọi lượt thi khó như nhau. \
                     Để trống: chọn ngẫu nhiên trong toàn bộ câu hỏi đã duyệt."
                </p>
                <textarea name="input[quotas]" rows="6" data-testid="quotas"
                    placeholder="Cải cách hành chính | 1 | 4">{f.quotas}</textarea>
                {quota_hint.map(|m| view! { <span class="field-error" data-testid="quota-error">{m}</span> })}
                <table class="board small">
                    <caption>"Câu hỏi đã duyệt hiện có"</caption>
                    <thead><tr><th>"Chủ đề"</th><th>"Mức 1"</th><th>"Mức 2"</th><th>"Mức 3"</th><th>"Cộng"</th></tr></thead>
                    <tbody>{supply}</tbody>
                </table>
            </fieldset>
            <button type="submit" class="button primary">"Lưu cài đặt"</button>
        </form>
        <h2>"Các vòng thi (giờ Việt Nam)"</h2>
        {rounds}
        <h3>"Thêm vòng thi"</h3>
        <RoundForm id=None name=String::new() opens=String::new() closes=String::new() results=String::new()/>
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
fn RoundForm(
    id: Option<i64>,
    name: String,
    opens: String,
    closes: String,
    results: String,
) -> impl IntoView {
    view! {
        <form class="card form" method="post" action=SaveRound::url()>
            {id.map(|id| view! { <input type="hidden" name="round_id" value=id.to_string()/> })}
            <label>"Tên vòng" <input name="name" value=name required/></label>
            <label>"Mở lúc" <input type="datetime-local" name="opens_at" value=opens required/></label>
            <label>"Đóng lúc" <input type="datetime-local" name="closes_at" value=closes required/></label>
            <label>"Công bố kết quả lúc" <input type="datetime-local" name="results_at" value=results/></label>
            <button type="submit" class="button">{if id.is_some() { "Lưu vòng thi" } else { "Thêm vòng thi" }}</button>
        </form>
    }
}
