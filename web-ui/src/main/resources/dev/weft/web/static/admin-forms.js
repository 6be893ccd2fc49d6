// Admin forms: a chosen file fills the textarea named by its data-fills (the form posts text, with its CSRF token).
"use strict";

document.addEventListener("change", async (e) => {
  const input = e.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.fills) return;
  const file = input.files && input.files[0];
  if (file) document.getElementById(input.dataset.fills).value = await file.text();
});
