// The grid's hover card: a square's or run's details, on mouse hover and on keyboard focus. Without this script the
// same text is each square's title. A square's card adds its run's details from the column header.
"use strict";

(function () {
  const card = document.getElementById("hover-card");
  if (!card) return;
  let current = null;

  /** The element's details: its title moved aside on first use, so the browser's own tooltip does not double it. */
  const details = (el) => {
    if (el.hasAttribute("title")) {
      el.dataset.title = el.getAttribute("title");
      el.removeAttribute("title");
    }
    return el.dataset.title || "";
  };

  /** A square's run: the header of its column (the first column holds the task names). */
  const runOf = (el) => {
    const cell = el.closest("td");
    if (!cell) return null;
    const heads = el.closest("table").querySelectorAll("thead .run-head");
    return heads[cell.cellIndex - 1] || null;
  };

  const show = (el) => {
    current = el;
    let text = details(el);
    const run = runOf(el);
    if (run) text += "\n" + details(run);
    card.textContent = text;
    card.hidden = false;
    const box = el.getBoundingClientRect();
    const width = card.offsetWidth;
    let left = window.scrollX + box.right + 8;
    if (left + width > window.scrollX + document.documentElement.clientWidth) left = window.scrollX + box.left - width - 8;
    card.style.left = Math.max(4, left) + "px";
    card.style.top = (window.scrollY + box.top) + "px";
    el.setAttribute("aria-describedby", "hover-card");
  };

  const hide = () => {
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    card.hidden = true;
  };

  const target = (e) => e.target instanceof Element ? e.target.closest("#grid a.sq") : null;
  document.addEventListener("mouseover", (e) => { const el = target(e); if (el && el !== current) show(el); });
  document.addEventListener("mouseout", (e) => { const el = target(e); if (el && !el.contains(e.relatedTarget)) hide(); });
  document.addEventListener("focusin", (e) => { const el = target(e); if (el) show(el); else hide(); });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") hide(); });
  document.addEventListener("weft:refreshed", hide);
})();
