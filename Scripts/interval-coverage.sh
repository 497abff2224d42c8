#!/usr/bin/env bash
# How often does a 95% prediction interval of `scalefit predict` hold a measured loss the fit never saw?
# Real data only (Data/reference): the Epoch Chinchilla points and Gadre et al.'s three 104-run grids.
# Each is fitted with --holdout size (the largest model size left out) and --holdout tokens (the longest
# budget left out); every held-out point is then predicted with `predict --N --D` and counted inside or
# outside its interval. Needs the release binary (Scripts/setup.sh) and python3 (only to read JSON).
# Results: docs/intervals.md.
#   Scripts/interval-coverage.sh [extra.db ...]   extra databases (e.g. a demo sweep's results.db) are
#                                                 fitted on their runs the same way
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/scalefit
[ -x "$bin" ] || { echo "error: $bin missing: run Scripts/setup.sh" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# source label, CSV (N, D, loss)
python3 - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
rows = list(csv.DictReader(open("Data/reference/gadre2024_scaling_runs.csv")))
for ds in sorted({r["dataset"] for r in rows}):
    with open(f"{work}/{ds}.csv", "w") as f:
        f.write("N,D,loss\n")
        for r in rows:
            if r["dataset"] == ds:
                f.write(f"{r['N_params']},{r['D_tokens']},{r['loss_openlm']}\n")
PY
cp Data/reference/chinchilla_points.csv "$work/chinchilla.csv"

count() { # db, fit --source args..., prints "label kind held inside max_err"
    local db=$1 label=$2; shift 2
    for kind in size tokens; do
        "$bin" fit --law chinchilla "$@" --holdout "$kind" --db "$db" --json | tail -1 > "$work/fit.json"
        python3 - "$bin" "$db" "$label" "$kind" "$work/fit.json" <<'PY'
import json, subprocess, sys
bin, db, label, kind, path = sys.argv[1:]
fit = json.load(open(path))
runs, inside = fit["holdout"]["runs"], 0
for r in runs:
    out = subprocess.run([bin, "predict", "--fit", str(fit["fit_id"]), "--N", repr(r["N"]), "--D", repr(r["D"]),
                          "--db", db, "--json"], capture_output=True, text=True, check=True)
    lo, hi = json.loads(out.stdout.strip().splitlines()[-1])["ci"]["loss"]
    inside += lo <= r["loss"] <= hi
print(f"{label:12s} {kind:6s} held out {len(runs):3d}  inside {inside:3d}  max |error| {100 * fit['holdout']['max_rel_error']:.2f}%")
PY
    done
}

for src in chinchilla c4_original rpj rw_original; do
    db="$work/$src.db"
    "$bin" import "$work/$src.csv" --source "$src" --db "$db" > /dev/null
    count "$db" "$src" --source "$src"
done
for extra in "$@"; do
    cp "$extra" "$work/extra.db"
    count "$work/extra.db" "$(basename "$extra")"
done
