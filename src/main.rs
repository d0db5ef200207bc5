#![forbid(unsafe_code)]

use cuocthi::domain::roles::Role;
use cuocthi::domain::PhoneNumber;
use cuocthi::server::clock::Clock;
use cuocthi::server::config::Config;
use cuocthi::server::db::Db;
use cuocthi::server::repo::users;
use cuocthi::server::startup::{leptos_options, Application};

const USAGE: &str = "usage:\n  \
    cuocthi [serve]                 start the server (CUOCTHI_SEED_DEMO=1 adds the demo contest to an empty database)\n  \
    cuocthi migrate                 apply the database migrations and exit\n  \
    cuocthi create-admin PHONE \"FULL NAME\" [\"UNIT\"]\n                                  \
    create the first administrator; the password is read from CUOCTHI_ADMIN_PASSWORD or the first line of standard input\n  \
    cuocthi grant-role PHONE ROLE   give a registered account a role \
    (admin, author, reviewer, secretary, juror, participant)\n  \
    cuocthi backup FILE             copy the SQLite database (consistent, while the server serves) to FILE, \
    and the uploaded files to FILE.uploads/\n  \
    cuocthi restore FILE [--force]  put a backup in place of the database DATABASE_URL names, which must not exist yet \
    (server stopped), with its uploaded files; --force moves an existing database aside first\n\
    Settings come from the environment: DATABASE_URL (default sqlite://cuocthi.db), LEPTOS_SITE_ADDR, CUOCTHI_* (see README).";

#[tokio::main]
async fn main() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    // `CUOCTHI_LOG_FORMAT=json`: one JSON object a line, with its spans (the request's: its
    // id, route and user) in every line of that request, for a log pipeline.
    if std::env::var("CUOCTHI_LOG_FORMAT").is_ok_and(|v| v == "json") {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(false)
            .with_span_list(true)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let config = Config::from_env(leptos_options().site_addr);
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        // `cuocthi COMMAND --help` explains, never runs, the command.
        [.., "--help" | "-h"] => println!("{USAGE}"),
        [] | ["serve"] => serve(config).await,
        ["migrate"] => {
            connect(&config).await;
            println!("migrations applied");
        }
        ["create-admin", phone, name] => create_admin(&config, phone, name, "").await,
        ["create-admin", phone, name, unit] => create_admin(&config, phone, name, unit).await,
        ["grant-role", phone, role] => grant_role(&config, phone, role).await,
        ["backup", file] => {
            let db = connect(&config).await;
            match cuocthi::server::backup::backup(
                &db,
                &config.upload_dir,
                std::path::Path::new(file),
            )
            .await
            {
                Ok(()) => println!("backup written to {file}"),
                Err(e) => fail(&format!("cuocthi backup: {e}")),
            }
        }
        ["restore", file] | ["restore", file, "--force"] => {
            let Some(path) = cuocthi::server::backup::sqlite_path(&config.database_url) else {
                fail(cuocthi::server::backup::POSTGRES_HELP)
            };
            let force = args.len() == 3;
            match cuocthi::server::backup::restore(
                std::path::Path::new(file),
                &path,
                &config.upload_dir,
                force,
            ) {
                Ok(()) => println!("restored {file} into {}", path.display()),
                Err(e) => fail(&format!("cuocthi restore: {e}")),
            }
        }
        ["--help" | "-h" | "help", ..] => println!("{USAGE}"),
        _ => fail(USAGE),
    }
}

async fn serve(config: Config) {
    let app = match Application::build(config, Clock::system()).await {
        Ok(app) => app,
        Err(e) => fail(&format!("cuocthi: cannot start: {e}")),
    };
    // SIGTERM (a service manager, a container) or Ctrl-C: stop gracefully, exit 0.
    let signal = async {
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .unwrap_or_else(|e| fail(&format!("cuocthi: signals: {e}")));
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    };
    if let Err(e) = app.run_until(signal).await {
        fail(&format!("cuocthi: server stopped: {e}"));
    }
}

async fn connect(config: &Config) -> Db {
    let db = Db::connect(&config.database_url)
        .await
        .unwrap_or_else(|e| fail(&format!("cuocthi: database: {e}")));
    if let Err(e) = db.migrate().await {
        fail(&format!("cuocthi: migrations: {e}"));
    }
    db
}

/// The first administrator of an installation (later ones are granted from the roles page).
async fn create_admin(config: &Config, phone: &str, name: &str, unit: &str) {
    let password = match std::env::var("CUOCTHI_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("password (at least 8 characters), then Enter:");
            let mut line = String::new();
            if std::io::stdin().read_line(&mut line).is_err() {
                fail("cuocthi: no password given");
            }
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let db = connect(config).await;
    let now = cuocthi::server::clock::to_ms(chrono::Utc::now());
    match cuocthi::server::service::accounts::create_admin(&db, phone, name, &password, unit, now)
        .await
    {
        Ok(true) => println!("administrator {phone} created; sign in at /dang-nhap"),
        Ok(false) => println!("{phone} already had an account; it is now an administrator"),
        Err(e) => fail(&format!("cuocthi: {e}")),
    }
}

/// Organizer accounts are ordinary registrations promoted from the command line,
/// so no default password ever exists.
async fn grant_role(config: &Config, phone: &str, role: &str) {
    let role = Role::parse(role).unwrap_or_else(|| fail(USAGE));
    let phone = PhoneNumber::parse(phone).unwrap_or_else(|m| fail(m));
    let db = connect(config).await;
    let mut conn = db
        .pool
        .acquire()
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    match users::set_role_by_phone(&mut conn, phone.as_str(), role.as_str()).await {
        Ok(true) => println!(
            "{} is now {} ({})",
            phone.as_str(),
            role.as_str(),
            role.label()
        ),
        Ok(false) => fail(&format!(
            "no account with phone {}: register it first",
            phone.as_str()
        )),
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}
