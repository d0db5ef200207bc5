//! Integration tests through the HTTP endpoints, each run on a fresh SQLite file
//! and on a fresh Postgres database. Run with `cargo test --features ssr`.
#![cfg(feature = "ssr")]

mod attempts;
mod auth;
mod awards;
mod bank;
mod durability;
mod faults;
mod hardening;
mod helpers;
mod initiative;
mod manage;
mod organizer;
mod participants;
mod reports;
mod security;
