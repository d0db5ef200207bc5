//! Backups of an installation on SQLite: the database, copied consistently while the server
//! serves (`VACUUM INTO`), and the uploaded files beside it (`FILE.uploads/`). On Postgres the
//! database's own tools do it (README: `pg_dump`, `pg_restore`).

use std::path::{Path, PathBuf};

use crate::server::db::{Backend, Db};
use crate::server::repo::installation;

/// Where a backup keeps the uploaded files.
pub fn uploads_of(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".uploads");
    PathBuf::from(name)
}

/// Writes a backup of `db` (and of `upload_dir`, when it exists) to `to`, which must not exist.
pub async fn backup(db: &Db, upload_dir: &Path, to: &Path) -> Result<(), String> {
    if db.backend != Backend::Sqlite {
        return Err(POSTGRES_HELP.into());
    }
    if to.exists() || uploads_of(to).exists() {
        return Err(format!(
            "{} already exists: choose a new file",
            to.display()
        ));
    }
    let path = to
        .to_str()
        .ok_or_else(|| "the backup file's name must be UTF-8".to_string())?;
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    installation::sqlite_vacuum_into(&mut conn, path)
        .await
        .map_err(|e| format!("cannot write {path}: {e}"))?;
    if upload_dir.is_dir() {
        copy_dir(upload_dir, &uploads_of(to)).map_err(|e| format!("uploaded files: {e}"))?;
    }
    Ok(())
}

/// Puts a backup in place of a SQLite database that does not exist yet (the server stopped,
/// or a fresh one), with its uploaded files.
/// With `force`, an existing database is first moved aside to `DB.before-restore-<time>`
/// (with its -wal and -shm files), never deleted; the uploads are merged into the folder.
pub fn restore(
    from: &Path,
    database_path: &Path,
    upload_dir: &Path,
    force: bool,
) -> Result<(), String> {
    if !from.is_file() {
        return Err(format!("no backup at {}", from.display()));
    }
    if database_path.exists() && !force {
        return Err(format!(
            "{} exists: restore into a new database, or add --force to move it aside \
             (stop the server first)",
            database_path.display()
        ));
    }
    let mut head = [0u8; 16];
    use std::io::Read;
    std::fs::File::open(from)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(|e| format!("{}: {e}", from.display()))?;
    if &head != b"SQLite format 3\0" {
        return Err(format!("{} is not a SQLite database", from.display()));
    }
    if database_path.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        for suffix in ["", "-wal", "-shm"] {
            let mut old = database_path.as_os_str().to_owned();
            old.push(suffix);
            let old = PathBuf::from(old);
            if old.exists() {
                let mut aside = database_path.as_os_str().to_owned();
                aside.push(format!(".before-restore-{stamp}{suffix}"));
                std::fs::rename(&old, &aside).map_err(|e| format!("{}: {e}", old.display()))?;
            }
        }
    }
    std::fs::copy(from, database_path).map_err(|e| format!("{}: {e}", database_path.display()))?;
    let uploads = uploads_of(from);
    if uploads.is_dir() {
        copy_dir(&uploads, upload_dir).map_err(|e| format!("uploaded files: {e}"))?;
    }
    Ok(())
}

/// The file a `sqlite://` URL names.
pub fn sqlite_path(database_url: &str) -> Option<PathBuf> {
    let rest = database_url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next()?;
    (!path.is_empty()).then(|| PathBuf::from(path))
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

pub const POSTGRES_HELP: &str = "On Postgres, back up with the database's own tools:\n  \
    pg_dump -Fc \"$DATABASE_URL\" -f cuocthi.dump\n\
    and restore into a new, empty database:\n  \
    createdb cuocthi_restored && pg_restore -d postgres://.../cuocthi_restored cuocthi.dump\n\
    Copy the upload folder (CUOCTHI_UPLOAD_DIR) beside the dump.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            sqlite_path("sqlite://data/cuocthi.db?mode=rwc"),
            Some(PathBuf::from("data/cuocthi.db"))
        );
        assert_eq!(sqlite_path("postgres://x"), None);
        assert_eq!(
            uploads_of(Path::new("/b/x.db")),
            PathBuf::from("/b/x.db.uploads")
        );
    }
}
