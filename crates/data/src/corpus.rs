//! Character-level text corpora for a next-character language model.
//!
//! # The default corpus
//!
//! The default corpus is the collection of fortunes in [`DEFAULT_DIR`]
//! (`/usr/share/games/fortunes`), installed by Debian's `fortunes` package
//! (`apt-get install fortunes`, which also pulls in `fortunes-min`): about 2.5 MB of quotations,
//! jokes and short poems in English, in 40-odd files. [`read_dir`] reads a directory in that
//! layout:
//!
//! - the files read are the **top-level plain-text files, in sorted (byte) order of their
//!   names**; index files (`*.dat`), the `*.u8` copies (symbolic links to the plain files in
//!   Debian), hidden files (`.*`), subdirectories (such as `off/` from `fortunes-off`, or the
//!   language folders of other fortune packages) and anything that is not a regular file are
//!   skipped; a symbolic link to a regular file is read, unless the file it points to was
//!   already read under another name;
//! - every file read holds **documents (fortunes) separated by lines holding only `%`**;
//! - every file read must be UTF-8 text with at least one document: an empty file, a file
//!   with a NUL byte (a binary file) or invalid UTF-8 is an error naming the file, rather than
//!   a silent gap in the corpus.
//!
//! [`read_file`] reads one plain-text file whose documents are **paragraphs separated by one
//! or more blank lines** (lines empty or holding only white space). In both layouts a
//! document's lines are kept as they are (indentation included) except that `\r\n` line ends
//! become `\n`, and blank lines at the start and end of a document are dropped, as are
//! documents with no text. A UTF-8 byte-order mark at the start of a file is dropped.
//!
//! [`generated`] builds a corpus of English-like text from a seed instead, for tests and for
//! machines without the package; it goes through the same split and vocabulary code.
//!
//! # The split
//!
//! Documents are numbered `0, 1, 2, …` over all files in the order read. **Every 20th document
//! ([`VALIDATION_EVERY`]), the one with index `i % 20 == 19`, is held out for validation**; the
//! rest are the training part. So `n` documents give `n / 20` (rounded down) validation
//! documents, and the same files give the same split, byte for byte. A corpus needs at least
//! [`MIN_DOCUMENTS`] (20) documents so that the validation part is never empty.
//!
//! Each part's text is its documents in order joined by [`SEPARATOR`] (`\n`, a single line
//! break; there is none after the last document).
//!
//! # The vocabulary
//!
//! A token is one character (Unicode scalar value). The [`Vocabulary`] is built from the
//! **training text only**: its characters in sorted (code point) order get the ids
//! `0..chars`, and one more id, [`Vocabulary::unknown_id`] (`chars`), stands for every
//! character of the validation text (or of any text) that training never showed. The
//! vocabulary size (what a model's embedding and output layer need) is `chars + 1`.
//!
//! # Windows and batches
//!
//! A model sees windows of `context + 1` tokens: the first `context` are its inputs and the
//! last `context` its next-token targets. Validation uses a fixed, evenly spaced set of windows
//! ([`eval_windows`]); training draws windows at random start offsets from the project's
//! seeded generator ([`sample_batch`]). [`bits_per_character`] turns the mean cross-entropy
//! in nats into the usual bits per character.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

use crate::rng;

/// Where Debian's `fortunes` package installs its fortunes: the default corpus.
pub const DEFAULT_DIR: &str = "/usr/share/games/fortunes";

/// The Debian package that provides [`DEFAULT_DIR`].
pub const DEFAULT_PACKAGE: &str = "fortunes";

/// Every `VALIDATION_EVERY`-th document (index `i % VALIDATION_EVERY == VALIDATION_EVERY - 1`)
/// is held out for validation.
pub const VALIDATION_EVERY: usize = 20;

/// The fewest documents a corpus may hold: enough for one validation document.
pub const MIN_DOCUMENTS: usize = VALIDATION_EVERY;

