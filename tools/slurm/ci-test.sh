#!/usr/bin/env bash
# CI's Slurm test: a real single-node cluster (tools/slurm/cluster.sh), a small sweep of notebook 06
# and a small ensemble through sbatch array jobs, each compared byte for byte with the same work
# run on this machine; a failed array task must be named by the merge and must leave the earlier
# complete merge as it was; a rerun must skip the done shards. Stops the daemons it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
cluster="$work/cluster"
trap 'tools/slurm/cluster.sh stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "-- start a single-node cluster"
eval "$(tools/slurm/cluster.sh start "$cluster")"
sinfo
sweep() { node --import tsx tools/sweep/cli.ts "$@"; }
grid=(06 --grid eta=0.2,0.3 --grid batch=1 --quick)

echo "-- the sweep on this machine"
sweep "${grid[@]}" --out "$work/local" > "$work/local.txt"
echo "-- the same sweep as a Slurm array job and a dependent merge"
sweep "${grid[@]}" --out "$work/slurm" --slurm --wait --cpus-per-task 1 --time 20:00 > "$work/slurm.txt"
cmp "$work/local/merged.json" "$work/slurm/merged.json"
cmp "$work/local/sweep.html" "$work/slurm/sweep.html"
sed -n '1,4p' "$work/local.txt"
echo "merged.json and sweep.html: identical, local and Slurm"

echo "-- a rerun resumes: every shard is done, only the merge is submitted"
sweep "${grid[@]}" --out "$work/slurm" --slurm --wait --cpus-per-task 1 2> "$work/rerun.err" > /dev/null
grep -q "every shard is already done" "$work/rerun.err"
cmp "$work/local/merged.json" "$work/slurm/merged.json"

echo "-- a failed array task (batch = 4 makes notebook 06 stop with an error)"
before=$(sha256sum "$work/slurm/merged.json")
if sweep 06 --grid eta=0.2 --grid batch=1,4 --quick --out "$work/slurm" --slurm --wait --cpus-per-task 1 > "$work/fail.txt" 2> "$work/fail.err"; then
  echo "the sweep with a failing task exited 0"; exit 1
fi
grep -q "task 1 (eta=0.2 batch=4, seed 1): failed" "$work/slurm/slurm/merge.log" || { cat "$work/slurm/slurm/merge.log"; echo "the merge did not name the failed task"; exit 1; }
[ "$(sha256sum "$work/slurm/merged.json")" = "$before" ] || { echo "a partial merge replaced the complete one"; exit 1; }
echo "the merge named the failed task, exited non-zero, and kept the earlier merged.json"

echo "-- an ensemble split across array tasks (8 runs a shard) against one machine (10 a shard)"
sweep --ensemble rbm-wall --runs 40 --shard-runs 10 --out "$work/ens-local" > /dev/null
sweep --ensemble rbm-wall --runs 40 --shard-runs 8 --out "$work/ens-slurm" --slurm --wait --cpus-per-task 1 > /dev/null
cmp "$work/ens-local/spectra.json" "$work/ens-slurm/spectra.json"
cmp "$work/ens-local/ensemble.json" "$work/ens-slurm/ensemble.json"
echo "spectra.json and ensemble.json: identical"

tools/slurm/cluster.sh stop "$cluster"
echo "-- Slurm test passed"
