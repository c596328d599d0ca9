/* Drafts in the browser: what is typed into a form is kept (localStorage, under the
   person's own namespace from the server and the form's page) and offered again, with the
   notice, when the page is opened with unsaved text. Cleared when the form is saved or its
   text discarded, on logout, and on the pages of another person. The server keeps a copy too
   when a form arrives after the login ended; a form filled from it is copied here. */
(function () {
  "use strict";

  var PREFIX = "seal-draft:";
  var MAX_AGE = 24 * 60 * 60 * 1000;
  var WRITE_DELAY = 800;
  var store;
  try {
    store = window.localStorage;
    store.getItem(PREFIX);
  } catch (error) {
    return; // storage blocked: the server's copy still works
  }
  var body = document.body;
  var namespace = body.dataset.draftNamespace;

  function keys() {
    var found = [];
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        found.push(key);
      }
    }
    return found;
  }

  function read(key) {
    try {
      return JSON.parse(store.getItem(key));
    } catch (error) {
      return null;
    }
  }

  // Forget: everything after logout, saved pages, anything older than a day, and every draft
  // of another person (a shared computer whose last login ended without logging out).
  var saved = [];
  try {
    saved = JSON.parse(body.dataset.draftsSaved || "[]");
  } catch (error) {
    saved = [];
  }
  keys().forEach(function (key) {
    var draft = read(key);
    var savedHere = namespace && saved.some(function (path) {
      return key.indexOf(PREFIX + namespace + ":" + path + ":") === 0;
    });
    var someoneElse = namespace && key.indexOf(PREFIX + namespace + ":") !== 0;
    if (body.hasAttribute("data-drafts-clear-all") || savedHere || someoneElse || !draft ||
        Date.now() - draft.t > MAX_AGE) {
      store.removeItem(key);
    }
  });
  if (!namespace) {
    return;
  }

  // What a person typed or chose, and the version it was typed on: put back on a page that was
  // saved elsewhere since, the next save is refused as stale instead of overwriting that save.
  // A page that shows what was just sent (data-draft-fresh) is never restored over.
  function kept(element) {
    var name = element.name;
    if (!name || element.disabled || name === "draft_token" || /csrf_token$/.test(name)) {
      return false;
    }
    if (element.type === "hidden") {
      return /(^|-)version$/.test(name);
    }
    return ["file", "password", "submit", "button", "reset", "image"].indexOf(element.type) < 0;
  }

  function snapshot(form) {
    var values = [];
    var checked = [];
    var files = false;
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.type === "file" && element.files && element.files.length) {
        files = true;
      }
      if (!kept(element)) {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) {
          checked.push([element.name, element.value]);
        }
      } else {
        values.push([element.name, element.value]);
      }
    });
    return { values: values, checked: checked, files: files };
  }

  function same(a, b) {
    return JSON.stringify(a.values) === JSON.stringify(b.values) &&
      JSON.stringify(a.checked) === JSON.stringify(b.checked);
  }

  function restore(form, draft) {
    var queue = {};
    draft.values.forEach(function (pair) {
      (queue[pair[0]] = queue[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = draft.checked.some(function (pair) {
          return pair[0] === element.name && pair[1] === element.value;
        });
      } else if (queue[element.name] && queue[element.name].length) {
        element.value = queue[element.name].shift();
      }
    });
  }

  function showNotice(files, path) {
    var notice = document.getElementById("draft-notice");
    if (!notice) {
      return;
    }
    notice.hidden = false;
    if (files) {
      document.getElementById("draft-notice-files").hidden = false;
    }
    if (!notice.querySelector("form.draft-discard")) {
      notice.querySelector(".kern-alert__body").appendChild(discardForm(notice, path));
    }
  }

  // „Eingaben verwerfen“ for text restored here: the server forgets the page's draft and tells
  // the next page to forget the browser's copy (as after saving).
  function discardForm(notice, path) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = notice.dataset.discardUrl;
    form.className = "draft-discard";
    [["csrf_token", notice.dataset.csrf], ["path", path]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "kern-btn kern-btn--secondary kern-btn--x-small";
    var label = document.createElement("span");
    label.className = "kern-label";
    label.textContent = notice.dataset.discardLabel;
    button.appendChild(label);
    form.appendChild(button);
    return form;
  }

  Array.prototype.forEach.call(document.forms, function (form) {
    var token = form.querySelector("input[name=draft_token]");
    if (!token) {
      return;
    }
    var csrf = form.querySelector("input[name$=csrf_token]");
    var key = PREFIX + namespace + ":" + token.dataset.draftPath + ":" + (csrf ? csrf.name : "form");
    var shown = snapshot(form);
    var savedHere = saved.some(function (path) { return path === token.dataset.draftPath; });
    if (token.hasAttribute("data-draft-restored") ||
        (token.hasAttribute("data-draft-fresh") && !savedHere)) {
      // filled by the server from its kept copy, or showing what was just sent: this page
      // is the newest text, so it replaces the copy in this browser
      shown.t = Date.now();
      try {
        store.setItem(key, JSON.stringify(shown));
      } catch (error) {
        // storage full: the server's copy still works
      }
    }
    var draft = token.hasAttribute("data-draft-fresh") ? null : read(key);
    if (draft && draft.values && draft.checked && !same(draft, shown)) {
      restore(form, draft);
      showNotice(draft.files, token.dataset.draftPath);
      shown = snapshot(form);
    }
    var pending = null;

    function write() {
      window.clearTimeout(pending);
      pending = null;
      var now = snapshot(form);
      var before = read(key);
      if (same(now, shown) && !before) {
        return; // nothing typed yet
      }
      now.t = Date.now();
      now.files = now.files || Boolean(before && before.files);
      try {
        store.setItem(key, JSON.stringify(now));
      } catch (error) {
        // storage full: the server's copy still works
      }
    }

    function later() {
      if (pending === null) {
        pending = window.setTimeout(write, WRITE_DELAY);
      }
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", write);
  });
})();
