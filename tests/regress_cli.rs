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
}
