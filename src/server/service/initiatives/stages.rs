//! The stages after submission: an intermediate body pre-selects its units' entries, the
//! committee assigns jurors, selects the entries it forwards to the next level (once their
//! jurors have all scored them) and builds the forwarding package, then records the prize
//! each won there; the commendation list follows from those prizes.

use std::collections::HashMap;
use std::io::Write;

use super::entries::entries;
use super::jury::points_by_entry;
use super::stage::stage;
use super::{contest, points_text, role_of, rubric_of};
use crate::domain::initiative_stages::{self as stages, commended, parse_higher_prize};
use crate::domain::initiatives as rules;
use crate::domain::roles::{allows, Permission, Role};
use crate::error::AppError;
use crate::model::initiatives::{
    Commendation, EntryView, HigherResultForm, JurorProgress, SelectionView,
};
use crate::model::UserInfo;
use crate::server::clock::{from_ms, to_ms};
use crate::server::guard::authorize;
use crate::server::repo::initiatives::{self as repo, ContestRow};
use crate::server::AppState;

/// The unit a participant's account belongs to, when it is an intermediate body of the
/// contest: they pre-select the entries of the units under it.
async fn selecting_unit(
    conn: &mut sqlx::AnyConnection,
    c: &ContestRow,
    user: &UserInfo,
) -> Result<Option<i64>, AppError> {
    if role_of(user) != Role::Participant {
        return Ok(None);
    }
    let unit = crate::server::repo::users::unit_of(&mut *conn, user.id).await?;
    let stage = stage(&mut *conn, c).await?;
    Ok(stage.selectors.contains(&unit).then_some(unit))
}

/// For a member of an intermediate body: the entries of the units under it.
pub(super) async fn selection(
    conn: &mut sqlx::AnyConnection,
    c: &ContestRow,
    user: &UserInfo,
) -> Result<Option<SelectionView>, AppError> {
    let Some(unit) = selecting_unit(&mut *conn, c, user).await? else {
        return Ok(None);
    };
    let stage = stage(&mut *conn, c).await?;
    let required = stage
        .reqs
        .iter()
        .filter(|r| r.format == crate::domain::entry_requirements::Format::Selected)
        .filter(|r| stage.units.iter().any(|u| u.id == unit && r.applies_to(u)))
        .map(|r| r.count)
        .max()
        .unwrap_or(0);
    let under: Vec<i64> = stage
        .units
        .iter()
        .filter(|u| u.parent_id == Some(unit))
        .map(|u| u.id)
        .collect();
    let rows = repo::entries(&mut *conn, c.id, None).await?;
    let ids: Vec<i64> = rows
        .iter()
        .filter(|r| under.contains(&r.unit_id))
        .map(|r| r.id)
        .collect();
    let entries = entries(&mut *conn, c.id, None)
        .await?
        .into_iter()
        .filter(|e| ids.contains(&e.id))
        .collect();
    Ok(Some(SelectionView {
        unit_name: user.unit_name.clone(),
        required,
        entries,
        open: c.computed_at.is_none() && c.published_at.is_none(),
    }))
}

/// An entry that still stands (not withdrawn), locked for a change.
async fn standing_entry(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    entry_id: i64,
) -> Result<repo::EntryRow, AppError> {
    repo::entry_by_id(tx, entry_id, state.db.for_update())
        .await?
        .filter(|e| e.withdrawn_at.is_none())
        .ok_or_else(|| AppError::NotFound("Không tìm thấy bài dự thi.".into()))
}

