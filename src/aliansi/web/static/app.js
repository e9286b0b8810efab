// aliansi web UI: sends reviews from the event page to POST /api/v1/reviews.
// No other script runs; nothing is fetched from another origin.
"use strict";
(function () {
  const panel = document.querySelector(".review-panel");
  if (!panel) return;
  const form = document.getElementById("review-form");
  const status = document.getElementById("review-status");
  const token = form.elements.token;
  token.value = sessionStorage.getItem("aliansi-token") || "";
  function codes(value) {
    return value.split(/[\s,]+/).filter(Boolean);
  }
  async function send(verdict) {
    sessionStorage.setItem("aliansi-token", token.value);
    const body = {event_id: panel.dataset.event, verdict: verdict,
                  reviewer: form.elements.reviewer.value || "web",
                  reason: form.elements.reason.value || null};
    if (verdict === "corrected") {
      const c = {};
      if (form.elements.type.value) c.type = form.elements.type.value;
      if (form.elements.source.value) c.source = codes(form.elements.source.value);
      if (form.elements.target.value) c.target = codes(form.elements.target.value);
      if (form.elements.date.value) c.date = form.elements.date.value;
      c.hypothetical = form.elements.hypothetical.checked;
      c.negated = form.elements.negated.checked;
      body.correction = c;
    }
    status.textContent = "saving…";
    const headers = {"Content-Type": "application/json"};
    if (token.value) headers.Authorization = "Bearer " + token.value;
    try {
      const response = await fetch("/api/v1/reviews", {method: "POST", headers: headers,
                                                       body: JSON.stringify(body)});
      const data = await response.json();
      if (!response.ok) {
        status.textContent = "not saved: " + ((data.error && data.error.message) || response.status);
        status.className = "error";
        return;
      }
      status.textContent = "saved: " + data.verdict + " by " + data.reviewer;
      status.className = "ok";
      document.getElementById("review-state").textContent =
        data.verdict + " by " + data.reviewer + " at " + data.reviewed_at +
        (data.reason ? ": " + data.reason : "");
    } catch (error) {
      status.textContent = "not saved: " + error;
      status.className = "error";
    }
  }
  form.querySelectorAll("button[data-verdict]").forEach(function (button) {
    button.addEventListener("click", function () { send(button.dataset.verdict); });
  });
  const mark = document.getElementById("evidence");
  if (mark) mark.scrollIntoView({block: "center"});
})();
