//! Built-in tasks generated from a seed: no files, no download.

mod adding;
mod circles;
mod images;
mod multi_label;
mod regression;
mod spirals;
mod split;
mod xor;

pub use adding::adding;
pub use circles::two_circles;
pub use images::images;
pub use multi_label::multi_label;
pub use regression::regression;
pub use spirals::spirals;
pub use xor::xor;
