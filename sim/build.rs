//! Verilates every simulation top model listed in `MODELS` from `rtl/files.f` and
//! compiles the generated C++, the Verilator runtime and the cxx bridge.
//!
//! Rebuilds only when a listed RTL file, the file list or the C++ wrapper
//! changes. The models' evaluation code (what runs every clock) is compiled
//! at -O2, everything else at -O1 (docs/sim.md).
//!
//! Assertions are compiled in (`--assert`): the RTL's `TLSNIC_ASSERT`s run in
//! every simulation; so are the functional coverage points
//! (`--coverage-user`: the RTL's `TLSNIC_COVER`s, read by `Sim::coverage`). `csrc/vl_hooks.h` is force-included into every C++ file
//! so that the runtime's messages (the text of a failed assertion) reach the
//! harness, which reports them to Rust.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Verilated models: (model name, top module, Verilator parameter
/// overrides). Each is Verilated with the prefix `V<model name>` into its
/// own directory; `csrc/model.cpp` has a factory per model name.
/// `tls_offload_top_w512` is the device with 512-bit streams (chosen by
/// `TLSNIC_DATA_W=512`, see `src/lib.rs`); `tls_offload_top_board` the
/// device in the ECPIX-5 board configuration of `rtl/board/board_selftest.sv`
/// (folded AES, digit-serial GHASH, short keystream queue, LEAN; chosen by
/// `TLSNIC_BOARD=1`) with the default 64 contexts, docs/synthesis.md.
const MODELS: &[(&str, &str, &[&str])] = &[
    ("gcm_stream_top", "gcm_stream_top", &[]),
    ("tls_offload_top", "tls_offload_top", &[]),
    ("tls_offload_top_w512", "tls_offload_top", &["-GDATA_W=512"]),
    ("tls_offload_top_board", "tls_offload_top", &["-GAES_STAGES=2", "-GGHASH_DIGIT=32", "-GKS_DEPTH=8", "-GLEAN=1"]),
    ("board_sim_top", "board_sim_top", &[]),
];

/// The entries of `MODELS` to build: all of them, or those named in
/// `TLSNIC_SIM_MODELS` (comma-separated model names, e.g.
/// `gcm_stream_top,tls_offload_top` for `make mutate`, which needs only the
/// 128-bit models). Opening a model that was not built is an error at run
/// time (`csrc/model.cpp`), not a link failure.
fn selected_models() -> Vec<(&'static str, &'static str, &'static [&'static str])> {
    println!("cargo:rerun-if-env-changed=TLSNIC_SIM_MODELS");
    let Ok(list) = std::env::var("TLSNIC_SIM_MODELS") else {
        return MODELS.to_vec();
    };
    let names: Vec<&str> = list.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    for n in &names {
        if !MODELS.iter().any(|m| m.0 == *n) {
            let known: Vec<&str> = MODELS.iter().map(|m| m.0).collect();
            panic!("TLSNIC_SIM_MODELS names {n}, which is not a model (models: {})", known.join(","));
        }
    }
    if names.is_empty() {
        panic!("TLSNIC_SIM_MODELS is set but names no model");
    }
    MODELS.iter().filter(|m| names.contains(&m.0)).copied().collect()
}

fn rtl_files(root: &Path) -> Vec<PathBuf> {
    let list = root.join("rtl/files.f");
    println!("cargo:rerun-if-changed={}", list.display());
    let text = std::fs::read_to_string(&list).unwrap_or_else(|e| panic!("cannot read {}: {e}", list.display()));
    let mut files = Vec::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let p = root.join(line);
        if !p.exists() {
            panic!("rtl/files.f lists {line}, which does not exist");
        }
        println!("cargo:rerun-if-changed={}", p.display());
        files.push(p);
    }
    files
}

/// The Verilator inputs of `top`: the RTL files, or for gate-level
/// simulation (`make gls`, syn/gls/gls.sh) the argument file
/// `$TLSNIC_GLS_DIR/<top>.vc` (Yosys' ECP5 cell models and the synthesized
/// netlist) when it exists.
fn sources(top: &str, files: &[PathBuf]) -> Vec<std::ffi::OsString> {
    println!("cargo:rerun-if-env-changed=TLSNIC_GLS_DIR");
    if let Some(dir) = std::env::var_os("TLSNIC_GLS_DIR") {
        let vc = PathBuf::from(dir).join(format!("{top}.vc"));
        if vc.exists() {
            println!("cargo:rerun-if-changed={}", vc.display());
            println!("cargo:rerun-if-changed={}", vc.with_extension("v").display());
            return vec!["-f".into(), vc.into_os_string()];
        }
    }
    files.iter().map(|f| f.clone().into_os_string()).collect()
}

fn verilator_root() -> PathBuf {
    let out = Command::new("verilator").arg("--getenv").arg("VERILATOR_ROOT").output();
    match out {
        Ok(o) if o.status.success() => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        _ => panic!("`verilator` not found or not working: run `make deps` (Debian package verilator)"),
    }
}

