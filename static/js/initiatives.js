// Initiative form: show only the inputs of each benefit driver's chosen kind.
(function () {
  function sync(driver) {
    var select = driver.querySelector("select[name$='-kind']");
    if (!select) { return; }
    driver.querySelectorAll(".driver-inputs").forEach(function (group) {
      group.hidden = group.getAttribute("data-kind") !== select.value;
    });
  }
  function init() {
    document.querySelectorAll("fieldset.driver").forEach(function (driver) {
      sync(driver);
      var select = driver.querySelector("select[name$='-kind']");
      if (select) { select.addEventListener("change", function () { sync(driver); }); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
