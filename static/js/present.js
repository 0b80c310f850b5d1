/* Present page: refresh the response count (and the teacher's class-size warning) every 3 seconds
   without reloading the page. */
(function () {
  var el = document.getElementById("count");
  if (!el || !window.fetch) return;
  var status = document.getElementById("status");
  var plural = document.getElementById("plural");
  var warning = document.getElementById("class-size");
  function tick() {
    fetch(el.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        el.textContent = data.count;
        plural.textContent = data.count === 1 ? el.dataset.one : el.dataset.many;
        if (warning && typeof data.warning === "string") { warning.textContent = data.warning; warning.hidden = !data.warning; }
        if (!data.open) { status.textContent = status.dataset.closed; status.className = "text-danger"; clearInterval(timer); }
      })
      .catch(function () {});
  }
  var timer = setInterval(tick, 3000);
})();