/// An intermediate body (or the committee) marks an entry of a unit under it as pre-selected,
/// or takes the mark back, until the prizes are computed. Returns the contest's id.
#[tracing::instrument(skip_all)]
pub async fn preselect(
    state: &AppState,
    user: &UserInfo,
    entry_id: i64,
    selected: bool,
) -> Result<i64, AppError> {
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let e = standing_entry(state, &mut tx, entry_id).await?;
    let c = contest(&mut tx, e.contest_id).await?;
    let committee = allows(role_of(user), Permission::ManageContest);
    let body = selecting_unit(&mut tx, &c, user).await?;
    if !committee && (body.is_none() || body != e.unit_parent_id) {
        return Err(AppError::Forbidden(
            "Chỉ đơn vị cấp trên của đơn vị nộp bài mới xét chọn được bài này.".into(),
        ));
    }
    if c.computed_at.is_some() || c.published_at.is_some() {
        return Err(AppError::Conflict(
            "Ban Tổ chức đã tổng hợp kết quả, không thay đổi xét chọn được nữa.".into(),
        ));
    }
    repo::set_preselected(&mut tx, entry_id, selected.then_some((now, user.id))).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        entry = entry_id,
        selected,
        "initiative entry pre-selected"
    );
    Ok(e.contest_id)
}

/// Assigns the entries that go to the jury to `per_entry` jurors each (0: every juror every
/// entry), replacing any earlier assignment. Returns how many scorings were assigned.
#[tracing::instrument(skip_all)]
pub async fn assign(
    state: &AppState,
    user: &UserInfo,
    contest_id: i64,
    per_entry: u32,
) -> Result<u32, AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let c = contest(&mut tx, contest_id).await?;
    if c.published_at.is_some() {
        return Err(AppError::Conflict(
            "Kết quả đã công bố, không phân công lại được.".into(),
        ));
    }
    let jurors: Vec<i64> = repo::jurors(&mut tx)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    if jurors.is_empty() {
        return Err(AppError::Conflict(
            "Chưa có tài khoản giám khảo nào để phân công.".into(),
        ));
    }
    let eligible: Vec<i64> = entries(&mut tx, contest_id, None)
        .await?
        .into_iter()
        .filter(|e| !e.awaiting_preselection)
        .map(|e| e.id)
        .collect();
    let pairs = if per_entry == 0 {
        Vec::new()
    } else {
        stages::assign_jurors(&eligible, &jurors, per_entry as usize)
    };
    repo::replace_assignments(&mut tx, contest_id, &pairs).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        contest = contest_id,
        per_entry,
        "jurors assigned"
    );
    Ok(pairs.len() as u32)
}

/// Who is expected to score what: (entry → jurors) for the entries that go to the jury.
async fn expected(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    eligible: &[i64],
) -> Result<(HashMap<i64, Vec<i64>>, Vec<(i64, String)>), AppError> {
    let jurors = repo::jurors(&mut *conn).await?;
    let assigned = repo::assignments(&mut *conn, contest_id).await?;
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    if assigned.is_empty() {
        for e in eligible {
            out.insert(*e, jurors.iter().map(|(j, _)| *j).collect());
        }
    } else {
        for (e, j) in assigned {
            if eligible.contains(&e) {
                out.entry(e).or_default().push(j);
            }
        }
    }
    Ok((out, jurors))
}

/// (entry → jurors who scored it) in a contest.
async fn scored_by(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
) -> Result<HashMap<i64, Vec<i64>>, AppError> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for (entry, juror, _, _) in repo::scores(conn, contest_id).await? {
        let v = out.entry(entry).or_default();
        if !v.contains(&juror) {
            v.push(juror);
        }
    }
    Ok(out)
}

