//! `tlsnic`: simulations, regressions and benchmarks of the tlsnic RTL.

mod plot;
mod regress;
mod serve;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::time::Instant;
use tlsnic_driver::tx_offload::OooPolicy;
use tlsnic_driver::types::TlsVersion;
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::retx_bench::{self, RetxRow};
use tlsnic_testbench::rx::{install_metrics, rx_mtu_run, RxMtuRun};
use tlsnic_testbench::scenario::{gcm_throughput, Throughput};
use tlsnic_testbench::seed::parse_seed;
use tlsnic_testbench::throughput::{self, Load, Path};
use tlsnic_testbench::tx::tx_mtu_run;

#[derive(Parser)]
#[command(name = "tlsnic", version, about = "NIC TLS offload engine: RTL simulation, regression and benchmarks")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Scenario {
    /// AES-GCM engine alone (gcm_stream_top).
    Gcm,
    /// TX offload path of the device (tls_offload_top).
    Tx,
    /// RX offload path of the device (tls_offload_top).
    Rx,
    /// All of them.
    All,
}

#[derive(Subcommand)]
enum Cmd {
    /// Default scenarios: records encrypted then decrypted through the RTL
    /// AES-GCM engine (gcm), TLS records sent as back-to-back MTU frames
    /// through the device's TX offload path (tx) and received through its
    /// RX path (rx), every record checked with the aes-gcm crate; prints
    /// cycles, payload bytes per cycle and the statistics.
    Sim {
        /// Which scenario to run.
        #[arg(long, value_enum, default_value_t = Scenario::All)]
        scenario: Scenario,
        /// Write FST waveforms: the gcm scenario to FILE, the tx and rx
        /// scenarios (one device model each) to FILE with its extension
        /// replaced by .tx.fst and .rx.fst (sim.fst: sim.tx.fst, sim.rx.fst).
        #[arg(long, value_name = "FILE")]
        wave: Option<PathBuf>,
        /// Records per key size.
        #[arg(long, default_value_t = 8)]
        records: usize,
        /// Record body length in bytes (1 ..= 16640) of the gcm scenario;
        /// the tx and rx scenarios send full 16384-byte records.
        #[arg(long, default_value_t = 16_384)]
        record_len: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Random regression: seeds x families of random runs on the RTL (AES-GCM
    /// jobs, TX with retransmissions, TX drops, TX resync, RX under network
    /// impairments, directed RX cases, context life cycle and table full, firmware command
    /// fuzz, the committed capture replayed under impairments), each
    /// checked against independent references; in parallel, optionally one
    /// shard; summary.json and report.txt in --out, and the command that
    /// replays each failure with a waveform around its first divergence.
    Regress {
        /// Seeds per family.
        #[arg(long, default_value_t = 20)]
        seeds: u64,
        /// First seed (decimal or 0x hex); random when absent (printed).
        #[arg(long)]
        seed: Option<String>,
        /// Families, comma-separated (default all): gcm, tx, tx_retx,
        /// tx_retx_offsets, tx_drop, tx_resync, rx, rx_directed, lifecycle,
        /// firmware_fuzz, replay_impaired.
        #[arg(long, default_value = "")]
        families: String,
        /// Runs at once, each on its own model (default: the CPUs).
        #[arg(long)]
        jobs: Option<usize>,
        /// Run one slice i/n of the runs (run k when k mod n = i - 1), for
        /// spreading a regression over machines; --merge joins the slices.
        #[arg(long, value_name = "i/n")]
        shard: Option<String>,
        /// Output directory of summary.json and report.txt.
        #[arg(long, default_value = "build/regress")]
        out: PathBuf,
        /// Join these shards' summary.json files into --out's summary
        /// instead of running.
        #[arg(long, num_args = 1.., value_name = "SUMMARY.json")]
        merge: Vec<PathBuf>,
        /// Write an FST waveform (with one family, --seeds 1, --jobs 1).
        #[arg(long, value_name = "FILE")]
        wave: Option<PathBuf>,
        /// With --wave: dump only the cycles FROM..TO (either end may be
        /// left out); a failure's replay command gives the window around
        /// its first divergence.
        #[arg(long, value_name = "FROM..TO", requires = "wave")]
        wave_cycles: Option<String>,
    },
    /// Benchmarks: AES-GCM throughput over record and key sizes, TX and RX
    /// payload bytes per cycle on MTU frames, unmarked frame rate, context
    /// installation latency and rate, throughput rows (TX and RX, alone and
    /// concurrent, 1 and 64 connections, TLS 1.2 and 1.3, per segment size,
    /// against the frame limit), a sweep of TX over record and segment
    /// sizes (drawn by --svg), the cost of TCP retransmissions per TX
    /// out-of-order policy, simulation speed. JSON with --json.
    Bench {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
        /// TCP segment size of the throughput rows (repeat for several;
        /// default 1448 and 576 at 128 bits, 1448 and 9000 at 512).
        #[arg(long = "segment", value_name = "BYTES")]
        segments: Vec<usize>,
        /// Stream widths of the throughput rows (repeat; default 128 and
        /// 512: one device model each; 128 only with TLSNIC_BOARD=1, the
        /// board configuration).
        #[arg(long = "data-w", value_name = "BITS")]
        data_w: Vec<u32>,
        /// Also draw the sweep (TX, one connection, payload bytes per clock
        /// against segment size, one line per width and record size) into
        /// this SVG file; the sweep rows are in the JSON as "sweep".
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        /// Leave out the throughput table (its 64-connection runs are the
        /// bench's longest): the one-connection TX and RX runs at
        /// 1448-byte segments remain (make fpga's bytes per clock).
        #[arg(long)]
        no_table: bool,
        /// Run only the retransmission rows ("retransmit": each TX
        /// out-of-order policy at 0.1, 1 and 5 % retransmissions, 64
        /// connections, 16 KB records, 1448-byte segments).
        #[arg(long, conflicts_with_all = ["no_table", "svg", "segments", "data_w"])]
        retransmit_only: bool,
    },
    /// Replay a capture (pcap or pcapng, Ethernet) of TLS connections with
    /// their NSS key log through the device's RX path and the kTLS RX
    /// model: per connection and direction, records, frames decrypted by
    /// the device, application bytes and their SHA-256.
    Replay {
        /// The capture.
        #[arg(long)]
        pcap: PathBuf,
        /// The key log (SSLKEYLOGFILE format).
        #[arg(long)]
        keylog: PathBuf,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
        /// Write each direction's application bytes into this directory.
        #[arg(long)]
        plaintext_dir: Option<PathBuf>,
        /// Write the capture as the host saw it after the NIC to this
        /// pcapng file: every frame as the device delivered it (plaintext in
        /// place of the record bodies it decrypted), with a comment naming
        /// the verdict (`decrypted` or the pass reason) and the context.
        #[arg(long, value_name = "OUT.pcapng")]
        write_pcap: Option<PathBuf>,
        /// Also write an FST waveform to this file.
        #[arg(long)]
        wave: Option<PathBuf>,
    },
    /// A TLS server on a real TCP socket: handshake in software (rustls),
    /// then every application record in both directions protected by the
    /// RTL. Statistics on exit of each connection.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:4433.
        #[arg(long)]
        listen: String,
        /// Certificate chain (PEM).
        #[arg(long)]
        cert: PathBuf,
        /// Private key (PEM).
        #[arg(long)]
        key: PathBuf,
        /// Send back what is received.
        #[arg(long, conflicts_with = "http")]
        echo: bool,
        /// Answer every HTTP/1.1 request with this file.
        #[arg(long)]
        http: Option<PathBuf>,
        /// Serve one connection, then exit.
        #[arg(long)]
        once: bool,
    },
    /// A TLS client on a real TCP socket (records through the RTL as for
    /// `serve`): sends the input, writes what the server sends until it
    /// closes. Any server certificate is accepted (like `curl -k`).
    Connect {
        /// Server address, e.g. 127.0.0.1:4433.
        addr: String,
        /// Server name for SNI.
        #[arg(long, default_value = "localhost")]
        server_name: String,
        /// Only TLS 1.2.
        #[arg(long, conflicts_with = "tls13")]
        tls12: bool,
        /// Only TLS 1.3.
        #[arg(long)]
        tls13: bool,
        /// Data to send (default: none).
        #[arg(long)]
        input: Option<PathBuf>,
        /// Where to write what the server sends (default: stdout).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Statistics, `ethtool -S` style: runs a short TX + RX scenario on the
    /// device through the drivers (in-order traffic, a retransmission
    /// rebuilt by DUMP, pre-offload and acknowledged retransmissions, a lost
    /// RX header regained by stream scan) and prints every counter: the
    /// seed's 18 first, then the extra ones.
    Stats {
        /// Print one JSON object {name: value}.
        #[arg(long)]
        json: bool,
        /// Seed of the scenario (default: random, printed).
        #[arg(long)]
        seed: Option<u64>,
        /// Also write an FST waveform to this file.
        #[arg(long)]
        wave: Option<PathBuf>,
    },
}

fn new_sim(top: Top, wave: &Option<PathBuf>) -> Result<Sim> {
    let mut sim = match wave {
        Some(p) => Sim::with_wave(top, p).with_context(|| format!("opening waveform {}", p.display()))?,
        None => Sim::new(top).context("building the simulation model")?,
    };
    sim.reset(4);
    Ok(sim)
}

fn key(bits: usize) -> Vec<u8> {
    (0..bits / 8).map(|i| (i as u8).wrapping_mul(17).wrapping_add(3)).collect()
}

/// `limit`: the stream's bytes per cycle (the model's beat width).
fn throughput_json(bits: usize, t: &Throughput, limit: usize) -> serde_json::Value {
    serde_json::json!({
        "key_bits": bits,
        "record_len": t.record_len,
        "records": t.records,
        "encrypt_cycles": t.encrypt_cycles,
        "decrypt_cycles": t.decrypt_cycles,
        "encrypt_bytes_per_cycle": t.encrypt_bytes_per_cycle(),
        "decrypt_bytes_per_cycle": t.decrypt_bytes_per_cycle(),
        "stream_limit_bytes_per_cycle": limit,
        "key_setup_cycles": t.key_setup_cycles,
    })
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Sim { scenario, wave, records, record_len, json } => {
            if record_len == 0 || record_len > 16_640 {
                bail!("--record-len must be 1..=16640 (a TLS record body), got {record_len}");
            }
            if record_len != 16_384 && matches!(scenario, Scenario::Tx | Scenario::Rx) {
                bail!("--record-len applies to the gcm scenario only; the tx and rx scenarios send 16384-byte records");
            }
            if records == 0 {
                bail!("--records must be at least 1");
            }
            if matches!(scenario, Scenario::Gcm | Scenario::All) {
                run_gcm_scenario(&wave, records, record_len, json)?;
            }
            if matches!(scenario, Scenario::Tx | Scenario::All) {
                run_tx_scenario(&wave, records, json)?;
            }
            if matches!(scenario, Scenario::Rx | Scenario::All) {
                run_rx_scenario(&wave, records, json)?;
            }
        }
        Cmd::Regress { seeds, seed, families, jobs, shard, out, merge, wave, wave_cycles } => {
            if !merge.is_empty() {
                if regress::merge(&merge, &out)? > 0 {
                    bail!("regress: failures in the merged shards (see {})", out.join("summary.json").display());
                }
                return Ok(());
            }
            let seed = match seed {
                Some(s) => parse_seed(&s).with_context(|| format!("--seed {s:?} is not a number"))?,
                None => rand::random::<u32>().into(),
            };
            let families = tlsnic_testbench::regress::families(&families).map_err(anyhow::Error::msg)?;
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            if let Some(w) = &wave {
                if families.len() != 1 || seeds != 1 || jobs != 1 {
                    bail!("--wave needs one family, --seeds 1 and --jobs 1 (every model would write the same file)");
                }
                std::env::set_var("TLSNIC_WAVE", w);
                if let Some(c) = &wave_cycles {
                    regress::parse_cycles(c)?;
                    std::env::set_var("TLSNIC_WAVE_CYCLES", c.trim());
                }
            }
            let shard = shard.as_deref().map(regress::parse_shard).transpose()?;
            let plan = regress::Plan { families, seed, seeds, jobs, shard, out };
            if regress::run(&plan)? > 0 {
                bail!(
                    "regress: failures (each with its replay command above and in {})",
                    plan.out.join("report.txt").display()
                );
            }
        }
        Cmd::Serve { listen, cert, key, echo, http, once } => {
            let mode = match (echo, http) {
                (true, _) => serve::Mode::Echo,
                (false, Some(f)) => {
                    serve::Mode::Http(std::fs::read(&f).with_context(|| format!("reading {}", f.display()))?)
                }
                (false, None) => anyhow::bail!("choose --echo or --http FILE"),
            };
            serve::serve(&listen, &cert, &key, mode, once)?;
        }
        Cmd::Connect { addr, server_name, tls12, tls13, input, output } => {
            let versions: Vec<&'static rustls::SupportedProtocolVersion> = match (tls12, tls13) {
                (true, _) => vec![&rustls::version::TLS12],
                (_, true) => vec![&rustls::version::TLS13],
                _ => vec![&rustls::version::TLS13, &rustls::version::TLS12],
            };
            let data = match input {
                Some(f) => std::fs::read(&f).with_context(|| format!("reading {}", f.display()))?,
                None => Vec::new(),
            };
            let (got, st) = serve::connect(&addr, &server_name, &versions, &data)?;
            match output {
                Some(f) => std::fs::write(&f, &got)?,
                None => std::io::Write::write_all(&mut std::io::stdout(), &got)?,
            }
            eprintln!("{addr}: {} application bytes sent, {} received; statistics:", st.tx_bytes, st.rx_bytes);
            eprint!("{}", tlsnic_driver::stats::format(&st.counters));
        }
        Cmd::Replay { pcap, keylog, json, plaintext_dir, write_pcap, wave } => {
            let cap = std::fs::read(&pcap).with_context(|| format!("reading the capture {}", pcap.display()))?;
            let kl = std::fs::read_to_string(&keylog)
                .with_context(|| format!("reading the key log {}", keylog.display()))?;
            let mut sim = new_sim(Top::TlsOffload, &wave)?;
            let out = tlsnic_device::replay::replay(&mut sim, &cap, &kl)
                .map_err(|e| anyhow::anyhow!("replaying {}: {e}", pcap.display()))?;
            let rep = out.report;
            if let Some(dir) = plaintext_dir {
                std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                for (name, bytes) in &out.plaintexts {
                    let f = dir.join(format!("{name}.bin"));
                    std::fs::write(&f, bytes).with_context(|| format!("writing {}", f.display()))?;
                }
            }
            if let Some(f) = write_pcap {
                let w = std::fs::File::create(&f).with_context(|| format!("creating {}", f.display()))?;
                tlsnic_device::replay::write_pcapng(std::io::BufWriter::new(w), &out.host)
                    .map_err(|e| anyhow::anyhow!("writing {}: {e}", f.display()))?;
                eprintln!("replay: {} frames as the host saw them in {}", out.host.len(), f.display());
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&rep)?);
            } else {
                println!(
                    "replay: {} frames in the capture, {} TCP connections",
                    rep.capture_frames,
                    rep.connections.len()
                );
                for c in &rep.connections {
                    println!(
                        "{} -> {}: TLS {} suite {}{}",
                        c.client,
                        c.server,
                        c.version.as_deref().unwrap_or("?"),
                        c.cipher_suite.as_deref().unwrap_or("?"),
                        c.skipped.as_ref().map(|s| format!(": skipped ({s})")).unwrap_or_default()
                    );
                    for d in &c.directions {
                        println!(
                            "  {}: {} records ({} by the device), {} frames ({} decrypted), {} application bytes, sha256 {}{}",
                            d.direction,
                            d.records,
                            d.records_device,
                            d.frames,
                            d.frames_decrypted,
                            d.app_bytes,
                            d.app_sha256,
                            d.error.as_ref().map(|e| format!(", error: {e}")).unwrap_or_default()
                        );
                    }
                }
                // the seed's rx_* counters first, in its order, then the rest
                let seed_rx: Vec<&str> =
                    tlsnic_driver::stats::SEED_STATS.iter().copied().filter(|n| n.starts_with("rx_")).collect();
                for n in &seed_rx {
                    println!("     {n}: {}", rep.rx_stats.get(*n).copied().unwrap_or_default());
                }
                for (n, v) in rep.rx_stats.iter().filter(|(n, _)| !seed_rx.contains(&n.as_str())) {
                    println!("     {n}: {v}");
                }
            }
        }
        Cmd::Stats { json, seed, wave } => {
            let seed = seed.unwrap_or_else(rand::random);
            let mut sim = new_sim(Top::TlsOffload, &wave)?;
            let run = tlsnic_testbench::stats::stats_run(&mut sim, seed).map_err(anyhow::Error::msg)?;
            if json {
                let m: serde_json::Map<String, serde_json::Value> =
                    run.counters.iter().map(|(n, v)| (n.clone(), serde_json::json!(v))).collect();
                println!("{}", serde_json::to_string_pretty(&m)?);
            } else {
                println!("NIC statistics (tlsnic stats, seed {seed}):");
                print!("{}", tlsnic_driver::stats::format(&run.counters));
            }
        }
        Cmd::Bench { json, segments, data_w, svg, no_table, retransmit_only } => {
            if retransmit_only {
                let mut dev = new_sim(Top::TlsOffload, &None)?;
                let retx = retransmit_rows(&mut dev)?;
                if json {
                    let rows: Vec<_> = retx.iter().map(RetxRow::json).collect();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(
                            &serde_json::json!({"bench": "tlsnic", "data_w": dev.beat_bytes() * 8, "retransmit": rows})
                        )?
                    );
                } else {
                    print_retransmit(&retx);
                }
                return Ok(());
            }
            if let Some(s) = segments.iter().find(|s| !(1..=throughput::MAX_SEGMENT).contains(s)) {
                bail!("--segment must be 1..={}, got {s}", throughput::MAX_SEGMENT);
            }
            let built = tlsnic_sim::device_widths()?;
            let widths = if data_w.is_empty() { built.to_vec() } else { data_w };
            if let Some(w) = widths.iter().find(|w| !built.contains(w)) {
                bail!("--data-w must be one of {built:?}, got {w}");
            }
            let mut sim = new_sim(Top::GcmStream, &None)?;
            let mut runs = Vec::new();
            let t0 = Instant::now();
            for bits in [128, 256] {
                for len in [16usize, 64, 256, 1448, 4096, 16_384] {
                    let n = (65_536 / len).clamp(4, 64);
                    let t = gcm_throughput(&mut sim, &key(bits), len, n)?;
                    if !json {
                        println!(
                            "AES-{bits} record {len:>5} B x {n:>3}: enc {:.3} B/cycle, dec {:.3} B/cycle (limit {}), key set-up {} cycles",
                            t.encrypt_bytes_per_cycle(),
                            t.decrypt_bytes_per_cycle(),
                            sim.beat_bytes(),
                            t.key_setup_cycles
                        );
                    }
                    runs.push(throughput_json(bits, &t, sim.beat_bytes()));
                }
            }
            let mut dev = new_sim(Top::TlsOffload, &None)?;
            let mut plain = Vec::new();
            for len in [60usize, 64, 128, 512, 1514, 9014] {
                let cpf = tlsnic_testbench::tx::tx_plain_rate(&mut dev, len, 200)?;
                let beats = len.div_ceil(dev.beat_bytes()) as f64;
                if !json {
                    println!("TX unmarked {len:>5}-byte frames back to back: {cpf:.2} cycles/frame ({beats} beats, {:.1} % of line rate)", 100.0 * beats / cpf);
                }
                plain.push(serde_json::json!({"frame_len": len, "cycles_per_frame": cpf, "beats_per_frame": beats}));
            }
            let mtu12 = tx_mtu_run(&mut dev, false, 8)?;
            let mtu13 = tx_mtu_run(&mut dev, true, 8)?;
            let inst = install_metrics(&mut dev, 32).map_err(anyhow::Error::msg)?;
            let rx12 = rx_mtu_run(&mut dev, TlsVersion::V12, 8).map_err(anyhow::Error::msg)?;
            let rx13 = rx_mtu_run(&mut dev, TlsVersion::V13, 8).map_err(anyhow::Error::msg)?;
            if !json {
                println!(
                    "TX offload, 1448-byte segments of 16 KB records: TLS 1.2 {:.3}, TLS 1.3 {:.3} payload bytes/cycle",
                    mtu12.bytes_per_cycle(),
                    mtu13.bytes_per_cycle()
                );
                println!(
                    "RX offload, 1448-byte segments of 16 KB records: TLS 1.2 {:.3}, TLS 1.3 {:.3} payload bytes/cycle",
                    rx12.bytes_per_cycle(),
                    rx13.bytes_per_cycle()
                );
                println!(
                    "context install: doorbell to completion TX add {} cycles, RX add {} cycles, RX delete {} cycles; whole RX install over AXI4-Lite {} cycles ({:.0} installs/s at 100 MHz; {:.0} installs/s simulated)",
                    inst.tx_add_cycles,
                    inst.rx_add_cycles,
                    inst.rx_del_cycles,
                    inst.rx_install_total_cycles,
                    100e6 / inst.rx_install_total_cycles as f64,
                    inst.sim_installs_per_second
                );
            }
            let retx = retransmit_rows(&mut dev)?;
            if !json {
                print_retransmit(&retx);
            }
            let mut rows = Vec::new();
            let mut sweep = Vec::new();
            let mut cycles = sim.cycle() + dev.cycle();
            for &w in widths.iter().filter(|_| !no_table) {
                let mut wide = Sim::device(w)?;
                wide.reset(4);
                let segs = if segments.is_empty() { throughput::segments(w).to_vec() } else { segments.clone() };
                let r = throughput_rows(&mut wide, &segs)?;
                if !json {
                    print_throughput(&r);
                }
                rows.extend(r);
                let s = sweep_rows(&mut wide)?;
                if !json {
                    print_sweep(&s);
                }
                sweep.extend(s);
                cycles += wide.cycle();
            }
            if let Some(f) = &svg {
                plot::sweep_svg(f, &sweep)?;
                eprintln!("bench: sweep drawn into {}", f.display());
            }
            let secs = t0.elapsed().as_secs_f64();
            let cps = cycles as f64 / secs;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"bench": "tlsnic", "device_model": Top::TlsOffload.model()?, "gcm_engine": runs, "tx_unmarked": plain, "tx_mtu_bytes_per_cycle": {"tls12": mtu12.bytes_per_cycle(), "tls13": mtu13.bytes_per_cycle()}, "rx_mtu_bytes_per_cycle": {"tls12": rx12.bytes_per_cycle(), "tls13": rx13.bytes_per_cycle()}, "install": {"tx_add_cycles": inst.tx_add_cycles, "rx_add_cycles": inst.rx_add_cycles, "rx_del_cycles": inst.rx_del_cycles, "rx_install_total_cycles": inst.rx_install_total_cycles, "installs_per_second_at_100mhz": 100e6 / inst.rx_install_total_cycles as f64, "sim_installs_per_second": inst.sim_installs_per_second}, "throughput": rows.iter().map(throughput::Row::json).collect::<Vec<_>>(), "sweep": sweep.iter().map(throughput::Row::json).collect::<Vec<_>>(), "retransmit": retx.iter().map(RetxRow::json).collect::<Vec<_>>(), "sim_cycles_per_second": cps})
                    )?
                );
            } else {
                println!("simulation speed: {cps:.0} cycles/s");
            }
        }
    }
    Ok(())
}

