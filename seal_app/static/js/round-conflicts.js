// Filters the round's schools as one types into the search field; without this script the
// search works through the form (GET ?q=). Hidden schools stay in the form and are saved too.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("school-list");
  var count = document.getElementById("school-count");
  var note = document.getElementById("filter-note");
  if (!input || !list || !count) {
    return;
  }
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-search]"));
  var template = count.getAttribute("data-template");
  var timer = null;

  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var text = item.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    count.textContent = template.replace("%(shown)s", shown).replace("%(total)s", items.length);
    if (note) {
      note.hidden = shown === items.length;
    }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(filter, 250); // the count is announced once the typing pauses
  });
})();