/// The jury's work for the committee's page: each juror's progress, and the names of the
/// jurors each entry still waits for.
pub(super) async fn progress(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    list: &[EntryView],
) -> Result<(Vec<JurorProgress>, HashMap<i64, Vec<String>>, u32), AppError> {
    let eligible: Vec<i64> = list
        .iter()
        .filter(|e| !e.awaiting_preselection)
        .map(|e| e.id)
        .collect();
    let (expected, jurors) = expected(&mut *conn, contest_id, &eligible).await?;
    let scored = scored_by(&mut *conn, contest_id).await?;
    let name: HashMap<i64, &str> = jurors.iter().map(|(id, n)| (*id, n.as_str())).collect();
    let mut missing: HashMap<i64, Vec<String>> = HashMap::new();
    for (entry, want) in &expected {
        let done = scored.get(entry).map(Vec::as_slice).unwrap_or(&[]);
        let names = stages::missing_jurors(want, done)
            .into_iter()
            .map(|j| name.get(&j).copied().unwrap_or("").to_string())
            .collect();
        missing.insert(*entry, names);
    }
    let progress = jurors
        .iter()
        .map(|(j, n)| {
            let mine: Vec<i64> = expected
                .iter()
                .filter(|(_, js)| js.contains(j))
                .map(|(e, _)| *e)
                .collect();
            let done = mine
                .iter()
                .filter(|e| scored.get(e).is_some_and(|s| s.contains(j)))
                .count();
            JurorProgress {
                name: n.clone(),
                assigned: mine.len() as u32,
                scored: done as u32,
            }
        })
        .collect();
    let assigned = repo::assignments(&mut *conn, contest_id).await?;
    let per_entry = if assigned.is_empty() || eligible.is_empty() {
        0
    } else {
        (assigned.len() / eligible.len().max(1)) as u32
    };
    Ok((progress, missing, per_entry))
}

/// Selects an entry to forward to the next level (or takes it back): after the deadline, only
/// an entry that went to the jury and that every juror expected to score has scored; else
/// refused with the names of the jurors whose scores are missing. Returns the contest's id.
#[tracing::instrument(skip_all)]
pub async fn forward(
    state: &AppState,
    user: &UserInfo,
    entry_id: i64,
    selected: bool,
) -> Result<i64, AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let e = standing_entry(state, &mut tx, entry_id).await?;
    let c = contest(&mut tx, e.contest_id).await?;
    if rules::check_submission_open(from_ms(c.submission_deadline), from_ms(now)).is_ok() {
        return Err(AppError::Conflict(
            "Chưa hết hạn nộp bài, chưa chọn bài gửi lên được.".into(),
        ));
    }
    if selected {
        let list = entries(&mut tx, e.contest_id, None).await?;
        let view = list
            .iter()
            .find(|v| v.id == entry_id)
            .ok_or(AppError::Internal)?;
        if view.awaiting_preselection {
            return Err(AppError::Conflict(
                "Bài dự thi này chưa được đơn vị cấp trên xét chọn, không gửi lên được.".into(),
            ));
        }
        let (_, missing, _) = progress(&mut tx, e.contest_id, &list).await?;
        let missing = missing.get(&entry_id).cloned().unwrap_or_default();
        if !missing.is_empty() {
            return Err(AppError::Conflict(format!(
                "Bài “{}” chưa được chấm xong, còn thiếu điểm của: {}.",
                e.title,
                missing.join(", ")
            )));
        }
    }
    repo::set_forwarded(&mut tx, entry_id, selected.then_some(now)).await?;
    if !selected {
        repo::set_higher_result(&mut tx, entry_id, None, None).await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        entry = entry_id,
        selected,
        "initiative entry forwarded"
    );
    Ok(e.contest_id)
}

/// Records the prize a forwarded entry won at the next level and the author proposed for
/// commendation (one of its authors; by default the lead author). Returns the contest's id.
#[tracing::instrument(skip_all)]
pub async fn record_higher_result(
    state: &AppState,
    user: &UserInfo,
    form: &HigherResultForm,
) -> Result<i64, AppError> {
    authorize(user, Permission::ManageContest)?;
    let invalid =
        |field: &str, m: String| AppError::Invalid(vec![crate::domain::FieldError::new(field, m)]);
    let prize = parse_higher_prize(&form.prize).map_err(|m| invalid("prize", m))?;
    let mut tx = state.db.begin_write().await?;
    let e = Some(standing_entry(state, &mut tx, form.entry_id).await?)
        .filter(|e| e.forwarded_at.is_some())
        .ok_or_else(|| AppError::NotFound("Không tìm thấy bài dự thi đã gửi lên.".into()))?;
    let honoree = match prize {
        Some(_) => Some(
            stages::honoree(
                &e.lead_author,
                &e.co_authors,
                &crate::server::nfc(&form.honoree),
            )
            .map_err(|m| invalid("honoree", m))?,
        ),
        None => None,
    };
    repo::set_higher_result(&mut tx, e.id, prize, honoree.as_deref()).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        entry = e.id,
        "next level's result recorded"
    );
    Ok(e.contest_id)
}

