//! The cxx bridge: exactly what crosses the Rust/C++ boundary.

#[cxx::bridge(namespace = "tlsnic")]
pub(crate) mod bridge {
    /// One AXI4-Stream beat of a stream up to 512 bits wide: lane i of
    /// `data` = tdata[8i+7:8i], bit i of `keep` = tkeep[i]. Lanes at and
    /// beyond the model's `beat_bytes()` are not used (zero when read).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct BeatC {
        pub data: [u8; 64],
        pub keep: u64,
        pub last: bool,
        pub user: u64,
    }

    /// One register (or array element) of the model that holds key
    /// material, read through the simulator's back door (Verilator
    /// `public_flat_rd`): its hierarchical name, the array index (0 for a
    /// plain register) and its value as 32-bit words, word 0 = bits 31:0.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct SecretRegC {
        pub name: String,
        pub index: u32,
        pub words: Vec<u32>,
    }

    unsafe extern "C++" {
        include!("tlsnic-sim/csrc/model.h");

        type SimModel;

        fn new_model(top: &str) -> Result<UniquePtr<SimModel>>;
        fn reset(self: Pin<&mut SimModel>, cycles: u32) -> Result<()>;
        fn tick(self: Pin<&mut SimModel>, n: u64) -> Result<()>;
        fn cycle(self: &SimModel) -> u64;
        fn beat_bytes(self: &SimModel) -> usize;
        fn failed(self: &SimModel) -> bool;
        fn take_failure(self: Pin<&mut SimModel>) -> String;
        fn inject_stream_violation(self: Pin<&mut SimModel>, port: usize, kind: u8) -> Result<()>;
        fn quiet_cycles(self: &SimModel) -> u64;
        fn num_in_ports(self: &SimModel) -> usize;
        fn num_out_ports(self: &SimModel) -> usize;
        fn push_beats(self: Pin<&mut SimModel>, port: usize, beats: &[BeatC]) -> Result<()>;
        fn pending_in(self: &SimModel, port: usize) -> Result<usize>;
        fn out_count(self: &SimModel, port: usize) -> Result<usize>;
        fn take_beats(self: Pin<&mut SimModel>, port: usize) -> Result<Vec<BeatC>>;
        fn set_backpressure(self: Pin<&mut SimModel>, seed: u64, p_in_idle: f64, p_out_stall: f64);
        fn hold_output(self: Pin<&mut SimModel>, port: usize, hold: bool) -> Result<()>;
        fn csr_write(self: Pin<&mut SimModel>, addr: u16, data: u32, timeout: u64) -> Result<()>;
        fn csr_read(self: Pin<&mut SimModel>, addr: u16, timeout: u64) -> Result<u32>;
        fn trace_open(self: Pin<&mut SimModel>, path: &str) -> Result<()>;
        fn trace_close(self: Pin<&mut SimModel>);
        fn trace_window(self: Pin<&mut SimModel>, from: u64, to: u64);
        fn secret_regs(self: &SimModel) -> Vec<SecretRegC>;
        fn coverage_write(self: Pin<&mut SimModel>, path: &str) -> Result<()>;
    }
}
