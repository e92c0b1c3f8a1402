/* Questionnaire page: show the questions that apply to the answers given so far.
   The server decides (the engine evaluates enableWhen) and answers a change with the list of
   enabled linkIds in an HX-Trigger event; this only shows and hides, and disables the inputs of
   hidden questions so their stale answers are not sent. No answer on the page is replaced. */
(function () {
  "use strict";
  document.addEventListener("measures:enabled", function (event) {
    var ids = new Set((event.detail && event.detail.ids) || []);
    document.querySelectorAll("#questions [data-link-id]").forEach(function (question) {
      var shown = ids.has(question.dataset.linkId);
      question.hidden = !shown;
      question.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  });
})();
