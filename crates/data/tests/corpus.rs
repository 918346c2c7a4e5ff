//! The character-level corpus: reading, the fixed split, the training-only vocabulary, the
//! generated text, windows and batches, and the error messages.

use std::fs;
use std::path::{Path, PathBuf};

use actbench_data::corpus::{
    self, Corpus, CorpusError, DEFAULT_DIR, MIN_DOCUMENTS, SEPARATOR, VALIDATION_EVERY,
};
use actbench_data::rng;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir()
            .join(format!("actbench-corpus-test-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A fortune file of `n` documents named `{prefix} {i}`, each two lines.
fn fortune_file(prefix: &str, n: usize) -> String {
    (0..n).map(|i| format!("{prefix} {i}\n\t\t-- someone\n%\n")).collect()
}

fn documents(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("doc {i}")).collect()
}

fn message(result: Result<Corpus, CorpusError>) -> String {
    result.expect_err("expected a CorpusError").to_string()
}

#[test]
fn every_twentieth_document_is_held_out() {
    for n in [20, 39, 40, 45, 101, 1000] {
        let c = Corpus::from_documents("test", Vec::new(), documents(n)).unwrap();
        assert_eq!(c.documents(), n);
        assert_eq!(c.validation_documents(), n / VALIDATION_EVERY, "n = {n}");
        assert_eq!(c.train_documents(), n - n / VALIDATION_EVERY);
        let held: Vec<String> =
            (0..n).filter(|i| i % 20 == 19).map(|i| format!("doc {i}")).collect();
        assert_eq!(c.validation_text(), held.join(&SEPARATOR.to_string()));
        let kept: Vec<String> =
            (0..n).filter(|i| i % 20 != 19).map(|i| format!("doc {i}")).collect();
        assert_eq!(c.train_text(), kept.join("\n"));
        assert_eq!(c.train_tokens().len(), c.train_text().chars().count());
        assert_eq!(c.validation_tokens().len(), c.validation_text().chars().count());
    }
}

#[test]
fn too_few_documents_is_an_error() {
    let e = Corpus::from_documents("tiny", Vec::new(), documents(MIN_DOCUMENTS - 1)).unwrap_err();
    assert!(matches!(e, CorpusError::TooFewDocuments { documents: 19, .. }), "{e}");
    assert!(e.to_string().contains("tiny"), "{e}");
}

#[test]
fn the_split_counts_documents_across_files_in_sorted_order() {
    let dir = TempDir::new("split");
    // Written out of order: the split follows the sorted names, so `a` comes first.
    dir.write("b", fortune_file("bee", 25));
    dir.write("a", fortune_file("ant", 30));
    let c = corpus::read_dir(dir.path()).unwrap();
    assert_eq!(c.files(), [dir.path().join("a"), dir.path().join("b")]);
    assert_eq!(c.documents(), 55);
    assert_eq!(c.validation_documents(), 2);
    // Document 19 is `ant 19`; document 39 is the 10th of `b`, `bee 9`.
    assert_eq!(c.validation_text(), "ant 19\n\t\t-- someone\nbee 9\n\t\t-- someone");
    assert!(c.train_text().starts_with("ant 0\n\t\t-- someone\nant 1\n"));
    assert!(c.train_text().ends_with("bee 24\n\t\t-- someone"));

    // Deterministic: a second read gives the same parts, byte for byte.
    let again = corpus::read_dir(dir.path()).unwrap();
    assert_eq!(again.train_text(), c.train_text());
    assert_eq!(again.validation_text(), c.validation_text());
    assert_eq!(again.train_tokens(), c.train_tokens());
    assert_eq!(again.vocabulary(), c.vocabulary());
}

#[test]
fn the_vocabulary_comes_from_the_training_part_only() {
    let mut docs = documents(40);
    docs[19] = "validation only: Z and \u{263A}".to_string();
    let c = Corpus::from_documents("test", Vec::new(), docs).unwrap();
    let v = c.vocabulary();
    assert!(!v.chars().contains(&'Z') && !v.chars().contains(&'\u{263A}'));
    assert_eq!(v.id('Z'), v.unknown_id());
    assert_eq!(v.size(), v.chars().len() + 1);
    let mut expected: Vec<char> = c.train_text().chars().collect();
    expected.sort();
    expected.dedup();
    assert_eq!(v.chars(), expected);

    let tokens = c.validation_tokens();
    let z = c.validation_text().chars().position(|ch| ch == 'Z').unwrap();
    assert_eq!(tokens[z], v.unknown_id());
    assert!(tokens.contains(&v.unknown_id()));
    // Round trip of the training text.
    assert_eq!(v.decode(c.train_tokens()), c.train_text());
    assert_eq!(v.encode(c.train_text()), c.train_tokens());
    assert!(c.train_tokens().iter().all(|&t| t < v.unknown_id()));
}

#[test]
fn index_files_copies_hidden_files_and_subfolders_are_skipped() {
    let dir = TempDir::new("layout");
    dir.write("cookie", fortune_file("cookie", 15));
    dir.write("cookie.dat", [0u8, 0, 0, 2, 0, 0, 0, 15, 0xff, 0xfe]); // binary: read would fail
    dir.write("zippy", fortune_file("zippy", 10));
    dir.write("zippy.dat", [0u8, 0, 0, 2]);
    dir.write(".hidden", [0u8, 1, 2]);
    fs::create_dir(dir.path().join("off")).unwrap();
    fs::write(dir.path().join("off").join("rotated"), fortune_file("off", 30)).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("cookie", dir.path().join("cookie.u8")).unwrap();
        std::os::unix::fs::symlink("zippy", dir.path().join("zippy.u8")).unwrap();
        // A link under another name to a file already read is not read twice.
        std::os::unix::fs::symlink("zippy", dir.path().join("zz-link")).unwrap();
    }
    #[cfg(not(unix))]
    dir.write("cookie.u8", fortune_file("copy", 15));

    let c = corpus::read_dir(dir.path()).unwrap();
    assert_eq!(c.files(), [dir.path().join("cookie"), dir.path().join("zippy")]);
    assert_eq!(c.documents(), 25);
    assert!(!c.train_text().contains("off") && !c.validation_text().contains("off"));
}

