// "Open full size" on every diagram (hooks/diagrams.py): the figure fills the
// window with the drawing at the size Mermaid drew it, scrolling both ways;
// the same button, or Escape, closes it again.
document.querySelectorAll(".diagram__toggle").forEach((button) => {
  const figure = button.closest(".diagram");
  const svg = figure.querySelector("svg");
  const setOpen = (open) => {
    figure.classList.toggle("diagram--full", open);
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? button.dataset.close : button.dataset.open;
    svg.style.width = open ? `${svg.viewBox.baseVal.width}px` : "";
    document.body.style.overflow = open ? "hidden" : "";
    button.focus();
  };
  button.addEventListener("click", () => setOpen(!figure.classList.contains("diagram--full")));
  figure.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && figure.classList.contains("diagram--full")) setOpen(false);
  });
});