/// The bench's throughput rows on `dev`: every path alone, then both at
/// once, for each connection count, TLS version and segment size.
fn throughput_rows(dev: &mut Sim, segments: &[usize]) -> Result<Vec<throughput::Row>> {
    let mut runs = Vec::new();
    for paths in [&[Path::Tx][..], &[Path::Rx], &[Path::Tx, Path::Rx]] {
        for &conns in throughput::CONNECTIONS {
            for version in [TlsVersion::V12, TlsVersion::V13] {
                for &segment in segments {
                    runs.push((paths, Load::bench(conns, version, segment)));
                }
            }
        }
    }
    let bar = progress(runs.len(), &format!("{}-bit throughput runs", dev.beat_bytes() * 8));
    let mut rows = Vec::new();
    for (paths, load) in &runs {
        let names: Vec<&str> = paths.iter().map(|p| p.name()).collect();
        bar.set_message(format!(
            "{} {} conns TLS {:?}, {} B segments",
            names.join("+"),
            load.conns,
            load.version,
            load.segment
        ));
        let run = throughput::run(dev, *load, paths)
            .with_context(|| format!("throughput run {} ({load:?}): output check failed", names.join("+")))?;
        rows.extend(run.rows);
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(rows)
}

/// A progress bar on stderr for `len` steps of `what` (drawn only on a
/// terminal): done/total, elapsed time and time left.
pub(crate) fn progress(len: usize, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len as u64);
    let style =
        indicatif::ProgressStyle::with_template("  {prefix} [{bar:30}] {pos}/{len} ({elapsed}, {eta} left) {msg}")
            .expect("valid template")
            .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}

