// Weft's only script: progressive enhancements. Every page works without it.
"use strict";

/** The session's CSRF token, for requests made from scripts. */
function weftCsrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/**
 * Live refresh: a page marks the parts that change with data-live-region; while the toggle is on (remembered per
 * page), the page is fetched again every few seconds and those parts are swapped in, without a reload.
 */
function weftLive() {
  const toggle = document.querySelector("[data-live-toggle]");
  const regions = document.querySelectorAll("[data-live-region]");
  if (!toggle || regions.length === 0) return;
  const key = "weft.live." + location.pathname;
  toggle.checked = localStorage.getItem(key) !== "off";
  let timer = null;
  const refresh = async () => {
    try {
      const response = await fetch(location.href, {headers: {"Accept": "text/html"}, credentials: "same-origin"});
      if (!response.ok || response.redirected) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const region of document.querySelectorAll("[data-live-region]")) {
        const fresh = doc.querySelector('[data-live-region="' + region.dataset.liveRegion + '"]');
        if (fresh && fresh.innerHTML !== region.innerHTML) {
          region.innerHTML = fresh.innerHTML;
          document.dispatchEvent(new CustomEvent("weft:refreshed", {detail: region}));
        }
      }
    } catch (e) {
      // a missed refresh is retried at the next tick
    }
  };
  const apply = () => {
    clearInterval(timer);
    localStorage.setItem(key, toggle.checked ? "on" : "off");
    if (toggle.checked) timer = setInterval(refresh, Number(toggle.dataset.interval || 3000));
  };
  toggle.addEventListener("change", apply);
  apply();
}

document.addEventListener("DOMContentLoaded", weftLive);

// A form with data-confirm (deleting a run, a variable, a connection: it cannot be undone) asks first; without the
// script the button acts at once.
document.addEventListener("submit", (e) => {
  const form = e.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
});
