/* The banner of an older edition: "a newer edition exists" (docs/editions.md).
 *
 * A published edition never changes, so the banner cannot be written into its pages later. Instead
 * each page carries the banner hidden, and this script, when the page lies in OUT/editions/<edition>/,
 * loads ../latest.js (outside the edition; rewritten whenever an edition is published), which sets
 * window.MVK_LATEST. A <script> and not fetch(): over file:// Chromium refuses fetch() of a local file.
 * In OUT/site (the latest build) and on a web server without latest.js nothing happens. */
(function () {
  "use strict";
  var script = document.currentScript;
  var banner = document.getElementById("edition-banner");
  var here = document.body && document.body.getAttribute("data-edition");
  if (!script || !banner || !here) { return; }
  var root = new URL("../", script.src);           // the edition's folder: <root>/assets/editions.js
  var parts = root.pathname.split("/").filter(Boolean);
  if (parts.length < 2 || parts[parts.length - 1] !== here || parts[parts.length - 2] !== "editions") { return; }
  var page = window.location.href.slice(root.href.length);
  var english = page.indexOf("en/") === 0;
  function show() {
    var facts = window.MVK_LATEST;
    if (!facts || !facts.latest || facts.latest === here || facts.editions.indexOf(here) > facts.editions.indexOf(facts.latest)) { return; }
    var link = document.getElementById("edition-banner-link");
    link.href = new URL("../" + encodeURIComponent(facts.latest) + "/" + (english ? "en/" : "") + "index.html", root).href;
    link.textContent = link.getAttribute("data-text").replace("{edition}", facts.latest);
    banner.hidden = false;
  }
  var latest = document.createElement("script");
  latest.src = new URL("../latest.js", root).href;
  latest.onload = show;
  document.head.appendChild(latest);
}());