/// The retransmission rows on `dev`: every TX out-of-order policy that
/// keeps the device encrypting (Rebuild, Retransmit) at every rate of
/// [`retx_bench::RATES`], the same seed for all (the same connections and
/// retransmissions for both policies).
fn retransmit_rows(dev: &mut Sim) -> Result<Vec<RetxRow>> {
    let mut rows = Vec::new();
    let bar = progress(2 * retx_bench::RATES.len(), "retransmission runs");
    for &rate in retx_bench::RATES {
        for policy in [OooPolicy::Rebuild, OooPolicy::Retransmit] {
            let row = retx_bench::run(dev, policy, rate, 0x7e7a)
                .with_context(|| format!("retransmission run {policy:?} at {rate}: check failed"))?;
            bar.inc(1);
            rows.push(row);
        }
    }
    bar.finish_and_clear();
    Ok(rows)
}

fn print_retransmit(rows: &[RetxRow]) {
    println!(
        "TX retransmissions ({} connections, 16 KB records, {}-byte segments): host-to-device bytes per payload byte",
        retx_bench::CONNECTIONS,
        retx_bench::SEGMENT
    );
    for r in rows {
        println!(
            "  {:>10} at {:>5.1} %: {:>6} segments ({:>4} retransmitted, {:>4} with a tag), {:.4} ({} DUMP bytes, {} fallbacks), {} cycles",
            r.policy_name(),
            100.0 * r.rate,
            r.segments,
            r.retransmissions,
            r.tagged,
            r.overhead(),
            r.dump_bytes,
            r.fallbacks,
            r.cycles
        );
    }
}

