//! Figures and report pages: `--no-plots` skips them, `actbench plot DIR` draws them later from
//! the stored results alone.

mod common;

use common::{actbench, temp, text};

const QUICK: &str = "../../configs/quick.toml";

#[test]
fn plot_draws_figures_and_reports_from_stored_results() {
    let out = temp("plots");
    let o = out.to_str().unwrap();
    let run = actbench(&["run", QUICK, "--out", o, "--no-plots"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(!out.join("plots").exists() && !out.join("report.html").exists());

    let plot = actbench(&["plot", o]);
    assert!(plot.status.success(), "{}", text(&plot.stderr));
    let stems = common::figure_stems(&out);
    for expected in
        ["activation-curves", "learning-mlp-circles", "learning-cnn-images", "learning-rnn-adding"]
    {
        assert!(stems.iter().any(|s| s == expected), "{expected} not in {stems:?}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    for stem in &stems {
        assert!(html.contains(&format!("<figure id=\"fig-{stem}\">")), "{stem}");
        assert!(md.contains(&format!("(plots/{stem}.svg)")), "{stem}");
    }
    // Same tables as `actbench report --format markdown`, and the run's facts.
    let tables = text(&actbench(&["report", o, "--format", "markdown"]).stdout);
    for line in tables.lines().filter(|l| l.starts_with("| ") && !l.contains("---")) {
        assert!(md.contains(line), "report.md lacks {line}");
    }
    assert!(
        html.contains("configs/quick.toml") && html.contains("burn 0.22"),
        "run description missing"
    );

    // Drawing again replaces the folder and leaves no temporaries.
    assert!(actbench(&["plot", o]).status.success());
    assert!(
        std::fs::read_dir(&out).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".plots"))
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn plot_refuses_a_directory_without_results() {
    let empty = temp("plots-empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = actbench(&["plot", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no result records"), "{}", text(&o.stderr));
}
