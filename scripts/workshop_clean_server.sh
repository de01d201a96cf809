#!/usr/bin/env bash
# Follows docs/workshop.md steps 1-4 on a clean Debian 12 (a debootstrap folder, entered with chroot), command for
# command, and checks that a participant can log in and gets the app. Every command below must appear verbatim in
# docs/workshop.md (checked first), so the doc and this check cannot drift apart. Needs root, debootstrap and the
# Debian and npm registries and PyPI; about 10 minutes; a manual check, not part of ./scripts/test.
#
#   sudo bash scripts/workshop_clean_server.sh [FOLDER]     # default /var/tmp/imw-debian12 (reused when present)
#
# Differences from a real server: `git clone` is replaced by a copy of this checkout's last commit (git archive), the
# hub listens on 127.0.0.1:8799 (HUB_URL) so nothing outside this machine can reach it, and pip and npm may be given
# the host's CA bundle (see below). The folder is left
# behind for inspection; remove it with: rm -rf FOLDER (after this script has unmounted /proc and /dev).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${1:-/var/tmp/imw-debian12}
DOC="$REPO/docs/workshop.md"
PORT=8799

STEPS=(
  "apt-get update"
  "apt-get install -y python3 python3-venv git nodejs npm"
  "/usr/bin/python3 -m venv /opt/imworkbook-hub"
  "/opt/imworkbook-hub/bin/pip install -r /opt/imworkbook/docs/hub-requirements.txt /opt/imworkbook"
  "npm install --prefix /opt/imworkbook-hub/proxy configurable-http-proxy@5.1.0"
  "ln -sf /opt/imworkbook-hub/bin/imworkbook /usr/local/bin/imworkbook"
  "/usr/bin/python3 /opt/imworkbook/scripts/workshop_users.py maak --aantal 20 --adres http://SERVER:8000"
)
START="/opt/imworkbook-hub/bin/jupyterhub -f /opt/imworkbook/docs/jupyterhub_config.py"
for cmd in "${STEPS[@]}" "$START"; do
  grep -qF -- "$cmd" "$DOC" || { echo "not in docs/workshop.md: $cmd" >&2; exit 2; }
done

if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || apt-get install -y debootstrap
  debootstrap --variant=minbase bookworm "$ROOT" http://deb.debian.org/debian
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
cleanup() {
  if [ -n "${HUB_PID:-}" ]; then kill "$HUB_PID" 2>/dev/null || true; wait "$HUB_PID" 2>/dev/null || true; fi
  umount "$ROOT/dev" 2>/dev/null || true
  umount "$ROOT/proc" 2>/dev/null || true
}
trap cleanup EXIT
# A machine whose way out goes through a TLS-inspecting proxy (like the one this was tested on) trusts an extra CA;
# pip and npm in the clean system get the host's CA bundle for that. A real server needs nothing of the kind.
CA=()
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cp /etc/ssl/certs/ca-certificates.crt "$ROOT/root/host-ca-bundle.crt"
  CA=(PIP_CERT=/root/host-ca-bundle.crt NODE_EXTRA_CA_CERTS=/root/host-ca-bundle.crt)
fi
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "${CA[@]}" "$@"; }

rm -rf "$ROOT/opt/imworkbook" && mkdir -p "$ROOT/opt/imworkbook"
git -C "$REPO" archive HEAD | tar -x -C "$ROOT/opt/imworkbook"   # instead of: git clone ... /opt/imworkbook
for cmd in "${STEPS[@]}"; do
  echo "== $cmd"
  t=$(date +%s)
  in_root /bin/bash -c "$cmd" > "$ROOT/root/step.log" 2>&1 || { tail -30 "$ROOT/root/step.log"; exit 1; }
  tail -2 "$ROOT/root/step.log"
  echo "   ($(( $(date +%s) - t )) s)"
done
in_root /bin/bash -c "imworkbook --help >/dev/null && echo 'imworkbook in a fresh shell: ok'"
echo "versions: $(in_root node --version) node, $(in_root /opt/imworkbook-hub/bin/python -c 'import jupyterhub; print(jupyterhub.__version__)') jupyterhub, $(in_root /opt/imworkbook-hub/proxy/node_modules/.bin/configurable-http-proxy --version) configurable-http-proxy"

echo "== $START (HUB_URL=http://127.0.0.1:$PORT)"
chroot "$ROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 HUB_URL=http://127.0.0.1:$PORT \
  /bin/bash -c "cd / && exec $START" > "$ROOT/root/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/hub/login" && break; sleep 0.5; done

card=$(ls -t "$ROOT"/srv/imworkbook-hub/inloggegevens-*.csv | head -1)
IFS=';' read -r name _role password _addr < <(sed -n 2p "$card")
jar=$(mktemp)
curl -fs -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$PORT/hub/login"
xsrf=$(awk '$6 == "_xsrf" {print $7}' "$jar")
curl -sL -c "$jar" -b "$jar" -o /dev/null --data-urlencode "username=$name" --data-urlencode "password=$password" \
  --data-urlencode "_xsrf=$xsrf" "http://127.0.0.1:$PORT/hub/login"
t=$(date +%s)
app="http://127.0.0.1:$PORT/user/$name/voila/render/imworkbook/notebooks/00_start.ipynb"
ok=""
for _ in $(seq 90); do
  # the app's page (Voila; its content comes from the kernel, in the browser): served once the server runs
  if curl -fsL -c "$jar" -b "$jar" "$app" 2>/dev/null | grep -q "jupyter-config-data"; then ok=1; break; fi
  sleep 2
done
if [ -n "$ok" ]; then
  echo "$name logged in and got the app's page ($(( $(date +%s) - t )) s after log-in, curl)"
  lab=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:$PORT/user/$name/lab")
  echo "JupyterLab for $name: HTTP $lab (404 expected)"
  [ "$lab" = 404 ] || exit 1
  rm -f "$jar"
  echo "clean Debian 12: docs/workshop.md steps 1-4 work as written"
else
  echo "FAILED: no start page for $name; hub log: $ROOT/root/hub.log" >&2
  exit 1
fi
