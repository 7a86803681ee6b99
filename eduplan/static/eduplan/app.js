// The pages' only script, loaded from the app itself: the Content-Security-Policy allows no
// inline script or style attribute, so what needed one is done here.
(function () {
  "use strict";

  function ready() {
    // Progress bars: the width comes from data-width (a percentage) instead of a style attribute.
    document.querySelectorAll("[data-width]").forEach(function (element) {
      var width = parseFloat(element.getAttribute("data-width"));
      if (!isNaN(width)) {
        element.style.width = Math.max(0, Math.min(100, width)) + "%";
      }
    });

    // "Select all" on the bulk assignment page.
    var all = document.getElementById("check-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll('input[name="tasks"]').forEach(function (box) { box.checked = all.checked; });
      });
    }
  }

  // Uploads show how far they are: a form marked data-upload-progress is sent with
  // XMLHttpRequest, a <progress> bar follows the bytes sent, then says the server is checking;
  // the answer page (problems, or the page a success redirects to) replaces this one.
  function sendWithProgress(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    var bar = form.querySelector("progress.upload-progress");
    if (!bar) {
      bar = document.createElement("progress");
      bar.className = "upload-progress";
      bar.max = 100;
      form.appendChild(bar);
    }
    var note = form.querySelector(".upload-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "upload-note small muted";
      note.setAttribute("role", "status");
      form.appendChild(note);
    }
    note.textContent = "正在上传……";
    form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = true; });
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        var percent = Math.round(100 * event.loaded / event.total);
        bar.value = percent;
        note.textContent = "正在上传：" + percent + "%";
      }
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");  // indeterminate while the server checks the file
      note.textContent = "上传完成，正在检查和导入，请稍候……";
    });
    request.addEventListener("load", function () {
      if (request.responseURL && request.responseURL !== window.location.href) {
        window.history.replaceState(null, "", request.responseURL);
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      note.textContent = "上传失败：网络中断，请重试。";
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = false; });
    });
    request.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-upload-progress") || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    event.preventDefault();
    sendWithProgress(form, event.submitter);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
