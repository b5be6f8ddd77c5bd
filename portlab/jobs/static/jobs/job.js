// Polls the job's status once a second and updates the bar, counts and errors in place.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished) return;
  const $ = (id) => document.getElementById(id);
  async function poll() {
    const response = await fetch(box.dataset.statusUrl, {headers: {Accept: "application/json"}});
    if (!response.ok) return setTimeout(poll, 3000);
    const s = await response.json();
    $("job_state").textContent = s.state_label;
    $("job_state").className = "badge " + s.state;
    $("job_counts").textContent = s.total ? `${s.done} / ${s.total}` : (s.done ? `${s.done}` : "");
    $("job_message").textContent = s.message;
    if (s.percent !== null && $("job_bar")) $("job_bar").value = s.percent;
    if (s.finished) return window.location.reload();
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
