// The bundled lexicons are embedded with `include_dir!`, which cannot see files added
// after the last build; tell cargo to rebuild whenever the folder changes.
fn main() {
    println!("cargo:rerun-if-changed=lexicons");
}
