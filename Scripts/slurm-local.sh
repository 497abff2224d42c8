#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for trying `scalefit sweep --slurm` and for the Slurm tests.
#
#   Scripts/slurm-local.sh start    install slurm-wlm + munge if missing, configure, start munged, slurmctld
#                                   and slurmd, wait until the node is idle (idempotent: a running cluster
#                                   is left as it is)
#   Scripts/slurm-local.sh stop     stop the daemons this script started, by their pid files
#   Scripts/slurm-local.sh status   print what runs and `sinfo`; exit 0 when the node answers
#
# Needs root (uses sudo otherwise). Measured with Debian 12's Slurm 22.05 on a 2-core machine: start takes
# a few seconds once the packages are installed. The node gets every CPU (`nproc`) and the machine's memory
# minus a margin. /etc/slurm/slurm.conf is written only when absent or written by this script before, so a
# real cluster's configuration is never overwritten.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

CONF=/etc/slurm/slurm.conf
MARK="# Written by scalefit Scripts/slurm-local.sh (single-node test cluster)."
RUN=/run/scalefit-slurm
CTLD_PID=$RUN/slurmctld.pid
SLURMD_PID=$RUN/slurmd.pid
MUNGE_PID=/run/munge/munged.pid
LOG=/var/log/slurm

say() { echo "slurm-local: $*" >&2; }
die() { echo "error: slurm-local: $*" >&2; exit 1; }

alive() { [ -f "$1" ] && $SUDO kill -0 "$($SUDO cat "$1")" 2>/dev/null; }

install_packages() {
    local missing=()
    for p in slurm-wlm munge; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return
    say "installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Memory Slurm may hand out: MemTotal minus 10% (at least 512 MB) for the OS and the daemons, so
# slurmd never finds less memory than configured (which would drain the node).
real_memory_mb() {
    local total_mb margin
    total_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
    margin=$(( total_mb / 10 ))
    [ "$margin" -ge 512 ] || margin=512
    echo $(( total_mb > margin ? total_mb - margin : 1 ))
}

write_config() {
    local host cpus mem
    host=$(hostname -s)
    cpus=$(nproc)
    mem=$(real_memory_mb)
    if [ -f "$CONF" ] && ! $SUDO grep -qF "$MARK" "$CONF"; then
        die "$CONF exists and was not written by this script; not touching a real cluster's configuration"
    fi
    $SUDO mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd "$LOG" "$RUN"
    local tmp
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
$MARK
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobRequeue=1
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    if ! $SUDO cmp -s "$tmp" "$CONF" 2>/dev/null; then
        $SUDO cp "$tmp" "$CONF"
        $SUDO chmod 644 "$CONF"
        say "wrote $CONF (node $host, $cpus CPUs, RealMemory=$mem MB)"
    fi
    rm -f "$tmp"
}

start_munge() {
    if [ ! -s /etc/munge/munge.key ]; then
        $SUDO mkdir -p /etc/munge
        $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    $SUDO chown munge:munge /etc/munge/munge.key
    $SUDO chmod 400 /etc/munge/munge.key
    $SUDO mkdir -p /run/munge /var/log/munge /var/lib/munge
    $SUDO chown -R munge:munge /run/munge /var/log/munge /var/lib/munge
    if ! alive "$MUNGE_PID"; then
        if [ -z "$SUDO" ]; then runuser -u munge -- /usr/sbin/munged; else sudo -u munge /usr/sbin/munged; fi
    fi
    for _ in $(seq 50); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return
        sleep 0.1
    done
    die "munged does not answer (munge -n | unmunge failed)"
}

node_state() { sinfo -h -N -o "%T" 2>/dev/null | head -1; }

start() {
    install_packages
    write_config
    start_munge
    alive "$CTLD_PID" || $SUDO /usr/sbin/slurmctld
    alive "$SLURMD_PID" || $SUDO /usr/sbin/slurmd
    local state=""
    for _ in $(seq 120); do
        state=$(node_state)
        case "$state" in
            idle|mixed|allocated|completing) say "node $(hostname -s) is $state"; return ;;
            down*|drain*) $SUDO scontrol update nodename="$(hostname -s)" state=resume 2>/dev/null || true ;;
        esac
        sleep 0.25
    done
    die "the node did not become idle within 30 s (state '${state:-none}'; see $LOG/slurmctld.log and $LOG/slurmd.log)"
}

stop_one() {
    local name=$1 pidfile=$2
    alive "$pidfile" || return 0
    local pid
    pid=$($SUDO cat "$pidfile")
    $SUDO kill "$pid"
    for _ in $(seq 100); do
        $SUDO kill -0 "$pid" 2>/dev/null || { say "stopped $name ($pid)"; return 0; }
        sleep 0.1
    done
    say "$name ($pid) did not stop on SIGTERM within 10 s; sending SIGKILL"
    $SUDO kill -9 "$pid" 2>/dev/null || true
}

stop() {
    stop_one slurmd "$SLURMD_PID"
    stop_one slurmctld "$CTLD_PID"
    stop_one munged "$MUNGE_PID"
}

status() {
    local ok=0
    for d in "munged:$MUNGE_PID" "slurmctld:$CTLD_PID" "slurmd:$SLURMD_PID"; do
        if alive "${d#*:}"; then echo "${d%%:*}: running (pid $($SUDO cat "${d#*:}"))"; else echo "${d%%:*}: not running"; fi
    done
    if command -v sinfo >/dev/null && sinfo >/dev/null 2>&1; then sinfo; else echo "sinfo: no answer"; ok=1; fi
    return $ok
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
