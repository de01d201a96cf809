#!/usr/bin/env bash
# Proef zonder Kubernetes: draait de Jupyter-server zoals in de pod van een deelnemer en controleert de app.
#
#   sudo docs/k8s/proef_pod.sh /tmp/k8svenv
#   sudo env PATH="/tmp/chp/node_modules/.bin:$PATH" docs/k8s/proef_pod.sh /tmp/k8svenv   # met deel 2
#     (eerst: cd /tmp/chp && npm install configurable-http-proxy@5)
#
# VENV is een Python 3.12-omgeving met dezelfde pakketten als het image (docs/k8s/Dockerfile):
#   python3.12 -m venv /tmp/k8svenv
#   /tmp/k8svenv/bin/pip install -r <zero-to-jupyterhub-k8s 4.4.0>/images/singleuser-sample/requirements.txt
#   /tmp/k8svenv/bin/pip freeze > /tmp/basis.txt
#   /tmp/k8svenv/bin/pip install -r docs/k8s/requirements.txt -c /tmp/basis.txt
#   /tmp/k8svenv/bin/pip install --no-deps .
#
# In een eigen mount- en pid-namespace (root nodig; de rest van de machine merkt er niets van, op een lege map
# /etc/jupyter na die het script zo nodig even aanmaakt en weer weghaalt) komen dezelfde paden als in de pod:
# /srv/imworkbook alleen-lezen (zoals de Dockerfile het maakt), /etc/jupyter/jupyter_server_config.json uit
# singleuser.extraFiles van values.yaml, een lege /home/jovyan, en de omgeving uit singleuser.extraEnv.
# Dan: de startpagina (singleuser.defaultUrl) en werkboek 1 als Voila, met het sjabloon imworkbook (geen CDN);
# daarna het opruimen van kernels, met kortere tijden (20 s) dan in values.yaml maar verder dezelfde instellingen:
# een kernel zonder verbinding wordt gestopt, een kernel met een open verbinding (zoals een open pagina) blijft.
# Deel 2 (als configurable-http-proxy op PATH staat): een JupyterHub met de hub-instellingen uit values.yaml
# (shared-password, allowed_users, defaultUrl, extraEnv) start jupyterhub-singleuser zoals in de pod; inloggen
# met een verkeerd wachtwoord of een onbekende naam moet mislukken, en goed inloggen moet op de startpagina van de
# app uitkomen. Niet nagebootst: Kubernetes, KubeSpawner, het volume, de limieten, de idle-culler.
set -euo pipefail

VENV=${1:?gebruik: $0 VENV}
HERE=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "root nodig (unshare --mount)" >&2; exit 2; }

if [ "${IMWORKBOOK_PROEF_BINNEN:-}" != 1 ]; then
  # /etc/jupyter moet als koppelpunt bestaan; een lege map die we zelf maken, ruimen we ook weer op.
  made_etc=0
  if [ ! -e /etc/jupyter ]; then mkdir /etc/jupyter; made_etc=1; fi
  rc=0
  # eigen mount- en pid-namespace: wat hierin start, stopt ook als de proef stopt
  IMWORKBOOK_PROEF_BINNEN=1 unshare --mount --propagation private --pid --fork --mount-proc "$0" "$@" || rc=$?
  if [ "$made_etc" = 1 ]; then rmdir /etc/jupyter; fi
  exit "$rc"
fi

# --- binnen de namespace ---
PY="$VENV/bin/python"
mount -t tmpfs tmpfs /srv
mount -t tmpfs tmpfs /etc/jupyter
mount -t tmpfs tmpfs /home

# /srv/imworkbook zoals de Dockerfile het maakt, daarna alleen-lezen
mkdir -p /srv/imworkbook
cp -r "$("$PY" -c 'import imworkbook.base.paths as p; print(p.notebooks_dir())')" /srv/imworkbook/notebooks
ln -s "$("$PY" -c 'import imworkbook.base.paths as p; print(p.PACKAGE_DIR / "jupyter")')" /srv/imworkbook/jupyter
mount --bind /srv/imworkbook /srv/imworkbook
mount -o remount,ro,bind /srv/imworkbook

