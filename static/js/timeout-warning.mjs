// The GOV.UK timeout-warning pattern: two minutes before the session would end for inactivity,
// a modal dialog offers to stay signed in (which touches the session) or to sign out now.
const WARN_BEFORE_SECONDS = 120;

export function startTimeoutWarning(body) {
  const timeout = Number(body.dataset.sessionTimeout || 0);
  const dialog = document.getElementById("timeout-warning");
  if (!timeout || !dialog || typeof dialog.showModal !== "function") return;

  let warnTimer;
  let expireTimer;
  let lastFocus;

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    warnTimer = setTimeout(warn, Math.max(timeout - WARN_BEFORE_SECONDS, 1) * 1000);
    expireTimer = setTimeout(expire, timeout * 1000);
  };

  const warn = () => {
    lastFocus = document.activeElement;
    dialog.showModal();
    dialog.querySelector("[data-timeout-action=stay]").focus();
  };

  const expire = () => {
    window.location.href = body.dataset.timedOutUrl;
  };

  dialog.querySelector("[data-timeout-action=stay]").addEventListener("click", async () => {
    await fetch(body.dataset.sessionExtendUrl, { credentials: "same-origin" });
    dialog.close();
    if (lastFocus) lastFocus.focus();
    schedule();
  });
  dialog.addEventListener("cancel", (event) => {
    // Escape means "stay signed in", as the pattern asks; the session is touched too.
    event.preventDefault();
    dialog.querySelector("[data-timeout-action=stay]").click();
  });

  schedule();
}
