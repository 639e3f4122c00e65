// Layout helpers; the pages work without them.
// 1. Collapsing site menu for narrow screens: a disclosure button (aria-expanded) that shows and
//    hides #site-menu. Without this script the button stays hidden and the menu is always open.
// 2. A table or chart box that scrolls sideways gets tabindex="0", so keyboard users can scroll
//    it too, and is named after its caption.
(function () {
  "use strict";
  function markScrollBoxes() {
    document.querySelectorAll(".table-wrap, .chart__scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          var caption = box.querySelector("caption") || (box.closest("figure") || box).querySelector("figcaption");
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "group");
          if (caption) box.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (box.getAttribute("role") === "group") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  markScrollBoxes();
  window.addEventListener("resize", markScrollBoxes);
})();
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  var header = button.closest(".site-header");
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("site-header--open", open);
  }
  header.classList.add("site-header--collapsible");
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
