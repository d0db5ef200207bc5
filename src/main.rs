#![forbid(unsafe_code)]

use cuocthi::domain::roles::Role;
use cuocthi::domain::PhoneNumber;
use cuocthi::server::clock::Clock;
use cuocthi::server::config::Config;
use cuocthi::server::db::Db;
use cuocthi::server::repo::users;
use cuocthi::server::startup::{leptos_options, Application};

const USAGE: &str = "usage: cuocthi                      start the server\n       \
                     cuocthi grant-role PHONE ROLE   give a registered account a role \
                     (admin, author, reviewer, secretary, juror, participant)";

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = Config::from_env(leptos_options().site_addr);
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => serve(config).await,
        ["grant-role", phone, role] => grant_role(&config, phone, role).await,
        _ => fail(USAGE),
    }
}

async fn serve(config: Config) {
    let app = match Application::build(config, Clock::system()).await {
        Ok(app) => app,
        Err(e) => fail(&format!("cuocthi: cannot start: {e}")),
    };
    if let Err(e) = app.run().await {
        fail(&format!("cuocthi: server stopped: {e}"));
    }
}

/// Organizer accounts are ordinary registrations promoted from the command line,
/// so no default password ever exists.
async fn grant_role(config: &Config, phone: &str, role: &str) {
    let role = Role::parse(role).unwrap_or_else(|| fail(USAGE));
    let phone = PhoneNumber::parse(phone).unwrap_or_else(|m| fail(m));
    let db = Db::connect(&config.database_url)
        .await
        .unwrap_or_else(|e| fail(&format!("cuocthi: database: {e}")));
    if let Err(e) = db.migrate().await {
        fail(&format!("cuocthi: migrations: {e}"));
    }
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
