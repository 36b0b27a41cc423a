// Evaluated by export/handout.py before the screenshot: paper has no buttons, so the page hides its navigation
// and zoom controls (the map keeps its size), then resolves two animation frames later, once the last style
// and label changes are painted.
() =>
  new Promise((resolve) => {
    document.body.classList.add("km-handout");
    requestAnimationFrame(() => requestAnimationFrame(resolve));
  });
