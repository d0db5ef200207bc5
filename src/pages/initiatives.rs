//! Initiative contests (sáng kiến): the public list and results, a unit's submission form and
//! entries, the jury's scoring page and the committee's page. Plain server-rendered forms.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use crate::api::initiatives::{
    get_entry_edit, get_initiative, get_initiative_admin, get_jury, get_submission,
    list_initiatives, AssignJurors, ComputeInitiative, ForwardEntry, PreselectEntry,
    PublishInitiative, RecordHigherResult, SaveInitiative, ScoreEntry, ADMIN_PATH, JURY_PATH,
    PUBLIC_PATH,
};
use crate::domain::entry_files::{Slot, MAX_ENTRY_BYTES, MAX_IMAGES};
use crate::domain::initiatives::InitiativeForm;
use crate::error::AppError;
use crate::model::initiatives::{
    AdminEntry, EntryEditView, EntryFile, EntryView, InitiativeAdmin, InitiativeAdminView,
    InitiativeSummary, InitiativeView, JuryView, ResultRow, SelectionView,
};
use crate::pages::{flash_error, query_value, AdminNav, ErrorBox};

fn loading() -> impl IntoView {
    view! { <p>"Đang tải…"</p> }
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn files_list(files: Vec<EntryFile>) -> impl IntoView {
    let items = files
        .into_iter()
        .map(|f| {
            let label = Slot::parse(&f.slot).unwrap_or(Slot::Image).label();
            view! {
                <li>
                    <a href=format!("{PUBLIC_PATH}/tep/{}", f.id) data-testid="entry-file">{label}</a>
                    {format!(" ({}, {}) ", f.detected_type.to_uppercase(), size_text(f.size_bytes))}
                    <span class="muted small" title="SHA-256">{f.sha256[..12.min(f.sha256.len())].to_string()}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="small">{items}</ul> }
}

fn results_table(rows: Vec<ResultRow>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr data-testid="initiative-award">
                    <td>{r.prize}</td>
                    <td class="rank">{r.rank}</td>
                    <td>
                        <div class="name">{r.entry.title}</div>
                        <div class="muted small">{r.entry.unit_name}</div>
                        <div class="small">"Tác giả: " <strong>{r.entry.lead_author}</strong>
                            {(!r.entry.co_authors.is_empty()).then(|| format!("; đồng tác giả: {}", r.entry.co_authors))}
                        </div>
                        {files_list(r.entry.files)}
                    </td>
                    <td class="num">{r.score}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board" data-testid="initiative-results">
            <thead><tr><th>"Giải"</th><th>"Hạng"</th><th>"Sáng kiến · Đơn vị · Tác giả"</th><th class="num">"Điểm"</th></tr></thead>
            <tbody>{body}</tbody>
        </table></div>
        <p class="muted small">
            "Với nhóm tác giả, tác giả chính là người được đề nghị khen thưởng. Điểm là trung bình \
             tổng điểm của các giám khảo; bằng điểm thì xét lần lượt điểm trung bình từng tiêu chí \
             theo thứ tự của thang điểm, vẫn bằng nhau thì đồng hạng, cùng giải."
        </p>
    }
}

/// The results as a spreadsheet and the winners' certificates.
fn result_links(id: i64) -> impl IntoView {
    view! {
        <p class="actions">
            <a class="button" href=format!("{PUBLIC_PATH}/{id}/ket-qua.xlsx") data-testid="results-export">"Tải kết quả (Excel)"</a>
            <a class="button" href=format!("{PUBLIC_PATH}/{id}/giay-chung-nhan.pdf") data-testid="results-certificates">"Giấy chứng nhận (PDF)"</a>
        </p>
    }
}

/// `/sang-kien`: every initiative contest.
#[component]
pub fn InitiativesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| list_initiatives());
    view! {
        <h1>"Cuộc thi sáng kiến"</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) if v.contests.is_empty() => view! { <p class="muted">"Chưa có cuộc thi sáng kiến nào."</p> }.into_any(),
                    Ok(v) => v.contests.into_iter().map(|c| view! { <ContestCard c=c/> }).collect_view().into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContestCard(c: InitiativeSummary) -> impl IntoView {
    view! {
        <section class="card" data-testid="initiative">
            <h2><a href=format!("{PUBLIC_PATH}/{}", c.id)>{c.name}</a></h2>
            <p>{if c.open { format!("Hạn nộp bài: {}", c.deadline) } else { format!("Đã hết hạn nộp bài ({})", c.deadline) }}</p>
            {c.results_public.then(|| view! { <p><a href=format!("{PUBLIC_PATH}/{}#ket-qua", c.id)>"Xem kết quả"</a></p> })}
        </section>
    }
}

/// `/sang-kien/{id}`: the rules, the submission form for a unit's account, its entries and,
/// once published, the results.
#[component]
pub fn InitiativePage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    let data = Resource::new_blocking(move || id, get_initiative);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Initiative v=v/> }.into_any(),
                    Err(e) => view! { <h1>"Cuộc thi sáng kiến"</h1><ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Initiative(v: InitiativeView) -> impl IntoView {
    let c = v.contest.clone();
    let topics = c
        .topics
        .iter()
        .map(|t| view! { <li>{t.clone()}</li> })
        .collect_view();
    let rubric = v
        .rubric
        .iter()
        .map(|r| view! { <li>{format!("{}: tối đa {} điểm", r.name, r.max)}</li> })
        .collect_view();
    let submitted = query_value("nop");
    let edited = query_value("sua");
    let withdrawn = query_value("rut");
    let error = flash_error();
    let mine = v.my_entries.clone();
    let can_edit = v.can_submit;
    view! {
        <h1>{c.name.clone()}</h1>
        <p>{if c.open { format!("Hạn nộp bài: {} (giờ Việt Nam).", c.deadline) } else { format!("Đã hết hạn nộp bài ({}).", c.deadline) }}</p>
        {v.results.map(|rows| view! {
            <section id="ket-qua">
                <h2>"Kết quả"</h2>
                {if rows.is_empty() {
                    view! { <p class="muted">"Không có bài dự thi đạt giải."</p> }.into_any()
                } else {
                    view! { {results_table(rows)}{result_links(c.id)} }.into_any()
                }}
            </section>
        })}
        {v.forwarded.map(|list| (!list.is_empty()).then(|| view! {
            <section id="gui-len">
                <h2>"Bài dự thi gửi lên cấp trên"</h2>
                <ul data-testid="forwarded">{list.into_iter().map(|e| view! {
                    <li>{format!("{} – {}", e.title, e.unit_name)}
                        {e.higher_prize.map(|p| format!(" · Giải {p} cấp trên"))}</li>
                }).collect_view()}</ul>
            </section>
        }))}
        {v.selection.map(|sel| view! { <Selection id=c.id sel=sel/> })}
        <details class="card" open=!c.results_public>
            <summary>"Thể lệ"</summary>
            {(!v.rules_text.is_empty()).then(|| view! {
                <div class="rules" data-testid="rules-text">{v.rules_text.split('\n').map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}</div>
            })}
            {v.rules_file.map(|name| view! {
                <p><a href=format!("{PUBLIC_PATH}/{}/the-le", c.id) data-testid="rules-file">{format!("Tải văn bản thể lệ ({name})")}</a></p>
            })}
            <h3>"Chủ đề"</h3><ul>{topics}</ul>
            <h3>"Tiêu chí chấm điểm"</h3><ul>{rubric}</ul>
            <p>{format!("Cơ cấu giải: {}.", v.prizes)}</p>
            <p class="muted small">{files_rule()}</p>
        </details>
        <section id="nop-bai">
            {(!submitted.is_empty()).then(|| view! { <p class="notice" data-testid="submitted">"Đã nộp bài dự thi. Cảm ơn đơn vị đã tham gia."</p> })}
            {(!edited.is_empty()).then(|| view! { <p class="notice" data-testid="edited">"Đã lưu bài dự thi đã sửa."</p> })}
            {(!withdrawn.is_empty()).then(|| view! { <p class="notice" data-testid="withdrawn">"Đã rút bài dự thi."</p> })}
            {(!query_value("chon").is_empty()).then(|| view! { <p class="notice" data-testid="preselected">"Đã cập nhật xét chọn."</p> })}
            {error.clone().map(|e| view! { <ErrorBox error=e/> })}
            {if v.can_submit {
                view! { <p><a class="button primary" href=format!("{PUBLIC_PATH}/{}/nop-bai", c.id) data-testid="entry-open-form">"Nộp bài dự thi"</a></p> }.into_any()
            } else if !v.signed_in && c.open {
                view! { <p><a class="button primary" href="/dang-nhap">"Đăng nhập để nộp bài"</a></p> }.into_any()
            } else {
                ().into_any()
            }}
        </section>
        {(!mine.is_empty()).then(|| view! {
            <section>
                <h2>"Bài dự thi của tôi"</h2>
                {mine.into_iter().map(|e| view! { <EntryCard e=e can_edit=can_edit/> }).collect_view()}
            </section>
        })}
    }
}

/// An intermediate body's list of the entries of the units under it, each to pre-select.
#[component]
fn Selection(id: i64, sel: SelectionView) -> impl IntoView {
    let chosen = sel.entries.iter().filter(|e| e.preselected).count();
    let rows = sel
        .entries
        .into_iter()
        .map(|e| {
            let form = sel.open.then(|| view! {
                <form method="post" action=PreselectEntry::url() class="inline">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="entry_id" value=e.id.to_string()/>
                    <input type="hidden" name="selected" value=(!e.preselected).to_string()/>
                    <button type="submit" class="button" data-testid="preselect">
                        {if e.preselected { "Bỏ chọn" } else { "Chọn gửi lên" }}</button>
                </form>
            });
            view! {
                <tr data-testid="selection-entry">
                    <td><div class="name">{e.title.clone()}</div>
                        <div class="muted small">{format!("{} · {}", e.unit_name, e.lead_author)}</div>
                        {files_list(e.files.clone())}</td>
                    <td>{if e.preselected { "Đã chọn" } else { "Chưa chọn" }}</td>
                    <td>{form}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="xet-chon" class="card">
            <h2>{format!("Xét chọn bài dự thi của các đơn vị trực thuộc {}", sel.unit_name)}</h2>
            <p class="small" data-testid="selection-count">{if sel.required > 0 {
                format!("Đã chọn {chosen} bài; cần chọn ít nhất {} bài gửi Ban Tổ chức.", sel.required)
            } else {
                format!("Đã chọn {chosen} bài.")
            }}</p>
            <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
                <thead><tr><th>"Sáng kiến"</th><th>"Xét chọn"</th><th></th></tr></thead>
                <tbody>{rows}</tbody></table></div>
        </section>
    }
}

/// What an entry may carry, in the rules and above the forms.
fn files_rule() -> String {
    format!(
        "Bài dự thi gồm bản thuyết minh ({}, tối đa {} MB) hoặc video ({}, tối đa {} MB), hoặc cả hai; \
         có thể kèm đến {MAX_IMAGES} hình ảnh ({}, mỗi ảnh tối đa {} MB); tổng dung lượng tối đa {} MB. \
         Tệp chỉ Ban Tổ chức, Ban Giám khảo và người nộp xem được cho đến khi công bố kết quả.",
        Slot::Writeup.accepts(),
        Slot::Writeup.max_bytes() / MIB,
        Slot::Video.accepts(),
        Slot::Video.max_bytes() / MIB,
        Slot::Image.accepts(),
        Slot::Image.max_bytes() / MIB,
        MAX_ENTRY_BYTES / MIB
    )
}

const MIB: u64 = 1024 * 1024;

/// The file fields of the submission and edit forms.
fn file_fields(hint: impl Fn(&str) -> Option<AnyView>, editing: bool) -> impl IntoView {
    let note = if editing {
        " (chọn tệp mới để thay tệp đang có)"
    } else {
        ""
    };
    view! {
        <label>{format!("Bản thuyết minh{note}: {}, tối đa {} MB", Slot::Writeup.accepts(), Slot::Writeup.max_bytes() / MIB)}
            <input type="file" name="writeup" accept=Slot::Writeup.accept_attr() data-testid="entry-writeup"/>{hint("writeup")}</label>
        <label>{format!("Video{note}: {}, tối đa {} MB", Slot::Video.accepts(), Slot::Video.max_bytes() / MIB)}
            <input type="file" name="video" accept=Slot::Video.accept_attr() data-testid="entry-video"/></label>
        <label>{format!("Hình ảnh (không bắt buộc, tối đa {MAX_IMAGES} ảnh JPEG hoặc PNG, mỗi ảnh {} MB)", Slot::Image.max_bytes() / MIB)}
            <input type="file" name="images" multiple accept=Slot::Image.accept_attr() data-testid="entry-images"/></label>
        {hint("files")}
        <p class="muted small">"Cần ít nhất bản thuyết minh hoặc video."</p>
        <crate::components::upload::UploadProgress/>
    }
}

fn hint_of(error: Option<AppError>) -> impl Fn(&str) -> Option<AnyView> {
    move |field: &str| {
        error
            .as_ref()
            .and_then(|e| e.field_message(field))
            .map(|m| view! { <span class="field-error">{m}</span> }.into_any())
    }
}

fn topic_options(topics: Vec<String>, chosen: &str) -> impl IntoView {
    topics
        .into_iter()
        .map(|t| {
            let selected = t == chosen;
            view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
        })
        .collect_view()
}

/// The text fields of the submission and edit forms, filled with `e` when editing.
fn text_fields(
    topics: Vec<String>,
    e: Option<&EntryView>,
    hint: &impl Fn(&str) -> Option<AnyView>,
) -> impl IntoView {
    let value = |f: fn(&EntryView) -> &String| e.map(|e| f(e).clone()).unwrap_or_default();
    let topic = value(|e| &e.topic);
    view! {
        <label>"Tên sáng kiến, giải pháp" <input name="title" required maxlength="300" value=value(|e| &e.title) data-testid="entry-title"/>{hint("title")}</label>
        <label>"Chủ đề" <select name="topic" required data-testid="entry-topic">{topic_options(topics, &topic)}</select>{hint("topic")}</label>
        <label>"Tác giả chính (người được đề nghị khen thưởng nếu là nhóm tác giả)"
            <input name="lead_author" required maxlength="100" value=value(|e| &e.lead_author) data-testid="entry-lead"/>{hint("lead_author")}</label>
        <label>"Đồng tác giả (nếu có, cách nhau bằng dấu phẩy)"
            <input name="co_authors" maxlength="1000" value=value(|e| &e.co_authors) data-testid="entry-coauthors"/>{hint("co_authors")}</label>
    }
}

#[component]
fn EntryCard(e: EntryView, can_edit: bool) -> impl IntoView {
    let state = if e.withdrawn {
        format!("Đã rút lúc {}", e.edited_at.clone().unwrap_or_default())
    } else if let Some(at) = &e.edited_at {
        format!(
            "Nộp lúc {} · sửa lần cuối lúc {at} (phiên bản {})",
            e.submitted_at, e.version
        )
    } else {
        format!("Nộp lúc {}", e.submitted_at)
    };
    let editable = can_edit && !e.withdrawn;
    view! {
        <article class="card" class:withdrawn=e.withdrawn data-testid="my-entry" id=format!("bai-{}", e.id)>
            <h3>{e.title.clone()}</h3>
            <p class="small">{format!("Chủ đề: {}", e.topic)}</p>
            <p class="small">{format!("{} · tác giả chính: {}", e.unit_name, e.lead_author)}
                {(!e.co_authors.is_empty()).then(|| format!(" · đồng tác giả: {}", e.co_authors))}</p>
            <p class="muted small" data-testid="entry-state">{state}</p>
            {files_list(e.files.clone())}
            {editable.then(|| view! {
                <p><a class="button" href=format!("{PUBLIC_PATH}/bai/{}", e.id) data-testid="entry-edit-open">"Sửa hoặc rút bài"</a></p>
            })}
        </article>
    }
}

/// `/sang-kien/{id}/nop-bai`: the submission form, on a page of its own (with the upload
/// bar's island). Anyone who may not submit now is sent back to the contest (or to sign in).
#[component]
pub fn InitiativeSubmitPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    let data = Resource::new_blocking(move || id, get_submission);
    view! {
        <Suspense fallback=loading>
            {move || {
                Suspend::new(async move {
                    match data.await {
                        // Read only here: a visitor sent elsewhere keeps it for that page.
                        Ok(v) => view! {
                            <h1>{v.contest.name.clone()}</h1>
                            <p><a href=format!("{PUBLIC_PATH}/{id}")>"← Thể lệ và bài đã nộp"</a></p>
                            <SubmitForm id=id topics=v.contest.topics.clone() unit=v.unit_name.clone() error=flash_error()/>
                        }.into_any(),
                        Err(e) => view! { <h1>"Nộp bài dự thi"</h1><ErrorBox error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/sang-kien/bai/{entry}`: the submitter edits or withdraws an entry, until the deadline.
#[component]
pub fn EntryEditPage() -> impl IntoView {
    let entry = use_params_map()
        .get_untracked()
        .get("entry")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    let data = Resource::new_blocking(move || entry, get_entry_edit);
    view! {
        <Suspense fallback=loading>
            {move || {
                Suspend::new(async move {
                    match data.await {
                        // Read only here: a visitor sent elsewhere keeps it for that page.
                        Ok(v) => view! { <EditForms v=v error=flash_error()/> }.into_any(),
                        Err(e) => view! { <h1>"Sửa bài dự thi"</h1><ErrorBox error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn EditForms(v: EntryEditView, error: Option<AppError>) -> impl IntoView {
    let e = v.entry;
    let hint = hint_of(error.clone());
    let removable = e
        .files
        .iter()
        .map(|f| {
            let label = format!(
                "Bỏ tệp {} “{}”",
                Slot::parse(&f.slot).unwrap_or(Slot::Image).label().to_lowercase(),
                f.original_name
            );
            view! { <label class="check"><input type="checkbox" name="remove" value=f.id.to_string() data-testid="entry-remove"/>" "{label}</label> }
        })
        .collect_view();
    view! {
        <h1>"Sửa bài dự thi"</h1>
        <p><a href=format!("{PUBLIC_PATH}/{}#bai-{}", v.contest_id, e.id)>{format!("← {}", v.contest_name)}</a></p>
        <p class="muted small">{format!("Được sửa hoặc rút đến hạn nộp bài: {} (giờ Việt Nam). Bản trước khi sửa vẫn được lưu.", v.deadline)}</p>
        {error.clone().map(|e| view! { <ErrorBox error=e/> })}
        <form class="card form" method="post" action=format!("{PUBLIC_PATH}/bai/{}/sua", e.id)
            enctype="multipart/form-data" data-testid="entry-edit-form">
            {text_fields(v.topics, Some(&e), &hint)}
            {files_list(e.files.clone())}
            {removable}
            {file_fields(hint_of(error), true)}
            <button type="submit" class="button primary" data-testid="entry-edit-save">"Lưu bài đã sửa"</button>
        </form>
        <form class="card form" method="post" action=format!("{PUBLIC_PATH}/bai/{}/rut", e.id) data-testid="entry-withdraw-form">
            <h2>"Rút bài dự thi"</h2>
            <label class="check"><input type="checkbox" required data-testid="entry-withdraw-confirm"/>
                " Tôi muốn rút bài dự thi này (bài đã rút không được chấm)"</label>
            <button type="submit" class="button" data-testid="entry-withdraw">"Rút bài"</button>
        </form>
    }
}

#[component]
fn SubmitForm(
    id: i64,
    topics: Vec<String>,
    unit: String,
    error: Option<AppError>,
) -> impl IntoView {
    let hint = hint_of(error.clone());
    view! {
        {error.clone().map(|e| view! { <ErrorBox error=e/> })}
        <form class="card form" method="post" action=format!("{PUBLIC_PATH}/{id}/nop")
            enctype="multipart/form-data" data-testid="initiative-form">
            <h2>"Nộp bài dự thi"</h2>
            <p class="muted small">{format!("Đơn vị: {unit}")}</p>
            {text_fields(topics, None, &hint)}
            {file_fields(hint_of(error), false)}
            <button type="submit" class="button primary" data-testid="entry-submit">"Nộp bài"</button>
        </form>
    }
}

/// `/quan-tri/sang-kien`: the committee's page (`?id=` a contest, `?moi=1` a new one).
#[component]
pub fn InitiativeAdminPage() -> impl IntoView {
    let id = query_value("id").parse::<i64>().ok();
    let data = Resource::new_blocking(move || id, get_initiative_admin);
    let error = flash_error();
    let computed = query_value("tinh");
    let saved = !query_value("luu").is_empty();
    let published = !query_value("cong-bo").is_empty();
    let assigned = query_value("phan-cong");
    let forwarded = !query_value("gui").is_empty();
    let higher = !query_value("ket-qua-tren").is_empty();
    let rules_attached = !query_value("the-le").is_empty();
    view! {
        <h1>"Cuộc thi sáng kiến"</h1>
        <AdminNav/>
        {error.clone().map(|e| view! { <ErrorBox error=e/> })}
        {saved.then(|| view! { <p class="notice" data-testid="saved">"Đã lưu."</p> })}
        {(!computed.is_empty()).then(|| view! {
            <p class="notice" data-testid="computed">{format!("Đã tính {computed} giải. Xem lại trước khi công bố.")}</p>
        })}
        {published.then(|| view! { <p class="notice" data-testid="published">"Đã công bố kết quả."</p> })}
        {(!assigned.is_empty()).then(|| view! {
            <p class="notice" data-testid="assigned">{format!("Đã phân công {assigned} lượt chấm.")}</p>
        })}
        {forwarded.then(|| view! { <p class="notice" data-testid="forwarded-saved">"Đã cập nhật danh sách bài gửi lên."</p> })}
        {higher.then(|| view! { <p class="notice" data-testid="higher-saved">"Đã lưu kết quả cấp trên."</p> })}
        {rules_attached.then(|| view! { <p class="notice" data-testid="rules-attached">"Đã đính kèm văn bản thể lệ."</p> })}
        <Suspense fallback=loading>
            {move || {
                let error = error.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! { <AdminBody v=v error=error/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AdminBody(v: InitiativeAdminView, error: Option<AppError>) -> impl IntoView {
    let links = v
        .contests
        .iter()
        .map(|c| {
            view! { <li><a href=format!("{ADMIN_PATH}?id={}", c.id)>{c.name.clone()}</a>
            <span class="muted small">{format!(" · hạn nộp {}", c.deadline)}</span></li> }
        })
        .collect_view();
    let new_form = v.current.is_none();
    view! {
        <ul data-testid="initiative-contests">{links}</ul>
        <p><a href=format!("{ADMIN_PATH}?moi=1#cai-dat")>"Tạo cuộc thi sáng kiến mới"</a>
            " · " <a href=JURY_PATH>"Trang chấm điểm"</a></p>
        {match v.current {
            Some(cur) => view! { <Current cur=cur error=error/> }.into_any(),
            None => new_form.then(|| view! { <SettingsForm form=InitiativeForm::default() error=error/> }).into_any(),
        }}
    }
}

#[component]
fn Current(cur: InitiativeAdmin, error: Option<AppError>) -> impl IntoView {
    let id = cur.id;
    let shortfalls = cur
        .shortfalls
        .iter()
        .map(|s| view! {
            <tr data-testid="shortfall"><td>{s.unit_name.clone()}</td><td class="wide-only">{s.kind_label.clone()}</td>
                <td title=s.requirement.clone()>{s.wanted.clone()}</td>
                <td class="num">{s.submitted}</td><td class="num">{s.required}</td></tr>
        })
        .collect_view();
    let no_shortfall = cur.shortfalls.is_empty();
    let deadline_passed = cur.deadline_passed;
    let any_forwarded = cur.entries.iter().any(|a| a.entry.forwarded);
    let entries = cur
        .entries
        .into_iter()
        .map(|a| view! { <AdminEntryRow id=id a=a deadline_passed=deadline_passed/> })
        .collect_view();
    let jurors = cur
        .jurors
        .iter()
        .map(|j| {
            let late = j.scored < j.assigned;
            view! {
                <tr data-testid="juror-progress" class:late=late><td>{j.name.clone()}</td>
                    <td class="num">{j.scored}</td><td class="num">{j.assigned}</td>
                    <td>{if late { "Chưa chấm xong" } else { "Đã chấm xong" }}</td></tr>
            }
        })
        .collect_view();
    let commendations = cur
        .commendations
        .iter()
        .map(|c| view! {
            <tr data-testid="commendation"><td>{c.honoree.clone()}</td><td>{c.unit_name.clone()}</td>
                <td>{c.title.clone()}</td><td>{format!("Giải {}", c.prize)}</td></tr>
        })
        .collect_view();
    let has_commendations = !cur.commendations.is_empty();
    view! {
        <h2>{cur.form.name.clone()}</h2>
        <p><a href=format!("{PUBLIC_PATH}/{id}")>"Trang công khai"</a></p>
        <h3>"Đơn vị bắt buộc chưa nộp đủ bài"</h3>
        <p class="small" data-testid="unit-counts">{format!(
            "{} đơn vị bắt buộc tham gia (theo yêu cầu của cuộc thi); {} đơn vị khuyến khích đã nộp bài.",
            cur.mandatory_units, cur.encouraged_units)}</p>
        {if no_shortfall {
            view! { <p class="muted" data-testid="no-shortfall">"Mọi đơn vị bắt buộc đã nộp đủ số bài."</p> }.into_any()
        } else {
            view! { <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board" data-testid="shortfalls">
                <thead><tr><th>"Đơn vị"</th><th class="wide-only">"Loại"</th><th>"Yêu cầu"</th><th class="num">"Đã nộp"</th><th class="num">"Cần"</th></tr></thead>
                <tbody>{shortfalls}</tbody></table></div>
                <p><a class="button" href=format!("/quan-tri/xuat/sang-kien/{id}/chua-nop-du.xlsx") data-testid="shortfalls-export">"Tải danh sách (Excel)"</a></p> }.into_any()
        }}
        <h3 id="giam-khao">"Giám khảo"</h3>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board" data-testid="jurors">
            <thead><tr><th>"Giám khảo"</th><th class="num">"Đã chấm"</th><th class="num">"Được giao"</th><th></th></tr></thead>
            <tbody>{jurors}</tbody></table></div>
        {(!cur.published).then(|| view! {
            <form method="post" action=AssignJurors::url() class="form inline" data-testid="assign-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <label>"Số giám khảo chấm mỗi bài (0: mọi giám khảo chấm mọi bài)"
                    <input type="number" name="per_entry" min="0" max="50" value=cur.per_entry.to_string() data-testid="per-entry"/></label>
                <button type="submit" class="button" data-testid="assign">"Phân công"</button>
            </form>
        })}
        <h3>"Bài dự thi"</h3>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board" data-testid="admin-entries">
            <thead><tr><th>"Sáng kiến"</th><th class="num">"Số GK"</th><th class="num">"Điểm"</th><th>"Gửi lên cấp trên"</th></tr></thead>
            <tbody>{entries}</tbody>
        </table></div>
        {any_forwarded.then(|| view! {
            <p class="actions">
                <a class="button primary" href=format!("/quan-tri/xuat/sang-kien/{id}/ho-so-gui.zip") data-testid="package">"Tải hồ sơ gửi lên (.zip: tệp bài dự thi, danh sách .xlsx, công văn .pdf)"</a>
            </p>
        })}
        {has_commendations.then(|| view! {
            <h3>"Đề nghị khen thưởng (đạt giải Ba trở lên ở cấp trên)"</h3>
            <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board" data-testid="commendations">
                <thead><tr><th>"Cá nhân"</th><th>"Đơn vị"</th><th>"Sáng kiến"</th><th>"Giải"</th></tr></thead>
                <tbody>{commendations}</tbody></table></div>
            <p><a class="button" href=format!("/quan-tri/xuat/sang-kien/{id}/de-nghi-khen-thuong.xlsx") data-testid="commendations-export">"Tải danh sách (Excel)"</a></p>
        })}
        <h3>"Giải thưởng"</h3>
        {if cur.published {
            view! { <p class="notice">"Kết quả đã công bố."</p> }.into_any()
        } else if !cur.deadline_passed {
            view! { <p class="muted">"Tính giải được sau khi hết hạn nộp bài."</p> }.into_any()
        } else {
            view! {
                <div class="actions">
                    <form method="post" action=ComputeInitiative::url() class="inline">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <button type="submit" class="button" data-testid="initiative-compute">"Tổng hợp điểm và tính giải"</button>
                    </form>
                    {cur.computed.then(|| view! {
                        <form method="post" action=PublishInitiative::url() class="inline">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <button type="submit" class="button primary" data-testid="initiative-publish">"Công bố kết quả"</button>
                        </form>
                    })}
                </div>
            }.into_any()
        }}
        {(!cur.results.is_empty()).then(|| view! { {results_table(cur.results)}{result_links(id)} })}
        <form class="card form" method="post" action=format!("{ADMIN_PATH}/{id}/the-le") enctype="multipart/form-data" data-testid="rules-file-form">
            <h3>"Văn bản thể lệ (PDF hoặc Word)"</h3>
            {match cur.rules_file.clone() {
                Some(name) => view! { <p class="small">"Đang đính kèm: " <a href=format!("{PUBLIC_PATH}/{id}/the-le")>{name}</a></p> }.into_any(),
                None => view! { <p class="muted small">"Chưa đính kèm."</p> }.into_any(),
            }}
            <input type="file" name="file" accept=Slot::Writeup.accept_attr() required data-testid="rules-file-input"/>
            <button type="submit" class="button" data-testid="rules-file-upload">"Tải lên"</button>
        </form>
        {(!cur.published).then(|| view! { <SettingsForm form=cur.form error=error/> })}
    }
}

#[component]
fn AdminEntryRow(id: i64, a: AdminEntry, deadline_passed: bool) -> impl IntoView {
    let e = a.entry;
    let entry_id = e.id;
    let stage = if e.awaiting_preselection {
        "Chờ đơn vị cấp trên xét chọn".to_string()
    } else if !a.missing_jurors.is_empty() {
        format!("Chưa chấm xong: {}", a.missing_jurors.join(", "))
    } else if e.forwarded {
        "Đã chọn gửi lên".to_string()
    } else {
        String::new()
    };
    let toggle = (deadline_passed && !e.awaiting_preselection).then(|| {
        view! {
            <form method="post" action=ForwardEntry::url() class="inline">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="entry_id" value=entry_id.to_string()/>
                <input type="hidden" name="selected" value=(!e.forwarded).to_string()/>
                <button type="submit" class="button" data-testid="forward">
                    {if e.forwarded { "Bỏ chọn" } else { "Chọn gửi lên" }}</button>
            </form>
        }
    });
    let result = e.forwarded.then(|| {
        let prizes = crate::domain::initiative_stages::HIGHER_PRIZES
            .iter()
            .map(|p| {
                let selected = e.higher_prize.as_deref() == Some(*p);
                view! { <option value=*p selected=selected>{*p}</option> }
            })
            .collect_view();
        view! {
            <form method="post" action=RecordHigherResult::url() class="form" data-testid="higher-result-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="input[entry_id]" value=entry_id.to_string()/>
                <label>"Kết quả cấp trên"
                    <select name="input[prize]" data-testid="higher-prize"><option value="">"Chưa có"</option>{prizes}</select></label>
                <label>"Tác giả được đề nghị khen thưởng (nhóm tác giả chọn một người)"
                    <input name="input[honoree]" value=e.honoree.clone().unwrap_or_default() placeholder=e.lead_author.clone() data-testid="honoree"/></label>
                <button type="submit" class="button" data-testid="higher-save">"Lưu kết quả"</button>
            </form>
        }
    });
    view! {
        <tr data-testid="admin-entry" id=format!("bai-{entry_id}")>
            <td><div class="name">{e.title}</div>
                <div class="muted small">{format!("{} · {} · {}", e.unit_name, e.lead_author, e.topic)}</div>
                {files_list(e.files)}</td>
            <td class="num">{a.jurors}</td>
            <td class="num" data-testid="combined">{a.combined}</td>
            <td><span class="small" data-testid="entry-stage">{stage}</span>{toggle}{result}</td>
        </tr>
    }
}

#[component]
fn SettingsForm(form: InitiativeForm, error: Option<AppError>) -> impl IntoView {
    let hint = move |field: &str| {
        error
            .as_ref()
            .and_then(|e| e.field_message(field))
            .map(|m| view! { <span class="field-error">{m}</span> })
    };
    let title = if form.id.is_some() {
        "Cài đặt cuộc thi"
    } else {
        "Tạo cuộc thi sáng kiến"
    };
    view! {
        <form class="card form" id="cai-dat" method="post" action=SaveInitiative::url() data-testid="initiative-settings">
            <h2>{title}</h2>
            {form.id.map(|id| view! { <input type="hidden" name="input[id]" value=id.to_string()/> })}
            <label>"Tên cuộc thi" <input name="input[name]" value=form.name required maxlength="200" data-testid="ini-name"/>{hint("name")}</label>
            <label>"Chủ đề (mỗi dòng một chủ đề)" <textarea name="input[topics]" rows="4" required data-testid="ini-topics">{form.topics}</textarea>{hint("topics")}</label>
            <label>"Tiêu chí chấm (mỗi dòng “tiêu chí: điểm tối đa”, tiêu chí quan trọng nhất trước)"
                <textarea name="input[rubric]" rows="4" required data-testid="ini-rubric">{form.rubric}</textarea>{hint("rubric")}</label>
            <label>"Cơ cấu giải (ví dụ “Nhất:1, Nhì:2, Ba:3”)" <input name="input[prizes]" value=form.prizes required data-testid="ini-prizes"/>{hint("prizes")}</label>
            <label>"Yêu cầu số bài, mỗi dòng một yêu cầu “đơn vị: số bài [video | bài viết]”. Đơn vị là loại đơn vị (Phường, Xã, Trường học…), \
                tên hoặc mã một đơn vị, hoặc “thuộc” và một đơn vị (các đơn vị trực thuộc). Đơn vị không được nêu là đơn vị khuyến khích."
                <textarea name="input[requirements]" rows="5" placeholder="thuộc UBND thị xã: 1\nPhường: 1\nXã: 1\nUBND xã Hòa Thành: 1 video" data-testid="ini-requirements">{form.requirements}</textarea>{hint("requirements")}</label>
            <label>"Thể lệ (hiện trên trang cuộc thi)"
                <textarea name="input[rules_text]" rows="6" data-testid="ini-rules">{form.rules_text}</textarea>{hint("rules_text")}</label>
            <label>"Cơ quan gửi công văn (ví dụ “UBND thị xã Đông Hòa”)"
                <input name="input[issuer]" value=form.issuer maxlength="200" data-testid="ini-issuer"/>{hint("issuer")}</label>
            <label>"Nơi nhận bài gửi lên (ví dụ “Sở Nội vụ tỉnh Phú Yên”)"
                <input name="input[recipient]" value=form.recipient maxlength="200" data-testid="ini-recipient"/>{hint("recipient")}</label>
            <label>"Nội dung công văn gửi kèm (để trống: câu mặc định)"
                <textarea name="input[letter]" rows="4" data-testid="ini-letter">{form.letter}</textarea>{hint("letter")}</label>
            <label>"Hạn nộp bài (giờ Việt Nam)" <input type="datetime-local" name="input[deadline]" value=form.deadline required data-testid="ini-deadline"/>{hint("deadline")}</label>
            <label>"Công bố kết quả từ" <input type="datetime-local" name="input[results_at]" value=form.results_at required data-testid="ini-results-at"/>{hint("results_at")}</label>
            <button type="submit" class="button primary" data-testid="ini-save">"Lưu"</button>
        </form>
    }
}

/// `/quan-tri/cham-sang-kien`: a juror scores entries; they see only their own points.
#[component]
pub fn InitiativeJuryPage() -> impl IntoView {
    let id = query_value("id").parse::<i64>().ok();
    let data = Resource::new_blocking(move || id, get_jury);
    let error = flash_error();
    let scored = !query_value("cham").is_empty();
    view! {
        <h1>"Chấm điểm sáng kiến"</h1>
        {error.map(|e| view! { <ErrorBox error=e/> })}
        {scored.then(|| view! { <p class="notice" data-testid="scored">"Đã lưu điểm."</p> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Jury v=v/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Jury(v: JuryView) -> impl IntoView {
    let links = v
        .contests
        .iter()
        .map(|c| view! { <li><a href=format!("{JURY_PATH}?id={}", c.id)>{c.name.clone()}</a></li> })
        .collect_view();
    let rubric = v.rubric.clone();
    let closed = v.closed;
    let cards = v
        .entries
        .into_iter()
        .map(|j| {
            let entry_id = j.entry.id;
            let inputs = rubric
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let value = j
                        .my_points
                        .as_ref()
                        .and_then(|p| p.get(i))
                        .map(|p| p.to_string())
                        .unwrap_or_default();
                    let comment = j.my_comments.get(i).cloned().unwrap_or_default();
                    view! {
                        <label>{format!("{} (0–{})", c.name, c.max)}
                            <input name=format!("input[points][{i}]") inputmode="numeric" type="number"
                                min="0" max=c.max.to_string() value=value required
                                data-testid=format!("score-{i}")/></label>
                        <label class="small">"Nhận xét (không bắt buộc)"
                            <textarea name=format!("input[comments][{i}]") rows="2" maxlength="1000"
                                data-testid=format!("comment-{i}")>{comment}</textarea></label>
                    }
                })
                .collect_view();
            let done = j.my_points.is_some();
            view! {
                <article class="card" id=format!("bai-{entry_id}") data-testid="jury-entry">
                    <h2>{j.entry.title}</h2>
                    <p class="small">{format!("{} · {}", j.entry.unit_name, j.entry.topic)}</p>
                    {files_list(j.entry.files)}
                    {done.then(|| view! { <p class="muted small" data-testid="already-scored">"Bạn đã chấm bài này; có thể sửa điểm."</p> })}
                    {(!closed).then(|| view! {
                        <form class="form" method="post" action=ScoreEntry::url() data-testid="score-form">
                            <input type="hidden" name="input[entry_id]" value=entry_id.to_string()/>
                            {inputs}
                            <button type="submit" class="button primary" data-testid="score-save">"Lưu điểm"</button>
                        </form>
                    })}
                </article>
            }
        })
        .collect_view();
    view! {
        <ul>{links}</ul>
        {cards}
    }
}
