// A link to a folded section (a GOV.UK details component, or something inside one) opens it,
// so following "Leadership" in the readiness grid shows that area's evidence, not a closed
// summary line. Runs when the page opens at such an address and when an in-page link is followed.
export function openTarget(doc = document) {
  const open = () => {
    const id = decodeURIComponent(doc.location.hash.slice(1));
    const target = id && doc.getElementById(id);
    if (!target) return;
    for (let node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  };
  open();
  doc.defaultView.addEventListener("hashchange", open);
}
