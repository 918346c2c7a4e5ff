//! Ctrl-C and SIGTERM: the first asks the run to stop at the next training step (the unfinished
//! cell is abandoned, no partial record is written); a second one exits at once.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

use crate::error::INTERRUPTED as EXIT_CODE;

/// Installs the handler (once per process).
pub fn install() {
    let result = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            eprintln!("\ninterrupted again: exiting now");
            std::process::exit(EXIT_CODE as i32);
        }
        eprintln!(
            "\ninterrupt: stopping at the next training step (press Ctrl-C again to quit at once)"
        );
    });
    if let Err(e) = result {
        eprintln!(
            "warning: cannot handle interrupts ({e}); Ctrl-C will stop the run without a resume hint"
        );
    }
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