#[test]
fn a_missing_directory_names_the_path() {
    let missing = std::env::temp_dir().join("actbench-corpus-test-does-not-exist");
    let e = corpus::read_dir(&missing).unwrap_err();
    assert!(e.is_missing());
    assert!(e.to_string().contains(&missing.display().to_string()), "{e}");
    assert!(e.to_string().contains("not found"), "{e}");
    let e = message(corpus::read_file(&missing.join("file.txt")));
    assert!(e.contains("file.txt") && e.contains("not found"), "{e}");
}

#[test]
fn the_default_directory_names_the_package() {
    let default = Path::new(DEFAULT_DIR);
    if default.exists() {
        // Its messages are checked with a missing file under it instead.
        let e = message(corpus::read_file(&default.join("no-such-fortune-file")));
        assert!(e.contains(DEFAULT_DIR) && e.contains("apt-get install fortunes"), "{e}");
    } else {
        let e = message(corpus::read_default());
        assert!(e.contains(DEFAULT_DIR) && e.contains("apt-get install fortunes"), "{e}");
    }
}

#[test]
fn an_empty_directory_is_an_error() {
    let dir = TempDir::new("empty-dir");
    dir.write("only.dat", [0u8; 8]);
    fs::create_dir(dir.path().join("off")).unwrap();
    let e = corpus::read_dir(dir.path()).unwrap_err();
    assert!(matches!(e, CorpusError::EmptyDir { .. }), "{e}");
    assert!(e.is_missing());
    assert!(e.to_string().contains(&dir.path().display().to_string()), "{e}");
}

#[test]
fn an_empty_file_is_an_error() {
    let dir = TempDir::new("empty-file");
    for (name, content) in [("empty", ""), ("blank", "\n  \n\t\n")] {
        let path = dir.write(name, content);
        let e = message(corpus::read_file(&path));
        assert!(e.contains(&path.display().to_string()) && e.contains("no text"), "{e}");
    }
    // In a directory, one file without a fortune fails the whole read, naming that file.
    for (name, content) in [("empty", ""), ("separators", "%\n%\n\n%\n")] {
        let dir = TempDir::new(&format!("empty-file-in-dir-{name}"));
        dir.write("a", fortune_file("a", 30));
        let empty = dir.write("b", content);
        let e = message(corpus::read_dir(dir.path()));
        assert!(e.contains(&empty.display().to_string()) && e.contains("no text"), "{e}");
    }
}

