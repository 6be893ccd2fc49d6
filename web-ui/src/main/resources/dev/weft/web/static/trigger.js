// The trigger form: the conf is checked as you type (a JSON object), and the param fields fill it. The server checks
// the conf again and creates nothing when it is wrong.
"use strict";

(function () {
  const form = document.getElementById("trigger-form");
  const conf = document.getElementById("conf");
  const error = document.getElementById("conf-error");
  const submit = document.getElementById("trigger-submit");
  if (!form || !conf) return;

  /** The conf as an object, or a message saying what is wrong. */
  const parse = () => {
    const text = conf.value.trim();
    if (text === "") return {value: {}};
    try {
      const value = JSON.parse(text);
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return {error: 'The conf must be a JSON object, such as {"supermarket_id": 3}'};
      }
      return {value};
    } catch (e) {
      return {error: "The conf is not valid JSON: " + e.message};
    }
  };

  const check = () => {
    const result = parse();
    error.textContent = result.error || "";
    conf.setAttribute("aria-invalid", result.error ? "true" : "false");
    submit.disabled = Boolean(result.error);
    return result;
  };

  /** A param field's value typed as its kind: numbers, booleans and JSON values are parsed; text stays text. */
  const typed = (input) => {
    if (input.dataset.kind === "text") return input.value;
    try {
      return JSON.parse(input.value);
    } catch (e) {
      return input.value;
    }
  };

  for (const input of form.querySelectorAll("[data-param]")) {
    input.addEventListener("input", () => {
      const result = parse();
      if (result.error) return;
      result.value[input.dataset.param] = typed(input);
      conf.value = JSON.stringify(result.value, null, 2);
      check();
    });
  }
  conf.addEventListener("input", check);
  form.addEventListener("submit", (e) => {
    if (check().error) {
      e.preventDefault();
      conf.focus();
    }
  });
  check();
})();
