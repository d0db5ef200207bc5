//! Use cases: open a transaction, read through repos, decide with the domain (given `now`),
//! write through repos, commit. Server functions call these and nothing else.

pub mod accounts;
pub mod attempt;
pub mod auth;
pub mod awards;
pub mod bank;
pub mod certificates;
pub mod collective;
pub mod contest;
pub mod contests;
pub mod initiatives;
pub mod leaderboard;
pub mod manage;
pub mod monitor;
pub mod outcomes;
pub mod overall;
pub mod people;
pub mod report;
pub mod schedule;
pub mod standings;
pub mod units;
