//! Initiative contests: settings, entries and their files' metadata, the jury's scores and
//! the prizes.

use sqlx::{AnyConnection, FromRow};

#[derive(FromRow, Clone, Debug)]
pub struct ContestRow {
    pub id: i64,
    pub name: String,
    pub topics: String,
    pub rubric: String,
    pub prizes: String,
    pub requirements: String,
    pub submission_deadline: i64,
    pub results_at: i64,
    pub computed_at: Option<i64>,
    pub published_at: Option<i64>,
    pub rules_text: String,
    pub issuer: String,
    pub recipient: String,
    pub letter: String,
    /// The rules document's SHA-256 (its name in the store), type and original name.
    pub rules_file: Option<String>,
    pub rules_file_type: Option<String>,
    pub rules_file_name: Option<String>,
}

const CONTEST_COLUMNS: &str = "id, name, topics, rubric, prizes, requirements, \
     submission_deadline, results_at, computed_at, published_at, rules_text, issuer, recipient, \
     letter, rules_file, rules_file_type, rules_file_name";

/// Every initiative contest, the latest deadline first.
pub async fn contests(conn: &mut AnyConnection) -> sqlx::Result<Vec<ContestRow>> {
    sqlx::query_as(&format!(
        "SELECT {CONTEST_COLUMNS} FROM initiative_contests ORDER BY submission_deadline DESC, id DESC"
    ))
    .fetch_all(conn)
    .await
}

