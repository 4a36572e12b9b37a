// Behaviour shared by every page, kept out of the HTML for the Content Security Policy
// (no inline scripts, no on…= attributes).

// Selects marked data-submit-on-change send their form when changed (language switch).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change")) {
    target.form?.submit();
  }
});
