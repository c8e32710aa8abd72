//! Generates the client from the shop's committed OpenAPI 3.0 document
//! (`examples/shop/openapi-3.0.json`, kept fresh by the shop's snapshot test).

fn main() {
    let src = "../shop/openapi-3.0.json";
    println!("cargo:rerun-if-changed={src}");
    let text = std::fs::read_to_string(src).expect("read the shop's OpenAPI 3.0 document");
    let spec = serde_json::from_str(&text).expect("an OpenAPI 3.0 document");
    let mut generator = progenitor::Generator::default();
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor cannot generate a client from {src}: {e}"));
    let file: syn::File = syn::parse2(tokens).expect("generated code parses");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("codegen.rs");
    std::fs::write(out, prettyplease::unparse(&file)).expect("write the generated client");
}
