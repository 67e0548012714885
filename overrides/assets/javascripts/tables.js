// A table wider than a phone's screen scrolls sideways in its wrapper. A
// reader with a keyboard scrolls it with the arrow keys, so the wrapper takes
// focus, but only while it overflows: a table that fits is no extra tab stop.
// (Material does the same for code blocks.) The theme wraps its tables as
// the page starts, so this runs after "load", and again on every resize.
const markScrollingTables = () => {
  document.querySelectorAll(".md-typeset table").forEach((table) => {
    const box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  });
};
addEventListener("load", markScrollingTables);
addEventListener("resize", markScrollingTables);
