//! The popup's wasm: mounts the Leptos app of `planet_reader::popup`.

fn main() {
    planet_reader::popup::main();
}
