// Labelling queue shortcuts: digits toggle themes, Enter saves, s skips.
(function () {
  "use strict";
  function typing(target) {
    var tag = (target && target.tagName) || "";
    return tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && target.type !== "checkbox") || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    var form = document.getElementById("queue-form");
    if (!form || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    if (/^[1-9]$/.test(event.key)) {
      var box = form.querySelector('input[data-key="' + event.key + '"]');
      if (box) {
        box.checked = !box.checked;
        box.focus();
        event.preventDefault();
      }
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    } else if (event.key === "s" || event.key === "S") {
      var skip = document.getElementById("queue-skip");
      if (skip) {
        event.preventDefault();
        skip.submit();
      }
    }
  });
  // Lets a browser test (or a slow phone) know the shortcuts are live.
  document.documentElement.setAttribute("data-labelling-ready", "1");
})();