/// The character that joins the documents of a part into one text.
pub const SEPARATOR: char = '\n';

/// What [`Vocabulary::decode`] writes for the unknown id (and any id out of range): U+FFFD,
/// the Unicode replacement character.
pub const UNKNOWN_CHAR: char = '\u{FFFD}';

/// The random stream of [`rng::seeded`] that [`generated`] draws from.
const GENERATED_STREAM: u64 = 30;

/// The line that separates two fortunes in a fortune file.
const FORTUNE_SEPARATOR: &str = "%";

/// The hint added to messages about paths under [`DEFAULT_DIR`].
fn package_hint(path: &Path) -> &'static str {
    if path.starts_with(DEFAULT_DIR) {
        " (the default corpus; Debian's `fortunes` package provides it: apt-get install fortunes)"
    } else {
        ""
    }
}

/// A corpus that cannot be read or used. Every message names the path (or the corpus) and
/// what is wrong; paths under [`DEFAULT_DIR`] also name the package that provides them.
#[derive(Debug, Error)]
pub enum CorpusError {
    /// The file or directory does not exist.
    #[error("{path}: not found{}", package_hint(.path))]
    Missing {
        /// The path.
        path: PathBuf,
    },
    /// The file or directory exists but could not be read.
    #[error("{path}: cannot read: {source}{}", package_hint(.path))]
    Io {
        /// The path.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A corpus directory holds no file to read.
    #[error(
        "{path}: no text files; a corpus directory holds plain-text files of documents separated by lines holding only `%` (`*.dat`, `*.u8`, hidden files and subdirectories are skipped){}",
        package_hint(.path)
    )]
    EmptyDir {
        /// The directory.
        path: PathBuf,
    },
    /// A file holds no document: it is empty, or holds only blank lines and separators.
    #[error("{path}: holds no text (empty, or only blank lines and separators){}", package_hint(.path))]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// A file is not UTF-8 text.
    #[error("{path}: not a text file: {problem}{}", package_hint(.path))]
    NotText {
        /// The file.
        path: PathBuf,
        /// What is wrong with it (a NUL byte, invalid UTF-8) and where.
        problem: String,
    },
    /// Too few documents for the split to hold one out.
    #[error(
        "{corpus}: only {documents} documents; every {}th is held out for validation, so a corpus needs at least {}",
        VALIDATION_EVERY,
        MIN_DOCUMENTS
    )]
    TooFewDocuments {
        /// The corpus ([`Corpus::source`]).
        corpus: String,
        /// The documents it holds.
        documents: usize,
    },
    /// A part of the corpus is shorter than one window.
    #[error(
        "{corpus}: the {part} text has {tokens} characters, too few for one window of {context} input characters and their next-character targets ({context} + 1 needed)"
    )]
    TooShort {
        /// The corpus ([`Corpus::source`]).
        corpus: String,
        /// `"training"` or `"validation"`.
        part: &'static str,
        /// The characters that part holds.
        tokens: usize,
        /// The context length asked for.
        context: usize,
    },
}

impl CorpusError {
    /// True when the corpus is simply not there (a missing path, or a directory with no text
    /// files), as opposed to present but unreadable, damaged or too small: the case where a
    /// caller may fall back to [`generated`] text.
    pub fn is_missing(&self) -> bool {
        match self {
            CorpusError::Missing { .. } | CorpusError::EmptyDir { .. } => true,
            CorpusError::Io { source, .. } => source.kind() == ErrorKind::NotFound,
            _ => false,
        }
    }

    fn io(path: &Path, source: std::io::Error) -> CorpusError {
        if source.kind() == ErrorKind::NotFound {
            CorpusError::Missing { path: path.to_path_buf() }
        } else {
            CorpusError::Io { path: path.to_path_buf(), source }
        }
    }
}

