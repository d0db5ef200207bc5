//! Charts drawn as SVG on the server: they cost a phone nothing (no script, a few hundred
//! bytes) and print as sharply as the text. Each is a labelled horizontal bar chart, which
//! stays readable on a narrow screen; the page shows the same figures in a table below it.

use leptos::prelude::*;

/// One bar: its label, its value, the text shown after it, and an optional mark on the same
/// scale (e.g. a unit's quota), drawn as a dashed line.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
    pub mark: Option<f64>,
    /// Drawn in the warning colour (e.g. below quota).
    pub alert: bool,
}

/// Drawn at about phone width, so the text is full size on a phone and scaled up elsewhere.
/// Each bar has two lines: its label across the whole width, then the bar and its value, so
/// neither a long unit name nor a long value ("27 lượt, 27 người") is cut at the edge.
const WIDTH: f64 = 400.0;
const ROW: f64 = 34.0;
const LINE: f64 = 13.0;
/// Room kept right of the longest bar for its value, at 11 px.
const TEXT_ROOM: f64 = 130.0;
/// Longer unit names are cut (the table beside the chart has them whole).
const LABEL_CHARS: usize = 60;

/// `max`: the value a full-length bar stands for (at least the largest value).
#[component]
pub fn BarChart(title: String, bars: Vec<Bar>, max: f64) -> impl IntoView {
    let max = bars
        .iter()
        .map(|b| b.value.max(b.mark.unwrap_or(0.0)))
        .fold(max, f64::max)
        .max(1e-9);
    let span = WIDTH - TEXT_ROOM;
    let height = ROW * bars.len() as f64 + 4.0;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = 2.0 + ROW * i as f64;
            let bar_y = y + LINE + 2.0;
            let bar_h = ROW - LINE - 8.0;
            let w = (b.value / max * span).max(if b.value > 0.0 { 1.0 } else { 0.0 });
            let label = if b.label.chars().count() > LABEL_CHARS {
                format!("{}…", b.label.chars().take(LABEL_CHARS - 1).collect::<String>())
            } else {
                b.label.clone()
            };
            let mark = b.mark.map(|m| {
                let x = format!("{:.1}", m / max * span);
                view! {
                    <line x1=x.clone() x2=x y1=format!("{:.1}", bar_y - 2.0) y2=format!("{:.1}", bar_y + bar_h + 2.0)
                        class="chart-mark"/>
                }
            });
            view! {
                <g>
                    <title>{format!("{}: {}", b.label, b.shown)}</title>
                    <text x="0" y=format!("{:.1}", y + LINE / 2.0 + 1.0) class="chart-label">{label}</text>
                    <rect x="0" y=format!("{bar_y:.1}") width=format!("{w:.1}")
                        height=format!("{bar_h:.1}") class=if b.alert { "chart-bar alert" } else { "chart-bar" }/>
                    <text x=format!("{:.1}", w + 5.0) y=format!("{:.1}", bar_y + bar_h / 2.0 + 1.0)
                        class="chart-value">{b.shown}</text>
                    {mark}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {height:.0}") role="img" aria-label=title.clone()
                xmlns="http://www.w3.org/2000/svg" data-testid="chart">
                <title>{title.clone()}</title>
                {rows}
            </svg>
            <figcaption class="muted small">{title}</figcaption>
        </figure>
    }
}