#[test]
fn a_binary_file_is_an_error() {
    let dir = TempDir::new("binary");
    let mut bytes = fortune_file("text", 30).into_bytes();
    bytes[40] = 0;
    let path = dir.write("binary", &bytes);
    let e = message(corpus::read_file(&path));
    assert!(
        e.contains(&path.display().to_string()) && e.contains("NUL byte at byte offset 40"),
        "{e}"
    );
    let e = message(corpus::read_dir(dir.path()));
    assert!(e.contains(&path.display().to_string()) && e.contains("NUL"), "{e}");
}

#[test]
fn invalid_utf8_is_an_error() {
    let dir = TempDir::new("latin1");
    let mut bytes = fortune_file("caf", 30).into_bytes();
    bytes.splice(3..3, [0xe9]); // Latin-1 é
    let path = dir.write("latin1", &bytes);
    let e = message(corpus::read_file(&path));
    assert!(
        e.contains(&path.display().to_string()) && e.contains("invalid UTF-8 at byte offset 3"),
        "{e}"
    );
    let e = message(corpus::read_dir(dir.path()));
    assert!(e.contains(&path.display().to_string()) && e.contains("UTF-8"), "{e}");
}

#[test]
fn a_plain_file_splits_into_paragraphs() {
    let dir = TempDir::new("plain");
    // A byte-order mark, CRLF line ends, and blank lines of white space between paragraphs.
    let text: String =
        (0..42).map(|i| format!("paragraph {i}\r\nsecond line\r\n \t\r\n\r\n")).collect();
    let text = format!("\u{FEFF}{text}");
    let path = dir.write("book.txt", text);
    let c = corpus::read_file(&path).unwrap();
    assert_eq!(c.files(), std::slice::from_ref(&path));
    assert_eq!(c.documents(), 42);
    assert_eq!(c.validation_documents(), 2);
    assert_eq!(c.validation_text(), "paragraph 19\nsecond line\nparagraph 39\nsecond line");
    assert!(c.train_text().starts_with("paragraph 0\nsecond line\nparagraph 1\n"));
    assert!(!c.train_text().contains('\r') && !c.train_text().contains('\u{FEFF}'));
}

#[test]
fn generated_text_is_deterministic_per_seed() {
    let a = corpus::generated(7, 300);
    let b = corpus::generated(7, 300);
    let c = corpus::generated(8, 300);
    assert_eq!(a.train_text(), b.train_text());
    assert_eq!(a.validation_text(), b.validation_text());
    assert_eq!(a.vocabulary(), b.vocabulary());
    assert_ne!(a.train_text(), c.train_text());
    assert_eq!(a.documents(), 300);
    assert_eq!(a.validation_documents(), 15);
    assert!(a.files().is_empty());
    assert!(a.source().contains("seed 7"));
    // English-like: lowercase letters, capitals, spaces, punctuation and line breaks.
    let v = a.vocabulary();
    for ch in ['a', 'e', 't', ' ', '.', ',', '\n', 'T'] {
        assert!(v.chars().contains(&ch), "{ch:?} missing from {:?}", v.chars());
    }
    assert!((30..80).contains(&v.size()), "vocabulary of {}", v.size());
    // Documents of varying lengths.
    let lengths: Vec<usize> = a.train_text().split("\n\t\t").map(str::len).collect();
    assert!(lengths.iter().max() > lengths.iter().min());
    // Too few documents are raised to the minimum.
    assert_eq!(corpus::generated(1, 3).documents(), MIN_DOCUMENTS);
}

#[test]
fn eval_windows_are_in_range_evenly_spaced_and_fixed() {
    let tokens: Vec<u32> = (0..1000).collect();
    for (context, count) in [(64, 10), (1, 7), (100, 2), (998, 5), (999, 3), (10, 5000)] {
        let starts = corpus::eval_windows(&tokens, context, count);
        assert!(!starts.is_empty());
        assert!(starts.len() <= count);
        assert_eq!(starts[0], 0);
        assert!(starts.iter().all(|&s| s + context < tokens.len()), "{context} {count}");
        let gaps: Vec<usize> = starts.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.iter().all(|&g| g > 0 && g == gaps[0]), "uneven {gaps:?}");
        assert_eq!(starts, corpus::eval_windows(&tokens, context, count));
    }
    assert_eq!(corpus::eval_windows(&tokens, 64, 10).len(), 10);
    // 1000 tokens, windows of 65: starts 0..=935, stride 935 / 9 = 103.
    assert_eq!(corpus::eval_windows(&tokens, 64, 10)[9], 927);
    // More windows than starts: one per start.
    assert_eq!(corpus::eval_windows(&tokens, 10, 5000), (0..990).collect::<Vec<_>>());
    assert_eq!(corpus::eval_windows(&tokens, 998, 5), [0, 1]);
    assert_eq!(corpus::eval_windows(&tokens, 999, 3), [0]);
    assert!(corpus::eval_windows(&tokens, 1000, 3).is_empty());
    assert!(corpus::eval_windows(&tokens, 5, 0).is_empty());

    let (inputs, targets) = corpus::gather_windows(&tokens, &[0, 500], 4);
    assert_eq!(inputs, [0, 1, 2, 3, 500, 501, 502, 503]);
    assert_eq!(targets, [1, 2, 3, 4, 501, 502, 503, 504]);
}

