//! The WASM, JavaScript and CSS of the site, compressed once at the best settings (brotli
//! quality 11, gzip level 9) next to the originals and served as they are, instead of being
//! compressed again for every request at the fast settings. A cheap phone on a slow network
//! downloads the smallest file; the server spends nothing per request.

use std::io::Write;
use std::path::{Path, PathBuf};

const COMPRESSIBLE: [&str; 4] = ["wasm", "js", "css", "svg"];

/// Writes `name.br` and `name.gz` for every compressible file in `dir` (and below) whose
/// compressed copies are missing or older than it. Returns how many files were compressed.
pub fn precompress(dir: &Path) -> std::io::Result<usize> {
    let mut done = 0;
    for path in files_under(dir)? {
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible {
            continue;
        }
        let original = std::fs::read(&path)?;
        let modified = std::fs::metadata(&path)?.modified()?;
        let mut wrote = false;
        for (suffix, compress) in [
            ("br", brotli as fn(&[u8]) -> std::io::Result<Vec<u8>>),
            ("gz", gzip),
        ] {
            let target = with_suffix(&path, suffix);
            let fresh = std::fs::metadata(&target)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= modified);
            if !fresh {
                // Written beside and renamed, so a request never sees half a file.
                let partial = with_suffix(&path, &format!("{suffix}.part"));
                std::fs::write(&partial, compress(&original)?)?;
                std::fs::rename(&partial, &target)?;
                wrote = true;
            }
        }
        done += usize::from(wrote);
    }
    Ok(done)
}

fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_under(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = ::brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(data)?;
    }
    Ok(out)
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(data)?;
    w.finish()
}

/// The version of the package the pages link to: a hash of the JS, WASM and CSS contents,
/// set once at startup. Its files are served under `/v/<version>/pkg/` and cached for a year
/// (`immutable`): a new build has a new version, so a browser never revalidates a file.
static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Where pages load the package from: `/v/<version>` (before `/pkg/...`), or "" when no
/// versioned package is served (development, tests without a site).
pub fn package_root() -> String {
    VERSION.get().map(|v| format!("/v/{v}")).unwrap_or_default()
}

/// Hashes the packages' files (16 hex digits of SHA-256 over their contents): the stylesheet
/// and, for each package named, its JS and WASM; makes it the version pages link to. None if
/// a file is missing.
pub fn set_version(dir: &Path, packages: &[&str]) -> Option<String> {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    let css = format!("{}.css", packages.first()?);
    let files = packages
        .iter()
        .flat_map(|p| [format!("{p}.js"), format!("{p}.wasm")])
        .chain([css]);
    for file in files {
        let bytes = std::fs::read(dir.join(file)).ok()?;
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    let digest = hash.finalize();
    let version: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(VERSION.get_or_init(|| version).clone())
}

/// Compresses the site's package directory in the background at startup; a request that
/// comes first gets the original, compressed on the fly.
pub fn precompress_in_background(dir: PathBuf) {
    tokio::task::spawn_blocking(move || match precompress(&dir) {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, dir = %dir.display(), "precompressed static files"),
        Err(e) => {
            tracing::warn!(error = %e, dir = %dir.display(), "static files not precompressed")
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn compressed_copies_are_written_once_and_decompress_to_the_original() {
        let dir = std::env::temp_dir().join(format!("cuocthi-assets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let wasm: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.join("app.wasm"), &wasm).unwrap();
        std::fs::write(
            dir.join("sub/app.js"),
            "console.log('xin chào');".repeat(100),
        )
        .unwrap();
        std::fs::write(dir.join("photo.png"), [0u8; 100]).unwrap();

        assert_eq!(
            precompress(&dir).unwrap(),
            2,
            "the wasm and the js, not the png"
        );
        assert_eq!(precompress(&dir).unwrap(), 0, "fresh copies are kept");
        assert!(!dir.join("photo.png.br").exists());

        let br = std::fs::read(dir.join("app.wasm.br")).unwrap();
        assert!(br.len() < wasm.len() / 10, "{} bytes", br.len());
        let mut back = Vec::new();
        ::brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, wasm);
        let gz = std::fs::read(dir.join("sub/app.js.gz")).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.starts_with("console.log('xin chào');"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
