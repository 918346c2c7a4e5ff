//! The IDX reader on small files the test writes: good ones (raw and gzipped) and damaged ones.

use std::io::Write;
use std::path::{Path, PathBuf};

use actbench_data::config::DatasetKind;
use actbench_data::{DataError, DatasetConfig, InputShape, Targets, idx};

fn idx_bytes(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

fn write(path: &Path, bytes: &[u8]) {
    if path.extension().is_some_and(|e| e == "gz") {
        let mut gz = flate2::write::GzEncoder::new(
            std::fs::File::create(path).unwrap(),
            flate2::Compression::default(),
        );
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap();
    } else {
        std::fs::write(path, bytes).unwrap();
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("actbench-idx-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A 4x3-pixel dataset: 5 training and 2 test images; pixel value = image index * 10 + pixel.
fn write_dataset(dir: &Path, gz: bool) {
    let ext = if gz { ".gz" } else { "" };
    for (prefix, n) in [("train", 5u32), ("t10k", 2)] {
        let pixels: Vec<u8> =
            (0..n as u8).flat_map(|i| (0..12u8).map(move |p| i * 10 + p)).collect();
        write(
            &dir.join(format!("{prefix}-images-idx3-ubyte{ext}")),
            &idx_bytes(&[n, 4, 3], &pixels),
        );
        let labels: Vec<u8> = (0..n as u8).map(|i| i % 3).collect();
        write(&dir.join(format!("{prefix}-labels-idx1-ubyte{ext}")), &idx_bytes(&[n], &labels));
    }
}

fn load(dir: &Path, limit: Option<usize>) -> Result<actbench_data::Dataset, DataError> {
    let mut config = DatasetConfig::new(DatasetKind::Idx);
    config.dir = Some(dir.to_path_buf());
    config.limit = limit;
    config.load(0)
}

#[test]
fn reads_raw_and_gzipped_datasets() {
    for gz in [false, true] {
        let dir = temp_dir(if gz { "gz" } else { "raw" });
        write_dataset(&dir, gz);
        let d = load(&dir, None).unwrap();
        assert_eq!(d.input, InputShape::Image { channels: 1, height: 4, width: 3 });
        assert_eq!((d.train.len(), d.test.len()), (5, 2));
        assert_eq!(d.train.targets, Targets::Classes(vec![0, 1, 2, 0, 1]));
        assert_eq!(d.train.inputs[12 + 5], 15.0 / 255.0, "image 1, pixel 5");
        assert_eq!(load(&dir, Some(3)).unwrap().train.len(), 3, "limit");
    }
}

#[test]
fn damaged_files_are_errors_that_name_the_file() {
    type Damage = Box<dyn Fn(&Path)>;
    let cases: Vec<(&str, Damage, &str)> = vec![
        (
            "magic",
            Box::new(|d: &Path| {
                write(&d.join("train-images-idx3-ubyte"), &[0x1f, 0, 8, 3, 0, 0, 0, 1])
            }),
            "wrong magic number",
        ),
        (
            "truncated",
            Box::new(|d: &Path| {
                let mut bytes = idx_bytes(&[5, 4, 3], &[7; 60]);
                bytes.truncate(40);
                write(&d.join("train-images-idx3-ubyte"), &bytes)
            }),
            "truncated or padded",
        ),
        (
            "header",
            Box::new(|d: &Path| write(&d.join("train-images-idx3-ubyte"), &[0, 0, 8, 3, 0, 0])),
            "truncated header",
        ),
        (
            "huge",
            Box::new(|d: &Path| {
                write(
                    &d.join("train-images-idx3-ubyte"),
                    &idx_bytes(&[u32::MAX, u32::MAX, 2], &[1]),
                )
            }),
            "impossibly large",
        ),
        (
            "count",
            Box::new(|d: &Path| {
                write(&d.join("train-labels-idx1-ubyte"), &idx_bytes(&[4], &[0, 1, 2, 0]))
            }),
            "has 5 images but",
        ),
        (
            "rank",
            Box::new(|d: &Path| {
                write(&d.join("train-labels-idx1-ubyte"), &idx_bytes(&[5, 1], &[0; 5]))
            }),
            "label files have 1",
        ),
        (
            "gzip",
            Box::new(|d: &Path| {
                std::fs::write(d.join("train-labels-idx1-ubyte.gz"), b"not gzip at all").unwrap()
            }),
            "cannot decompress",
        ),
        (
            "missing",
            Box::new(|d: &Path| std::fs::remove_file(d.join("t10k-labels-idx1-ubyte")).unwrap()),
            "no `t10k-labels-idx1-ubyte`",
        ),
    ];
    for (name, damage, expected) in cases {
        let dir = temp_dir(name);
        write_dataset(&dir, false);
        damage(&dir);
        let message = load(&dir, None).unwrap_err().to_string();
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            message.contains(dir.to_str().unwrap()),
            "{name}: the message names the file: {message}"
        );
    }
    let e = load(Path::new("/nonexistent/fashion"), None).unwrap_err().to_string();
    assert!(e.contains("/nonexistent/fashion") && e.contains("dataset-fashion-mnist"), "{e}");
}

#[test]
fn parse_rejects_arbitrary_bytes_without_panicking() {
    // A small deterministic sweep of header-shaped garbage: each file is refused with the reason
    // that applies (checked in the order the reader checks), in an error naming the file.
    let mut refused = 0;
    for rank in 0..6u8 {
        for len in 0..40usize {
            let mut bytes = vec![0, 0, 8, rank];
            bytes.extend((0..len).map(|i| (i * 37 % 251) as u8));
            let rank = usize::from(rank);
            let dims: Vec<usize> = bytes[4..]
                .chunks_exact(4)
                .take(rank)
                .map(|d| u32::from_be_bytes(d.try_into().unwrap()) as usize)
                .collect();
            let size = dims.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
            let reason = if rank == 0 || rank > 4 {
                Some("dimensions; expected 1 (labels) or 3 (images)")
            } else if len < 4 * rank {
                Some("truncated header")
            } else if size.is_none() {
                Some("impossibly large")
            } else if size != Some(len - 4 * rank) {
                Some("(truncated or padded)")
            } else {
                None
            };
            match (idx::parse(Path::new("fuzz"), &bytes), reason) {
                (Err(e), Some(reason)) => {
                    let message = e.to_string();
                    assert!(message.starts_with("fuzz: "), "rank {rank}, {len} bytes: {message}");
                    assert!(message.contains(reason), "rank {rank}, {len} bytes: {message}");
                    refused += 1;
                }
                (Ok(array), None) => {
                    assert_eq!(array.dims, dims);
                    assert_eq!(array.data, bytes[4 + 4 * rank..]);
                }
                (result, reason) => {
                    panic!("rank {rank}, {len} bytes: {result:?}, expected {reason:?}")
                }
            }
        }
    }
    assert_eq!(refused, 6 * 40, "every file of the sweep is garbage");
}
