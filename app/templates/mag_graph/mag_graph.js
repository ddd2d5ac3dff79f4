// The MAG graph component's side of Streamlit's component protocol (postMessage): render on
// "streamlit:render", send the clicked turn's id with "streamlit:setComponentValue".
"use strict";
var network = null; // global, so browser tests can read what vis-network drew
var BAR = 34;

function send(type, data) {
  window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, data), "*");
}

function render(args) {
  var box = document.getElementById("graph");
  box.style.height = args.height + "px";
  var data = { nodes: new vis.DataSet(args.nodes), edges: new vis.DataSet(args.edges) };
  if (network === null) {
    network = new vis.Network(box, data, args.options);
    network.on("click", function (p) {
      var id = p.nodes.find(function (n) { return typeof n === "number"; });
      if (id !== undefined) { // a turn (headers have string ids); t makes every click a new value
        send("streamlit:setComponentValue", { value: { node: id, t: Date.now() }, dataType: "json" });
      }
    });
    network.once("afterDrawing", function () { document.body.dataset.ready = "1"; });
  } else {
    network.setData(data);
  }
  network.fit({ animation: false });
  send("streamlit:setFrameHeight", { height: args.height + BAR + 4 });
}

function zoom(factor) {
  if (network !== null) network.moveTo({ scale: network.getScale() * factor });
}

window.addEventListener("message", function (event) {
  if (event.data && event.data.type === "streamlit:render") render(event.data.args);
});

document.addEventListener("DOMContentLoaded", function () {
  document.getElementById("zoom-in").onclick = function () { zoom(1.25); };
  document.getElementById("zoom-out").onclick = function () { zoom(0.8); };
  document.getElementById("fit").onclick = function () { if (network !== null) network.fit(); };
  document.getElementById("full").onclick = function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen();
  };
  document.addEventListener("fullscreenchange", function () {
    if (network !== null) setTimeout(function () { network.redraw(); network.fit(); }, 50);
  });
  send("streamlit:componentReady", { apiVersion: 1 });
});
