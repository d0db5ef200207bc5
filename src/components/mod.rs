pub mod chart;
pub mod live_board;
pub mod quiz;
pub mod upload;