/// The characters of a training text, each with an id, plus one id for any other character.
///
/// Ids `0..chars().len()` are the training characters in sorted (code point) order;
/// [`unknown_id`](Self::unknown_id) (`chars().len()`) is every character not among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    chars: Vec<char>,
}

impl Vocabulary {
    /// The sorted set of the characters of `text`, plus the unknown id.
    pub fn from_text(text: &str) -> Vocabulary {
        let mut ascii = [false; 128];
        let mut other = BTreeSet::new();
        for c in text.chars() {
            if c.is_ascii() {
                ascii[c as usize] = true;
            } else {
                other.insert(c);
            }
        }
        let chars = (0u8..128)
            .filter(|&b| ascii[b as usize])
            .map(char::from)
            .chain(other) // every non-ASCII character sorts after ASCII
            .collect();
        Vocabulary { chars }
    }

    /// The known characters, in id order (sorted).
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// How many ids there are: the known characters plus the unknown id. This is the size a
    /// model's embedding table and output layer need.
    pub fn size(&self) -> usize {
        self.chars.len() + 1
    }

    /// The id of every character not in the training text (the last id, `size() - 1`).
    pub fn unknown_id(&self) -> u32 {
        self.chars.len() as u32
    }

    /// The id of `c`: its place among the known characters, or [`unknown_id`](Self::unknown_id).
    pub fn id(&self, c: char) -> u32 {
        match self.chars.binary_search(&c) {
            Ok(i) => i as u32,
            Err(_) => self.unknown_id(),
        }
    }

    /// The character with id `id`, or `None` for the unknown id (and any id out of range).
    pub fn char(&self, id: u32) -> Option<char> {
        self.chars.get(id as usize).copied()
    }

    /// The ids of the characters of `text`, one per character.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        text.chars().map(|c| self.id(c)).collect()
    }

    /// The text of `ids`; the unknown id (and any id out of range) becomes [`UNKNOWN_CHAR`].
    /// `decode(encode(text)) == text` for every text made of known characters.
    pub fn decode(&self, ids: &[u32]) -> String {
        ids.iter().map(|&id| self.char(id).unwrap_or(UNKNOWN_CHAR)).collect()
    }
}

/// A text corpus split into a training and a validation part, with the training part's
/// vocabulary and both parts encoded with it. See the [module documentation](self) for the
/// split and vocabulary rules.
#[derive(Clone)]
pub struct Corpus {
    source: String,
    files: Vec<PathBuf>,
    documents: usize,
    train_documents: usize,
    train_text: String,
    validation_text: String,
    vocabulary: Vocabulary,
    train_tokens: Vec<u32>,
    validation_tokens: Vec<u32>,
}

impl fmt::Debug for Corpus {
    /// A summary; the texts themselves are megabytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Corpus")
            .field("source", &self.source)
            .field("files", &self.files.len())
            .field("documents", &self.documents)
            .field("train_documents", &self.train_documents)
            .field("validation_documents", &self.validation_documents())
            .field("train_characters", &self.train_tokens.len())
            .field("validation_characters", &self.validation_tokens.len())
            .field("vocabulary_size", &self.vocabulary.size())
            .finish()
    }
}

impl Corpus {
    /// Splits `documents` (in order) into training and validation parts, builds the vocabulary
    /// from the training part and encodes both parts. `source` names the corpus in messages;
    /// `files` are the files the documents came from (empty for generated text).
    ///
    /// Errors when there are fewer than [`MIN_DOCUMENTS`] documents.
    pub fn from_documents(
        source: impl Into<String>,
        files: Vec<PathBuf>,
        documents: Vec<String>,
    ) -> Result<Corpus, CorpusError> {
        let source = source.into();
        if documents.len() < MIN_DOCUMENTS {
            return Err(CorpusError::TooFewDocuments {
                corpus: source,
                documents: documents.len(),
            });
        }
        let count = documents.len();
        let (mut train, mut validation) = (Vec::new(), Vec::new());
        for (i, document) in documents.into_iter().enumerate() {
            if is_validation(i) {
                validation.push(document);
            } else {
                train.push(document);
            }
        }
        let separator = SEPARATOR.to_string();
        let train_documents = train.len();
        let train_text = train.join(&separator);
        let validation_text = validation.join(&separator);
        let vocabulary = Vocabulary::from_text(&train_text);
        let train_tokens = vocabulary.encode(&train_text);
        let validation_tokens = vocabulary.encode(&validation_text);
        Ok(Corpus {
            source,
            files,
            documents: count,
            train_documents,
            train_text,
            validation_text,
            vocabulary,
            train_tokens,
            validation_tokens,
        })
    }

