/* What Datasette 0.65's table.html set in an inline script, which the site's CSP does not
   run: whether table.js offers "Facet by this" (the allow_facet setting, passed by the
   template as data-allow-facet). Loaded before table.js, which is deferred. */
window.DATASETTE_ALLOW_FACET = document.currentScript.dataset.allowFacet === "true";
