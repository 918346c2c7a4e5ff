//! Running a matrix: config -> validated plan -> training -> stored records (with interrupts,
//! shards and resume).

pub mod config;
pub mod interrupt;
pub mod machine;
pub mod plan;
pub mod record;
pub mod run_file;
pub mod train;
