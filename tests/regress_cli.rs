//! `tlsnic regress`: shards that together run exactly the full set, their
//! merge, and the option checks. (The families themselves are the
//! testbench's scenarios, tested there.)

use std::path::Path;
use std::process::Command;

fn tlsnic(args: &[&str]) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_tlsnic")).args(args).output().expect("tlsnic");
    (o.status.success(), String::from_utf8_lossy(&o.stdout).into(), String::from_utf8_lossy(&o.stderr).into())
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn shards_cover_the_runs_once_and_merge_into_the_whole() {
    let base = std::env::temp_dir().join(format!("tlsnic-regress-{}", std::process::id()));
    let common = ["regress", "--families", "tx_drop,tx_resync", "--seeds", "3", "--seed", "100", "--jobs", "2"];
    let dirs: Vec<_> = ["all", "s1", "s2"].iter().map(|d| base.join(d)).collect();
    let run = |extra: &[&str], dir: &Path| {
        let mut a = common.to_vec();
        a.extend_from_slice(extra);
        let d = dir.to_str().unwrap();
        a.extend_from_slice(&["--out", d]);
        let (ok, out, err) = tlsnic(&a);
        assert!(ok, "{out}{err}");
        summary(dir)
    };
    let all = run(&[], &dirs[0]);
    let s1 = run(&["--shard", "1/2"], &dirs[1]);
    let s2 = run(&["--shard", "2/2"], &dirs[2]);
    assert_eq!(all["runs"], 6);
    assert_eq!((s1["runs"].as_u64().unwrap(), s2["runs"].as_u64().unwrap()), (3, 3));
    assert_eq!((all["failures"].as_u64(), s1["shard"].as_str()), (Some(0), Some("1/2")));
    let report = std::fs::read_to_string(dirs[0].join("report.txt")).unwrap();
    for seed in 100..103 {
        for fam in ["tx_drop", "tx_resync"] {
            assert!(
                report.lines().any(|l| l.starts_with("ok") && l.contains(fam) && l.contains(&format!("seed {seed} "))),
                "{fam} {seed}: {report}"
            );
        }
    }
    let merged = base.join("merged");
    let f = |d: &Path| d.join("summary.json").to_str().unwrap().to_string();
    let (ok, out, err) = tlsnic(&["regress", "--out", merged.to_str().unwrap(), "--merge", &f(&dirs[1]), &f(&dirs[2])]);
    assert!(ok, "{out}{err}");
    let m = summary(&merged);
    assert_eq!((m["runs"].as_u64(), m["failures"].as_u64(), m["merged_shards"].as_u64()), (Some(6), Some(0), Some(2)));
    assert_eq!(m["by_family"]["tx_drop"]["runs"], 3);
    // the device's cover points: every run is deterministic, so the shards'
    // counts add up to the whole run's, point by point
    let points = all["coverage_points"].as_u64().unwrap();
    assert!(points > 100 && all["coverage_hit"].as_u64().unwrap() > 10, "{}", all["coverage_hit"]);
    assert_eq!(m["coverage"], all["coverage"]);
    assert_eq!((m["coverage_points"].as_u64(), m["coverage_hit"].clone()), (Some(points), all["coverage_hit"].clone()));
    assert!(std::fs::read_to_string(merged.join("report.txt")).unwrap().contains("points hit"));
    // a missing shard is refused
    let (ok, _, err) = tlsnic(&["regress", "--out", merged.to_str().unwrap(), "--merge", &f(&dirs[1])]);
    assert!(!ok && err.contains("each of 1..=2"), "{err}");
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn bad_options_are_named() {
    let (ok, _, err) = tlsnic(&["regress", "--families", "tx,nope", "--seeds", "1"]);
    assert!(!ok && err.contains("no family \"nope\""), "{err}");
    let (ok, _, err) = tlsnic(&["regress", "--shard", "3/2", "--seeds", "1"]);
    assert!(!ok && err.contains("i must be 1..=n"), "{err}");
    let (ok, _, err) = tlsnic(&["regress", "--wave", "x.fst", "--seeds", "2"]);
    assert!(!ok && err.contains("--wave needs one family"), "{err}");
    let one = ["regress", "--families", "tx_drop", "--seeds", "1", "--jobs", "1", "--wave", "x.fst"];
    let (ok, _, err) = tlsnic(&[&one[..], &["--wave-cycles", "100-200"]].concat());
    assert!(!ok && err.contains("expected FROM..TO"), "{err}");
    let (ok, _, err) = tlsnic(&[&one[..], &["--wave-cycles", "1..x"]].concat());
    assert!(!ok && err.contains("\"x\" is not a cycle number"), "{err}");
    let (ok, _, err) = tlsnic(&["regress", "--wave-cycles", "1..2", "--seeds", "1"]);
    assert!(!ok && err.contains("--wave"), "--wave-cycles needs --wave: {err}");
}

/// The cycles `A..B` after `key` in `s`.
fn cycles_after(s: &str, key: &str) -> (u64, u64) {
    let at = s.find(key).unwrap_or_else(|| panic!("{key:?} in {s}")) + key.len();
    let num = |t: &str| t.chars().take_while(char::is_ascii_digit).collect::<String>().parse::<u64>();
    let (a, b) = s[at..].split_once("..").unwrap_or_else(|| panic!("A..B after {key:?} in {s}"));
    (num(a).unwrap(), num(b).unwrap())
}

/// An FST file's start and end time (header block: tag, section length,
/// start time, end time; 64-bit big-endian).
fn fst_times(path: &Path) -> (u64, u64) {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(b[0], 0, "an FST header block first");
    let u = |o: usize| u64::from_be_bytes(b[o..o + 8].try_into().unwrap());
    (u(9), u(17))
}

/// A run that fails on purpose (the scoreboard's test hook expects a wrong
/// byte in output frame 20 of a firmware_fuzz run) names the frame, byte,
/// expected and got, and the cycles the frame left the device in; its
/// replay command's waveform window covers them; running that command
/// fails the same way and writes a waveform of that window only.
#[test]
fn a_divergence_is_replayed_with_a_waveform_around_it() {
    let base = std::env::temp_dir().join(format!("tlsnic-regress-wave-{}", std::process::id()));
    let out = base.join("out");
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_tlsnic"))
            .args(args)
            .env("TLSNIC_TB_MISMATCH", "20")
            .env_remove("TLSNIC_WAVE")
            .env_remove("TLSNIC_WAVE_CYCLES")
            .env_remove("TLSNIC_BOARD")
            .output()
            .expect("tlsnic");
        (o.status.success(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
    };
    let o = out.to_str().unwrap();
    let (ok, text) =
        run(&["regress", "--families", "firmware_fuzz", "--seed", "7", "--seeds", "1", "--jobs", "1", "--out", o]);
    assert!(!ok, "the injected mismatch fails the run: {text}");
    let fail = text.lines().find(|l| l.starts_with("FAIL firmware_fuzz seed 7:")).unwrap_or_else(|| panic!("{text}"));
    assert!(fail.contains("frame 20, byte ") && fail.contains("expected 0x") && fail.contains(", got 0x"), "{fail}");
    let (first, last) = cycles_after(fail, "left the device in cycles ");
    assert!(first < last, "{fail}");
    let replay = text.lines().find_map(|l| l.trim().strip_prefix("replay: ")).unwrap_or_else(|| panic!("{text}"));
    // the model's width goes with the command (TLSNIC_DATA_W=512 runs of the suite)
    let width = std::env::var("TLSNIC_DATA_W").ok().filter(|w| !w.trim().is_empty());
    let replay = match &width {
        Some(w) => replay.strip_prefix(&format!("TLSNIC_DATA_W={} ", w.trim())).unwrap_or_else(|| panic!("{replay}")),
        None => replay,
    };
    let (from, to) = cycles_after(replay, "--wave-cycles ");
    assert!(from <= first && to >= last, "window {from}..{to} covers {first}..{last}: {replay}");
    assert!(to - from <= last - first + 10_000, "a window, not the run: {from}..{to} for {first}..{last}");
    // the summary has it too
    let s = summary(&out);
    assert!(s["failed"][0]["replay"].as_str().is_some_and(|r| r.ends_with(replay)), "{}", s["failed"]);
    assert_eq!(s["failed"][0]["cycles"], serde_json::json!([first, last]));

    // the replay command, with the waveform in the temporary directory
    let wave = base.join("w.fst");
    let mut args: Vec<String> = replay.split_whitespace().skip(1).map(str::to_string).collect();
    let w = args.iter().position(|a| a == "--wave").unwrap();
    args[w + 1] = wave.to_str().unwrap().to_string();
    args.extend(["--out".to_string(), base.join("replay").to_str().unwrap().to_string()]);
    let (ok, again) = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!ok && again.contains(fail.split_once(": ").unwrap().1), "the replay fails the same way: {again}");
    // FST times are half cycles: cycle c is dumped at 2c and 2c + 1
    let (t0, t1) = fst_times(&wave);
    assert!(t0 >= 2 * from && t1 < 2 * to, "waveform times {t0}..={t1}, window {from}..{to}: {again}");
    assert!(t0 <= 2 * first && t1 > 2 * (last - 1), "waveform times {t0}..={t1} hold cycles {first}..{last}");
    let _ = std::fs::remove_dir_all(&base);
}