/// The commendation list: forwarded entries that won Third prize or better at the next
/// level, one author each, best prize first.
pub(super) fn commendations(list: &[EntryView]) -> Vec<Commendation> {
    let mut out: Vec<(usize, Commendation)> = list
        .iter()
        .filter(|e| e.forwarded)
        .filter_map(|e| {
            let prize = e.higher_prize.clone().filter(|p| commended(p))?;
            let rank = stages::HIGHER_PRIZES.iter().position(|p| *p == prize)?;
            Some((
                rank,
                Commendation {
                    honoree: e.honoree.clone().unwrap_or_else(|| e.lead_author.clone()),
                    unit_name: e.unit_name.clone(),
                    title: e.title.clone(),
                    prize,
                },
            ))
        })
        .collect();
    out.sort_by_key(|(rank, _)| *rank);
    out.into_iter().map(|(_, c)| c).collect()
}

/// The commendation list as a spreadsheet.
pub async fn commendations_xlsx(
    state: &AppState,
    user: &UserInfo,
    contest_id: i64,
) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut conn = state.db.pool.acquire().await?;
    let list = entries(&mut conn, contest_id, None).await?;
    let rows = commendations(&list)
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                (i as i64 + 1).into(),
                c.honoree.into(),
                c.unit_name.into(),
                c.title.into(),
                format!("Giải {}", c.prize).into(),
            ]
        })
        .collect();
    crate::server::sheet::write_xlsx(crate::server::sheet::Sheet {
        name: "Đề nghị khen thưởng",
        header: &[
            "STT",
            "Cá nhân được đề nghị",
            "Đơn vị",
            "Sáng kiến",
            "Giải cấp trên",
        ],
        widths: &[6.0, 28.0, 36.0, 50.0, 16.0],
        rows,
    })
}

/// What the forwarding package holds, in the order of the sheet.
struct Forwarded {
    entry: EntryView,
    combined: String,
    comments: String,
}

async fn forwarded(
    conn: &mut sqlx::AnyConnection,
    c: &ContestRow,
) -> Result<Vec<Forwarded>, AppError> {
    let rubric = rubric_of(c);
    let points = points_by_entry(&mut *conn, c.id, rubric.len()).await?;
    let mut notes: HashMap<i64, Vec<String>> = HashMap::new();
    for (entry, juror, criterion, comment) in repo::comments(&mut *conn, c.id).await? {
        let criterion = rubric
            .get(criterion as usize)
            .map(|r| r.name.as_str())
            .unwrap_or("");
        notes
            .entry(entry)
            .or_default()
            .push(format!("{juror} ({criterion}): {comment}"));
    }
    Ok(entries(&mut *conn, c.id, None)
        .await?
        .into_iter()
        .filter(|e| e.forwarded)
        .map(|e| Forwarded {
            combined: points
                .get(&e.id)
                .and_then(|p| rules::combine(e.id, p))
                .map_or("—".into(), |x| points_text(x.total)),
            comments: notes.remove(&e.id).unwrap_or_default().join("\n"),
            entry: e,
        })
        .collect())
}

