/* The column menu of Datasette 0.65.5's table.js for the keyboard. table.js puts a cog, an
   <svg> that only a mouse can click, in each sortable column's header and one menu at the end
   of the page. Here each cog goes inside a <button> named for its column (Enter and Space open
   the menu, its first entry focused), Escape closes the menu, the focus going back to the
   button, and Tab past its last entry (or Shift+Tab before its first) leaves it for the
   button. table.js's own handlers still do the work: a click on the cog reaches them as
   before. Loaded deferred after table.js by templates/table.html. */
(function () {
  var menu = document.querySelector('body > .dropdown-menu');
  if (!menu) return;
  menu.id = 'column-actions-menu';
  var opener = null;  /* the button whose column the menu is showing */

  function isOpen() { return menu.style.display !== 'none'; }
  function entries() {
    return Array.from(menu.querySelectorAll('a')).filter(function (a) { return a.offsetParent !== null; });
  }
  function close(focusBack) {
    menu.style.display = 'none';
    menu.classList.remove('anim-scale-in');
    if (opener && focusBack) opener.focus();
  }
  /* table.js shows and hides the menu through its style: the buttons' aria-expanded follows. */
  new MutationObserver(function () {
    document.querySelectorAll('button.column-actions').forEach(function (button) {
      button.setAttribute('aria-expanded', String(isOpen() && button === opener));
    });
  }).observe(menu, {attributes: true, attributeFilter: ['style']});

  document.querySelectorAll('.rows-and-columns th svg.dropdown-menu-icon').forEach(function (icon) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'column-actions';
    button.setAttribute('aria-label', 'Actions for the column ' + icon.closest('th').dataset.column);
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', menu.id);
    icon.setAttribute('aria-hidden', 'true');
    icon.parentNode.insertBefore(button, icon);
    button.appendChild(icon);
    var openHere = false;
    /* Any click on the button, the cog's included: remember which column is open. */
    button.addEventListener('click', function () {
      openHere = isOpen() && opener === button;
      opener = button;
    }, true);
    /* Enter or Space (or a click beside the cog): click the cog for table.js; again, close. */
    button.addEventListener('click', function (ev) {
      if (ev.target !== button) return;
      ev.stopPropagation();  /* as table.js does: the body's listeners would close it again */
      if (openHere) { close(false); return; }
      icon.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
      var first = entries()[0];
      if (first && ev.detail === 0) first.focus();  /* detail 0: from the keyboard */
    });
  });

  document.addEventListener('keydown', function (ev) {
    if (!isOpen()) return;
    if (ev.key === 'Escape') {
      close(menu.contains(document.activeElement) || document.activeElement === opener);
    } else if (ev.key === 'Tab' && menu.contains(document.activeElement)) {
      var all = entries();
      if (ev.shiftKey && document.activeElement === all[0]) {
        ev.preventDefault();
        close(true);
      } else if (!ev.shiftKey && document.activeElement === all[all.length - 1]) {
        close(true);  /* the Tab goes on from the button, to what follows it */
      }
    }
  });
})();
