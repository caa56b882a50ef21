// Scrollable regions get keyboard access: a reader who cannot use a mouse can focus them and
// scroll with the arrow keys (WCAG 2.1.1). pydata-sphinx-theme already does this for code
// blocks and cell outputs once the page has loaded; this adds the course's other scrollable
// regions, wide tables and wide equations. All sizes are read first and the tab stops written
// after, so the browser lays the page out once, not once per region.
window.addEventListener("load", () => {
  const regions = document.querySelectorAll(".bd-article table, .bd-article div.math");
  const scrolling = Array.from(regions).filter(
    (el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
  );
  scrolling.forEach((el) => {
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
  });
});
