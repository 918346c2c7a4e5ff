//! Facts about the machine and the build, recorded with every result.

use std::sync::OnceLock;

use crate::records::cell::Environment;

/// burn version this build links (checked against Cargo.lock by a test).
pub const BURN_VERSION: &str = "0.22.1";

/// The current environment, read once per process.
pub fn environment() -> Environment {
    static ENVIRONMENT: OnceLock<Environment> = OnceLock::new();
    ENVIRONMENT
        .get_or_init(|| Environment {
            actbench_version: env!("CARGO_PKG_VERSION").to_string(),
            burn_version: BURN_VERSION.to_string(),
            git_commit: git(&["rev-parse", "HEAD"]),
            git_dirty: git(&[
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ":(top,exclude)results",
            ])
            .map(|changes| !changes.is_empty()),
            cpu_model: cpu_model(),
            cpu_count: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        })
        .clone()
}

/// `git ARGS` in the working directory, trimmed; none outside a repository or without git.
fn git(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn burn_version_matches_cargo_lock() {
        let lock =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock"))
                .unwrap();
        assert!(
            lock.contains(&format!("name = \"burn\"\nversion = \"{}\"", super::BURN_VERSION)),
            "update BURN_VERSION to the locked burn"
        );
    }
}
