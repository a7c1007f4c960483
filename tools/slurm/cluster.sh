#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for the sweep tests and for trying
# `npm run sweep -- --slurm` without a cluster: munged, slurmctld and slurmd from Debian's
# munge and slurm-wlm, all state, logs, sockets and the configuration under one folder.
#
#   tools/slurm/cluster.sh start DIR   writes DIR/slurm.conf (localhost, proctrack/linuxproc,
#                                      task/none, a free port pair), starts the three daemons,
#                                      waits until the node is idle, prints `export SLURM_CONF=…`
#   tools/slurm/cluster.sh stop DIR    stops the daemons it started, by the PIDs in DIR
#
# Needs root (the daemons run as root here) and `apt-get install slurm-wlm munge`. Exits non-zero
# with the daemons' logs when the cluster does not come up.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

stop() {
  for d in slurmd slurmctld munged; do
    f="$dir/$d.pid"
    if [ -s "$f" ]; then
      pid=$(cat "$f")
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$f"
    fi
  done
}

fail() {
  echo "slurm cluster: $1" >&2
  for log in munged.log slurmctld.log slurmd.log; do
    [ -f "$dir/$log" ] && { echo "---- $dir/$log (last 30 lines)" >&2; tail -n 30 "$dir/$log" >&2; }
  done
  stop
  exit 1
}

free_port() {
  # a port nobody listens on (ss from iproute2; /proc/net/tcp as a fallback)
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 20000))
    if ! (ss -ltn 2>/dev/null || cat /proc/net/tcp) | grep -q ":$p\b\|:$(printf '%04X' "$p") "; then echo "$p"; return; fi
  done
  fail "no free port found"
}

case "$cmd" in
  stop) stop; echo "slurm cluster in $dir stopped"; exit 0 ;;
  start) ;;
  *) usage ;;
esac

for exe in munged slurmctld slurmd sbatch sinfo; do
  command -v "$exe" >/dev/null || [ -x "/usr/sbin/$exe" ] || { echo "slurm cluster: $exe not found: apt-get install slurm-wlm munge" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurm cluster: needs root (the daemons run as root in this set-up)" >&2; exit 2; }
export PATH="$PATH:/usr/sbin"
stop
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"

# munge: a key of our own, a socket in DIR
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed" \
  || fail "munged did not start"

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
ctld_port=$(free_port)
d_port=$(free_port)
while [ "$d_port" = "$ctld_port" ]; do d_port=$(free_port); done
cat > "$dir/slurm.conf" <<CONF
ClusterName=rds
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmdSpoolDir=$dir/spool
StateSaveLocation=$dir/state
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"

for _ in $(seq 100); do
  state=$(sinfo -h -N -o "%T" 2>/dev/null | head -n1 || true)
  [ "$state" = "idle" ] && { echo "export SLURM_CONF=$dir/slurm.conf"; exit 0; }
  sleep 0.2
done
fail "the node did not become idle within 20 s (state: ${state:-none})"
