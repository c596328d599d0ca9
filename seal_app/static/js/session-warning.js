/* The warning two minutes before the login ends, with „Angemeldet bleiben“ (WCAG 2.2.1).
   The server names the seconds left; shortly before the end the page asks again, since
   another tab may have renewed or ended the login meanwhile. */
(function () {
  "use strict";

  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var WARN_SECONDS = 120;
  var lang = document.documentElement.lang || "de";
  var deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  var timer = null;
  var returnFocus = null;
  var renewButton = dialog.querySelector("[data-action=renew]");

  function schedule(at) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(at - Date.now(), 0));
  }

  function check() {
    fetch(dialog.dataset.statusUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (response) { return response.json(); })
      .then(apply)
      .catch(function () {
        // No answer: rely on what the page knew.
        show(deadline <= Date.now() ? "ended" : dialog.dataset.extendable === "true" ? "extendable" : "final");
      });
  }

  function apply(state) {
    if (!state.active) {
      show("ended");
      return;
    }
    deadline = Date.now() + state.seconds_left * 1000;
    if (state.seconds_left > WARN_SECONDS + 5) {
      hide();
      schedule(deadline - WARN_SECONDS * 1000);
      return;
    }
    show(state.extendable ? "extendable" : "final");
    schedule(deadline + 1000); // then it has ended, unless renewed elsewhere
  }

  function show(state) {
    var end = new Date(deadline).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
    dialog.querySelectorAll("[data-session-end]").forEach(function (span) {
      span.textContent = end;
    });
    dialog.querySelectorAll("[data-state]").forEach(function (text) {
      text.hidden = text.dataset.state !== state;
    });
    dialog.querySelectorAll("[data-heading]").forEach(function (heading) {
      heading.hidden = (heading.dataset.heading === "ended") !== (state === "ended");
    });
    renewButton.hidden = state !== "extendable";
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    (state === "extendable" ? renewButton : dialog.querySelector("[data-action=close]")).focus();
  }

  function hide() {
    if (!dialog.open) {
      return;
    }
    dialog.close();
  }

  dialog.addEventListener("close", function () {
    if (returnFocus && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
    returnFocus = null;
  });

  renewButton.addEventListener("click", function () {
    fetch(dialog.dataset.renewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": dialog.dataset.csrf },
    })
      .then(function (response) { return response.json(); })
      .then(apply)
      .catch(check);
  });

  dialog.querySelector("[data-action=close]").addEventListener("click", hide);

  // Timers sleep in background tabs: ask again when the tab is seen.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && deadline - Date.now() < WARN_SECONDS * 1000) {
      check();
    }
  });

  schedule(deadline - WARN_SECONDS * 1000);
})();