pub async fn contest_by_id(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<ContestRow>> {
    sqlx::query_as(&format!(
        "SELECT {CONTEST_COLUMNS} FROM initiative_contests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A contest's settings as stored (topics and rubric one per line).
pub struct ContestSettings<'a> {
    pub name: &'a str,
    pub topics: &'a str,
    pub rubric: &'a str,
    pub prizes: &'a str,
    pub requirements: &'a str,
    pub submission_deadline: i64,
    pub results_at: i64,
    pub rules_text: &'a str,
    pub issuer: &'a str,
    pub recipient: &'a str,
    pub letter: &'a str,
}

pub async fn insert_contest(
    conn: &mut AnyConnection,
    c: ContestSettings<'_>,
    created_at: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO initiative_contests (name, topics, rubric, prizes, requirements, \
         submission_deadline, results_at, created_at, rules_text, issuer, recipient, letter) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(c.name)
    .bind(c.topics)
    .bind(c.rubric)
    .bind(c.prizes)
    .bind(c.requirements)
    .bind(c.submission_deadline)
    .bind(c.results_at)
    .bind(created_at)
    .bind(c.rules_text)
    .bind(c.issuer)
    .bind(c.recipient)
    .bind(c.letter)
    .fetch_one(conn)
    .await
}

pub async fn update_contest(
    conn: &mut AnyConnection,
    id: i64,
    c: ContestSettings<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE initiative_contests SET name = $1, topics = $2, rubric = $3, prizes = $4, \
         requirements = $5, submission_deadline = $6, results_at = $7, rules_text = $9, \
         issuer = $10, recipient = $11, letter = $12 WHERE id = $8",
    )
    .bind(c.name)
    .bind(c.topics)
    .bind(c.rubric)
    .bind(c.prizes)
    .bind(c.requirements)
    .bind(c.submission_deadline)
    .bind(c.results_at)
    .bind(id)
    .bind(c.rules_text)
    .bind(c.issuer)
    .bind(c.recipient)
    .bind(c.letter)
    .execute(conn)
    .await?;
    Ok(())
}

/// Attaches the rules document (sha256, detected type, original name), replacing any earlier.
pub async fn set_rules_file(
    conn: &mut AnyConnection,
    id: i64,
    file: (&str, &str, &str),
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE initiative_contests SET rules_file = $1, rules_file_type = $2, \
         rules_file_name = $3 WHERE id = $4",
    )
    .bind(file.0)
    .bind(file.1)
    .bind(file.2)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// When the prizes were computed; `None` sets them aside until computed again.
pub async fn set_computed_at(
    conn: &mut AnyConnection,
    id: i64,
    at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE initiative_contests SET computed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_published_at(conn: &mut AnyConnection, id: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE initiative_contests SET published_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(FromRow, Clone, Debug)]
pub struct EntryRow {
    pub id: i64,
    pub contest_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub submitted_by: i64,
    pub title: String,
    pub topic: String,
    pub lead_author: String,
    pub co_authors: String,
    pub created_at: i64,
    pub version: i64,
    pub updated_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
    /// The unit's parent: an intermediate body when it pre-selects.
    pub unit_parent_id: Option<i64>,
    pub preselected_at: Option<i64>,
    pub forwarded_at: Option<i64>,
    pub higher_prize: Option<String>,
    pub honoree: Option<String>,
}

const ENTRY_COLUMNS: &str = "e.id, e.contest_id, e.unit_id, u.name AS unit_name, e.submitted_by, \
     e.title, e.topic, e.lead_author, e.co_authors, e.created_at, e.version, e.updated_at, \
     e.withdrawn_at, u.parent_id AS unit_parent_id, e.preselected_at, e.forwarded_at, \
     e.higher_prize, e.honoree";

/// A contest's entries: those one account submitted (withdrawn ones too), or every entry that
/// still stands.
pub async fn entries(
    conn: &mut AnyConnection,
    contest_id: i64,
    submitted_by: Option<i64>,
) -> sqlx::Result<Vec<EntryRow>> {
    sqlx::query_as(&format!(
        "SELECT {ENTRY_COLUMNS} FROM initiative_entries e JOIN units u ON u.id = e.unit_id \
         WHERE e.contest_id = $1 AND (e.submitted_by = $2 OR ($2 = 0 AND e.withdrawn_at IS NULL)) \
         ORDER BY e.id"
    ))
    .bind(contest_id)
    .bind(submitted_by.unwrap_or(0))
    .fetch_all(conn)
    .await
}

/// One entry, locked for a change when `lock` says so (`Db::for_update`).
pub async fn entry_by_id(
    conn: &mut AnyConnection,
    entry_id: i64,
    lock: &str,
) -> sqlx::Result<Option<EntryRow>> {
    let of = if lock.is_empty() { "" } else { " OF e" };
    sqlx::query_as(&format!(
        "SELECT {ENTRY_COLUMNS} FROM initiative_entries e JOIN units u ON u.id = e.unit_id \
         WHERE e.id = $1{lock}{of}"
    ))
    .bind(entry_id)
    .fetch_optional(conn)
    .await
}

/// Keeps an entry's text as it was, before an edit or its withdrawal.
pub async fn keep_version(
    conn: &mut AnyConnection,
    e: &EntryRow,
    replaced_at: i64,
    replaced_by: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO initiative_entry_versions (entry_id, version, title, topic, lead_author, \
         co_authors, saved_at, replaced_at, replaced_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.id)
    .bind(e.version)
    .bind(&e.title)
    .bind(&e.topic)
    .bind(&e.lead_author)
    .bind(&e.co_authors)
    .bind(e.updated_at.unwrap_or(e.created_at))
    .bind(replaced_at)
    .bind(replaced_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// (version, title, saved_at, replaced_at) of an entry's earlier versions, oldest first.
pub async fn versions(
    conn: &mut AnyConnection,
    entry_id: i64,
) -> sqlx::Result<Vec<(i64, String, i64, i64)>> {
    sqlx::query_as(
        "SELECT version, title, saved_at, replaced_at FROM initiative_entry_versions \
         WHERE entry_id = $1 ORDER BY version",
    )
    .bind(entry_id)
    .fetch_all(conn)
    .await
}

/// The entry's new text as its `version`.
pub async fn update_entry(
    conn: &mut AnyConnection,
    entry_id: i64,
    text: &EntryText<'_>,
    version: i64,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE initiative_entries SET title = $1, topic = $2, lead_author = $3, co_authors = $4, \
         version = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(text.title)
    .bind(text.topic)
    .bind(text.lead_author)
    .bind(text.co_authors)
    .bind(version)
    .bind(at)
    .bind(entry_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws an entry: it stays stored (with its files and versions) but no longer counts.
pub async fn withdraw_entry(
    conn: &mut AnyConnection,
    entry_id: i64,
    version: i64,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE initiative_entries SET withdrawn_at = $1, updated_at = $1, version = $2 WHERE id = $3",
    )
    .bind(at)
    .bind(version)
    .bind(entry_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks files as removed (or replaced) from `version` on.
pub async fn retire_files(
    conn: &mut AnyConnection,
    entry_id: i64,
    file_ids: &[i64],
    version: i64,
) -> sqlx::Result<()> {
    if file_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE initiative_files SET replaced_in = $1 WHERE entry_id = $2 AND replaced_in IS NULL \
         AND id IN ({})",
        super::placeholders(3, file_ids.len())
    );
    let mut q = sqlx::query(&sql).bind(version).bind(entry_id);
    for id in file_ids {
        q = q.bind(*id);
    }
    q.execute(conn).await?;
    Ok(())
}

#[derive(FromRow, Clone, Debug)]
pub struct FileRow {
    pub id: i64,
    pub entry_id: i64,
    pub slot: String,
    pub detected_type: String,
    pub size_bytes: i64,
    pub original_name: String,
    pub sha256: String,
}

/// The current files of a contest's entries.
pub async fn files(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<Vec<FileRow>> {
    sqlx::query_as(
        "SELECT f.id, f.entry_id, f.slot, f.detected_type, f.size_bytes, f.original_name, f.sha256 \
         FROM initiative_files f JOIN initiative_entries e ON e.id = f.entry_id \
         WHERE e.contest_id = $1 AND f.replaced_in IS NULL ORDER BY f.id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// The current files of one entry.
pub async fn files_of_entry(conn: &mut AnyConnection, entry_id: i64) -> sqlx::Result<Vec<FileRow>> {
    sqlx::query_as(
        "SELECT f.id, f.entry_id, f.slot, f.detected_type, f.size_bytes, f.original_name, f.sha256 \
         FROM initiative_files f WHERE f.entry_id = $1 AND f.replaced_in IS NULL ORDER BY f.id",
    )
    .bind(entry_id)
    .fetch_all(conn)
    .await
}

/// The contest an entry that still stands belongs to.
pub async fn contest_of_entry(
    conn: &mut AnyConnection,
    entry_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT contest_id FROM initiative_entries WHERE id = $1 AND withdrawn_at IS NULL",
    )
    .bind(entry_id)
    .fetch_optional(conn)
    .await
}

/// (unit, entries, entries with a video, entries with a write-up) of the entries that still
/// stand in a contest.
pub async fn entry_counts_per_unit(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64, i64, i64)>> {
    let with = |slot: &str| {
        format!(
            "COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM initiative_files f WHERE f.entry_id = e.id \
             AND f.replaced_in IS NULL AND f.slot = '{slot}') THEN 1 ELSE 0 END), 0)"
        )
    };
    sqlx::query_as(&format!(
        "SELECT e.unit_id, COUNT(*), {}, {} FROM initiative_entries e \
         WHERE e.contest_id = $1 AND e.withdrawn_at IS NULL GROUP BY e.unit_id",
        with("video"),
        with("writeup")
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// (parent unit, entries it pre-selected) of the entries that still stand in a contest.
pub async fn selected_per_parent(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT u.parent_id, COUNT(*) FROM initiative_entries e JOIN units u ON u.id = e.unit_id \
         WHERE e.contest_id = $1 AND e.withdrawn_at IS NULL AND e.preselected_at IS NOT NULL \
         AND u.parent_id IS NOT NULL GROUP BY u.parent_id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// Marks an entry pre-selected by `by` at `at`, or (None) not.
pub async fn set_preselected(
    conn: &mut AnyConnection,
    entry_id: i64,
    at_by: Option<(i64, i64)>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE initiative_entries SET preselected_at = $1, preselected_by = $2 WHERE id = $3",
    )
    .bind(at_by.map(|(at, _)| at))
    .bind(at_by.map(|(_, by)| by))
    .bind(entry_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks an entry forwarded to the next level at `at`, or (None) not.
pub async fn set_forwarded(
    conn: &mut AnyConnection,
    entry_id: i64,
    at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE initiative_entries SET forwarded_at = $1 WHERE id = $2")
        .bind(at)
        .bind(entry_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The prize a forwarded entry won at the next level and the author proposed for it.
pub async fn set_higher_result(
    conn: &mut AnyConnection,
    entry_id: i64,
    prize: Option<&str>,
    honoree: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE initiative_entries SET higher_prize = $1, honoree = $2 WHERE id = $3")
        .bind(prize)
        .bind(honoree)
        .bind(entry_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// (id, full name) of every juror account.
pub async fn jurors(conn: &mut AnyConnection) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT id, full_name FROM users WHERE role = 'juror' ORDER BY id")
        .fetch_all(conn)
        .await
}

/// (entry, juror) of a contest's assignments; none: every juror scores every entry.
pub async fn assignments(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT entry_id, juror_id FROM initiative_assignments WHERE contest_id = $1 \
         ORDER BY entry_id, juror_id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// Replaces a contest's assignments with `pairs` (entry, juror).
pub async fn replace_assignments(
    conn: &mut AnyConnection,
    contest_id: i64,
    pairs: &[(i64, i64)],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM initiative_assignments WHERE contest_id = $1")
        .bind(contest_id)
        .execute(&mut *conn)
        .await?;
    for chunk in pairs.chunks(300) {
        let sql = format!(
            "INSERT INTO initiative_assignments (contest_id, entry_id, juror_id) VALUES {}",
            super::tuples(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (entry, juror) in chunk {
            q = q.bind(contest_id).bind(*entry).bind(*juror);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// (entry, juror full name, criterion, comment) of every non-empty comment in a contest.
pub async fn comments(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, String, i64, String)>> {
    sqlx::query_as(
        "SELECT s.entry_id, u.full_name, s.criterion, s.comment FROM initiative_scores s \
         JOIN initiative_entries e ON e.id = s.entry_id JOIN users u ON u.id = s.juror_id \
         WHERE e.contest_id = $1 AND s.comment <> '' ORDER BY s.entry_id, u.full_name, s.criterion",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// An entry's text, as submitted or edited.
pub struct EntryText<'a> {
    pub title: &'a str,
    pub topic: &'a str,
    pub lead_author: &'a str,
    pub co_authors: &'a str,
}

pub struct NewEntry<'a> {
    pub contest_id: i64,
    pub unit_id: i64,
    pub submitted_by: i64,
    pub title: &'a str,
    pub topic: &'a str,
    pub lead_author: &'a str,
    pub co_authors: &'a str,
    pub created_at: i64,
}

pub async fn insert_entry(conn: &mut AnyConnection, e: NewEntry<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO initiative_entries (contest_id, unit_id, submitted_by, title, topic, \
         lead_author, co_authors, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(e.contest_id)
    .bind(e.unit_id)
    .bind(e.submitted_by)
    .bind(e.title)
    .bind(e.topic)
    .bind(e.lead_author)
    .bind(e.co_authors)
    .bind(e.created_at)
    .fetch_one(conn)
    .await
}

pub struct NewFile<'a> {
    pub entry_id: i64,
    /// The entry's version the file first belongs to.
    pub version: i64,
    pub slot: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub detected_type: &'a str,
    pub original_name: &'a str,
    pub created_at: i64,
}

pub async fn insert_file(conn: &mut AnyConnection, f: NewFile<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO initiative_files (entry_id, slot, sha256, size_bytes, detected_type, \
         original_name, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(f.entry_id)
    .bind(f.slot)
    .bind(f.sha256)
    .bind(f.size_bytes)
    .bind(f.detected_type)
    .bind(f.original_name)
    .bind(f.created_at)
    .bind(f.version)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(FromRow, Clone, Debug)]
pub struct StoredFileRow {
    pub entry_id: i64,
    pub contest_id: i64,
    pub submitted_by: i64,
    pub slot: String,
    pub sha256: String,
    pub detected_type: String,
}

/// A stored file with the entry it belongs to.
pub async fn file_by_id(
    conn: &mut AnyConnection,
    file_id: i64,
) -> sqlx::Result<Option<StoredFileRow>> {
    sqlx::query_as(
        "SELECT e.id AS entry_id, e.contest_id, e.submitted_by, f.slot, f.sha256, f.detected_type \
         FROM initiative_files f JOIN initiative_entries e ON e.id = f.entry_id WHERE f.id = $1",
    )
    .bind(file_id)
    .fetch_optional(conn)
    .await
}

/// (entry, juror, criterion, points) of every score given in a contest.
pub async fn scores(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT s.entry_id, s.juror_id, s.criterion, s.points FROM initiative_scores s \
         JOIN initiative_entries e ON e.id = s.entry_id \
         WHERE e.contest_id = $1 AND e.withdrawn_at IS NULL \
         ORDER BY s.entry_id, s.juror_id, s.criterion",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// (entry, criterion, points, comment) of one juror's scores in a contest.
pub async fn scores_of_juror(
    conn: &mut AnyConnection,
    contest_id: i64,
    juror_id: i64,
) -> sqlx::Result<Vec<(i64, i64, i64, String)>> {
    sqlx::query_as(
        "SELECT s.entry_id, s.criterion, s.points, s.comment FROM initiative_scores s \
         JOIN initiative_entries e ON e.id = s.entry_id \
         WHERE e.contest_id = $1 AND s.juror_id = $2 ORDER BY s.entry_id, s.criterion",
    )
    .bind(contest_id)
    .bind(juror_id)
    .fetch_all(conn)
    .await
}

/// Whether any juror has scored an entry of the contest.
pub async fn any_scored(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM initiative_scores s JOIN initiative_entries e \
         ON e.id = s.entry_id WHERE e.contest_id = $1",
    )
    .bind(contest_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Replaces a juror's points for one entry (one per criterion, in order).
pub async fn replace_scores(
    conn: &mut AnyConnection,
    entry_id: i64,
    juror_id: i64,
    points: &[u32],
    comments: &[String],
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM initiative_scores WHERE entry_id = $1 AND juror_id = $2")
        .bind(entry_id)
        .bind(juror_id)
        .execute(&mut *conn)
        .await?;
    for (i, p) in points.iter().enumerate() {
        sqlx::query(
            "INSERT INTO initiative_scores (entry_id, juror_id, criterion, points, scored_at, comment) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(entry_id)
        .bind(juror_id)
        .bind(i as i64)
        .bind(i64::from(*p))
        .bind(at)
        .bind(comments.get(i).map(String::as_str).unwrap_or(""))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(FromRow, Clone, Debug)]
pub struct AwardRow {
    pub entry_id: i64,
    pub rank: i64,
    pub prize: String,
    pub score: i64,
}

/// A contest's prizes, best first.
pub async fn awards(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<Vec<AwardRow>> {
    sqlx::query_as(
        "SELECT entry_id, rank, prize, score FROM initiative_awards WHERE contest_id = $1 \
         ORDER BY rank, entry_id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

pub async fn delete_awards(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM initiative_awards WHERE contest_id = $1")
        .bind(contest_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_award(
    conn: &mut AnyConnection,
    contest_id: i64,
    entry_id: i64,
    rank: u32,
    prize: &str,
    score: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO initiative_awards (contest_id, entry_id, rank, prize, score) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(contest_id)
    .bind(entry_id)
    .bind(i64::from(rank))
    .bind(prize)
    .bind(score)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the entry won a prize in the contest.
pub async fn won(conn: &mut AnyConnection, contest_id: i64, entry_id: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM initiative_awards WHERE contest_id = $1 AND entry_id = $2",
    )
    .bind(contest_id)
    .bind(entry_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
