// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can forbid
// inline scripts: [data-print] buttons print the page, [data-submit-on-change] fields submit
// their form (the language switch).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.submit();
});
// [data-next="id"]: Enter moves on to that field instead of submitting (a keyboard-wedge
// scanner types a code and Enter, so a label and then a location are scanned in one go).
document.addEventListener("keydown", function (event) {
  var field = event.target.closest("[data-next]");
  if (!field || event.key !== "Enter" || !field.value.trim()) return;
  event.preventDefault();
  document.getElementById(field.dataset.next).focus();
});
// Worklists: a [data-tick-all] box ticks every row of its table; a form marked
// [data-keep-place] brings the page back where it was after its post (without JS the
// redirect's #worklist fragment keeps the list in view).
document.addEventListener("change", function (event) {
  var all = event.target.closest("[data-tick-all]");
  if (!all) return;
  all.closest("table").querySelectorAll("input[type=checkbox][name=test]").forEach(
    function (box) { box.checked = all.checked; });
});
document.addEventListener("submit", function (event) {
  if (event.target.closest("[data-keep-place]"))
    sessionStorage.setItem("place:" + location.pathname, String(window.scrollY));
});
// The [autofocus] field gets the focus as soon as the page is parsed: the browser's own
// autofocus waits for a rendering pass, and a scanner that types straight after the reload
// would lose its first characters.
window.addEventListener("DOMContentLoaded", function () {
  var field = document.querySelector("[autofocus]");
  if (field && document.activeElement === document.body) field.focus();
});
window.addEventListener("DOMContentLoaded", function () {
  var key = "place:" + location.pathname, place = sessionStorage.getItem(key);
  if (place === null) return;
  sessionStorage.removeItem(key);
  window.scrollTo(0, Number(place));
});
// The nav's "More" menu (a <details>, opened by click, Enter or Space): Escape closes it and
// gives the focus back to its summary; a click elsewhere closes it.
document.addEventListener("keydown", function (event) {
  var menu = event.key === "Escape" && event.target.closest("details.more[open]");
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.more[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.open = false;
  });
});