    /// What the corpus was read from: a path, or a description of the generated text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The files read, in the order read (empty for generated text).
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// All documents, training and validation.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Documents in the training part.
    pub fn train_documents(&self) -> usize {
        self.train_documents
    }

    /// Documents in the validation part: `documents() / 20`.
    pub fn validation_documents(&self) -> usize {
        self.documents - self.train_documents
    }

    /// The training documents joined by [`SEPARATOR`].
    pub fn train_text(&self) -> &str {
        &self.train_text
    }

    /// The validation documents joined by [`SEPARATOR`].
    pub fn validation_text(&self) -> &str {
        &self.validation_text
    }

    /// The vocabulary of the training text.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The training text encoded: one id per character.
    pub fn train_tokens(&self) -> &[u32] {
        &self.train_tokens
    }

    /// The validation text encoded: one id per character, the unknown id for characters the
    /// training text lacks.
    pub fn validation_tokens(&self) -> &[u32] {
        &self.validation_tokens
    }

    /// Checks that both parts hold at least one window of `context + 1` tokens, so that
    /// [`sample_batch`] and [`eval_windows`] have something to return.
    pub fn check_context(&self, context: usize) -> Result<(), CorpusError> {
        for (part, tokens) in
            [("training", &self.train_tokens), ("validation", &self.validation_tokens)]
        {
            if tokens.len() <= context {
                return Err(CorpusError::TooShort {
                    corpus: self.source.clone(),
                    part,
                    tokens: tokens.len(),
                    context,
                });
            }
        }
        Ok(())
    }
}

/// Whether document `index` (counted from 0 over the whole corpus) is held out for validation.
pub fn is_validation(index: usize) -> bool {
    index % VALIDATION_EVERY == VALIDATION_EVERY - 1
}

/// Reads the default corpus, [`read_dir`] of [`DEFAULT_DIR`].
pub fn read_default() -> Result<Corpus, CorpusError> {
    read_dir(Path::new(DEFAULT_DIR))
}

/// Reads a directory in the fortunes layout: its top-level plain-text files in sorted name
/// order, each holding documents separated by lines holding only `%`. See the
/// [module documentation](self) for which files are read and skipped.
pub fn read_dir(dir: &Path) -> Result<Corpus, CorpusError> {
    let mut candidates = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| CorpusError::io(dir, e))? {
        let entry = entry.map_err(|e| CorpusError::io(dir, e))?;
        let name = entry.file_name();
        let path = entry.path();
        let skipped_name = name.to_string_lossy().starts_with('.')
            || path.extension().is_some_and(|ext| ext == "dat" || ext == "u8");
        if skipped_name {
            continue;
        }
        // `fs::metadata` follows symbolic links: a link to a regular file is read.
        let metadata = fs::metadata(&path).map_err(|e| CorpusError::io(&path, e))?;
        if metadata.is_file() {
            candidates.push((name, path));
        }
    }
    if candidates.is_empty() {
        return Err(CorpusError::EmptyDir { path: dir.to_path_buf() });
    }
    candidates.sort();
    let mut seen = HashSet::new();
    let mut files = Vec::new();
    let mut documents = Vec::new();
    for (_, path) in candidates {
        let real = fs::canonicalize(&path).map_err(|e| CorpusError::io(&path, e))?;
        if !seen.insert(real) {
            continue; // the same file under a second name (a symbolic link)
        }
        let text = read_text(&path)?;
        let before = documents.len();
        documents.extend(split_fortunes(&text));
        if documents.len() == before {
            return Err(CorpusError::EmptyFile { path });
        }
        files.push(path);
    }
    Corpus::from_documents(dir.display().to_string(), files, documents)
}