mkdir -p /home/jovyan
ENVFILE=$(mktemp)
"$PY" - "$HERE/values.yaml" "$ENVFILE" <<'EOF'
import json, sys, yaml
values = yaml.safe_load(open(sys.argv[1]))
for item in values["singleuser"]["extraFiles"].values():
    with open(item["mountPath"], "w") as f:
        json.dump(item["data"], f, indent=1)
    print("geschreven:", item["mountPath"])
with open(sys.argv[2], "w") as f:
    for name, value in values["singleuser"]["extraEnv"].items():
        f.write(f"{name}={value}\n")
    f.write(f"DEFAULT_URL={values['singleuser']['defaultUrl']}\n")
EOF
set -a
# shellcheck disable=SC1090  # de omgeving uit values.yaml, net geschreven
. "$ENVFILE"
set +a
rm "$ENVFILE"
export HOME=/home/jovyan

PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN=$("$PY" -c 'import secrets; print(secrets.token_hex(16))')
LOG=$(mktemp /tmp/imworkbook-proef-server.XXXXXX.log)
cd /home/jovyan
"$VENV/bin/jupyter" server --allow-root --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port="$PORT" \
  --IdentityProvider.token="$TOKEN" \
  --MappingKernelManager.cull_idle_timeout=20 --MappingKernelManager.cull_interval=5 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT

PORT=$PORT TOKEN=$TOKEN "$PY" - <<'EOF'
import json, os, time, urllib.request
import websocket  # websocket-client, in het basis-image

base, token, start = f"http://127.0.0.1:{os.environ['PORT']}", os.environ["TOKEN"], os.environ["DEFAULT_URL"]
def get(path, timeout=120):
    sep = "&" if "?" in path else "?"
    with urllib.request.urlopen(f"{base}{path}{sep}token={token}", timeout=timeout) as r:
        return r.status, r.read().decode()
def kernels():
    return {k["id"]: k for k in json.loads(get("/api/kernels")[1])}
for _ in range(120):
    try:
        get("/api/status", timeout=2); break
    except OSError:
        time.sleep(0.5)
cfg_root = json.load(open("/etc/jupyter/jupyter_server_config.json"))["ServerApp"]["root_dir"]
problems = []
for path in (start, "/voila/render/01_volwassenheid.ipynb"):
    t = time.monotonic()
    status, html = get(path)
    ok = status == 200 and "max-width: 1250px" in html and "cdn.jsdelivr.net" not in html \
        and "application/vnd.jupyter.widget-view+json" in html and "Traceback" not in html
    print(f"{path}: HTTP {status}, {time.monotonic() - t:.1f} s, sjabloon imworkbook zonder CDN: {ok}")
    problems += [] if ok else [path]
try:
    open(os.path.join(cfg_root, "probeer.txt"), "w")
    problems.append("notebookmap is schrijfbaar")
except OSError as e:
    print(f"{cfg_root} alleen-lezen: {e.strerror}")
ids = sorted(kernels().values(), key=lambda k: k["last_activity"], reverse=True)
ids = [k["id"] for k in ids]  # de jongste eerst: die krijgt de verbinding
print(f"kernels na twee pagina's: {len(ids)}")
ws = websocket.create_connection(f"ws://127.0.0.1:{os.environ['PORT']}/api/kernels/{ids[0]}/channels?token={token}")
time.sleep(40)  # cull_idle_timeout 20 s + cull_interval 5 s, ruim
left = kernels()
print(f"na 40 s: {len(left)} kernel(s) over; die met een open verbinding is er nog: {ids[0] in left}")
ws.close()
if ids[0] not in left or len(left) != 1:
    problems.append("kernels opruimen")
print("werkmap:", os.environ["IMWORKBOOK_HOME"], "bestaat" if os.path.isdir(os.environ["IMWORKBOOK_HOME"]) else "nog niet")
print("GOED" if not problems else f"PROBLEMEN: {problems}")
raise SystemExit(1 if problems else 0)
EOF
grep -E "Culling|culling|Kernel shutdown" "$LOG" | sed 's/^/  log: /' | head -5 || true
kill "$SERVER" || true; wait "$SERVER" || true
rm -f "$LOG"
trap - EXIT

# --- deel 2: inloggen via JupyterHub, met jupyterhub-singleuser zoals in de pod ---
# Alleen als configurable-http-proxy op PATH staat (npm install configurable-http-proxy@5). De hub-instellingen
# komen uit values.yaml zoals de chart ze doorgeeft (hub.config, singleuser.defaultUrl, singleuser.extraEnv);
# in plaats van KubeSpawner start SimpleLocalProcessSpawner de server, in /home/jovyan.
if ! command -v configurable-http-proxy >/dev/null; then
  echo "deel 2 (inloggen via de hub) overgeslagen: configurable-http-proxy staat niet op PATH"
  exit 0
