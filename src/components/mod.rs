pub mod quiz;
pub mod upload;
