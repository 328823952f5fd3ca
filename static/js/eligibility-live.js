/* Live eligibility beside the facts form: posts the form's current values to
   the public eligibility API and redraws the results table. Without
   JavaScript the panel shows the results of the saved data. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-eligibility]");
  var target = document.getElementById("eligibility-results");
  if (!form || !target) { return; }
  var url = form.getAttribute("data-live-eligibility");
  var asOf = form.getAttribute("data-as-of");
  var KIND = { hard: "硬性条件", general: "一般条件", bonus: "加分项" };

  function collectFacts() {
    var facts = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.disabled || el.type === "submit") { return; }
      if (el.type === "checkbox") {
        if (el.name.indexOf("service_functions") !== -1 || form.querySelectorAll("input[name='" + el.name + "']").length > 1) {
          facts[el.name] = facts[el.name] || [];
          if (el.checked) { facts[el.name].push(el.value); }
        } else if (el.checked) { facts[el.name] = true; }
        return;
      }
      var value = el.value.trim();
      if (value === "") { return; }
      if (el.tagName === "SELECT" && (value === "true" || value === "false")) { facts[el.name] = value === "true"; return; }
      if (el.type === "number") {
        var number = Number(value);
        if (isNaN(number)) { facts[el.name] = value; return; }
        facts[el.name] = number;
        return;
      }
      facts[el.name] = value;
    });
    return facts;
  }

  function cell(row, text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); }

  function draw(data) {
    target.textContent = "";
    var summary = document.createElement("p");
    summary.className = "fw-bold " + (data.eligible ? "text-success" : "text-danger");
    summary.textContent = data.eligible ? "✔ 符合全部硬性条件" : "✘ 尚未符合全部硬性条件";
    target.appendChild(summary);
    var table = document.createElement("table");
    table.className = "table table-sm align-middle";
    var head = table.createTHead().insertRow();
    ["结果", "条件", "依据", "类别"].forEach(function (h) { var th = document.createElement("th"); th.scope = "col"; th.textContent = h; head.appendChild(th); });
    var body = table.createTBody();
    data.results.forEach(function (r) {
      var row = body.insertRow();
      row.className = r.passed ? "result-pass" : "result-fail";
      cell(row, r.passed ? "✔ 通过" : "✘ 未通过");
      cell(row, r.message);
      cell(row, r.article);
      cell(row, KIND[r.kind] || r.kind);
    });
    target.appendChild(table);
  }

  function drawErrors(errors) {
    target.textContent = "";
    var p = document.createElement("p");
    p.className = "text-danger fw-bold";
    p.textContent = "✘ 部分数据格式不正确：";
    target.appendChild(p);
    var ul = document.createElement("ul");
    Object.keys(errors).forEach(function (key) {
      errors[key].forEach(function (msg) { var li = document.createElement("li"); li.textContent = msg; ul.appendChild(li); });
    });
    target.appendChild(ul);
  }

  var timer = null;
  function refresh() {
    var body = JSON.stringify({ facts: collectFacts(), as_of: asOf });
    fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: body, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (data) { return { status: response.status, data: data }; }); })
      .then(function (result) {
        if (result.status === 200) { draw(result.data); } else if (result.data && result.data.errors) { drawErrors(result.data.errors); }
      })
      .catch(function () { /* keep the server-rendered results */ });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 200); });
  // Shown again with errors, the form holds kept input that is not saved yet: check that, not the saved data.
  if (form.querySelector(".is-invalid")) { refresh(); }
})();