fi
HUBDIR=$(mktemp -d /tmp/imworkbook-proef-hub.XXXXXX)
trap 'rm -rf "$HUBDIR"' EXIT
cat >"$HUBDIR/jupyterhub_config.py" <<EOF
import yaml
values = yaml.safe_load(open("$HERE/values.yaml"))
c = get_config()
for cls, settings in values["hub"]["config"].items():  # zo geeft de chart hub.config door
    for name, value in settings.items():
        setattr(getattr(c, cls), name, value)
c.SharedPasswordAuthenticator.user_password = "proef-wachtwoord"  # in het echt: geheim.yaml
c.SharedPasswordAuthenticator.admin_password = "proef-beheer-" + "x" * 32
c.Spawner.default_url = values["singleuser"]["defaultUrl"]
c.Spawner.environment = values["singleuser"]["extraEnv"]
c.Spawner.cmd = ["$VENV/bin/jupyterhub-singleuser"]
c.Spawner.args = ["--allow-root"]  # de proef draait als root; in de pod is het jovyan
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "/home/jovyan"
c.JupyterHub.bind_url = "http://127.0.0.1:$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
c.JupyterHub.db_url = "sqlite:///$HUBDIR/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "$HUBDIR/cookie_secret"
c.JupyterHub.pid_file = "$HUBDIR/jupyterhub.pid"
EOF
(cd "$HUBDIR" && PATH="$VENV/bin:$PATH" "$VENV/bin/jupyterhub" -f "$HUBDIR/jupyterhub_config.py" \
  >"$HUBDIR/hub.log" 2>&1) &
HUB=$!
trap 'kill "$HUB" 2>/dev/null || true; wait "$HUB" 2>/dev/null || true; rm -rf "$HUBDIR"' EXIT

HUBDIR=$HUBDIR "$PY" - <<'EOF'
import os, re, time
import requests  # in het basis-image

log = os.path.join(os.environ["HUBDIR"], "hub.log")
conf = open(os.path.join(os.environ["HUBDIR"], "jupyterhub_config.py")).read()
base = re.search(r'bind_url = "(http://[^"]+)"', conf).group(1)
for _ in range(120):
    try:
        requests.get(f"{base}/hub/api", timeout=2).raise_for_status(); break
    except requests.RequestException:
        time.sleep(0.5)

def login(user, password):
    s = requests.Session()
    s.get(f"{base}/hub/login", timeout=10)
    r = s.post(f"{base}/hub/login?next=", data={"username": user, "password": password,
               "_xsrf": s.cookies.get("_xsrf", "")}, timeout=30)
    return s, r

problems = []
for user, password, why in (("school001", "fout-wachtwoord", "verkeerd wachtwoord"),
                            ("iemand", "proef-wachtwoord", "niet in allowed_users")):
    _, r = login(user, password)
    refused = "/hub/login" in r.url and r.status_code in (200, 403)
    print(f"inloggen met {why}: {'geweigerd' if refused else 'NIET geweigerd'} (HTTP {r.status_code})")
    problems += [] if refused else [why]

t = time.monotonic()
s, r = login("school001", "proef-wachtwoord")
url = ""
for _ in range(120):  # wachten tot de server draait en de hub doorstuurt naar defaultUrl
    r = s.get(f"{base}/user/school001/", timeout=120)
    url = r.url
    if "/voila/render/" in url:
        break
    time.sleep(1)
html = r.text
ok = (url.endswith("/user/school001/voila/render/00_start.ipynb") and r.status_code == 200
      and "max-width: 1250px" in html and "cdn.jsdelivr.net" not in html)
print(f"na inloggen: {url.removeprefix(base)} (HTTP {r.status_code}, {time.monotonic() - t:.1f} s), "
      f"de startpagina als app met het sjabloon imworkbook: {ok}")
problems += [] if ok else ["defaultUrl na inloggen"]
if problems:
    print(open(log).read()[-3000:])
print("GOED (hub)" if not problems else f"PROBLEMEN (hub): {problems}")
raise SystemExit(1 if problems else 0)
EOF
