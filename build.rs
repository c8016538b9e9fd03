// The bundled lexicons are embedded with `include_dir!`, which cannot see files added
// after the last build; tell cargo to rebuild whenever the folder changes.
//
// The run manifest names the language detector and HTML extractor with their versions,
// read here from Cargo.lock (`NEWSFRAME_<CRATE>_VERSION`).
fn main() {
    println!("cargo:rerun-if-changed=lexicons");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    for name in ["lingua", "whatlang", "dom_smoothie"] {
        let version = locked_version(&lock, name).unwrap_or_else(|| "unknown".to_string());
        let var = name.to_ascii_uppercase().replace('-', "_");
        println!("cargo:rustc-env=NEWSFRAME_{var}_VERSION={version}");
    }
}

/// The version of package `name` in a Cargo.lock (the first, if several).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{name}\"") {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_string());
        }
    }
    None
}
