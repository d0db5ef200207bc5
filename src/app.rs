//! Shell and router. Pages render on the server; only islands (the quiz) ship to the browser.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::pages::accounts::{AccountsPage, ChangePasswordPage, ResetPasswordPage};
use crate::pages::admin::BankAdminPage;
use crate::pages::attempt::AttemptPage;
use crate::pages::audit::AuditPage;
use crate::pages::auth::{LoginPage, RegisterPage};
use crate::pages::awards::{AwardsAdminPage, AwardsPage, UnitPrizesPage};
use crate::pages::contests::ContestsAdminPage;
use crate::pages::home::{ContestPage, HomePage};
use crate::pages::initiatives::{
    EntryEditPage, InitiativeAdminPage, InitiativeJuryPage, InitiativePage, InitiativeSubmitPage,
    InitiativesPage,
};
use crate::pages::leaderboard::LeaderboardPage;
use crate::pages::manage::ContestAdminPage;
use crate::pages::monitor::DashboardPage;
use crate::pages::people::PeopleAdminPage;
use crate::pages::reports::ReportsPage;
use crate::pages::result::ResultPage;
use crate::pages::study::{PracticePage, StudyPage};
use crate::pages::units::UnitsAdminPage;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    let (root, package) = package();
    let hydrate = package.is_some();
    let mut options = options;
    if package == Some(QUIZ_PACKAGE) {
        options.output_name = QUIZ_PACKAGE.into();
    }
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#b91c1c"/>
                <link rel="icon" href="/favicon.ico" sizes="16x16 32x32"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {hydrate.then(|| view! { <HydrationScripts options islands=true root=root.clone()/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages with an island: only these load the WASM and the script that starts it. Every
/// other page is plain HTML and forms (a test checks each page's HTML against this list).
pub fn page_has_islands(path: &str) -> bool {
    const WITH_ISLANDS: [&str; 5] = [
        "/bai-thi/",           // the quiz
        "/bang-xep-hang/",     // the live board
        "/quan-tri/don-vi",    // upload progress bars
        "/quan-tri/doi-tuong", //
        "/quan-tri/cau-hoi",   //
    ];
    // An initiative's submission page and an entry's edit page: upload bars.
    let initiative_form = path
        .strip_prefix("/sang-kien/")
        .is_some_and(|rest| rest.starts_with("bai/") || rest.ends_with("/nop-bai"));
    WITH_ISLANDS.iter().any(|p| path.starts_with(p)) || initiative_form
}

/// The package of every island (the live board, the upload bars, the quiz).
pub const PACKAGE: &str = "cuocthi";
/// The attempt page's package: the quiz island alone, so the page a participant opens cold
/// on a phone downloads only what it runs (built with the feature `quiz-only`).
pub const QUIZ_PACKAGE: &str = "cuocthi-quiz";

/// Which package a page loads: the quiz's for the attempt page, the full one for the other
/// pages with islands, none for the rest.
pub fn package_of(path: &str) -> Option<&'static str> {
    if path.starts_with("/bai-thi/") {
        Some(QUIZ_PACKAGE)
    } else {
        page_has_islands(path).then_some(PACKAGE)
    }
}

/// Where the packages are served from (see `server::assets::package_root`), and which one
/// this page loads, if any.
fn package() -> (String, Option<&'static str>) {
    #[cfg(feature = "ssr")]
    {
        let path = use_context::<http::request::Parts>()
            .map(|p| p.uri.path().to_string())
            .unwrap_or_default();
        (crate::server::assets::package_root(), package_of(&path))
    }
    #[cfg(not(feature = "ssr"))]
    {
        (String::new(), Some(PACKAGE))
    }
}

/// The page's Content-Security-Policy: scripts only with this response's nonce (the
/// hydration script carries it, and what it loads is trusted through 'strict-dynamic'), the
/// WASM compiled, no plugins, no other site framing or receiving the forms.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    if let (Some(nonce), Some(opts)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = format!(
            "default-src 'self'; script-src 'nonce-{}' 'strict-dynamic' 'wasm-unsafe-eval'; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {}",
            &*nonce,
            use_context::<crate::server::AppState>()
                .map(|s| s.frame_ancestors.to_string())
                .unwrap_or_else(|| "'none'".into())
        );
        if let Ok(v) = http::HeaderValue::from_str(&policy) {
            opts.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href=format!("{}/pkg/cuocthi.css", package().0)/>
        <Title text="Cuộc thi trực tuyến"/>
        <Router>
            <header class="topbar">
                <a class="brand" href="/">"Cuộc thi trực tuyến"</a>
            </header>
            <main class="page">
                <Routes fallback=|| view! { <p class="notice">"Không tìm thấy trang."</p> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/cuoc-thi/:slug") view=ContestPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/cac-cuoc-thi") view=ContestsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/tai-khoan") view=AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/doi-mat-khau") view=ChangePasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/quen-mat-khau") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/dang-ky") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/dang-nhap") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/bai-thi/:id") view=AttemptPage ssr=SsrMode::Async/>
                    <Route path=path!("/ket-qua/:id") view=ResultPage ssr=SsrMode::Async/>
                    <Route path=path!("/bang-xep-hang/:id") view=LeaderboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/on-tap") view=StudyPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/cau-hoi") view=BankAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/cuoc-thi") view=ContestAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/theo-doi") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/don-vi") view=UnitsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/doi-tuong") view=PeopleAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/giai-thuong") view=AwardsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/giai-thuong/:id") view=AwardsPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/giai-tap-the") view=UnitPrizesPage ssr=SsrMode::Async/>
                    <Route path=path!("/on-tap/luyen-tap") view=PracticePage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/nhat-ky") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/sang-kien") view=InitiativesPage ssr=SsrMode::Async/>
                    <Route path=path!("/sang-kien/:id") view=InitiativePage ssr=SsrMode::Async/>
                    <Route path=path!("/sang-kien/:id/nop-bai") view=InitiativeSubmitPage ssr=SsrMode::Async/>
                    <Route path=path!("/sang-kien/bai/:entry") view=EntryEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/sang-kien") view=InitiativeAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/cham-sang-kien") view=InitiativeJuryPage ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/bao-cao") view=ReportsPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="footer">"Ban Tổ chức cuộc thi · Hỗ trợ kỹ thuật: liên hệ Tổ Thư ký"</footer>
        </Router>
    }
}
