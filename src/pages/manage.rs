//! The administrator's contest page: settings and rounds (server-rendered forms).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::contests::{
    AddTopic, ChangeTopic, DeleteNews, PostNews, RemoveRound, SaveProfile, SetContestState,
    WipeTrial,
};
use crate::api::manage::{
    get_contest_admin, AddExclusion, RemoveExclusion, ReviewExclusionMatch, SaveRound,
    UpdateContest,
};
use crate::domain::integrity;
use crate::error::AppError;
use crate::model::{ContestAdmin, Exclusion, ExclusionMatch};
use crate::pages::{flash_error, query_value, AdminNav, ContestField, ErrorBox};

#[component]
pub fn ContestAdminPage() -> impl IntoView {
    let data = Resource::new_blocking(crate::pages::contest_param, get_contest_admin);
    let error = flash_error();
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
    let error = flash_error();
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
        .map(|r| view! { <RoundForm id=Some(r.id) name=r.name opens=r.opens_at closes=r.closes_at results=r.results_at prizes=r.prizes retired=r.retired attempts=r.attempts/> })
        .collect_view();
    let quota_hint = field_error_all(&error, "quotas");
    // The chain as ordered choices, one select per link (the codes stay for imports).
    let chain: Vec<String> = f
        .rank_chain
        .split(',')
        .map(|c| c.trim().to_string())
        .collect();
    let links = (0..d.tie_breaks.len())
        .map(|i| {
            let chosen = chain.get(i).cloned().unwrap_or_default();
            let options = d
                .tie_breaks
                .iter()
                .map(|(code, label)| {
                    view! { <option value=code.clone() selected=*code == chosen>{label.clone()}</option> }
                })
                .collect_view();
            let label = if i == 0 { "Xếp hạng theo".to_string() } else { format!("Bằng nhau thì xét tiếp ({})", i + 1) };
            view! {
                <label>{label}
                    <select name=format!("input[rank_links][{i}]") data-testid=format!("rank-link-{}", i + 1)>
                        {(i > 0).then(|| view! { <option value="" selected=chosen.is_empty()>"(không xét thêm)"</option> })}
                        {options}
                    </select>
                </label>
            }
        })
        .collect_view();
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
    let study_choices = integrity::StudyAnswers::ALL
        .into_iter()
        .map(|v| {
            let selected = v.as_str() == f.study_answers;
            view! { <option value=v.as_str() selected=selected>{v.label()}</option> }
        })
        .collect_view();
    let review_choices = integrity::AnswerReview::ALL
        .into_iter()
        .map(|v| {
            let selected = v.as_str() == f.answer_review;
            view! { <option value=v.as_str() selected=selected>{v.label()}</option> }
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
        <ContestState slug=d.slug.clone() is_trial=d.is_trial archived=d.archived/>
        <form class="card form" method="post" action=UpdateContest::url() data-testid="contest-form">
            <ContestField/>
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
                " Công bố bộ câu hỏi để người dự thi ôn tập"
            </label>
            <label>"Đáp án trong bộ câu hỏi ôn tập khi vòng thi đang mở"
                <select name="input[study_answers]" data-testid="study-answers">{study_choices}</select>
            </label>
            <p class="muted small">
                "Công bố cả đáp án giúp phổ biến kiến thức, nhưng ai tra cứu nhanh sẽ trả lời đúng hết: "
                "nên giữ đáp án các câu có thể ra thi đến khi vòng đóng, hoặc cho ôn tập bằng bộ câu hỏi ôn tập riêng "
                "(đánh dấu “Ôn tập” khi nhập câu hỏi; các câu này không bao giờ được ra thi)."
            </p>
            <label>"Người dự thi xem đáp án đúng của bài đã làm"
                <select name="input[answer_review]" data-testid="answer-review">{review_choices}</select>
            </label>
            <p class="muted small">"Khi được thi nhiều lượt, xem đáp án ngay sau lượt đầu sẽ giúp lượt sau đúng hết."</p>
            {number("min_secs_per_question", "Xét duyệt trước khi trao giải: đánh dấu bài nhanh hơn (giây mỗi câu)", f.min_secs_per_question.clone())}
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
                {links}
                {field_error(&error, "rank_chain").map(|m| view! { <span class="field-error">{m}</span> })}
                <p class="muted small">"Bằng nhau ở mọi tiêu chí đã chọn thì cùng hạng."</p>
                <label class="check">
                    <input type="checkbox" name="input[all_correct_only]" checked=f.all_correct_only.is_some()/>
                    " Chỉ xếp hạng bài thi trả lời đúng tất cả các câu"
                </label>
                <label>"Câu hỏi dự đoán hỏi về"
                    <select name="input[prediction_target]">{targets}</select>
                </label>
                <PrizeRows field="round_prize_rows" legend="Giải mỗi vòng, từ cao xuống thấp" text=f.round_prizes.clone() testid="round-prizes"/>
                {field_error(&error, "round_prizes").map(|m| view! { <span class="field-error">{m}</span> })}
                <PrizeRows field="overall_prize_rows" legend="Giải toàn cuộc thi (tổng điểm các vòng)" text=f.overall_prizes.clone() testid="overall-prizes"/>
                {field_error(&error, "overall_prizes").map(|m| view! { <span class="field-error">{m}</span> })}
                <label>"Tỷ lệ giải tối đa trên số người dự thi (%, để trống nếu không giới hạn)"
                    <input name="input[prize_cap_percent]" inputmode="numeric" value=f.prize_cap_percent/>
                    {field_error(&error, "prize_cap_percent").map(|m| view! { <span class="field-error">{m}</span> })}
                </label>
                <label class="check">
                    <input type="checkbox" name="input[one_prize_per_person]" checked=f.one_prize_per_person.is_some()/>
                    " Mỗi người chỉ nhận một giải trong cả cuộc thi"
                </label>
                {number("freeze_minutes", "Tạm dừng bảng xếp hạng công khai trước giờ đóng vòng (phút, 0: không dừng)", f.freeze_minutes)}
                <label class="check">
                    <input type="checkbox" name="input[board_hidden]" checked=f.board_hidden.is_some() data-testid="board-hidden"/>
                    " Ẩn hoàn toàn bảng xếp hạng trực tiếp cho đến giờ công bố kết quả của vòng"
                </label>
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
        <RoundForm id=None name=String::new() opens=String::new() closes=String::new() results=String::new() prizes=String::new() retired=false attempts=0/>
        <Topics list=d.topics/>
        <Exclusions list=d.exclusions matches=d.exclusion_matches/>
        <ProfileForms p=d.profile/>
        <News list=d.news/>
    }
}

/// A prize structure as rows (name, how many, money per winner), the stored tiers first and
/// empty rows to add more; a row left empty is skipped.
#[component]
fn PrizeRows(
    field: &'static str,
    legend: &'static str,
    text: String,
    testid: &'static str,
) -> impl IntoView {
    let tiers = crate::domain::awards::parse_tiers(&text).unwrap_or_default();
    let n = tiers.len() + 3;
    let rows = (0..n)
        .map(|i| {
            let t = tiers.get(i);
            let name = t.map(|t| t.name.clone()).unwrap_or_default();
            let count = t.map(|t| t.count.to_string()).unwrap_or_default();
            let amount = t
                .filter(|t| t.amount > 0)
                .map(|t| crate::domain::awards::group_thousands(t.amount))
                .unwrap_or_default();
            let at = |part: &str| format!("input[{field}][{i}][{part}]");
            view! {
                <tr>
                    <td><input name=at("name") value=name aria-label="Tên giải" placeholder=if i == 0 { "Nhất" } else { "" }/></td>
                    <td><input name=at("count") value=count inputmode="numeric" aria-label="Số lượng" size="4"/></td>
                    <td><input name=at("amount") value=amount inputmode="numeric" aria-label="Tiền thưởng mỗi giải (đồng)" placeholder="không bắt buộc"/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <fieldset data-testid=testid>
            <legend>{legend}</legend>
            <table class="prize-rows">
                <thead><tr><th>"Tên giải"</th><th>"Số lượng"</th><th>"Tiền mỗi giải (đồng)"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </fieldset>
    }
}

#[component]
fn Exclusions(list: Vec<Exclusion>, matches: Vec<ExclusionMatch>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|e| {
            view! {
                <tr data-testid="exclusion">
                    <td>{e.full_name}<div class="muted small">{e.birth_date}</div></td>
                    <td>{e.phone}" "{e.citizen_id}</td>
                    <td>{e.reason}</td>
                    <td>
                        <form method="post" action=RemoveExclusion::url()>
                            <ContestField/>
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
        {(!matches.is_empty()).then(|| view! {
            <h3>"Có thể là người trong danh sách (trùng họ tên và ngày sinh, không có số căn cước)"</h3>
            <p class="muted small">"Xác nhận thì tài khoản bị loại như người trong danh sách; bỏ qua nếu là người khác."</p>
            <ul class="card">{matches.into_iter().map(|m| view! {
                <li data-testid="exclusion-match">
                    {format!("{} · {} · {} · {} — {}", m.full_name, m.birth_date, m.phone, m.unit_name, m.reason)}
                    <form method="post" action=ReviewExclusionMatch::url() class="inline">
                        <ContestField/>
                        <input type="hidden" name="excluded_id" value=m.excluded_id.to_string()/>
                        <input type="hidden" name="user_id" value=m.user_id.to_string()/>
                        <input type="hidden" name="confirm" value="true"/>
                        <button type="submit" class="link">"Xác nhận, loại"</button>
                    </form>
                    <form method="post" action=ReviewExclusionMatch::url() class="inline">
                        <ContestField/>
                        <input type="hidden" name="excluded_id" value=m.excluded_id.to_string()/>
                        <input type="hidden" name="user_id" value=m.user_id.to_string()/>
                        <button type="submit" class="link">"Không phải, bỏ qua"</button>
                    </form>
                </li>
            }).collect_view()}</ul>
        })}
        <form class="card form" method="post" action=AddExclusion::url()>
            <ContestField/>
            <label>"Họ tên" <input name="full_name"/></label>
            <label>"Số điện thoại" <input name="phone" type="tel"/></label>
            <label>"Số căn cước" <input name="citizen_id" inputmode="numeric"/></label>
            <label>"Ngày sinh (không bắt buộc: để nhận ra người này nếu đăng ký bằng số điện thoại khác)"
                <input name="birth_date" type="date"/></label>
            <label>"Lý do" <input name="reason" required placeholder="thành viên Ban Tổ chức"/></label>
            <button type="submit" class="button">"Thêm vào danh sách"</button>
        </form>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn RoundForm(
    id: Option<i64>,
    name: String,
    opens: String,
    closes: String,
    results: String,
    prizes: String,
    retired: bool,
    attempts: u32,
) -> impl IntoView {
    let remove = id.map(|id| {
        let (action, label) = match (retired, attempts) {
            (true, _) => ("restore", "Khôi phục vòng thi"),
            (false, 0) => ("delete", "Xóa vòng thi"),
            (false, _) => ("retire", "Ngừng vòng thi (giữ kết quả)"),
        };
        view! {
            <form method="post" action=RemoveRound::url() class="inline">
                <ContestField/>
                <input type="hidden" name="round_id" value=id.to_string()/>
                <input type="hidden" name="action" value=action/>
                <button type="submit" class="button" data-testid=format!("round-{action}")>{label}</button>
            </form>
        }
    });
    view! {
        <div class="card" data-testid="round-admin">
            {retired.then(|| view! { <p class="badge closed">"Đã ngừng"</p> })}
            <form class="form" method="post" action=SaveRound::url()>
                <ContestField/>
                {id.map(|id| view! { <input type="hidden" name="round_id" value=id.to_string()/> })}
                <label>"Tên vòng" <input name="name" value=name required/></label>
                <label>"Mở lúc" <input type="datetime-local" name="opens_at" value=opens required/></label>
                <label>"Đóng lúc" <input type="datetime-local" name="closes_at" value=closes required/></label>
                <label>"Công bố kết quả lúc" <input type="datetime-local" name="results_at" value=results/></label>
                <label>"Giải riêng của vòng (để trống: theo cơ cấu chung; tên:số lượng[:tiền thưởng])"
                    <input name="prizes" value=prizes placeholder="Nhất:2:2.000.000, Nhì:5:1.000.000"/></label>
                <button type="submit" class="button">{if id.is_some() { "Lưu vòng thi" } else { "Thêm vòng thi" }}</button>
            </form>
            {remove}
        </div>
    }
}

/// Trial run, launch, wiping a trial's attempts.
#[component]
fn ContestState(slug: String, is_trial: bool, archived: bool) -> impl IntoView {
    let wiped = crate::pages::query_value("xoa");
    let public = format!("/cuoc-thi/{slug}");
    let state_form = |state: &'static str, label: &'static str| {
        view! {
            <form method="post" action=SetContestState::url() class="inline">
                <ContestField/>
                <input type="hidden" name="state" value=state/>
                <button type="submit" class="button" data-testid=format!("state-{state}")>{label}</button>
            </form>
        }
    };
    view! {
        <div class="card" data-testid="contest-state">
            <p>
                "Trang công khai: " <a href=public.clone()>{public.clone()}</a>
                {is_trial.then_some(" · đang THI THỬ (không hiện trên trang chủ)")}
                {archived.then_some(" · đã lưu trữ")}
            </p>
            {(!wiped.is_empty()).then(|| view! { <p class="notice">{format!("Đã xóa {wiped} lượt thi thử.")}</p> })}
            {if is_trial {
                view! {
                    {state_form("launch", "Kết thúc thi thử, thi chính thức")}
                    <form method="post" action=WipeTrial::url() class="form">
                        <ContestField/>
                        <label>{format!("Xóa mọi lượt thi thử: gõ “{slug}” để xác nhận")}
                            <input name="confirm" required/></label>
                        <button type="submit" class="button">"Xóa dữ liệu thi thử"</button>
                    </form>
                }.into_any()
            } else {
                state_form("trial", "Chuyển sang thi thử").into_any()
            }}
        </div>
    }
}

#[component]
fn Topics(list: Vec<crate::model::TopicAdmin>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|t| {
            let id = t.id.to_string();
            let (action, label) = match (t.retired, t.questions) {
                (true, _) => ("restore", "Dùng lại"),
                (false, 0) => ("delete", "Xóa"),
                (false, _) => ("retire", "Ngừng dùng"),
            };
            view! {
                <tr data-testid="topic">
                    <td>
                        <form method="post" action=ChangeTopic::url() class="inline">
                            <ContestField/>
                            <input type="hidden" name="topic_id" value=id.clone()/>
                            <input type="hidden" name="action" value="rename"/>
                            <input name="name" value=t.name.clone() aria-label="Tên chủ đề"/>
                            <button type="submit" class="link">"Đổi tên"</button>
                        </form>
                        {t.retired.then_some(" (ngừng dùng)")}
                    </td>
                    <td class="num">{t.questions}</td>
                    <td>
                        <form method="post" action=ChangeTopic::url() class="inline">
                            <ContestField/>
                            <input type="hidden" name="topic_id" value=id/>
                            <input type="hidden" name="action" value=action/>
                            <button type="submit" class="link">{label}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Chủ đề câu hỏi"</h2>
        <table class="board">
            <thead><tr><th>"Chủ đề"</th><th>"Số câu"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <form class="card form" method="post" action=AddTopic::url() data-testid="add-topic">
            <ContestField/>
            <label>"Chủ đề mới" <input name="name" required maxlength="100"/></label>
            <button type="submit" class="button">"Thêm chủ đề"</button>
        </form>
    }
}

/// Branding, help page and certificate wording.
#[component]
fn ProfileForms(p: crate::model::contests::ProfileForm) -> impl IntoView {
    let error = crate::pages::flash_error();
    let field = move |name: &'static str, label: &'static str, value: String| {
        let hint = field_error(&error, name);
        view! {
            <label>{label}
                <input name=format!("input[{name}]") value=value maxlength="500"/>
                {hint.map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
        }
    };
    view! {
        <h2>"Đơn vị tổ chức, hướng dẫn và giấy chứng nhận"</h2>
        <form class="card form" method="post" action=SaveProfile::url() data-testid="profile-form">
            <ContestField/>
            {field("organizer_name", "Đơn vị tổ chức", p.organizer_name)}
            {field("logo_url", "Biểu trưng (đường dẫn ảnh)", p.logo_url)}
            {field("contact_phone", "Điện thoại liên hệ", p.contact_phone)}
            {field("contact_email", "Thư điện tử", p.contact_email)}
            {field("contact_address", "Địa chỉ", p.contact_address)}
            <label>"Hướng dẫn, câu hỏi thường gặp" <textarea name="input[help_text]" rows="6">{p.help_text}</textarea></label>
            {field("cert_title", "Tên văn bản (GIẤY CHỨNG NHẬN hoặc GIẤY KHEN)", p.cert_title)}
            {field("cert_issuer", "Cấp (dòng đầu, ví dụ: CHỦ TỊCH UBND PHƯỜNG HOÀI XUÂN)", p.cert_issuer)}
            {field("cert_signer_title", "Chức vụ người ký", p.cert_signer_title)}
            {field("cert_signer_name", "Họ tên người ký", p.cert_signer_name)}
            {field("cert_place", "Địa danh ghi ngày (ví dụ: Hoài Xuân)", p.cert_place)}
            <button type="submit" class="button primary">"Lưu"</button>
        </form>
    }
}

#[component]
fn News(list: Vec<crate::model::contests::NewsPost>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|n| {
            view! {
                <div class="card" data-testid="news-admin">
                    <p><strong>{n.title}</strong>{format!(" · {}", n.at)}</p>
                    <form method="post" action=DeleteNews::url() class="inline">
                        <ContestField/>
                        <input type="hidden" name="id" value=n.id.to_string()/>
                        <button type="submit" class="link">"Xóa tin"</button>
                    </form>
                </div>
            }
        })
        .collect_view();
    view! {
        <h2>"Tin tức của cuộc thi"</h2>
        {rows}
        <form class="card form" method="post" action=PostNews::url()>
            <ContestField/>
            <label>"Tiêu đề" <input name="title" required maxlength="200"/></label>
            <label>"Nội dung" <textarea name="body" rows="4" required></textarea></label>
            <button type="submit" class="button">"Đăng tin"</button>
        </form>
    }
}
