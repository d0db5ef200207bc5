//! Upload progress for import forms and initiative entries. Without WASM the form posts as usual; once this island
//! is live it takes over the form's submit, sends the same multipart body with
//! XMLHttpRequest, shows how much of the file has gone, then follows the server's redirect.

use leptos::prelude::*;

// An island, except in the attempt page's own package (feature `quiz-only`, see `app::package`).
#[cfg_attr(not(feature = "quiz-only"), island)]
#[cfg_attr(feature = "quiz-only", component)]
pub fn UploadProgress() -> impl IntoView {
    let (sent, set_sent) = signal(None::<(f64, f64)>);
    // "true" once the form's submit is taken over (a test waits for it before submitting).
    let (taken, set_taken) = signal(false);
    let anchor = NodeRef::<leptos::html::Span>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = anchor.get() {
            live::take_over(&el, set_sent);
            set_taken.set(true);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_sent, set_taken);
    view! {
        <span node_ref=anchor class="upload-progress" data-testid="upload-progress" aria-live="polite"
            data-live=move || taken.get().to_string()>
            {move || sent.get().map(|(done, total)| {
                let pct = if total > 0.0 { (done / total * 100.0).floor().min(100.0) } else { 0.0 };
                let text = if pct >= 100.0 {
                    "Đã tải lên, đang kiểm tra…".to_string()
                } else {
                    format!("Đang tải lên {pct}%")
                };
                view! {
                    <progress max="100" value=pct.to_string()></progress>
                    <span class="small">{text}</span>
                }
            })}
        </span>
    }
}

#[cfg(feature = "hydrate")]
mod live {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    pub fn take_over(anchor: &web_sys::HtmlElement, set_sent: WriteSignal<Option<(f64, f64)>>) {
        let Some(form) = anchor
            .closest("form")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let target = form.clone();
        let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            // Anything missing here leaves the browser's own form post to do the job.
            let Ok(body) = web_sys::FormData::new_with_form(&target) else {
                return;
            };
            let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
                return;
            };
            if xhr.open("POST", &target.action()).is_err() {
                return;
            }
            ev.prevent_default();
            set_sent.set(Some((0.0, 1.0)));
            if let Ok(upload) = xhr.upload() {
                let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
                    move |p: web_sys::ProgressEvent| {
                        if p.length_computable() {
                            set_sent.set(Some((p.loaded(), p.total())));
                        }
                    },
                );
                upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
                progress.forget();
            }
            let done_xhr = xhr.clone();
            let fallback = target.clone();
            let on_done = Closure::<dyn FnMut()>::new(move || {
                let url = done_xhr.response_url();
                // The import answered with a redirect to the page showing its outcome.
                if !url.is_empty() && done_xhr.status().unwrap_or(0) < 400 {
                    let _ = window().location().assign(&url);
                } else {
                    let _ = fallback.submit();
                }
            });
            xhr.set_onloadend(Some(on_done.as_ref().unchecked_ref()));
            on_done.forget();
            if xhr.send_with_opt_form_data(Some(&body)).is_err() {
                let _ = target.submit();
            }
        });
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }
}
