//! The initiative file store under concurrent submissions: an entry that finds its file
//! already stored never loses it to another entry whose commit fails.

use std::sync::mpsc;
use std::time::Duration;

use cuocthi::domain::entry_files::{FileType, Slot};
use cuocthi::server::service::initiatives::{self as service, EntryForm, IncomingFile};

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::initiative::default_contest;
use crate::on_both_backends;

on_both_backends!(a_failed_commit_never_deletes_a_file_another_entry_relies_on);

/// Makes the commit of an entry titled `Hỏng` fail: the insert leaves a row violating a
/// deferred foreign key, which both databases check only at COMMIT.
async fn fail_commits_of_broken_entries(app: &TestApp, backend: Backend) {
    let statements: Vec<&str> = match backend {
        Backend::Sqlite => vec![
            "CREATE TABLE fail_commit (user_id INTEGER REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED)",
            "CREATE TRIGGER fail_commit_on_entry AFTER INSERT ON initiative_entries \
             WHEN NEW.title = 'Hỏng' BEGIN INSERT INTO fail_commit VALUES (-1); END",
        ],
        Backend::Postgres => vec![
            "CREATE TABLE fail_commit (user_id BIGINT REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED)",
            "CREATE FUNCTION fail_commit_fn() RETURNS trigger AS $$ BEGIN \
             IF NEW.title = 'Hỏng' THEN INSERT INTO fail_commit VALUES (-1); END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER fail_commit_on_entry AFTER INSERT ON initiative_entries \
             FOR EACH ROW EXECUTE FUNCTION fail_commit_fn()",
        ],
    };
    for sql in statements {
        sqlx::query(sql).execute(&app.state.db.pool).await.unwrap();
    }
}

fn form(title: &str) -> EntryForm {
    EntryForm {
        title: title.into(),
        topic: "Chuyển đổi số".into(),
        lead_author: "Trần Thị Hoà".into(),
        co_authors: String::new(),
    }
}

fn writeup(sha256: &str) -> Vec<IncomingFile> {
    vec![IncomingFile {
        slot: Slot::Writeup,
        sha256: sha256.into(),
        size: 4,
        file_type: FileType::Pdf,
        original_name: "thuyet-minh.pdf".into(),
    }]
}

async fn a_failed_commit_never_deletes_a_file_another_entry_relies_on(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_admin, contest) = default_contest(&app).await;
    fail_commits_of_broken_entries(&app, backend).await;
    let user = |phone: &'static str| {
        let app = &app;
        async move {
            let token = app.participant(phone).await;
            cuocthi::server::guard::user_for_token(&app.state, &token)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let (first, second) = (user("0917000001").await, user("0917000002").await);
    let sha = "ab".repeat(32);
    std::fs::create_dir_all(&app.state.upload_dir).unwrap();
    let stored = app.state.upload_dir.join(&sha);

    // The broken entry stores the file, then waits (up to 3 s) for the other entry to finish
    // before its own commit fails and it removes the file it created.
    let (placed_tx, placed_rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let broken = {
        let (state, user, path) = (app.state.clone(), first.clone(), stored.clone());
        let sha = sha.clone();
        tokio::spawn(async move {
            service::submit(
                &state,
                &user,
                contest,
                &form("Hỏng"),
                &writeup(&sha),
                move || {
                    std::fs::write(&path, b"%PDF").unwrap();
                    placed_tx.send(()).unwrap();
                    let _ = done_rx.recv_timeout(Duration::from_secs(3));
                    Ok(vec![path])
                },
            )
            .await
        })
    };
    tokio::task::spawn_blocking(move || placed_rx.recv().unwrap())
        .await
        .unwrap();

    // Meanwhile the other entry, with the same content, finds the file already there.
    let mut relying = {
        let (state, user, path) = (app.state.clone(), second.clone(), stored.clone());
        tokio::spawn(async move {
            service::submit(
                &state,
                &user,
                contest,
                &form("Sáng kiến tốt"),
                &writeup(&sha),
                move || {
                    if path.exists() {
                        return Ok(Vec::new());
                    }
                    std::fs::write(&path, b"%PDF").unwrap();
                    Ok(vec![path])
                },
            )
            .await
        })
    };
    // If it may finish while the broken entry is between placing and committing, let the
    // broken entry go on at once; otherwise the broken one times out and goes on by itself.
    let relying = match tokio::time::timeout(Duration::from_secs(1), &mut relying).await {
        Ok(done) => {
            let _ = done_tx.send(());
            done.unwrap()
        }
        Err(_) => {
            drop(done_tx);
            relying.await.unwrap()
        }
    };
    let broken = broken.await.unwrap();
    assert!(broken.is_err(), "the broken entry's commit fails");
    let entry = relying.expect("the other entry is stored");
    assert!(entry > 0);
    assert!(stored.exists(), "the stored entry's file is still there");
}
