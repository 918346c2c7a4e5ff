#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying scripts/slurm-array.sh and for the tests.
#
#   scripts/slurm-local.sh start|stop|status
#
# Needs root and Debian's slurmctld, slurmd, slurm-client and munge packages
# (apt-get install slurmctld slurmd slurm-client munge). `start` writes a private slurm.conf
# (one node, `localhost`, with this machine's CPUs; one partition `local`; no cgroups, no
# accounting) under ACTBENCH_SLURM_DIR (default /tmp/actbench-slurm), starts munged if it is not
# running, then slurmctld and slurmd, and waits until the node is idle. It never touches
# /etc/slurm: point the Slurm commands at the cluster with
#
#   export SLURM_CONF=/tmp/actbench-slurm/slurm.conf
#
# `start` begins from an empty queue; `stop` cancels every job and stops slurmd and slurmctld
# (munged is left running).
set -euo pipefail

dir=${ACTBENCH_SLURM_DIR:-/tmp/actbench-slurm}
conf=$dir/slurm.conf
export SLURM_CONF=$conf

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -eq 1 ] || usage

missing=()
for tool in slurmctld slurmd sbatch munged; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "error: ${missing[*]} not found; install: apt-get install slurmctld slurmd slurm-client munge" >&2
  exit 3
fi
PATH=$PATH:/usr/sbin

stop() {
  if [ -f "$conf" ]; then
    scancel --quiet --full --user="$(id -un)" 2>/dev/null || true
  fi
  for daemon in slurmd slurmctld; do
    if [ -f "$dir/$daemon.pid" ]; then
      pid=$(cat "$dir/$daemon.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/$daemon.pid"
    fi
  done
}

start() {
  [ "$(id -u)" -eq 0 ] || { echo "error: start needs root (slurmd runs jobs as their users)" >&2; exit 2; }
  stop
  rm -rf "$dir/state" "$dir/spool"
  mkdir -p "$dir/state" "$dir/spool"
  cpus=$(nproc)
  memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
  cat > "$conf" <<CONF
ClusterName=actbench
SlurmctldPort=16817
SlurmdPort=16818
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=cred_expire=5
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobRequeue=1
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  if ! pgrep -x munged >/dev/null; then
    mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
    runuser -u munge -- /usr/sbin/munged 2>/dev/null || /usr/sbin/munged --force
  fi
  slurmctld -f "$conf" -i
  slurmd -f "$conf" -N localhost
  for _ in $(seq 100); do
    state=$(sinfo -h -N -o '%t' 2>/dev/null || true)
    if [ "$state" = "idle" ]; then
      echo "one-node Slurm cluster up ($cpus CPUs); export SLURM_CONF=$conf"
      return 0
    fi
    sleep 0.2
  done
  echo "error: the node did not come up (state '${state:-none}'); logs: $dir/slurmctld.log, $dir/slurmd.log" >&2
  exit 1
}

case $1 in
  start) start ;;
  stop) stop; echo "stopped" ;;
  status) sinfo; squeue ;;
  *) usage ;;
esac
