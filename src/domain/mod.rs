//! Pure contest rules: no I/O, no clock. Every function that depends on time takes `now`.

pub mod awards;
pub mod bank;
pub mod collective;
pub mod contests;
pub mod entry_files;
pub mod entry_requirements;
pub mod initiative_stages;
pub mod initiatives;
pub mod integrity;
pub mod limits;
pub mod live_ranking;
pub mod ostree;
pub mod people;
pub mod quota;
pub mod ranking;
pub mod report;
pub mod roles;
pub mod scoring;
pub mod search;
pub mod settings;
#[cfg(test)]
pub(crate) mod test_rng;
pub mod timing;
pub mod units;
pub mod validation;
pub mod vnsort;
pub mod vntime;

pub use scoring::*;
pub use timing::*;
pub use validation::*;