/// The sweep on `dev`: TX alone, one connection, every record size of
/// [`throughput::SWEEP_RECORDS`] in every segment size of
/// [`throughput::SWEEP_SEGMENTS`].
fn sweep_rows(dev: &mut Sim) -> Result<Vec<throughput::Row>> {
    let mut rows = Vec::new();
    let n = throughput::SWEEP_RECORDS.len() * throughput::SWEEP_SEGMENTS.len();
    let bar = progress(n, &format!("{}-bit sweep runs", dev.beat_bytes() * 8));
    for &record in throughput::SWEEP_RECORDS {
        for &segment in throughput::SWEEP_SEGMENTS {
            bar.set_message(format!("{record}-byte records, {segment} B segments"));
            let load = Load::sweep(segment, record);
            let run = throughput::run(dev, load, &[Path::Tx])
                .with_context(|| format!("sweep run ({load:?}): output check failed"))?;
            rows.extend(run.rows);
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    Ok(rows)
}

fn print_sweep(rows: &[throughput::Row]) {
    let data_w = rows.first().map_or(0, |r| r.data_w);
    println!(
        "sweep ({data_w}-bit streams): TX, 1 connection, TLS 1.2, payload bytes per clock (ratio to the frame limit)"
    );
    print!("{:>8}", "record");
    for s in throughput::SWEEP_SEGMENTS {
        print!(" {:>15}", format!("{s} B seg"));
    }
    println!();
    for &record in throughput::SWEEP_RECORDS {
        print!("{record:>8}");
        for r in rows.iter().filter(|r| r.load.record == record) {
            print!(
                " {:>15}",
                format!(
                    "{:.2} ({:.3})",
                    r.payload_bytes_per_cycle(),
                    r.payload_bytes_per_cycle() / r.frame_limit_bytes_per_cycle()
                )
            );
        }
        println!();
    }
}

fn print_throughput(rows: &[throughput::Row]) {
    let data_w = rows.first().map_or(0, |r| r.data_w);
    println!("throughput ({data_w}-bit streams): 16 KB records in TCP segments back to back, no backpressure, every output frame checked;");
    println!("B/clk = payload bytes / cycles (concurrent: one window for both directions), limit = payload bytes / beats of the frames,");
    println!("ratio = B/clk / limit, own = payload bytes / cycles to this direction's own last beat");
    println!(
        "{:<4} {:>5} {:>10} {:>4} {:>7} {:>6} {:>9} {:>8} {:>7} {:>8} {:>8}",
        "dir", "conns", "concurrent", "tls", "segment", "frames", "cycles", "B/clk", "limit", "ratio", "own"
    );
    for r in rows {
        println!(
            "{:<4} {:>5} {:>10} {:>4} {:>7} {:>6} {:>9} {:>8.3} {:>7.3} {:>6.1} % {:>8.3}",
            r.path.name(),
            r.load.conns,
            r.concurrent,
            r.tls(),
            r.load.segment,
            r.frames,
            r.cycles,
            r.payload_bytes_per_cycle(),
            r.frame_limit_bytes_per_cycle(),
            100.0 * r.ratio(),
            r.own_bytes_per_cycle()
        );
    }
}

fn run_gcm_scenario(wave: &Option<PathBuf>, records: usize, record_len: usize, json: bool) -> Result<()> {
    let mut sim = new_sim(Top::GcmStream, wave)?;
    let t0 = Instant::now();
    let mut rows = Vec::new();
    for bits in [128, 256] {
        let t = gcm_throughput(&mut sim, &key(bits), record_len, records)?;
        rows.push((bits, t));
    }
    let secs = t0.elapsed().as_secs_f64();
    let cycles = sim.cycle();
    if json {
        let v: Vec<_> = rows.iter().map(|(b, t)| throughput_json(*b, t, sim.beat_bytes())).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"scenario": "gcm", "runs": v, "cycles": cycles, "sim_cycles_per_second": cycles as f64 / secs})
            )?
        );
    } else {
        println!("tlsnic sim: AES-GCM engine, {records} records of {record_len} bytes per key size, encrypted then decrypted through the RTL");
        println!("every record checked against the aes-gcm crate (ciphertext, tag, plaintext, tag verdict)");
        println!(
            "{:<8} {:>6} {:>14} {:>14} {:>12} {:>12} {:>10}",
            "cipher", "phase", "payload bytes", "cycles", "bytes/cycle", "limit", "key setup"
        );
        for (bits, t) in &rows {
            let bytes = t.record_len * t.records;
            println!(
                "AES-{bits:<4} {:>6} {bytes:>14} {:>14} {:>12.3} {:>12} {:>8} cy",
                "enc",
                t.encrypt_cycles,
                t.encrypt_bytes_per_cycle(),
                sim.beat_bytes(),
                t.key_setup_cycles
            );
            println!(
                "AES-{bits:<4} {:>6} {bytes:>14} {:>14} {:>12.3} {:>12} {:>8} cy",
                "dec",
                t.decrypt_cycles,
                t.decrypt_bytes_per_cycle(),
                sim.beat_bytes(),
                t.key_setup_cycles
            );
        }
        println!("simulated {cycles} cycles in {secs:.2} s ({:.0} cycles/s)", cycles as f64 / secs);
        if let Some(w) = wave {
            println!("waveform: {}", w.display());
        }
    }
    Ok(())
}