/// Verilates each model into `$OUT_DIR/<model>`, `NUM_JOBS` (Cargo's job
/// count) Verilator runs at a time: each is single-threaded, and the five
/// models took 80 s one after another (the 512-bit one 40 s of it).
fn verilate_all(models: &[(&str, &str, &[&str])], files: &[PathBuf], out: &Path) {
    let jobs: usize = std::env::var("NUM_JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or(1).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|sc| {
        for _ in 0..jobs.min(models.len()) {
            sc.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(name, top, params)) = models.get(i) else { break };
                let mdir = out.join(name);
                let _ = std::fs::remove_dir_all(&mdir);
                let status = Command::new("verilator")
                    .args([
                        "--cc",
                        "--trace-fst",
                        "-O3",
                        "--x-assign",
                        "fast",
                        "--x-initial",
                        "fast",
                        "--assert",
                        "--coverage-user",
                        "-Wno-fatal",
                    ])
                    .args(["--top-module", top])
                    .args(params)
                    .arg("--prefix")
                    .arg(format!("V{name}"))
                    .arg("-Mdir")
                    .arg(&mdir)
                    .args(sources(name, files))
                    .status()
                    .expect("running verilator");
                assert!(status.success(), "verilator failed on model {name} (top {top})");
            });
        }
    });
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.parent().expect("sim/ lives in the workspace root").to_path_buf();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let files = rtl_files(&root);
    // `cargo clippy` only type-checks: nothing is linked, so the Verilated
    // model need not be built (saves its C++ compile in `make test`).
    if std::env::var("RUSTC_WORKSPACE_WRAPPER").is_ok_and(|w| w.contains("clippy-driver")) {
        println!("cargo:rerun-if-env-changed=RUSTC_WORKSPACE_WRAPPER");
        return;
    }
    let vroot = verilator_root();
    let inc = vroot.join("include");
    let hooks = manifest.join("csrc/vl_hooks.h");

    let mut model = cc::Build::new();
    model
        .cpp(true)
        .opt_level(1)
        .flag("-std=c++17")
        .flag("-faligned-new")
        .flag("-w")
        .include(&inc)
        .include(inc.join("vltstd"))
        .define("VM_COVERAGE", "1")
        .define("VM_SC", "0")
        .define("VM_TRACE", "1")
        .define("VM_TRACE_FST", "1")
        .flag("-include")
        .flag(hooks.to_str().expect("UTF-8 path"));

    // The evaluation code runs every clock: the Verilated files that are
    // neither `__Slow` (construction, initial settling) nor `__Trace`
    // (waveform dumping) are compiled at -O2, the rest at -O1.
    let mut eval = model.clone();
    eval.opt_level(2);
    let models = selected_models();
    verilate_all(&models, &files, &out);
    for &(name, _, _) in &models {
        let mdir = out.join(name);
        let mut cpps: Vec<PathBuf> = std::fs::read_dir(&mdir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "cpp"))
            .collect();
        cpps.sort();
        for f in cpps {
            let file = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if file.contains("__Slow") || file.contains("__Trace") {
                model.file(f);
            } else {
                eval.file(f);
            }
        }
        model.include(&mdir);
        eval.include(&mdir);
    }
    let eval_objs = eval.compile_intermediates();
    model.objects(eval_objs);
    let mut wrap = cxx_build::bridge("src/ffi.rs");
    for m in &models {
        // csrc/model.cpp includes and offers only the models built.
        wrap.define(&format!("TLSNIC_MODEL_{}", m.0), "1");
    }
    wrap.file("csrc/model.cpp")
        .include(&inc)
        .include(inc.join("vltstd"))
        .includes(models.iter().map(|m| out.join(m.0)))
        .opt_level(1)
        .flag("-std=c++17")
        .flag("-faligned-new")
        .flag("-Wno-unused-parameter")
        .define("VM_COVERAGE", "1")
        .define("VM_TRACE", "1")
        .define("VM_TRACE_FST", "1")
        .flag("-include")
        .flag(hooks.to_str().expect("UTF-8 path"))
        .compile("tlsnic_simwrap");

    for rt in ["verilated.cpp", "verilated_threads.cpp", "verilated_fst_c.cpp", "verilated_cov.cpp"] {
        model.file(inc.join(rt));
    }
    model.file(manifest.join("csrc/vl_hooks.cpp"));
    model.compile("tlsnic_vmodel");

    println!("cargo:rustc-link-lib=z");
    println!("cargo:rerun-if-changed=csrc/model.cpp");
    println!("cargo:rerun-if-changed=csrc/model.h");
    println!("cargo:rerun-if-changed=csrc/vl_hooks.cpp");
    println!("cargo:rerun-if-changed=csrc/vl_hooks.h");
    println!("cargo:rerun-if-changed=src/ffi.rs");
    println!("cargo:rerun-if-changed=build.rs");
}