/// A name safe in a ZIP archive on any system: letters without their marks, digits, dashes.
fn slug(s: &str) -> String {
    let folded = crate::domain::search::fold(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(60).collect()
}

/// The forwarding package, written to `out`: one folder per forwarded entry with its files,
/// the sheet `danh-sach-bai-du-thi.xlsx` (title, unit, authors, lead author, topic, combined
/// score, jury comments) and the cover letter `cong-van.pdf`. Videos are stored as they are
/// (already compressed); the rest is deflated.
pub async fn package(
    state: &AppState,
    user: &UserInfo,
    contest_id: i64,
    out: std::fs::File,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = state.clock.now();
    let mut conn = state.db.pool.acquire().await?;
    let c = contest(&mut conn, contest_id).await?;
    let list = forwarded(&mut conn, &c).await?;
    if list.is_empty() {
        return Err(AppError::Conflict(
            "Chưa chọn bài dự thi nào để gửi lên.".into(),
        ));
    }
    let sheet = crate::server::sheet::write_xlsx(crate::server::sheet::Sheet {
        name: "Bài dự thi gửi lên",
        header: &[
            "STT",
            "Tên sáng kiến",
            "Đơn vị",
            "Tác giả",
            "Tác giả chính",
            "Chủ đề",
            "Điểm tổng hợp",
            "Nhận xét của giám khảo",
        ],
        widths: &[6.0, 50.0, 36.0, 40.0, 24.0, 40.0, 14.0, 60.0],
        rows: list
            .iter()
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i as i64 + 1).into(),
                    f.entry.title.clone().into(),
                    f.entry.unit_name.clone().into(),
                    stages::authors(&f.entry.lead_author, &f.entry.co_authors)
                        .join(", ")
                        .into(),
                    f.entry.lead_author.clone().into(),
                    f.entry.topic.clone().into(),
                    f.combined.clone().into(),
                    f.comments.clone().into(),
                ]
            })
            .collect(),
    })?;
    let issuer = if c.issuer.is_empty() {
        "Ban Tổ chức cuộc thi".to_string()
    } else {
        c.issuer.clone()
    };
    let wording = if c.letter.is_empty() {
        format!(
            "{issuer} gửi {} bài dự thi {} đã được lựa chọn, kèm danh sách và các tệp bài dự thi.",
            list.len(),
            c.name
        )
    } else {
        c.letter.clone()
    };
    let letter = crate::server::pdf::letter(&crate::server::pdf::Letter {
        issuer: issuer.clone(),
        dated: crate::domain::vntime::vn_date_line(now),
        title: format!("V/v gửi bài dự thi {}", c.name),
        recipient: if c.recipient.is_empty() {
            "Ban Tổ chức cuộc thi cấp trên".into()
        } else {
            c.recipient.clone()
        },
        paragraphs: wording.split('\n').map(str::to_string).collect(),
        list: list
            .iter()
            .map(|f| format!("{} – {}", f.entry.title, f.entry.unit_name))
            .collect(),
        signer: String::new(),
    })
    .map_err(AppError::internal("cannot write the cover letter"))?;
    let dir = state.upload_dir.clone();
    let folders: Vec<Folder> = list
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let folder = format!("{:02}-{}", i + 1, slug(&f.entry.title));
            let files = f
                .entry
                .files
                .iter()
                .map(|file| {
                    let ext = crate::domain::entry_files::FileType::parse(&file.detected_type)
                        .map_or("bin", |t| t.extension());
                    let stem = slug(
                        file.original_name
                            .rsplit_once('.')
                            .map_or(file.original_name.as_str(), |(s, _)| s),
                    );
                    let name = format!("{folder}/{}-{stem}.{ext}", file.id);
                    let stored = matches!(file.slot.as_str(), "video" | "image");
                    (name, file.sha256.clone(), stored)
                })
                .collect();
            (folder, files)
        })
        .collect();
    tokio::task::spawn_blocking(move || write_zip(out, &dir, &sheet, &letter, &folders))
        .await
        .map_err(AppError::internal("the package task"))?
        .map_err(AppError::internal("cannot write the package"))
}

/// A file in the package: its name in the archive, the stored file's checksum, and whether it
/// is already compressed (a video or an image).
type PackedFile = (String, String, bool);
/// An entry's folder and its files.
type Folder = (String, Vec<PackedFile>);