fn run_tx_scenario(wave: &Option<PathBuf>, records: usize, json: bool) -> Result<()> {
    let wave = wave.as_ref().map(|w| w.with_extension("tx.fst"));
    let mut sim = new_sim(Top::TlsOffload, &wave)?;
    let t0 = Instant::now();
    let r12 = tx_mtu_run(&mut sim, false, records)?;
    let r13 = tx_mtu_run(&mut sim, true, records)?;
    let secs = t0.elapsed().as_secs_f64();
    if json {
        let row = |r: &tlsnic_testbench::tx::MtuRun| {
            serde_json::json!({
                "tls": if r.v13 { "1.3" } else { "1.2" },
                "frames": r.frames,
                "payload_bytes": r.payload_bytes,
                "cycles": r.cycles,
                "payload_bytes_per_cycle": r.bytes_per_cycle(),
            })
        };
        let stats: serde_json::Map<String, serde_json::Value> =
            r13.stats.counters.iter().map(|(n, v)| (n.to_string(), serde_json::json!(v))).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"scenario": "tx_mtu", "runs": [row(&r12), row(&r13)], "stats": stats})
            )?
        );
    } else {
        println!();
        println!("tlsnic sim: TX offload, one connection, {records} records of 16384 bytes in 1448-byte segments (MTU 1500), back to back");
        println!("every record decrypted by the receiver model (aes-gcm), every TCP checksum verified");
        for r in [&r12, &r13] {
            println!(
                "TLS {}: {} frames, {} payload bytes, {} cycles, {:.3} payload bytes/cycle (stream limit {})",
                if r.v13 { "1.3" } else { "1.2" },
                r.frames,
                r.payload_bytes,
                r.cycles,
                r.bytes_per_cycle(),
                sim.beat_bytes()
            );
        }
        println!("NIC statistics (ethtool -S style):");
        print!("{}", r13.stats.ethtool());
        println!("simulated {} cycles in {secs:.2} s", sim.cycle());
    }
    Ok(())
}

