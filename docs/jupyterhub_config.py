"""JupyterHub for an imworkbook workshop: every participant logs in, gets the workbook as an app (Voila, no
code), and keeps their answers in their own home folder (~/imworkbook/antwoorden). See docs/workshop.md.

Start (as root, in the environment where jupyterhub and imworkbook are installed):
    WORKSHOP_PASSWORD=... jupyterhub -f docs/jupyterhub_config.py
"""

import os
import pwd
import shutil
from pathlib import Path

import imworkbook.paths

c = get_config()  # noqa: F821 - provided by JupyterHub

c.JupyterHub.bind_url = os.environ.get("HUB_URL", "http://0.0.0.0:8000")

# Log-in. For one workshop a shared password is enough; participants log in with their own user name
# (created beforehand: see docs/workshop.md). For a permanent hub use PAM or OAuth (e.g. oauthenticator).
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["WORKSHOP_PASSWORD"]
c.Authenticator.allowed_users = set(filter(None, os.environ.get("WORKSHOP_USERS", "").split(",")))
c.Authenticator.admin_users = set(filter(None, os.environ.get("WORKSHOP_ADMINS", "").split(",")))

# Every participant runs their own server as their own system user, in their own home folder.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/voila/render/imworkbook/notebooks/00_start.ipynb"  # the start page, as an app
c.Spawner.environment = {
    # the 'imworkbook' Voila template (Voila's lab template without CDN links: works offline)
    "JUPYTER_PATH": str(imworkbook.paths.PACKAGE_DIR / "jupyter"),
}
c.Spawner.args = [
    "--VoilaConfiguration.template=imworkbook",
    # Kernels end as in `imworkbook app` (imworkbook/server.py): a page without a connection after 2 minutes,
    # an open page nobody uses after 60 minutes (the page then says so; answers are saved on every change).
    "--ServerApp.kernel_manager_class=imworkbook.server.WorkshopKernelManager",
    "--WorkshopKernelManager.cull_disconnected_timeout=120",
    "--MappingKernelManager.cull_idle_timeout=3600",
    "--MappingKernelManager.cull_connected=True",
    "--MappingKernelManager.cull_interval=30",
]


def copy_notebooks(spawner):
    """Give a participant their own copy of the notebooks (their answers go to ~/imworkbook/antwoorden)."""
    user = pwd.getpwnam(spawner.user.name)
    target = Path(user.pw_dir) / "imworkbook" / "notebooks"
    target.mkdir(parents=True, exist_ok=True)
    for nb in imworkbook.paths.notebooks_dir().glob("*.ipynb"):
        if not (target / nb.name).exists():
            shutil.copy2(nb, target / nb.name)
    for folder, _dirs, files in os.walk(target.parent):
        os.chown(folder, user.pw_uid, user.pw_gid)
        for name in files:
            os.chown(os.path.join(folder, name), user.pw_uid, user.pw_gid)


c.Spawner.pre_spawn_hook = copy_notebooks
