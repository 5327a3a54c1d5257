// Starts Swagger UI on /api/docs; the page carries its settings in data attributes.
window.addEventListener("load", function () {
  var element = document.getElementById("swagger-ui-container");
  var config = JSON.parse(element.dataset.config || "{}");
  config.url = element.dataset.url;
  config.dom_id = "#swagger-ui-container";
  window.ui = SwaggerUIBundle(config);
});
