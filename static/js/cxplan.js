// CXPlan's own behaviour. No inline scripts (Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", function () {
  var path = window.location.pathname;
  document.querySelectorAll("nav a[href]").forEach(function (a) {
    if (a.getAttribute("href") === path) { a.setAttribute("aria-current", "page"); }
  });
});
