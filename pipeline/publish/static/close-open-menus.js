/* Datasette 0.65's _close_open_menus.html as a file of ours: the site's Content-Security-Policy
   allows no inline script (pipeline/publish/guards.py). Closes any open <details> menu a
   click lands outside of; and (ours) an open menu, the header's or a page's actions, when
   Escape is pressed, the focus going back to its summary if it was inside. */
document.body.addEventListener('click', (ev) => {
    /* Close any open details elements that this click is outside of */
    var target = ev.target;
    var detailsClickedWithin = null;
    while (target && target.tagName != 'DETAILS') {
        target = target.parentNode;
    }
    if (target && target.tagName == 'DETAILS') {
        detailsClickedWithin = target;
    }
    Array.from(document.getElementsByTagName('details')).filter(
        (details) => details.open && details != detailsClickedWithin
    ).forEach(details => details.open = false);
});
document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    var menus = document.querySelectorAll('details.nav-menu[open], details.actions-menu-links[open]');
    Array.from(menus).forEach((details) => {
        var had = details.contains(document.activeElement);
        details.open = false;
        if (had) details.querySelector('summary').focus();
    });
});
