#!/usr/bin/env bash
# The Debian packages the tests need (a real browser, code-server's build deps, real data, the
# reference tools). Installs what is missing when run as root with apt; otherwise says what to install.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v krb5-config >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 || need+=(build-essential)
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
/usr/bin/python3 -c 'import brian2' >/dev/null 2>&1 || need+=(python3-brian)
command -v sbatch >/dev/null 2>&1 || need+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || need+=(munge)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages the tests need: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" > /tmp/neurite-apt.log 2>&1 || { tail -30 /tmp/neurite-apt.log; exit 1; }
else
  echo "the tests need these Debian packages: ${need[*]}"
  echo "install them with: sudo apt-get install ${need[*]}"
  exit 1
fi
