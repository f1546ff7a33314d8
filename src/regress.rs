//! `tlsnic regress`: seeds x families of random runs (the testbench's
//! `regress` module), on `jobs` threads (one Verilated model each),
//! optionally one shard; a progress bar; `summary.json` and `report.txt`
//! in the output directory; the command that replays each failure, with
//! a waveform of the cycles around its first divergence when the failure
//! knows them; and the merge of shards' summaries.

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use tlsnic_sim::coverage::{self, Counts};
use tlsnic_testbench::regress::{Failure, Family};

/// One finished run: family, seed, its summary or failure, seconds.
type Outcome = (Family, u64, Result<String, Failure>, f64);

/// What to run.
pub struct Plan {
    /// Families to run.
    pub families: Vec<Family>,
    /// First seed; run k of a family uses `seed + k`.
    pub seed: u64,
    /// Seeds per family.
    pub seeds: u64,
    /// Runs at once.
    pub jobs: usize,
    /// `Some((i, n))`: only the runs whose index mod n is i - 1.
    pub shard: Option<(usize, usize)>,
    /// Where summary.json and report.txt go.
    pub out: PathBuf,
}

/// `i/n` with 1 <= i <= n.
pub fn parse_shard(s: &str) -> Result<(usize, usize)> {
    let (i, n) = s.split_once('/').with_context(|| format!("--shard {s:?}: expected i/n, e.g. 2/4"))?;
    let (i, n): (usize, usize) = (i.trim().parse()?, n.trim().parse()?);
    if n == 0 || i == 0 || i > n {
        bail!("--shard {s:?}: i must be 1..=n");
    }
    Ok((i, n))
}

/// `FROM..TO` (cycles) of `--wave-cycles`, either end may be left out.
pub fn parse_cycles(s: &str) -> Result<(Option<u64>, Option<u64>)> {
    let (a, b) = s.split_once("..").with_context(|| format!("--wave-cycles {s:?}: expected FROM..TO"))?;
    let n = |x: &str| -> Result<Option<u64>> {
        let x = x.trim();
        if x.is_empty() {
            return Ok(None);
        }
        Ok(Some(x.parse().with_context(|| format!("--wave-cycles {s:?}: {x:?} is not a cycle number"))?))
    };
    Ok((n(a)?, n(b)?))
}

/// The command that replays a failed run alone, writing a waveform: of
/// the cycles around its first divergence when the failure knows them.
/// The device model's settings (stream width, board configuration) go in
/// front of it when the regression ran with them.
fn replay_cmd(f: &Family, seed: u64, failure: &Failure) -> String {
    let window = failure.wave_window().map(|(a, b)| format!(" --wave-cycles {a}..{b}")).unwrap_or_default();
    let env: String = ["TLSNIC_DATA_W", "TLSNIC_BOARD"]
        .iter()
        .filter_map(|v| std::env::var(v).ok().filter(|x| !x.trim().is_empty()).map(|x| format!("{v}={} ", x.trim())))
        .collect();
    format!(
        "{env}tlsnic regress --families {} --seed {seed} --seeds 1 --jobs 1 --wave build/regress/{}-{seed}.fst{window}",
        f.name, f.name
    )
}

