//! Facts about the machine and the build, recorded with every result.

use crate::run::record::Environment;

/// burn version this build links (checked against Cargo.lock by a test).
pub const BURN_VERSION: &str = "0.22.1";

/// The current environment.
pub fn environment() -> Environment {
    Environment {
        actbench_version: env!("CARGO_PKG_VERSION").to_string(),
        burn_version: BURN_VERSION.to_string(),
        git_commit: git_commit(),
        cpu_model: cpu_model(),
        cpu_count: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    }
}

fn git_commit() -> Option<String> {
    let out = std::process::Command::new("git").args(["rev-parse", "HEAD"]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|m| m.trim().to_string()))
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn burn_version_matches_cargo_lock() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock")).unwrap();
        assert!(lock.contains(&format!("name = \"burn\"\nversion = \"{}\"", super::BURN_VERSION)), "update BURN_VERSION to the locked burn");
    }
}
