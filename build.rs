// Rebuild when a migration is added: `sqlx::migrate!` embeds the folders at compile time
// but cannot tell cargo to watch them (what `sqlx migrate build-script` writes).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