/// Reads one plain-text file whose documents are paragraphs separated by blank lines.
pub fn read_file(path: &Path) -> Result<Corpus, CorpusError> {
    let text = read_text(path)?;
    let documents = split_paragraphs(&text);
    if documents.is_empty() {
        return Err(CorpusError::EmptyFile { path: path.to_path_buf() });
    }
    Corpus::from_documents(path.display().to_string(), vec![path.to_path_buf()], documents)
}

/// Reads a file as UTF-8 text: no NUL byte, valid UTF-8; a leading byte-order mark is dropped.
fn read_text(path: &Path) -> Result<String, CorpusError> {
    let bytes = fs::read(path).map_err(|e| CorpusError::io(path, e))?;
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(CorpusError::NotText {
            path: path.to_path_buf(),
            problem: format!("a NUL byte at byte offset {at} (a binary file?)"),
        });
    }
    let mut text = String::from_utf8(bytes).map_err(|e| CorpusError::NotText {
        path: path.to_path_buf(),
        problem: format!("invalid UTF-8 at byte offset {}", e.utf8_error().valid_up_to()),
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

/// Joins a document's lines, without the blank lines at its start and end; `None` when no line
/// holds text.
fn document(lines: &[&str]) -> Option<String> {
    let blank = |line: &&str| line.trim().is_empty();
    let first = lines.iter().position(|l| !blank(l))?;
    let last = lines.iter().rposition(|l| !blank(l))?;
    Some(lines[first..=last].join("\n"))
}

/// The documents of a fortune file: the text between lines holding only `%`, each without
/// leading and trailing blank lines; documents without text are dropped.
pub fn split_fortunes(text: &str) -> Vec<String> {
    split_at(text, |line| line == FORTUNE_SEPARATOR)
}

/// The documents of a plain-text file: its paragraphs, separated by one or more blank lines
/// (empty or white space only).
pub fn split_paragraphs(text: &str) -> Vec<String> {
    split_at(text, |line| line.trim().is_empty())
}

/// The documents of `text` between the lines `separates` picks (see [`document`]).
fn split_at(text: &str, separates: impl Fn(&str) -> bool) -> Vec<String> {
    let mut documents = Vec::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        if separates(line) {
            documents.extend(document(&lines));
            lines.clear();
        } else {
            lines.push(line);
        }
    }
    documents.extend(document(&lines));
    documents
}

const DETERMINERS: &[&str] = &["the", "a", "every", "no", "my", "your", "this", "that", "some"];
const ADJECTIVES: &[&str] = &[
    "old", "young", "quiet", "loud", "clever", "foolish", "happy", "tired", "strange", "honest",
    "small", "large", "green", "golden", "early", "late", "wise", "busy", "empty", "gentle",
    "proud", "brave", "curious", "ancient", "simple", "bright", "dark", "lonely", "patient",
    "hungry",
];
const NOUNS: &[&str] = &[
    "man",
    "woman",
    "child",
    "dog",
    "cat",
    "computer",
    "program",
    "king",
    "river",
    "mountain",
    "book",
    "question",
    "answer",
    "friend",
    "teacher",
    "house",
    "garden",
    "city",
    "road",
    "ship",
    "idea",
    "problem",
    "machine",
    "letter",
    "story",
    "music",
    "table",
    "window",
    "door",
    "tree",
    "bird",
    "truth",
    "dream",
    "morning",
    "evening",
    "winter",
    "summer",
    "office",
    "manager",
    "philosopher",
];
const VERBS: &[&str] = &[
    "sees",
    "finds",
    "loses",
    "keeps",
    "writes",
    "reads",
    "remembers",
    "forgets",
    "follows",
    "leaves",
    "builds",
    "breaks",
    "knows",
    "loves",
    "fears",
    "answers",
    "opens",
    "closes",
    "carries",
    "watches",
    "understands",
    "ignores",
    "visits",
    "teaches",
    "needs",
    "wants",
    "helps",
    "chooses",
    "borrows",
    "explains",
];
const PREPOSITIONS: &[&str] =
    &["in", "on", "under", "near", "behind", "after", "before", "with", "without", "beyond"];
const CONJUNCTIONS: &[&str] = &["and", "but", "because", "while", "so", "although", "until"];
const NAMES: &[&str] = &[
    "Mark Twain",
    "Oscar Wilde",
    "Anonymous",
    "Ada Lovelace",
    "Confucius",
    "Dorothy Parker",
    "Lao Tsu",
    "Grace Hopper",
    "Benjamin Franklin",
    "Jane Austen",
];

/// The column after which [`generated`] text wraps to a new line.
const WRAP: usize = 64;

fn pick<'a>(rng: &mut ChaCha8Rng, words: &[&'a str]) -> &'a str {
    words[rng.random_range(0..words.len())]
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// A noun phrase: determiner, optional adjective, noun (`a` becomes `an` before a vowel).
fn noun_phrase(rng: &mut ChaCha8Rng, words: &mut Vec<String>) {
    let det = pick(rng, DETERMINERS);
    let adjective = chance(rng, 0.4).then(|| pick(rng, ADJECTIVES));
    let noun = pick(rng, NOUNS);
    let next = adjective.unwrap_or(noun);
    let det = if det == "a" && next.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { det };
    words.push(det.to_string());
    words.extend(adjective.map(str::to_string));
    words.push(noun.to_string());
}