fn write_zip(
    out: std::fs::File,
    store: &std::path::Path,
    sheet: &[u8],
    letter: &[u8],
    folders: &[Folder],
) -> Result<(), zip::result::ZipError> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(out));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(true);
    zip.start_file("danh-sach-bai-du-thi.xlsx", deflated)?;
    zip.write_all(sheet)?;
    zip.start_file("cong-van.pdf", deflated)?;
    zip.write_all(letter)?;
    for (folder, files) in folders {
        zip.add_directory(folder.as_str(), deflated)?;
        for (name, sha256, already_compressed) in files {
            let options = if *already_compressed {
                stored
            } else {
                deflated
            };
            zip.start_file(name.as_str(), options)?;
            let mut file = std::fs::File::open(store.join(sha256))?;
            std::io::copy(&mut file, &mut zip)?;
        }
    }
    zip.finish()?.flush()?;
    Ok(())
}

/// The town's own results as a spreadsheet: rank, prize, entry, unit, authors, score. For the
/// committee at any time after computing; for anyone once the results are public.
pub async fn results_xlsx(
    state: &AppState,
    user: Option<&UserInfo>,
    contest_id: i64,
) -> Result<Vec<u8>, AppError> {
    let rows = public_or_committee_results(state, user, contest_id)
        .await?
        .1;
    crate::server::sheet::write_xlsx(crate::server::sheet::Sheet {
        name: "Kết quả",
        header: &[
            "Hạng",
            "Giải",
            "Tên sáng kiến",
            "Đơn vị",
            "Tác giả chính",
            "Đồng tác giả",
            "Điểm",
        ],
        widths: &[8.0, 12.0, 50.0, 36.0, 24.0, 36.0, 10.0],
        rows: rows
            .into_iter()
            .map(|r| {
                vec![
                    i64::from(r.rank).into(),
                    r.prize.into(),
                    r.entry.title.into(),
                    r.entry.unit_name.into(),
                    r.entry.lead_author.into(),
                    r.entry.co_authors.into(),
                    r.score.into(),
                ]
            })
            .collect(),
    })
}

/// The town's own prizes, one certificate page per winning entry, named for its lead author
/// (the group's honour goes to the person it names).
pub async fn certificates_pdf(
    state: &AppState,
    user: Option<&UserInfo>,
    contest_id: i64,
) -> Result<Vec<u8>, AppError> {
    let (c, rows) = public_or_committee_results(state, user, contest_id).await?;
    let organizer = if c.issuer.is_empty() {
        "Ban Tổ chức cuộc thi".to_string()
    } else {
        c.issuer.clone()
    };
    let dated = c
        .published_at
        .map(|t| crate::domain::vntime::vn_date_line(from_ms(t)))
        .unwrap_or_default();
    let list: Vec<crate::server::pdf::Certificate> = rows
        .into_iter()
        .map(|r| crate::server::pdf::Certificate {
            organizer: organizer.clone(),
            contest: c.name.clone(),
            full_name: r.entry.lead_author.clone(),
            unit: format!("{} · {}", r.entry.unit_name, r.entry.title),
            prize: format!("Giải {}", r.prize),
            dated: dated.clone(),
            title: "Giấy chứng nhận".into(),
            signer_title: String::new(),
            signer_name: String::new(),
        })
        .collect();
    crate::server::pdf::certificates(&list, &format!("Giấy chứng nhận · {}", c.name))
        .map_err(AppError::internal("cannot write initiative certificates"))
}

/// The contest and its computed results: for the committee once computed, for anyone once
/// public (published and due); otherwise as if there were none to see.
async fn public_or_committee_results(
    state: &AppState,
    user: Option<&UserInfo>,
    contest_id: i64,
) -> Result<(ContestRow, Vec<crate::model::initiatives::ResultRow>), AppError> {
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let c = contest(&mut conn, contest_id).await?;
    let committee = user.is_some_and(|u| allows(role_of(u), Permission::ManageContest));
    if !committee && !super::is_public(&c, now) {
        return Err(AppError::NotFound("Kết quả chưa được công bố.".into()));
    }
    let rows = super::prizes::results(&mut conn, contest_id).await?;
    Ok((c, rows))
}