#[test]
fn batches_have_the_right_shape_and_shifted_targets() {
    let c = corpus::generated(3, 100);
    let tokens = c.train_tokens();
    let (context, batch) = (32, 16);
    let mut rng = rng::seeded(5, 1000);
    let (inputs, targets) = corpus::sample_batch(tokens, context, batch, &mut rng);
    assert_eq!(inputs.len(), batch * context);
    assert_eq!(targets.len(), batch * context);
    for r in 0..batch {
        let row = &inputs[r * context..(r + 1) * context];
        let next = &targets[r * context..(r + 1) * context];
        assert_eq!(row[1..], next[..context - 1], "targets are inputs shifted by one");
        // The row is a window of the text: find where it starts.
        let start = (0..tokens.len() - context)
            .find(|&s| tokens[s..s + context] == *row && tokens[s + 1..s + 1 + context] == *next);
        assert!(start.is_some(), "row {r} is not a window of the text");
    }
    // Same seed, same batch; another seed, another batch.
    let again = corpus::sample_batch(tokens, context, batch, &mut rng::seeded(5, 1000));
    assert_eq!(again, (inputs.clone(), targets));
    let other = corpus::sample_batch(tokens, context, batch, &mut rng::seeded(6, 1000));
    assert_ne!(other.0, inputs);
    // Starts reach every possible offset, the last included.
    let short: Vec<u32> = (0..10).collect();
    let mut rng = rng::seeded(1, 0);
    let (starts, _) = corpus::sample_batch(&short, 7, 200, &mut rng);
    let mut firsts: Vec<u32> = starts.chunks(7).map(|row| row[0]).collect();
    firsts.sort();
    firsts.dedup();
    assert_eq!(firsts, [0, 1, 2]);

    assert!(c.check_context(32).is_ok());
    let e = c.check_context(c.validation_tokens().len()).unwrap_err();
    assert!(matches!(e, CorpusError::TooShort { part: "validation", .. }), "{e}");
}

#[test]
fn the_fortunes_corpus_if_installed() {
    let dir = Path::new(DEFAULT_DIR);
    if !dir.exists() {
        println!("skipped: {DEFAULT_DIR} is absent (apt-get install fortunes to run this test)");
        return;
    }
    let c = corpus::read_default().unwrap();
    let v = c.vocabulary();
    println!(
        "{DEFAULT_DIR}: {} files, {} documents ({} training, {} validation), {} training and {} \
         validation characters, {} unknown in validation, vocabulary size {}",
        c.files().len(),
        c.documents(),
        c.train_documents(),
        c.validation_documents(),
        c.train_tokens().len(),
        c.validation_tokens().len(),
        c.validation_tokens().iter().filter(|&&t| t == v.unknown_id()).count(),
        v.size()
    );
    assert!(c.train_tokens().len() > 1_000_000, "{} training characters", c.train_tokens().len());
    assert!((60..=300).contains(&v.size()), "vocabulary of {}", v.size());
    assert_eq!(c.validation_documents(), c.documents() / VALIDATION_EVERY);
    assert!(c.files().iter().all(|f| f.extension().is_none_or(|e| e != "dat" && e != "u8")));
    assert_eq!(
        v.decode(&c.train_tokens()[..1000]),
        c.train_text().chars().take(1000).collect::<String>()
    );
    let again = corpus::read_default().unwrap();
    assert_eq!(again.train_text(), c.train_text());
    assert_eq!(again.validation_text(), c.validation_text());
}
