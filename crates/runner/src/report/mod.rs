//! Records and verdicts -> what people read: experiment tables, verdict tables, pages, figures,
//! in every output format.

pub mod comparison;
pub mod forest;
pub mod format;
pub mod output;
pub mod page;
pub mod plots;
pub mod render;
pub mod reproductions;
pub mod tables;
pub mod verdicts;
