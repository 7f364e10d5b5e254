/* Names for the fields of Datasette 0.65's table filters, which its table.html (not a template
   of ours) leaves without a label: a screen reader announced three unnamed fields and "Sort...".
   Loaded deferred by templates/table.html. */
(function () {
  var names = [
    ['select[name^="_filter_column"]', 'Column to filter on'],
    ['select[name^="_filter_op"]', 'How to compare'],
    ['input[name^="_filter_value"]', 'Value to compare with'],
    ['select[name="_sort"]', 'Sort by column']
  ];
  names.forEach(function (pair) {
    document.querySelectorAll('form.filters ' + pair[0]).forEach(function (field) {
      if (!field.labels.length && !field.hasAttribute('aria-label')) field.setAttribute('aria-label', pair[1]);
    });
  });
})();
