pub mod quiz;
