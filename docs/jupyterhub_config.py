"""JupyterHub for an imworkbook workshop (see docs/workshop.md): every participant logs in with their own name and
password, gets the workbook as an app (Voila, no code, no JupyterLab, no terminal) and keeps their answers in their
own home folder (~/imworkbook/antwoorden), which nobody else can read. The facilitator (begeleider) has the same
app plus the full JupyterLab.

Start (as root; every path is absolute, so from any folder):
    /opt/imworkbook-hub/bin/jupyterhub -f /opt/imworkbook/docs/jupyterhub_config.py

Settings (environment variables, all optional):
    WORKSHOP_STATE         folder for the hub's own files: database, cookie secret, pid files and the password
                           list made by scripts/workshop_users.py (default /srv/imworkbook-hub; 0700, root only)
    HUB_URL                where the hub listens (default http://0.0.0.0:8000; behind a reverse proxy with
                           HTTPS: http://127.0.0.1:8000)
    WORKSHOP_CULL_SERVER   minutes without activity after which a participant's server is stopped (default 60)
    WORKSHOP_CULL_KERNEL   minutes after which a page without a connection loses its kernel (default 2)
    WORKSHOP_CULL_EVERY    seconds between two rounds of the server culler (default 300)
    WORKSHOP_ACTIVITY_INTERVAL  seconds between two activity reports of a server to the hub (default 300)
"""

import asyncio
import base64
import hashlib
import hmac
import os
import pwd
import stat
import sys
from pathlib import Path

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid

import imworkbook.base.paths

c = get_config()  # noqa: F821 - provided by JupyterHub

# --- the hub's own files: outside any checkout, readable by root only ----------------------------------------------
STATE = Path(os.environ.get("WORKSHOP_STATE", "/srv/imworkbook-hub"))
STATE.mkdir(mode=0o700, parents=True, exist_ok=True)
os.chmod(STATE, 0o700)
USERS_FILE = STATE / "gebruikers.txt"  # written by scripts/workshop_users.py
BIN = Path(sys.executable).parent  # the hub's environment, e.g. /opt/imworkbook-hub/bin

c.JupyterHub.bind_url = os.environ.get("HUB_URL", "http://0.0.0.0:8000")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
_proxy = BIN.parent / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
if _proxy.exists():  # installed as in docs/workshop.md: no PATH needed
    c.ConfigurableHTTPProxy.command = [str(_proxy)]
c.JupyterHub.template_paths = [str(Path(__file__).resolve().parent / "hub-templates")]  # log-in page in Dutch
c.JupyterHub.template_vars = {
    "announcement_login": "Log in met de naam en het wachtwoord van je kaartje. "
                          "<span lang='en' style='color:#555'>· Log in with the name and password on your card.</span>",
}


# --- log-in: one name and password per participant; the facilitator has their own ----------------------------------

def _read_users() -> dict[str, tuple[str, str]]:
    """name -> (role, password hash) from the list made by scripts/workshop_users.py (read at every log-in, so
    names added during the workshop work without a restart)."""
    users = {}
    try:
        lines = USERS_FILE.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return users
    for line in lines:
        parts = line.strip().split(":")
        if len(parts) == 3 and not line.startswith("#"):
            users[parts[0]] = (parts[1], parts[2])
    return users


def _check_password(password: str, stored: str) -> bool:
    """``scrypt$N$r$p$salt$hash`` (base64), as scripts/workshop_users.py writes it."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                maxmem=64 * 1024 * 1024, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


class WorkshopAuthenticator(Authenticator):
    """Names and hashed passwords from /srv/imworkbook-hub/gebruikers.txt; role 'begeleider' is the hub's admin."""

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        entry = _read_users().get(name)
        if entry is None:
            return None
        role, stored = entry
        ok = await asyncio.get_running_loop().run_in_executor(None, _check_password, data.get("password", ""), stored)
        if not ok:
            return None
        return {"name": name, "admin": role == "begeleider"}  # admin=False also takes admin away again


c.JupyterHub.authenticator_class = WorkshopAuthenticator
c.Authenticator.allow_all = True  # only names in the list can log in at all
c.Authenticator.admin_users = {name for name, (role, _h) in _read_users().items() if role == "begeleider"}


# --- every participant: their own server as their own system user, the app only ------------------------------------

# What a participant's server may serve: Voila and the hub's own extension; no JupyterLab, no terminals, no
# language server. (Not a sandbox: with the browser's developer tools someone could still start a kernel and run
# code as their own system user; that is why homes are private, see below.)
PARTICIPANT_ARGS = [
    "--ServerApp.terminals_enabled=False",
    "--ServerApp.jpserver_extensions=jupyterlab=False",
    "--ServerApp.jpserver_extensions=jupyter_lsp=False",
    "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
    "--ServerApp.jpserver_extensions=notebook_shim=False",
    "--ServerApp.jpserver_extensions=notebook=False",
    "--ServerApp.jpserver_extensions=voila.server_extension=True",
]


class WorkshopSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with private files (umask 077) and the app only for participants."""

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)

        def preexec():
            os.umask(0o077)  # answers, reports and copies: readable by the participant only
            become_user()

        return preexec

    def get_args(self):
        args = super().get_args()
        return args if self.user.admin else [*args, *PARTICIPANT_ARGS]


c.JupyterHub.spawner_class = WorkshopSpawner
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/voila/render/imworkbook/notebooks/00_start.ipynb"  # the start page, as an app
_activity = os.environ.get("WORKSHOP_ACTIVITY_INTERVAL", "300")  # seconds; the smoke test makes it short
c.JupyterHub.last_activity_interval = int(_activity)
c.Spawner.environment = {
    # the 'imworkbook' Voila template (Voila's lab template without CDN links: works offline)
    "JUPYTER_PATH": str(imworkbook.base.paths.PACKAGE_DIR / "jupyter"),
    # how often a participant's server tells the hub it is in use (the idle culler below goes by that)
    "JUPYTERHUB_ACTIVITY_INTERVAL": _activity,
}
_kernel_min = float(os.environ.get("WORKSHOP_CULL_KERNEL", "2"))
c.Spawner.args = [
    "--VoilaConfiguration.template=imworkbook",
    # as imworkbook.cli.server.DENIED_EXTENSIONS (tested): charts come from the template's own plotly.js
    # (imworkbook/apps/plot.py), not 4.8 MB more per page; the app shows no code to highlight
    "--VoilaConfiguration.extension_denylist=jupyterlab-plotly",
    "--VoilaConfiguration.extension_denylist=jupyterlab_pygments",
    # Kernels end as in `imworkbook app` (imworkbook/cli/server.py): a page without a connection after 2 minutes,
    # an open page nobody uses after 60 minutes (the page then says so; answers are saved on every change).
    "--ServerApp.kernel_manager_class=imworkbook.cli.server.WorkshopKernelManager",
    f"--WorkshopKernelManager.cull_disconnected_timeout={_kernel_min * 60:g}",
    "--MappingKernelManager.cull_idle_timeout=3600",
    "--MappingKernelManager.cull_connected=True",
    f"--MappingKernelManager.cull_interval={min(30, max(5, _kernel_min * 30)):g}",
]


# Run as the participant (never as root: a participant could have put a symlink in their werkmap, and root would
# follow it): their own copy of the notebooks, and their werkmap private. Files made before umask 077 are fixed too.
_PREPARE = """
import os, shutil, stat, sys
from pathlib import Path
os.umask(0o077)
werkmap = Path.home() / "imworkbook"
target = werkmap / "notebooks"
target.mkdir(parents=True, exist_ok=True)
for nb in Path(sys.argv[1]).glob("*.ipynb"):
    if not (target / nb.name).exists():
        shutil.copyfile(nb, target / nb.name)
for folder, dirs, files in os.walk(werkmap):
    for name in dirs + files:
        path = os.path.join(folder, name)
        st = os.lstat(path)
        if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
            os.chmod(path, st.st_mode & 0o700)
os.chmod(werkmap, 0o700)
"""


async def prepare_home(spawner):
    """A private home (0700) and werkmap, and the participant's own copy of the notebooks."""
    user = pwd.getpwnam(spawner.user.name)
    home = Path(user.pw_dir)
    st = home.lstat()  # /home is root's: the participant cannot swap their home for a link
    if stat.S_ISDIR(st.st_mode) and st.st_uid == user.pw_uid:
        os.chmod(home, 0o700)  # nobody else can read the answers, also not from werkboek 3's folder field
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _PREPARE, str(imworkbook.base.paths.notebooks_dir()), cwd=home,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, preexec_fn=set_user_setuid(spawner.user.name),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    _out, err = await asyncio.wait_for(process.communicate(), 60)
    if process.returncode:
        raise RuntimeError(f"werkmap van {spawner.user.name} niet klaargezet: {err.decode(errors='replace')[-500:]}")


c.Spawner.pre_spawn_hook = prepare_home


# --- stop servers nobody uses (jupyterhub-idle-culler, installed beside the hub) -----------------------------------
_server_min = float(os.environ.get("WORKSHOP_CULL_SERVER", "60"))
c.JupyterHub.load_roles = [{
    "name": "jupyterhub-idle-culler-role",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["jupyterhub-idle-culler-service"],
}]
c.JupyterHub.services = [{
    "name": "jupyterhub-idle-culler-service",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={_server_min * 60:.0f}",
                f"--cull-every={os.environ.get('WORKSHOP_CULL_EVERY', '300')}"],
}]