fn run_rx_scenario(wave: &Option<PathBuf>, records: usize, json: bool) -> Result<()> {
    let wave = wave.as_ref().map(|w| w.with_extension("rx.fst"));
    let mut sim = new_sim(Top::TlsOffload, &wave)?;
    let t0 = Instant::now();
    let r12 = rx_mtu_run(&mut sim, TlsVersion::V12, records).map_err(anyhow::Error::msg)?;
    let r13 = rx_mtu_run(&mut sim, TlsVersion::V13, records).map_err(anyhow::Error::msg)?;
    let secs = t0.elapsed().as_secs_f64();
    let counters = r13.counters.named();
    if json {
        let row = |r: &RxMtuRun| {
            serde_json::json!({
                "tls": if r.version == TlsVersion::V13 { "1.3" } else { "1.2" },
                "frames": r.frames,
                "frames_decrypted": r.decrypted,
                "payload_bytes": r.payload_bytes,
                "cycles": r.cycles,
                "payload_bytes_per_cycle": r.bytes_per_cycle(),
            })
        };
        let stats: serde_json::Map<String, serde_json::Value> =
            counters.iter().map(|(n, v)| (n.to_string(), serde_json::json!(v))).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"scenario": "rx_mtu", "runs": [row(&r12), row(&r13)], "stats": stats})
            )?
        );
    } else {
        println!();
        println!("tlsnic sim: RX offload, one connection, {records} records of 16384 bytes in 1448-byte segments (MTU 1500), back to back");
        println!(
            "every frame checked: decrypted frames carry exactly the plaintext (aes-gcm), others are byte-identical"
        );
        for r in [&r12, &r13] {
            println!(
                "TLS {}: {} frames, {} decrypted, {} payload bytes, {} cycles, {:.3} payload bytes/cycle (stream limit {})",
                if r.version == TlsVersion::V13 { "1.3" } else { "1.2" },
                r.frames,
                r.decrypted,
                r.payload_bytes,
                r.cycles,
                r.bytes_per_cycle(),
                sim.beat_bytes()
            );
        }
        println!("NIC RX statistics after both runs (ethtool -S style):");
        for (n, v) in counters {
            println!("     {n}: {v}");
        }
        println!("simulated {} cycles in {secs:.2} s", sim.cycle());
    }
    Ok(())
}
