// Progressive enhancement: post comments and replies without reloading the page.
// Without JavaScript the same forms post normally and the page reloads.
(function () {
  "use strict";
  function showErrors(form, errors) {
    var box = form.querySelector(".js-errors");
    if (!box) {
      box = document.createElement("div");
      box.className = "js-errors alert alert-danger mt-2";
      box.setAttribute("role", "alert");
      form.appendChild(box);
    }
    var messages = [];
    Object.keys(errors).forEach(function (field) { messages = messages.concat(errors[field]); });
    box.textContent = messages.join(" ");
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-comment-form") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) { showErrors(form, result.data.errors || { body: ["Your comment could not be posted."] }); return; }
      var list = result.data.parent ? document.getElementById("replies-" + result.data.parent) : document.getElementById("comment-list");
      var empty = list && list.querySelector(".no-comments");
      if (empty) { empty.remove(); }
      if (list && !document.getElementById("comment-" + result.data.id)) {
        list.insertAdjacentHTML("beforeend", result.data.html);
        var count = document.getElementById("comment-count");
        if (count) {
          var n = parseInt(count.textContent, 10) + 1;
          count.textContent = n + (n === 1 ? " comment" : " comments");
        }
      }
      form.reset();
      var errors = form.querySelector(".js-errors");
      if (errors) { errors.remove(); }
      var added = document.getElementById("comment-" + result.data.id);
      if (added) { added.scrollIntoView({ block: "nearest" }); }
    }).catch(function () {
      form.submit();
    }).finally(function () {
      if (button) { button.disabled = false; }
    });
  });
})();
