// Presenting an exported deck: one slide at a time, keyboard navigation and
// presenter notes. Inlined into the self-contained HTML deck (works offline).
// Keys: Right, Down, PageDown, Space, Enter = next; Left, Up, PageUp, Backspace =
// previous; Home / End = first / last; N = notes; F = full screen; P = print view.
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var counter = document.getElementById("deck-counter");
  var current = 0;
  if (!slides.length) { return; }

  function resizeCharts(slide) {
    if (!window.Plotly) { return; }
    slide.querySelectorAll("[data-drawn]").forEach(function (el) {
      window.Plotly.Plots.resize(el);
    });
  }

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      var active = i === current;
      slide.classList.toggle("active", active);
      slide.setAttribute("aria-hidden", active ? "false" : "true");
    });
    if (counter) { counter.textContent = (current + 1) + " / " + slides.length; }
    if (window.location.hash !== "#" + (current + 1)) {
      history.replaceState(null, "", "#" + (current + 1));
    }
    resizeCharts(slides[current]);
  }

  function fromHash() {
    var n = parseInt(window.location.hash.slice(1), 10);
    return isNaN(n) ? 0 : n - 1;
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    switch (e.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Enter":
        show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace":
        show(current - 1); break;
      case "Home": show(0); break;
      case "End": show(slides.length - 1); break;
      case "n": case "N": document.body.classList.toggle("show-notes"); break;
      case "p": case "P": document.body.classList.toggle("print-view"); break;
      case "f": case "F":
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (document.documentElement.requestFullscreen) {
          document.documentElement.requestFullscreen();
        }
        break;
      default: return;
    }
    e.preventDefault();
  });
  document.querySelectorAll("[data-deck-go]").forEach(function (button) {
    button.addEventListener("click", function () {
      show(current + parseInt(button.getAttribute("data-deck-go"), 10));
    });
  });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
