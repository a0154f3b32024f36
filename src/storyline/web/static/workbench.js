// storyline workbench: the only script. Highlight toggles on the article view, and a busy state
// on the add form (ingest takes a few seconds). No content from articles is ever read or written here.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("input[data-toggle]")) {
    box.addEventListener("change", () => document.body.classList.toggle(box.dataset.toggle, !box.checked));
  }
  const form = document.getElementById("add-form");
  if (form) {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit]");
      const status = document.getElementById("add-status");
      if (button) button.disabled = true;
      if (status) status.textContent = "Reading, annotating and rebuilding the stories…";
    });
  }
});