/// A clause: subject, verb, object, and sometimes a prepositional phrase or a year.
fn clause(rng: &mut ChaCha8Rng, words: &mut Vec<String>) {
    noun_phrase(rng, words);
    words.push(pick(rng, VERBS).to_string());
    noun_phrase(rng, words);
    if chance(rng, 0.3) {
        words.push(pick(rng, PREPOSITIONS).to_string());
        noun_phrase(rng, words);
    } else if chance(rng, 0.05) {
        words.push("in".to_string());
        words.push(rng.random_range(1200..2030u32).to_string());
    }
}

/// A sentence of one or two clauses, capitalized, with a comma before the conjunction and a
/// full stop, question mark or exclamation mark at the end.
fn sentence(rng: &mut ChaCha8Rng) -> Vec<String> {
    let mut words = Vec::new();
    clause(rng, &mut words);
    if chance(rng, 0.35) {
        if let Some(last) = words.last_mut() {
            last.push(',');
        }
        words.push(pick(rng, CONJUNCTIONS).to_string());
        clause(rng, &mut words);
    }
    if let Some(first) = words.first_mut() {
        let mut chars = first.chars();
        if let Some(c) = chars.next() {
            *first = c.to_uppercase().chain(chars).collect();
        }
    }
    let end = match rng.random_range(0..10) {
        0 => '?',
        1 => '!',
        _ => '.',
    };
    if let Some(last) = words.last_mut() {
        last.push(end);
    }
    words
}

/// One generated document: 1 to 4 sentences wrapped at [`WRAP`] columns, sometimes followed by
/// an attribution line (`\t\t-- Name`) as in the fortune files.
fn generated_document(rng: &mut ChaCha8Rng) -> String {
    let mut text = String::new();
    let mut column = 0;
    for _ in 0..rng.random_range(1..=4) {
        for word in sentence(rng) {
            if column > 0 && column + 1 + word.len() > WRAP {
                text.push('\n');
                column = 0;
            } else if column > 0 {
                text.push(' ');
                column += 1;
            }
            text.push_str(&word);
            column += word.len();
        }
    }
    if chance(rng, 0.3) {
        text.push_str("\n\t\t-- ");
        text.push_str(pick(rng, NAMES));
    }
    text
}

