//! The options page's wasm: mounts the Leptos app of `planet_reader::options`.

fn main() {
    planet_reader::options::main();
}
