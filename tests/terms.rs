//! An attempt's terms are frozen when it starts, and closing overdue attempts never stalls:
//! one broken attempt does not stop the sweeper, and reloads at a round's close do not
//! exhaust the connection pool.

use chrono::Duration;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::manage::settings;
use crate::on_both_backends;

on_both_backends!(
    finished_result_keeps_its_points,
    running_attempt_keeps_its_grace,
    one_broken_attempt_does_not_stop_the_sweeper,
    overdue_reloads_do_not_exhaust_the_pool,
);

/// The contest settings of `manage::settings` with one field changed.
fn settings_with(field: &str, value: &str) -> Vec<(&'static str, String)> {
    let mut s = settings("20", "30");
    s.iter_mut()
        .find(|(name, _)| *name == field)
        .unwrap_or_else(|| panic!("no field {field}"))
        .1 = value.into();
    s
}

async fn update(app: &TestApp, admin: &str, fields: Vec<(&'static str, String)>) {
    let r = app
        .post_form("/api/admin/contest/update", &fields, Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

async fn finished_result_keeps_its_points(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000001", "admin").await;
    let token = app.participant("0914000002").await;
    let id = app.start(&token).await;
    app.answer_correctly(id, 0..2, &token).await;
    let before = app.submit(id, &token).await.json();
    assert_eq!(
        (before["score"].as_i64(), before["max_score"].as_i64()),
        (Some(10), Some(100))
    );

    // Points per question change after the attempt ended: its result does not.
    update(
        &app,
        &admin,
        settings_with("input[points_per_question]", "7"),
    )
    .await;
    let r = app
        .post_json(
            "/api/attempt/result",
            serde_json::json!({ "attempt_id": id }),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = r.json();
    assert_eq!(after["score"], before["score"]);
    assert_eq!(
        after["max_score"], before["max_score"],
        "the maximum it was promised"
    );

    // A running attempt started before the change is scored with its own points too.
    let other = app.participant("0914000003").await;
    let running = app.start(&other).await;
    update(
        &app,
        &admin,
        settings_with("input[points_per_question]", "9"),
    )
    .await;
    let key = app.answer_key(running).await;
    assert_eq!(app.save(running, 0, Some(key[0]), &other).await.status, 200);
    let r = app.submit(running, &other).await.json();
    assert_eq!(
        (r["score"].as_i64(), r["max_score"].as_i64()),
        (Some(7), Some(140))
    );
}

async fn running_attempt_keeps_its_grace(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000011", "admin").await;
    let token = app.participant("0914000012").await;
    let id = app.start(&token).await;
    let v = app.view(id, &token).await.json();
    let left = v["deadline_ms"].as_i64().unwrap() - v["server_now_ms"].as_i64().unwrap();

    // Started with 15 s of grace; the committee removes the grace mid-attempt.
    update(&app, &admin, settings_with("input[grace_secs]", "0")).await;
    app.state
        .clock
        .advance(Duration::milliseconds(left) + Duration::seconds(10));
    let r = app.save(id, 0, Some(1), &token).await;
    assert_eq!(
        r.status, 200,
        "inside the grace it started with: {}",
        r.body
    );

    // A longer grace given later does not extend it either.
    update(&app, &admin, settings_with("input[grace_secs]", "120")).await;
    app.state.clock.advance(Duration::seconds(10));
    let r = app.save(id, 1, Some(1), &token).await;
    assert_eq!(r.status, 410, "past the grace it started with: {}", r.body);
}

async fn one_broken_attempt_does_not_stop_the_sweeper(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.participant("0914000021").await;
    let second = app.participant("0914000022").await;
    let broken = app.start(&first).await;
    let fine = app.start(&second).await;
    assert!(broken < fine, "the sweeper meets the broken one first");
    // Any update of the first attempt fails, as a corrupt row or a failing disk page would.
    let statements: Vec<String> = match backend {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER refuse_update BEFORE UPDATE ON attempts WHEN OLD.id = {broken} \
             BEGIN SELECT RAISE(ABORT, 'broken attempt'); END"
        )],
        Backend::Postgres => vec![
            format!(
                "CREATE FUNCTION refuse_update() RETURNS trigger AS $$ BEGIN \
                 IF OLD.id = {broken} THEN RAISE EXCEPTION 'broken attempt'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER refuse_update BEFORE UPDATE ON attempts \
             FOR EACH ROW EXECUTE FUNCTION refuse_update()"
                .to_string(),
        ],
    };
    for sql in statements {
        sqlx::query(&sql).execute(&app.state.db.pool).await.unwrap();
    }
    app.state.clock.advance(Duration::minutes(31));

    let closed = cuocthi::server::service::attempt::finalize_overdue(&app.state).await;
    assert_eq!(
        closed.ok(),
        Some(1),
        "the sweep goes past the broken attempt"
    );
    let status =
        |id: i64| format!("SELECT COUNT(*) FROM attempts WHERE id = {id} AND status = 'final'");
    assert_eq!(app.count(&status(fine)).await, 1);
    assert_eq!(
        app.count(&status(broken)).await,
        0,
        "left for the next sweep"
    );
}

async fn overdue_reloads_do_not_exhaust_the_pool(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0914000031").await;
    let id = app.start(&token).await;
    app.state.clock.advance(Duration::minutes(31));
    // Three times as many reloads of the overdue attempt as the pool has connections.
    let reloads = 3 * app.state.db.pool.options().get_max_connections() as usize;
    let replies = futures::future::join_all((0..reloads).map(|_| app.view(id, &token))).await;
    for r in &replies {
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["is_final"], true);
    }
}
