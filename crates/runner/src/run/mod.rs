//! Training a plan's cells: one cell at a time or `--jobs` side by side, with interrupts; each
//! finished cell is stored as its record.

pub mod device;
pub mod interrupt;
pub mod machine;
pub mod pool;
pub mod schedule;
pub mod train;
