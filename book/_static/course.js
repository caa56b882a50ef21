// Scrollable regions (wide tables, long outputs, equations) get keyboard access: a reader who
// cannot use a mouse can focus them and scroll with the arrow keys (WCAG 2.1.1).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".bd-article pre, .bd-article table, .bd-article .output, .bd-article mjx-container").forEach((el) => {
    const style = getComputedStyle(el);
    const scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY);
    if (scrolls && (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight) && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
    }
  });
});
