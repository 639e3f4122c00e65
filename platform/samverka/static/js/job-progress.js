// Poll a running job's status and update the page; the page works without this script too.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.done === "true") return;
  var url = box.dataset.jobUrl;
  var labels = JSON.parse(box.dataset.labels || "{}");
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) return;
        var status = document.getElementById("job-status");
        status.textContent = labels[job.status] || job.status;
        status.className = "badge badge--" + job.status;
        document.getElementById("job-message").textContent = job.message || "";
        var bar = document.getElementById("job-progress");
        bar.value = job.progress;
        bar.textContent = job.progress + " %";
        if (job.status === "finished" || job.status === "failed" || job.status === "cancelled") { window.location.reload(); return; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
