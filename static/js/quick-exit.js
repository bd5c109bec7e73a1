/*
 * "Exit this page": leave at once for a neutral site, by the button or by pressing
 * Shift three times within five seconds. The page is blanked first, so nothing stays
 * on screen while the next site loads, and location.replace() swaps this page out of
 * the tab's history, so Back does not return to it. Without JavaScript the button
 * is still an ordinary link to the same site.
 */
(function () {
  "use strict";

  var button = document.querySelector("[data-quick-exit]");
  if (!button) return;
  var destination = button.getAttribute("href");
  var WINDOW_MS = 5000;
  var shiftPresses = [];

  function exitNow(event) {
    if (event) event.preventDefault();
    document.title = "";
    document.body.innerHTML = "";
    window.location.replace(destination);
  }

  button.addEventListener("click", exitNow);

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      shiftPresses = [];
      return;
    }
    var now = Date.now();
    shiftPresses = shiftPresses.filter(function (time) { return now - time < WINDOW_MS; });
    shiftPresses.push(now);
    if (shiftPresses.length >= 3) exitNow();
  });
})();
