"""Datasette's pages about the server itself, cut to what a visitor may know: /-/databases
without the files' paths, /-/plugins with names and versions only, /-/threads not served
(the plugin's routes, pipeline/publish/plugins/prodops.py, take their place).
"""

from __future__ import annotations

import json

from datasette.plugins import DEFAULT_PLUGINS, get_plugins
from datasette.utils.asgi import Response


async def databases(datasette, request):
    """Datasette's /-/databases without each database's path: it names the server's folders."""
    data = [{"name": db.name, "route": db.route, "size": db.size, "is_mutable": db.is_mutable,
             "is_memory": db.is_memory, "hash": db.hash}
            for name, db in datasette.databases.items() if name != "_internal"]
    if request.url_vars.get("format") == "json":
        return Response.json(data)
    return Response.html(await datasette.render_template(
        "show_json.html", {"filename": "databases.json", "data_json": json.dumps(data, indent=4)}, request=request))


async def plugins(datasette, request):
    """Datasette's /-/plugins with each plugin's name and version only: not which hooks our
    plugin implements (where it acts on who asks, or on CSRF), nor Datasette's own plugins."""
    data = sorted(({"name": plugin["name"], "version": plugin.get("version")} for plugin in get_plugins()
                   if plugin["name"] not in DEFAULT_PLUGINS), key=lambda plugin: plugin["name"])
    if request.url_vars.get("format") == "json":
        return Response.json(data)
    return Response.html(await datasette.render_template(
        "show_json.html", {"filename": "plugins.json", "data_json": json.dumps(data, indent=4)}, request=request))


async def threads(datasette, request):
    """Not served: Datasette's list of the server's threads and tasks names its code's paths."""
    return await not_found(datasette, request, "such page")


async def not_found(datasette, request, what: str) -> Response:
    """Datasette's error page, 404."""
    return Response.html(await datasette.render_template(
        "error.html", {"ok": False, "error": f"No {what}", "title": "Not found", "status": 404},
        request=request), status=404)
