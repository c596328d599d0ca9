// Dropping a badge picture on the drop area puts it into the form's file input, which stays
// usable on its own (keyboard, no dragging needed).
(function () {
  "use strict";
  document.querySelectorAll("[data-drop-area]").forEach(function (area) {
    var input = area.querySelector("input[type=file]");
    var status = area.querySelector("[data-drop-status]");
    if (!input) {
      return;
    }
    function show(files) {
      if (status && files && files.length) {
        status.textContent = (area.dataset.chosen || "Gewählt:") + " " + files[0].name;
      }
    }
    ["dragenter", "dragover"].forEach(function (name) {
      area.addEventListener(name, function (event) {
        event.preventDefault();
        area.classList.add("drop-area--active");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      area.addEventListener(name, function () {
        area.classList.remove("drop-area--active");
      });
    });
    area.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) {
        return;
      }
      var transfer = new DataTransfer();
      transfer.items.add(files[0]);
      input.files = transfer.files;
      show(input.files);
    });
    input.addEventListener("change", function () {
      show(input.files);
    });
  });
})();