/// Run the plan; errors only for I/O. Returns the number of failures.
pub fn run(p: &Plan) -> Result<u64> {
    let runs: Vec<(Family, u64)> = (0..p.seeds)
        .flat_map(|k| p.families.iter().map(move |f| (*f, p.seed.wrapping_add(k))))
        .enumerate()
        .filter(|(i, _)| p.shard.is_none_or(|(s, n)| i % n == s - 1))
        .map(|(_, r)| r)
        .collect();
    let names: Vec<&str> = p.families.iter().map(|f| f.name).collect();
    println!(
        "regress: {} runs ({} seeds from {} x families {}{}), {} at once; replay one: tlsnic regress --families F --seed S --seeds 1",
        runs.len(),
        p.seeds,
        p.seed,
        names.join(","),
        p.shard.map(|(i, n)| format!(", shard {i}/{n}")).unwrap_or_default(),
        p.jobs
    );
    let t0 = Instant::now();
    // every model the runs drop adds its cover point counts
    coverage::collect(true);
    let bar = crate::progress(runs.len(), "regress");
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Outcome>> = Mutex::new(Vec::new());
    let failures = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..p.jobs.max(1) {
            s.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(f, seed)) = runs.get(k) else { break };
                let t = Instant::now();
                let r = std::panic::catch_unwind(|| f.run(seed)).unwrap_or_else(|e| {
                    let msg =
                        e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
                    Err(Failure::from_message(format!("panicked: {}", msg.unwrap_or_default())))
                });
                if let Err(e) = &r {
                    failures.fetch_add(1, Ordering::Relaxed);
                    let line = format!("FAIL {} seed {seed}: {e}\n    replay: {}", f.name, replay_cmd(&f, seed, e));
                    // a bar not drawn (output not a terminal) prints nothing
                    if bar.is_hidden() {
                        println!("{line}");
                    } else {
                        bar.println(line);
                    }
                }
                results.lock().expect("no poisoned lock").push((f, seed, r, t.elapsed().as_secs_f64()));
                bar.set_message(format!("{} failed", failures.load(Ordering::Relaxed)));
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    let mut results = results.into_inner().expect("no poisoned lock");
    results.sort_by_key(|(f, seed, ..)| (p.families.iter().position(|g| g.name == f.name), *seed));
    let secs = t0.elapsed().as_secs_f64();
    let mut by_family = serde_json::Map::new();
    for f in &p.families {
        let mine: Vec<_> = results.iter().filter(|r| r.0.name == f.name).collect();
        let failed = mine.iter().filter(|r| r.2.is_err()).count();
        by_family.insert(f.name.into(), json!({"runs": mine.len(), "failures": failed, "what": f.what}));
    }
    let failed: Vec<Value> = results
        .iter()
        .filter_map(|(f, seed, r, _)| {
            r.as_ref().err().map(|e| {
                json!({"family": f.name, "seed": seed, "error": e.message, "cycles": e.cycles,
                       "replay": replay_cmd(f, *seed, e)})
            })
        })
        .collect();
    let nfail = failed.len() as u64;
    let cov = coverage::totals();
    let mut summary = json!({
        "seed": p.seed,
        "seeds": p.seeds,
        "families": names,
        "shard": p.shard.map(|(i, n)| format!("{i}/{n}")),
        "runs": results.len(),
        "failures": nfail,
        "by_family": by_family,
        "failed": failed,
        "seconds": secs,
    });
    add_coverage(&mut summary, &cov);
    write_outputs(&p.out, &summary, &results, &cov)?;
    println!(
        "regress: {} runs, {} failed, {:.0} s; coverage {} of {} points hit; {}",
        results.len(),
        nfail,
        secs,
        summary["coverage_hit"],
        summary["coverage_points"],
        p.out.join("summary.json").display()
    );
    Ok(nfail)
}

/// `coverage_points`, `coverage_hit` and the count of every point.
fn add_coverage(summary: &mut Value, cov: &Counts) {
    summary["coverage_points"] = json!(cov.len());
    summary["coverage_hit"] = json!(cov.values().filter(|&&n| n > 0).count());
    summary["coverage"] = json!(cov);
}

/// A cover point as the report shows it: the hierarchy below the device
/// top; a statistics counter's point with the counter's name.
fn describe(point: &str) -> String {
    let p = point.strip_prefix("tls_offload_top.").unwrap_or(point);
    let counter = |names: &[&str]| {
        let i: usize = p.split_once("g_cov[")?.1.split_once(']')?.0.parse().ok()?;
        names.get(i).map(|n| format!("{p} ({n})"))
    };
    let named = if p.starts_with("u_tx.u_stats.") {
        counter(&tlsnic_firmware::regs::TX_COUNTER_NAMES)
    } else if p.starts_with("u_rx.u_stats.") {
        counter(&tlsnic_firmware::regs::RX_COUNTER_NAMES)
    } else {
        None
    };
    named.unwrap_or_else(|| p.to_string())
}

/// The coverage part of report.txt: points never hit first.
fn coverage_report(cov: &Counts) -> String {
    let hit = cov.values().filter(|&&n| n > 0).count();
    let mut rep = format!("coverage: {hit} of {} points hit (docs/coverage.md)\n", cov.len());
    for (p, n) in cov.iter().filter(|(_, &n)| n == 0).chain(cov.iter().filter(|(_, &n)| n > 0)) {
        rep += &format!("  {:<4} {n:>12}  {}\n", if *n == 0 { "MISS" } else { "hit" }, describe(p));
    }
    rep
}

