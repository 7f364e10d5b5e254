/* A curator's acts in place (pipeline/publish/templates/_curate.html): each form is sent
   with fetch and its answer shown in the status line beside it, instead of a page load; a
   form marked data-follow (the review queue's judgement) goes on to the next document. The
   forms work without this file. In the review queue (data-shortcuts), single keys act when
   no field has the focus: a key names a button (click it), a select (focus it) or a link. */
(function () {
  function statusOf(form) {
    var box = form.closest('.curate-acts');
    return box ? box.querySelector('.act-status') : null;
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains('act') || !window.fetch) return;
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    var button = event.submitter;
    if (button && button.name) body.append(button.name, button.value);
    var status = statusOf(form);
    if (status) status.textContent = 'Saving…';
    fetch(form.action, {method: 'POST', body: body, credentials: 'same-origin',
                        headers: {'Accept': 'application/json'}})
      .then(function (response) {
        return response.json().then(function (data) { return [response, data]; },
                                    function () { return [response, {ok: false}]; });
      })
      .then(function (pair) {
        var response = pair[0], data = pair[1];
        if (status) status.textContent = data.ok ? data.message : (data.error || ('Refused (' + response.status + ')'));
        if (data.ok && form.hasAttribute('data-follow') && data.next) window.location.assign(data.next);
      })
      .catch(function () {
        if (status) status.textContent = 'Not sent: the site did not answer; try again.';
      });
  });

  var area = document.querySelector('[data-shortcuts]');
  if (!area) return;
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var focused = document.activeElement;
    if (focused && /^(INPUT|SELECT|TEXTAREA)$/.test(focused.tagName)) return;
    var target = area.querySelector('[data-key="' + event.key + '"]');
    if (!target) return;
    event.preventDefault();
    if (target.tagName === 'SELECT') target.focus();
    else target.click();
  });
})();
