//! IDX files (the MNIST format, also Fashion-MNIST's), raw or gzipped.
//!
//! Format: big-endian; magic `0x0000_08NN` where 08 means unsigned bytes and NN is the number of
//! dimensions; then NN u32 dimension sizes; then the data. Images are 3-dimensional
//! (count x rows x columns), labels 1-dimensional.

use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;

use crate::dataset::{Dataset, InputShape, Split, Targets, Task};
use crate::error::DataError;

/// Largest accepted image side, so a corrupt header cannot ask for gigabytes.
const MAX_SIDE: usize = 4096;

/// An IDX array of unsigned bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct IdxArray {
    /// Dimension sizes.
    pub dims: Vec<usize>,
    /// The values, row-major.
    pub data: Vec<u8>,
}

/// Reads an IDX file; a name ending in `.gz` is decompressed.
pub fn read(path: &Path) -> Result<IdxArray, DataError> {
    let file = std::fs::File::open(path)
        .map_err(|source| DataError::Io { path: path.to_path_buf(), source })?;
    let mut bytes = Vec::new();
    let result = if path.extension().is_some_and(|e| e == "gz") {
        GzDecoder::new(file).read_to_end(&mut bytes)
    } else {
        std::io::BufReader::new(file).read_to_end(&mut bytes)
    };
    result.map_err(|e| corrupt(path, format!("cannot decompress or read: {e}")))?;
    parse(path, &bytes)
}

/// Parses IDX bytes (`path` names the file in errors).
pub fn parse(path: &Path, bytes: &[u8]) -> Result<IdxArray, DataError> {
    if bytes.len() < 4 {
        return Err(corrupt(path, format!("{} bytes is too short for an IDX header", bytes.len())));
    }
    if bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 {
        return Err(corrupt(
            path,
            format!(
                "wrong magic number {:02x} {:02x} {:02x} {:02x}: an IDX file of unsigned bytes starts 00 00 08 NN",
                bytes[0], bytes[1], bytes[2], bytes[3]
            ),
        ));
    }
    let rank = bytes[3] as usize;
    if rank == 0 || rank > 4 {
        return Err(corrupt(path, format!("{rank} dimensions; expected 1 (labels) or 3 (images)")));
    }
    let header = 4 + 4 * rank;
    if bytes.len() < header {
        return Err(corrupt(
            path,
            format!("truncated header: {} bytes, need {header}", bytes.len()),
        ));
    }
    let dims: Vec<usize> = (0..rank)
        .map(|i| {
            u32::from_be_bytes(bytes[4 + 4 * i..8 + 4 * i].try_into().expect("4 bytes")) as usize
        })
        .collect();
    let Some(expected) = dims.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)) else {
        return Err(corrupt(path, format!("dimensions {dims:?} are impossibly large")));
    };
    let data = &bytes[header..];
    if data.len() != expected {
        return Err(corrupt(
            path,
            format!(
                "dimensions {dims:?} need {expected} data bytes, the file has {} (truncated or padded)",
                data.len()
            ),
        ));
    }
    Ok(IdxArray { dims, data: data.to_vec() })
}

/// Loads `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
/// `t10k-labels-idx1-ubyte` (each raw or `.gz`) from `dir`; pixels scaled to [0, 1].
pub fn load_dir(
    dir: &Path,
    limit: Option<usize>,
    test_limit: Option<usize>,
) -> Result<Dataset, DataError> {
    if !dir.is_dir() {
        return Err(DataError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such directory (Fashion-MNIST on Debian: apt-get install dataset-fashion-mnist)",
            ),
        });
    }
    let (train, shape, classes_train) = load_pair(dir, "train", limit)?;
    let (test, test_shape, classes_test) = load_pair(dir, "t10k", test_limit)?;
    if shape != test_shape {
        return Err(corrupt(
            &find(dir, "t10k-images-idx3-ubyte")?,
            format!("test images are {test_shape:?}, training images {shape:?}"),
        ));
    }
    let classes = classes_train.max(classes_test);
    let source =
        format!("IDX images from {} ({} train, {} test)", dir.display(), train.len(), test.len());
    Ok(Dataset {
        source,
        task: Task::Classification { classes },
        input: shape,
        train,
        test,
        forecast: None,
    })
}

fn load_pair(
    dir: &Path,
    prefix: &str,
    limit: Option<usize>,
) -> Result<(Split, InputShape, usize), DataError> {
    let images_path = find(dir, &format!("{prefix}-images-idx3-ubyte"))?;
    let labels_path = find(dir, &format!("{prefix}-labels-idx1-ubyte"))?;
    let images = read(&images_path)?;
    let labels = read(&labels_path)?;
    if images.dims.len() != 3 {
        return Err(corrupt(
            &images_path,
            format!("{} dimensions; image files have 3 (count, rows, columns)", images.dims.len()),
        ));
    }
    if labels.dims.len() != 1 {
        return Err(corrupt(
            &labels_path,
            format!("{} dimensions; label files have 1", labels.dims.len()),
        ));
    }
    let (count, rows, cols) = (images.dims[0], images.dims[1], images.dims[2]);
    if rows == 0 || cols == 0 || rows > MAX_SIDE || cols > MAX_SIDE {
        return Err(corrupt(
            &images_path,
            format!("image size {rows}x{cols} is not between 1x1 and {MAX_SIDE}x{MAX_SIDE}"),
        ));
    }
    if labels.dims[0] != count {
        return Err(DataError::CountMismatch {
            images: images_path,
            image_count: count,
            labels: labels_path,
            label_count: labels.dims[0],
        });
    }
    if let Some(bad) = labels.data.iter().find(|&&l| l > 99) {
        return Err(corrupt(&labels_path, format!("label {bad} is out of range (0 to 99)")));
    }
    let n = limit.unwrap_or(count).min(count);
    let size = rows * cols;
    let inputs = images.data[..n * size].iter().map(|&p| p as f32 / 255.0).collect();
    let classes: Vec<usize> = labels.data[..n].iter().map(|&l| l as usize).collect();
    let class_count = classes.iter().max().map_or(0, |m| m + 1);
    let shape = InputShape::Image { channels: 1, height: rows, width: cols };
    Ok((Split { inputs, targets: Targets::Classes(classes) }, shape, class_count))
}

fn find(dir: &Path, name: &str) -> Result<PathBuf, DataError> {
    [dir.join(format!("{name}.gz")), dir.join(name)]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| DataError::MissingFile { dir: dir.to_path_buf(), name: name.to_string() })
}

fn corrupt(path: &Path, problem: String) -> DataError {
    DataError::Corrupt { path: path.to_path_buf(), problem }
}