fn write_outputs(out: &Path, summary: &Value, results: &[Outcome], cov: &Counts) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let f = out.join("summary.json");
    std::fs::write(&f, serde_json::to_string_pretty(summary)? + "\n")
        .with_context(|| format!("writing {}", f.display()))?;
    let mut rep = String::new();
    rep += &format!(
        "tlsnic regress: {} runs, {} failures, seeds {} from {}\n",
        summary["runs"], summary["failures"], summary["seeds"], summary["seed"]
    );
    for (name, v) in summary["by_family"].as_object().into_iter().flatten() {
        rep += &format!(
            "  {name:<10} {:>5} runs {:>4} failed  {}\n",
            v["runs"],
            v["failures"],
            v["what"].as_str().unwrap_or("")
        );
    }
    for (fam, seed, r, secs) in results {
        match r {
            Ok(s) => rep += &format!("ok   {:<10} seed {seed:<20} {secs:6.1} s  {s}\n", fam.name),
            Err(e) => {
                rep += &format!(
                    "FAIL {:<10} seed {seed:<20} {secs:6.1} s  {e}\n     replay: {}\n",
                    fam.name,
                    replay_cmd(fam, *seed, e)
                )
            }
        }
    }
    rep += &coverage_report(cov);
    let f = out.join("report.txt");
    std::fs::write(&f, rep).with_context(|| format!("writing {}", f.display()))?;
    Ok(())
}

/// Join shards' summaries into `out`/summary.json: the same seeds and
/// families, every shard of 1..n exactly once. Returns the failures.
pub fn merge(files: &[PathBuf], out: &Path) -> Result<u64> {
    let mut docs = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
        let v: Value =
            serde_json::from_str(&text).with_context(|| format!("{}: not a regress summary", f.display()))?;
        docs.push((f, v));
    }
    let Some((_, first)) = docs.first() else { bail!("--merge needs at least one summary.json") };
    let mut shards = Vec::new();
    for (f, d) in &docs {
        for k in ["seed", "seeds", "families"] {
            if d[k] != first[k] {
                bail!("{}: {k} {} differs from {}'s {}", f.display(), d[k], docs[0].0.display(), first[k]);
            }
        }
        let s = d["shard"].as_str().with_context(|| format!("{}: not a shard's summary", f.display()))?;
        shards.push(parse_shard(s)?);
    }
    let n = shards[0].1;
    let mut seen: Vec<usize> = shards.iter().map(|&(i, m)| if m == n { i } else { 0 }).collect();
    seen.sort_unstable();
    if seen != (1..=n).collect::<Vec<_>>() {
        bail!("shards {:?} of {n}: each of 1..={n} must be there once", shards);
    }
    let mut by_family = serde_json::Map::new();
    let (mut runs, mut failures, mut failed) = (0u64, 0u64, Vec::new());
    let mut cov = Counts::new();
    for (f, d) in &docs {
        let c: Counts = serde_json::from_value(d["coverage"].clone())
            .with_context(|| format!("{}: no coverage counts", f.display()))?;
        coverage::merge(&mut cov, &c);
        runs += d["runs"].as_u64().unwrap_or(0);
        failures += d["failures"].as_u64().unwrap_or(0);
        failed.extend(d["failed"].as_array().cloned().unwrap_or_default());
        for (name, v) in d["by_family"].as_object().into_iter().flatten() {
            let e =
                by_family.entry(name.clone()).or_insert_with(|| json!({"runs": 0, "failures": 0, "what": v["what"]}));
            e["runs"] = json!(e["runs"].as_u64().unwrap_or(0) + v["runs"].as_u64().unwrap_or(0));
            e["failures"] = json!(e["failures"].as_u64().unwrap_or(0) + v["failures"].as_u64().unwrap_or(0));
        }
    }
    let mut summary = json!({
        "seed": first["seed"], "seeds": first["seeds"], "families": first["families"], "shard": null,
        "merged_shards": n, "runs": runs, "failures": failures, "by_family": by_family, "failed": failed,
    });
    add_coverage(&mut summary, &cov);
    std::fs::create_dir_all(out)?;
    let f = out.join("summary.json");
    std::fs::write(&f, serde_json::to_string_pretty(&summary)? + "\n")
        .with_context(|| format!("writing {}", f.display()))?;
    let r = out.join("report.txt");
    let mut rep = format!("tlsnic regress: {n} shards merged: {runs} runs, {failures} failures\n");
    for x in &failed {
        rep += &format!("FAIL {} seed {}: {}\n     replay: {}\n", x["family"], x["seed"], x["error"], x["replay"]);
    }
    std::fs::write(&r, rep + &coverage_report(&cov)).with_context(|| format!("writing {}", r.display()))?;
    println!(
        "regress: merged {n} shards: {runs} runs, {failures} failed, coverage {} of {} points hit; {}",
        summary["coverage_hit"],
        summary["coverage_points"],
        f.display()
    );
    Ok(failures)
}
