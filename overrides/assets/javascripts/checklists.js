// Ticks in a page's checklists survive reloads and later visits: each box is
// remembered in localStorage under its page and the page its item links to
// (stable when the item's wording or reading time changes), else its label.
document.querySelectorAll(".task-list-control input[type=checkbox]").forEach((box) => {
  const link = box.closest("li").querySelector("a[href]");
  const item = link ? link.getAttribute("href") : box.getAttribute("aria-label");
  const key = `checklist:${location.pathname}:${item}`;
  box.checked = localStorage.getItem(key) === "done";
  box.addEventListener("change", () => {
    if (box.checked) localStorage.setItem(key, "done");
    else localStorage.removeItem(key);
  });
});