/// A corpus of `documents` generated English-like documents (sentences from a small built-in
/// word list, with commas, full stops, question and exclamation marks, line breaks, years and
/// attribution lines), the same for the same `seed` on every machine, different across seeds.
/// It goes through the same split and vocabulary code as a corpus read from files.
///
/// `documents` below [`MIN_DOCUMENTS`] is raised to it (so that the validation part is never
/// empty); [`Corpus::documents`] says how many there are.
pub fn generated(seed: u64, documents: usize) -> Corpus {
    let documents = documents.max(MIN_DOCUMENTS);
    let mut rng = rng::seeded(seed, GENERATED_STREAM);
    let texts = (0..documents).map(|_| generated_document(&mut rng)).collect();
    Corpus::from_documents(
        format!("generated text (seed {seed}, {documents} documents)"),
        Vec::new(),
        texts,
    )
    .expect("at least MIN_DOCUMENTS documents")
}

/// The start offsets of a fixed, evenly spaced set of evaluation windows of `context + 1`
/// tokens in `tokens` (inputs `tokens[s..s + context]`, targets `tokens[s + 1..s + context + 1]`).
///
/// With `last = tokens.len() - (context + 1)` the last possible start, there are
/// `n = min(count, last + 1)` windows (so starts never repeat) at `k * stride` for `k` in
/// `0..n`, where `stride = last / (n - 1)` (rounded down; `[0]` when `n == 1`): the first window
/// starts the text and all gaps are equal. The result depends only on the arguments. It is
/// empty when `count == 0` or when `tokens` is shorter than one window.
pub fn eval_windows(tokens: &[u32], context: usize, count: usize) -> Vec<usize> {
    let window = context + 1;
    if count == 0 || tokens.len() < window {
        return Vec::new();
    }
    let last = tokens.len() - window;
    let n = count.min(last + 1);
    if n == 1 {
        return vec![0];
    }
    let stride = last / (n - 1);
    (0..n).map(|k| k * stride).collect()
}

/// The windows of `context + 1` tokens starting at `starts`, as inputs and next-token targets,
/// each row-major `[starts.len(), context]`: row `r` of the targets is row `r` of the inputs
/// shifted by one token.
///
/// # Panics
///
/// When a window runs past the end of `tokens`.
pub fn gather_windows(tokens: &[u32], starts: &[usize], context: usize) -> (Vec<u32>, Vec<u32>) {
    let mut inputs = Vec::with_capacity(starts.len() * context);
    let mut targets = Vec::with_capacity(starts.len() * context);
    for &start in starts {
        assert!(
            start + context < tokens.len(),
            "a window of {} tokens at {start} runs past the end of {} tokens",
            context + 1,
            tokens.len()
        );
        inputs.extend_from_slice(&tokens[start..start + context]);
        targets.extend_from_slice(&tokens[start + 1..start + context + 1]);
    }
    (inputs, targets)
}

/// A training batch: `batch` windows of `context + 1` tokens at start offsets drawn uniformly
/// from every possible start with `rng` (the project's seeded generator, [`rng::seeded`]),
/// returned as `(inputs, targets)`, each row-major `[batch, context]`; the targets are the
/// inputs shifted by one token.
///
/// # Panics
///
/// When `tokens` is shorter than one window (`context + 1` tokens); [`Corpus::check_context`]
/// checks that beforehand.
pub fn sample_batch(
    tokens: &[u32],
    context: usize,
    batch: usize,
    rng: &mut ChaCha8Rng,
) -> (Vec<u32>, Vec<u32>) {
    assert!(
        tokens.len() > context,
        "{} tokens are too few for one window of {} tokens",
        tokens.len(),
        context + 1
    );
    let last = tokens.len() - context - 1;
    let starts: Vec<usize> = (0..batch).map(|_| rng.random_range(0..=last)).collect();
    gather_windows(tokens, &starts, context)
}

