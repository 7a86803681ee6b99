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

    // Long multiple selects (unit pickers) become a searchable list of checkable options.
    document.querySelectorAll("select[multiple]").forEach(enhanceMultiSelect);

    // "Select all" on the bulk assignment page.
    var all = document.getElementById("check-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll('input[name="tasks"]').forEach(function (box) { box.checked = all.checked; });
      });
    }

    // After a correction the page comes back at that heading's anchor: unfold its controls again.
    var corrected = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (corrected && corrected.tagName === "DETAILS") {
      corrected.open = true;
    }
  }

  // A searchable multi-select over a plain <select multiple> (which stays in the form, hidden,
  // and is what is submitted): type to filter, ↑/↓ to move, Enter or a click to tick or untick,
  // Esc to clear the filter; the chosen units are listed above as buttons that remove them.
  // Without this script the plain select still works (Ctrl-click).
  var MULTI_MIN_OPTIONS = 6;
  var multiCount = 0;

  function enhanceMultiSelect(select) {
    if (select.options.length < MULTI_MIN_OPTIONS || select.hasAttribute("data-plain") || select.dataset.enhanced) {
      return;
    }
    select.dataset.enhanced = "1";
    var id = "multi-pick-" + (++multiCount);
    var box = document.createElement("div");
    box.className = "multi-pick";
    var chosen = document.createElement("ul");
    chosen.className = "multi-pick-chosen";
    chosen.setAttribute("aria-label", "已选");
    var search = document.createElement("input");
    search.type = "search";
    search.id = id + "-search";
    search.className = "multi-pick-search";
    search.placeholder = "输入名称筛选，↑↓ 选择，回车勾选";
    search.autocomplete = "off";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-expanded", "true");
    search.setAttribute("aria-controls", id + "-list");
    search.setAttribute("aria-autocomplete", "list");
    var list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "multi-pick-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    var status = document.createElement("p");
    status.className = "multi-pick-status small muted";
    status.setAttribute("aria-live", "polite");
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) {
      label.htmlFor = search.id;  // the label now names the search box, and through it the list
      list.setAttribute("aria-label", label.textContent.trim());
    }
    var items = [];
    Array.prototype.forEach.call(select.options, function (option, index) {
      var item = document.createElement("li");
      item.id = id + "-option-" + index;
      item.setAttribute("role", "option");
      item.textContent = option.textContent;
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the focus
      item.addEventListener("click", function () { toggle(index); setActive(index); search.focus(); });
      list.appendChild(item);
      items.push(item);
    });
    var active = -1;

    function visible() {
      return items.filter(function (item) { return !item.hidden; });
    }

    function setActive(index) {
      if (active >= 0) { items[active].classList.remove("active"); }
      active = index;
      if (index < 0) {
        search.removeAttribute("aria-activedescendant");
        return;
      }
      items[index].classList.add("active");
      search.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({block: "nearest"});
    }

    function toggle(index) {
      var option = select.options[index];
      if (option.disabled) { return; }
      option.selected = !option.selected;
      select.dispatchEvent(new Event("change", {bubbles: true}));
      render();
    }

    function render() {
      chosen.textContent = "";
      var count = 0;
      Array.prototype.forEach.call(select.options, function (option, index) {
        items[index].setAttribute("aria-selected", option.selected ? "true" : "false");
        if (!option.selected) { return; }
        count += 1;
        var entry = document.createElement("li");
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "multi-pick-chip";
        remove.textContent = option.textContent + " ×";
        remove.setAttribute("aria-label", "移除 " + option.textContent);
        remove.addEventListener("click", function () { toggle(index); search.focus(); });
        entry.appendChild(remove);
        chosen.appendChild(entry);
      });
      status.textContent = count ? "已选 " + count + " 项" : "未选择";
    }

    function filter() {
      var words = search.value.trim().toLowerCase();
      items.forEach(function (item) {
        item.hidden = words !== "" && item.textContent.toLowerCase().indexOf(words) < 0;
      });
      var shown = visible();
      setActive(shown.length ? items.indexOf(shown[0]) : -1);
    }

    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      var shown = visible();
      var at = shown.indexOf(items[active]);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!shown.length) { return; }
        at = event.key === "ArrowDown" ? Math.min(shown.length - 1, at + 1) : Math.max(0, at - 1);
        setActive(items.indexOf(shown[at]));
      } else if (event.key === "Enter") {
        event.preventDefault();  // ticking, not submitting the form
        if (active >= 0 && !items[active].hidden) { toggle(active); }
      } else if (event.key === "Escape" && search.value) {
        event.preventDefault();
        search.value = "";
        filter();
      }
    });

    box.appendChild(chosen);
    box.appendChild(search);
    box.appendChild(list);
    box.appendChild(status);
    select.hidden = true;
    select.parentNode.insertBefore(box, select.nextSibling);
    var row = select.closest(".form-row");
    var help = row ? row.querySelector(".help") : null;
    if (help && help.textContent.indexOf("Ctrl") >= 0) {  // the plain select's advice no longer applies
      help.textContent = "可多选：输入名称筛选，点击或回车勾选，点已选单位可移除";
    }
    if (help) {
      if (!help.id) { help.id = id + "-help"; }
      search.setAttribute("aria-describedby", help.id);
    }
    render();
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
