// Progressive enhancement: a live countdown to the next start. The page says the start as an
// absolute date and time (<time datetime>), which a cached page can say for ever; this script
// writes "Starts in 3 d 04 h 12 min" beside it, from the reader's clock, once a minute.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function words(ms) {
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days > 0) { return days + " d " + pad(hours) + " h " + pad(mins) + " min"; }
    if (hours > 0) { return hours + " h " + pad(mins) + " min"; }
    return mins + " min";
  }
  function update(box) {
    var start = Date.parse(box.getAttribute("data-countdown-to"));
    if (isNaN(start)) { return; }
    var left = start - Date.now();
    if (left <= 0) {
      box.textContent = left > -3 * 3600000 ? "Racing now" : "";
      return;
    }
    box.textContent = "Starts in " + words(left);
  }
  var boxes = document.querySelectorAll("[data-countdown-to]");
  if (!boxes.length) { return; }
  function tick() { Array.prototype.forEach.call(boxes, update); }
  tick();
  window.setInterval(tick, 30000);
}());
