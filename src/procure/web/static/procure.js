// Progressive enhancement only: every page works without it.
(function () {
  "use strict";
  // The clause in plain language as it is typed: the server describes it (GET, no change).
  document.querySelectorAll("form[data-preview]").forEach(function (form) {
    var target = document.getElementById(form.dataset.previewTarget);
    var timer = null;
    function refresh() {
      var params = new URLSearchParams(new FormData(form));
      params.delete("_csrf_token");
      fetch(form.dataset.preview + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) { target.innerHTML = html; })
        .catch(function () {});
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 300); });
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 100); });
    refresh();
  });
})();
