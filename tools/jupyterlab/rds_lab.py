"""JupyterLab 3.6.8's front end (built here from its npm packages) served by Debian's jupyter-server
1.23 and jupyterlab-server 2.16, for the project's notebooks.

Run through `npm run lab` (tools/kernel/lab.ts), which builds the front end first and passes the
server's options; by hand: `python3 tools/jupyterlab/rds_lab.py --ServerApp.root_dir=...`.

What this adds to jupyterlab-server's LabServerApp:
- jupyter-server loads an extension through `_jupyter_server_extension_points`;
- the routes `lab/api/news` and `lab/api/update` are served only by the `jupyterlab` Python package,
  which Debian does not ship; unanswered, jupyterlab-server 2.16's fallback handler leaves a dialog
  on every later page, so both answer "nothing new" here (and settings/overrides.json turns the
  news and update checks off);
- JupyterLab 3.6 asks the server who the user is (`api/me`), which jupyter-server answers from
  version 2 on; 1.23 answers 404, which the browser logs as an error: here it answers with the
  local user's name, as jupyter-server 2 does for a single-user server;
- MathJax 2 would load from a CDN: it is served from the npm package mathjax@2.7.9 instead, with
  its CommonHTML output (the HTML-CSS output declares a font at about:blank, which Chromium reports
  as a console error on every page with math).
"""

import getpass
import json
import os
import sys

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from jupyterlab_server import LabServerApp
from tornado import web
from traitlets import Unicode

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
MATHJAX = os.path.join(HERE, "node_modules", "mathjax")

with open(os.path.join(HERE, "package.json"), encoding="utf-8") as f:
    VERSION = json.load(f)["dependencies"]["@jupyterlab/application"]


def _jupyter_server_extension_points():
    return [{"module": "rds_lab", "app": RdsLab}]


class NoNews(APIHandler):
    """`lab/api/news`, as the jupyterlab package answers with no news."""

    @web.authenticated
    def get(self):
        self.finish(json.dumps({"news": []}))


class NoUpdate(APIHandler):
    """`lab/api/update`, as the jupyterlab package answers when no update is known."""

    @web.authenticated
    def get(self):
        self.finish(json.dumps({"notification": None}))


class Me(APIHandler):
    """`api/me` in jupyter-server 2's shape: the identity of the one local user, no permissions to grant."""

    @web.authenticated
    def get(self):
        name = getpass.getuser()
        identity = {"username": name, "name": name, "display_name": name, "initials": name[:1].upper(), "color": None, "avatar_url": None}
        self.finish(json.dumps({"identity": identity, "permissions": {}}))


class RdsLab(LabServerApp):
    name = "rds_lab"
    app_name = "JupyterLab (rds)"
    app_version = VERSION
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    app_settings_dir = os.path.join(HERE, "settings")
    # Where the user's settings and workspaces live (configurable: the launcher gives folders under out/).
    user_settings_dir = Unicode(os.path.join(BUILD, "user_settings"), help="The user's settings.").tag(config=True)
    workspaces_dir = Unicode(os.path.join(BUILD, "workspaces"), help="Saved workspaces.").tag(config=True)

    def initialize_handlers(self):
        super().initialize_handlers()
        # Before LabServerApp's fallback for every other lab/ path, which would answer them first.
        self.handlers[0:0] = [
            ("/lab/api/news", NoNews),
            ("/lab/api/update", NoUpdate),
            ("/api/me", Me),
            ("/rds/mathjax/(.*)", web.StaticFileHandler, {"path": MATHJAX}),
        ]

    def initialize_settings(self):
        super().initialize_settings()
        settings = self.serverapp.web_app.settings
        settings["mathjax_url"] = url_path_join(settings.get("base_url", "/"), "rds/mathjax/MathJax.js")
        settings["mathjax_config"] = "TeX-AMS_CHTML-full,Safe"
        settings["terminals_available"] = False


if __name__ == "__main__":
    if not os.path.exists(os.path.join(BUILD, "bundle.js")):
        sys.exit(f"rds_lab: the front end is not built: run `npm ci && npm run build` in {HERE} (npm run lab does it)")
    sys.path.insert(0, HERE)
    import rds_lab  # the extension's module by its own name, as _jupyter_server_extension_points says

    rds_lab.RdsLab.launch_instance()