/// Bits per character from a mean cross-entropy per character in nats (the natural-log loss a
/// model's softmax cross-entropy reports): `nats / ln 2`. A model that guesses uniformly among
/// `v` characters scores `log2(v)` bits per character; good character-level models of English
/// reach below 2.
pub fn bits_per_character(mean_cross_entropy_nats: f64) -> f64 {
    mean_cross_entropy_nats / std::f64::consts::LN_2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fortunes_split_on_percent_lines_only() {
        let text = "one\n  two\n%\n\n%\nthree % not a separator\n\n%%\n%\r\nfour\r\n\n";
        assert_eq!(
            split_fortunes(text),
            ["one\n  two", "three % not a separator\n\n%%", "four"].map(String::from)
        );
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let text = "\n\nfirst line\n second line\n \t\n\nthird\n";
        assert_eq!(split_paragraphs(text), ["first line\n second line", "third"].map(String::from));
        assert!(split_paragraphs("\n \n\t\n").is_empty());
    }

    #[test]
    fn vocabulary_is_sorted_with_unknown_last() {
        let v = Vocabulary::from_text("baé a\n");
        assert_eq!(v.chars(), ['\n', ' ', 'a', 'b', 'é']);
        assert_eq!(v.size(), 6);
        assert_eq!(v.unknown_id(), 5);
        assert_eq!(v.encode("ab?é"), [2, 3, 5, 4]);
        assert_eq!(v.decode(&[3, 2, 5, 99]), format!("ba{UNKNOWN_CHAR}{UNKNOWN_CHAR}"));
    }

    #[test]
    fn validation_every_twentieth() {
        let held: Vec<usize> = (0..60).filter(|&i| is_validation(i)).collect();
        assert_eq!(held, [19, 39, 59]);
    }

    #[test]
    fn default_dir_messages_name_the_package() {
        let e = CorpusError::Missing { path: PathBuf::from(DEFAULT_DIR) };
        let message = e.to_string();
        assert!(message.contains(DEFAULT_DIR), "{message}");
        assert!(message.contains("apt-get install fortunes"), "{message}");
        assert!(e.is_missing());
        let e = CorpusError::NotText {
            path: Path::new(DEFAULT_DIR).join("art"),
            problem: "invalid UTF-8 at byte offset 3".into(),
        };
        assert!(e.to_string().contains("apt-get install fortunes"), "{e}");
        let other = CorpusError::Missing { path: PathBuf::from("/nowhere") };
        assert!(!other.to_string().contains("apt-get"), "{other}");
    }

    #[test]
    fn bits_per_character_divides_by_ln2() {
        assert!((bits_per_character(std::f64::consts::LN_2) - 1.0).abs() < 1e-12);
        assert!((bits_per_character(64f64.ln()) - 6.0).abs() < 1e-12);
        assert_eq!(bits_per_character(0.0), 0.0);
    }

    #[test]
    fn generated_is_english_like() {
        let c = generated(1, 200);
        let text = c.train_text();
        assert!(text.contains(". ") || text.contains(".\n"), "{text}");
        assert!(text.contains(','));
        assert!(text.chars().next().is_some_and(char::is_uppercase));
        assert!(text.lines().all(|l| l.chars().count() <= WRAP || l.starts_with('\t')), "{text}");
        let words: Vec<&str> = text.split_whitespace().collect();
        for pair in words.windows(2) {
            let vowel = pair[1].starts_with(['a', 'e', 'i', 'o', 'u']);
            assert!(!(pair[0].eq_ignore_ascii_case("a") && vowel), "{} {}", pair[0], pair[1]);
        }
    }
}
