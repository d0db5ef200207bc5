//! Integration tests through the HTTP endpoints, each run on a fresh SQLite file
//! and on a fresh Postgres database. Run with `cargo test --features ssr`.
#![cfg(feature = "ssr")]

mod attempts;
mod auth;
mod awards;
mod bank;
mod contests;
// Throw-away databases, shared with the load benchmark.
#[path = "support/db.rs"]
mod db;
mod durability;
mod edge;
mod faults;
mod hardening;
mod helpers;
mod initiative;
mod initiative_entries;
mod initiative_plan;
mod initiative_store;
mod integrity;
mod manage;
mod operations;
mod organizer;
mod participants;
mod plans;
mod proxy;
mod reports;
mod saves;
mod schema;
mod security;
mod terms;
mod units;
