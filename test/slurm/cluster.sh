#!/usr/bin/env bash
# A one-node Slurm cluster from Debian's slurm-wlm, for tests and benchmarks; nothing in /etc
# changes. Learned from shared/reference/slurm: no systemd or cgroups needed (linuxproc, no
# task plugin), no accounting database, auth/none (so no munged), daemons started as plain
# commands with their PIDs recorded, stopped by those PIDs only.
#
#   cluster.sh start <dir>   configure in <dir>, start slurmctld + slurmd on free ports, wait
#                            until the node is idle, print SLURM_CONF=<dir>/slurm.conf
#   cluster.sh stop <dir>    stop the daemons recorded in <dir>/pids
# Tools need SLURM_CONF=<dir>/slurm.conf in their environment.
# SLURM_SCHEDULER_PARAMETERS sets SchedulerParameters; the default schedules batch jobs as soon
# as a CPU frees (Slurm's own default, batch_sched_delay=3, starts array tasks in 3 s waves);
# set it to "" for Slurm's defaults.
set -euo pipefail
usage() { echo "usage: $0 start|stop <dir>" >&2; exit 2; }
[ $# -eq 2 ] || usage
CMD=$1; W=$(realpath -m "$2")

free_port() {
  local p
  for _ in $(seq 100); do
    p=$(( 20000 + RANDOM % 20000 ))
    [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ] && { echo $p; return; }
  done
  echo "no free port found" >&2; return 1
}

stop() {
  [ -f "$W/pids" ] || { echo "cluster.sh: no $W/pids: nothing to stop" >&2; return 0; }
  read -r -a PIDS < "$W/pids"
  # Job steps (slurmstepd) of this cluster end with their jobs; give them a moment first.
  for _ in $(seq 50); do pgrep -x slurmstepd >/dev/null 2>&1 || break; sleep 0.1; done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  rm -f "$W/pids"
  echo "stopped slurm daemons ${PIDS[*]}"
}

start() {
  for t in slurmctld slurmd sinfo sbatch; do command -v $t >/dev/null || { echo "cluster.sh: $t not found (apt-get install slurm-wlm)" >&2; exit 3; }; done
  [ -f "$W/pids" ] && { echo "cluster.sh: $W/pids exists: a cluster may be running there; stop it first" >&2; exit 1; }
  mkdir -p "$W"/{state,spool,log,run}
  local H USER_ CPUS MEM CTLD_PORT SLURMD_PORT
  H=$(hostname -s); USER_=$(id -un); CPUS=$(nproc)
  MEM=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))
  local SCHED=${SLURM_SCHEDULER_PARAMETERS-batch_sched_delay=0,sched_min_interval=0}
  [ -n "$SCHED" ] && SCHED="SchedulerParameters=$SCHED"
  CTLD_PORT=$(free_port); SLURMD_PORT=$(free_port)
  while [ "$SLURMD_PORT" = "$CTLD_PORT" ]; do SLURMD_PORT=$(free_port); done
  cat > "$W/slurm.conf" <<CONF
ClusterName=neurite-test
SlurmctldHost=$H
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=$USER_
SlurmdUser=$USER_
AuthType=auth/none
CredType=cred/none
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
$SCHED
ReturnToService=2
KillWait=5
MailProg=/bin/true
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/run/slurmctld.pid
SlurmdPidFile=$W/run/slurmd.pid
SlurmctldLogFile=$W/log/slurmctld.log
SlurmdLogFile=$W/log/slurmd.log
NodeName=$H CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$W/slurm.conf
  local PIDS=()
  slurmctld -D -f "$SLURM_CONF" >"$W/log/slurmctld.out" 2>&1 </dev/null & PIDS+=($!)
  slurmd -D -f "$SLURM_CONF" >"$W/log/slurmd.out" 2>&1 </dev/null & PIDS+=($!)
  echo "${PIDS[*]}" > "$W/pids"
  for _ in $(seq 300); do
    [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && { echo "SLURM_CONF=$SLURM_CONF"; return 0; }
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || break 2; done # a daemon died: stop waiting
    sleep 0.1
  done
  echo "cluster.sh: the node did not become idle; logs:" >&2
  tail -n 20 "$W/log/"* >&2 || true
  stop >&2
  exit 1
}

case $CMD in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
