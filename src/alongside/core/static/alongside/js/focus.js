// After a form is sent, move focus to what the page says about it: the list of errors when it was
// refused, otherwise the message that it was saved. On a phone both can be below the fold, and a
// screen reader user hears them at once.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector("main .form-errors") || document.querySelector("main .messages");
  if (!target) {
    return;
  }
  if (!target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
});
